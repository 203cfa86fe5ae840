"""Processing stored events exactly once, whoever wakes up first."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..core.host import allow_writes, with_writes
from . import MAX_PROCESSING_ATTEMPTS
from .models import Event

logger = logging.getLogger(__name__)

#: Leave fresh events to the task their intake enqueued; the sweeper is the safety net.
SWEEP_GRACE = timedelta(seconds=10)
SWEEP_BATCH_SIZE = 500


def process_event(event_id: int) -> bool:
    """Apply one event to profiles; return False if it was done or is being done elsewhere."""
    from ..attribution.attributing import attribute_order_event
    from ..campaigns.reactions import react_to_event
    from ..contacts.profiles import apply_event
    from ..scoring.rules import apply_score_rules

    with allow_writes(), transaction.atomic():
        event = (
            Event.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, processed_at__isnull=True)
            .first()
        )
        if event is None:
            return False
        try:
            with transaction.atomic():
                contact = apply_event(event)
                started = react_to_event(event, contact)
                apply_score_rules(event, contact, timezone.now())
                attribute_order_event(event, contact)  # orders only; never raises
        except Exception as error:
            # Keep the failure on the row: the sweeper retries a bounded number of times.
            logger.exception("Processing event %s (%s) failed", event.pk, event.type)
            event.attempts += 1
            event.processing_error = f"{type(error).__name__}: {error}"[:2000]
            event.save(update_fields=["attempts", "processing_error"])
            return False
        event.contact = contact
        event.processed_at = timezone.now()
        event.attempts += 1
        event.processing_error = ""
        event.save(update_fields=["contact", "processed_at", "attempts", "processing_error"])
        if any(run.next_run_at <= event.processed_at for run in started):
            _nudge_runner()
    return True


def _nudge_runner() -> None:
    """Immediate steps should not wait for the next beat tick."""
    from ..core.queue import enqueue_after_commit
    from ..tasks import run_enrollments

    enqueue_after_commit(run_enrollments)


@with_writes
def process_events(event_ids: Iterable[int]) -> int:
    """Process several events in id order; return how many this call processed."""
    return sum(process_event(event_id) for event_id in sorted(event_ids))


def sweep_unprocessed_events(batch_size: int = SWEEP_BATCH_SIZE) -> int:
    """Process events no worker was woken for (broker down, worker lost); oldest first."""
    with allow_writes():  # the rows must be read from the primary, not a lagging replica
        pending = list(
            Event.objects.filter(
                processed_at__isnull=True,
                attempts__lt=MAX_PROCESSING_ATTEMPTS,
                received_at__lte=timezone.now() - SWEEP_GRACE,
            )
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
    return process_events(pending)
