"""The event pipeline: an event was stored, so contacts, campaigns, scores and credit follow.

This is the one place that walks a stored event through the domains, in this order: the
contact's profile (``contacts``), goals, absences and new runs (``campaigns``), lead score
(``scoring``), order attribution (``attribution``), then the runs due at once (the campaign
runner). The event log itself (``events``) knows nothing of them.

Processing is exactly once, whoever wakes up first.

Events are claimed in batches with ``FOR UPDATE SKIP LOCKED`` and processed in one
transaction, each in a savepoint of its own: a failing event keeps its error on its row and
leaves the rest of the batch alone. A burst of hooks therefore costs one wake-up and one
commit per batch, not per event. Runs an event starts that are due at once (an immediate
send) are advanced by the same worker right after the commit, and the Saleor notifications
the batch queued are sent by it too, without a second broker hop: a customer waiting for a
password reset or an order confirmation does not wait for another task. The wake-up each
queued message also sends is the safety net (whoever claims a message first sends it).
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .attribution.attributing import attribute_order_event
from .campaigns.consumables import consumables
from .campaigns.reactions import react_to_event
from .campaigns.runner import run_due_enrollments
from .contacts.lookups import unknown_people
from .contacts.models import Contact
from .contacts.profiles import apply_event
from .core.bulk import bulk_update_rows
from .core.collection import collector_paused
from .core.host import allow_writes, with_writes
from .core.memo import shared_reads
from .core.queue import Work, wake_a_helper
from .events import MAX_PROCESSING_ATTEMPTS, EventType
from .events.backfill import BackfillStream, BackfillSummary, import_stream
from .events.models import Event
from .messaging.delivery import deliver_due_messages
from .messaging.models import Message
from .messaging.transactional import (
    notification_message,
    offers_consumables,
    queue_notifications,
)
from .privacy.erasure import erase_person, forget_event
from .scoring.rules import apply_score_rules

logger = logging.getLogger(__name__)

#: Leave fresh events to the task their intake woke; the sweeper is the safety net.
SWEEP_GRACE = timedelta(seconds=10)
SWEEP_BATCH_SIZE = 500
#: Events per transaction. Small enough that the first event of a batch is not held back
#: long by the others (about 5 ms each), large enough that a burst shares its commits.
BATCH_SIZE = 25
#: Under a backlog each further batch of a wake-up is twice the last, up to this: the
#: events waiting are held back by the queue anyway, and a larger batch shares its lookups,
#: its commit and its send (one claim, one SMTP connection) among more of them.
BACKLOG_BATCH_SIZE = 100
#: A wake-up stops claiming new batches after this long and leaves the rest to the next.
DRAIN_BUDGET_SECONDS = 50

#: Passes over events deferred by a deadlock before they are left to the next wake-up.
MAX_PASSES = 5
#: deadlock_detected, serialization_failure: another worker won; trying again succeeds.
TRANSIENT_SQLSTATES = {"40P01", "40001"}

PROCESSED_FIELDS = ("contact", "processed_at", "attempts", "processing_error")


def process_event(event_id: int) -> bool:
    """Apply one event; return False if it was done or is being done elsewhere."""
    return process_events([event_id]) == 1


@with_writes
def process_events(event_ids: Iterable[int]) -> int:
    """Process the given events in id order; return how many this call processed."""
    pending, done = sorted(set(event_ids)), 0
    for _ in range(MAX_PASSES):
        deferred: list[int] = []
        for start in range(0, len(pending), BATCH_SIZE):
            chunk = Event.objects.filter(pk__in=pending[start : start + BATCH_SIZE])
            outcome = _process_batch(chunk)
            done += outcome.processed
            deferred += outcome.deferred
        if not deferred:
            break
        pending = deferred
    return done


@with_writes
def process_fresh_events(batch_size: int = BATCH_SIZE) -> int:
    """Process every event that was never tried, oldest first, batch by batch.

    This is what a wake-up from the intake runs: it takes whatever has arrived, so a burst
    of events shares one task. A burst larger than one batch recruits one more worker
    (which, finding a backlog too, recruits the next) as soon as the first full batch is
    claimed, so idle worker processes share it instead of waiting for this one to drain it
    alone; its later batches grow (``BACKLOG_BATCH_SIZE``). Failed events are left to the
    sweeper's bounded retries.
    """
    started, done, helped, size = time.monotonic(), 0, False, batch_size

    def recruit() -> None:
        nonlocal helped
        if not helped:
            wake_a_helper(Work.PROCESS_EVENTS)
            helped = True

    while time.monotonic() - started < DRAIN_BUDGET_SECONDS:
        outcome = _process_batch(Event.objects.filter(attempts=0), size, on_full=recruit)
        done += outcome.processed
        if outcome.claimed < size and not outcome.deferred:
            break
        recruit()
        size = max(size, min(2 * size, BACKLOG_BATCH_SIZE))
    return done


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


@dataclass(frozen=True)
class BatchOutcome:
    claimed: int
    processed: int
    #: Events that lost a lock race (deadlock); they stay fresh for the next pass.
    deferred: list[int]


def _process_batch(
    candidates: QuerySet, limit: int = BATCH_SIZE, on_full: Callable[[], None] | None = None
) -> BatchOutcome:
    """Claim up to ``limit`` unprocessed events among ``candidates`` and apply them;
    ``on_full`` is called when the claim took ``limit`` (more may be waiting)."""
    with allow_writes(), collector_paused(), transaction.atomic():
        events = list(
            candidates.select_for_update(skip_locked=True)
            .filter(processed_at__isnull=True)
            .order_by("id")[:limit]
        )
        if on_full is not None and len(events) == limit:
            on_full()  # a helper claims past these rows (SKIP LOCKED) while we apply them
        # Two workers locking the same contacts in different orders would deadlock: take
        # each person's events together, people in one global order, each one's in id order.
        events.sort(key=lambda event: (_identity(event.payload), event.pk))
        due_runs: list[int] = []
        notifications: list[Message] = []
        deferred: list[int] = []
        with shared_reads(), unknown_people(event.payload for event in events):
            for event in events:
                applied = _apply(event)
                if applied is None:
                    deferred.append(event.pk)
                    continue
                due_runs += applied.due_runs
                if applied.notification is not None:
                    notifications.append(applied.notification)
        # Before campaigns send anything: the runs this batch started advance after commit.
        queue_notifications(notifications)
        bulk_update_rows(Event, events, PROCESSED_FIELDS)
        if notifications:
            keys = [message.idempotency_key for message in notifications]
            transaction.on_commit(lambda: _send_notifications(keys))
        if due_runs:
            transaction.on_commit(lambda: _run_started(due_runs))
    processed = sum(1 for event in events if event.processed_at is not None)
    return BatchOutcome(claimed=len(events), processed=processed, deferred=deferred)


def _identity(payload: dict) -> str:
    for name in ("contact_id", "email", "user_id", "anonymous_id"):
        if payload.get(name):
            return f"{name}:{str(payload[name]).strip().lower()}"
    return ""


@dataclass(frozen=True)
class EventOutcome:
    #: Runs the event started that are due now.
    due_runs: list[int]
    #: The notification mail it asks for, if any (its batch stores them together).
    notification: Message | None = None


def _apply(event: Event) -> EventOutcome | None:
    """Apply one claimed event in a savepoint.

    None means the event lost a lock race: it is left untouched, to be tried again.
    """
    try:
        with transaction.atomic():
            applied = apply_event(event)
            contact = applied.contact
            if event.type == EventType.CUSTOMER_DELETED:
                contact = _erase(event, contact)
            # A Saleor notification we send: its mail, queued with the batch's others.
            offers = consumables(event.payload["lines"]) if offers_consumables(event) else []
            notification = notification_message(event, contact, offers)
            started = react_to_event(event, contact, applied.contact_is_new)
            now = timezone.now()
            apply_score_rules(event, contact, now)
            # Orders only; never raises.
            attribute_order_event(event, contact, applied.contact_is_new)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) in TRANSIENT_SQLSTATES:
            return None
        _record_failure(event, error)
        return EventOutcome([])
    except Exception as error:
        _record_failure(event, error)
        return EventOutcome([])
    event.attempts += 1
    event.contact, event.processed_at, event.processing_error = contact, now, ""
    return EventOutcome(
        due_runs=[run.pk for run in started if run.next_run_at <= now], notification=notification
    )


def _erase(event: Event, contact: Contact | None) -> Contact | None:
    """A customer was deleted in the shop: forget the person, and the notice's own details."""
    if contact is not None:
        contact = erase_person(contact, via=EventType.CUSTOMER_DELETED)
    forget_event(event)
    return contact


def _record_failure(event: Event, error: Exception) -> None:
    # Kept on the row: the sweeper retries a bounded number of times.
    logger.exception("Processing event %s (%s) failed", event.pk, event.type)
    event.attempts += 1
    event.processing_error = f"{type(error).__name__}: {error}"[:2000]


def _send_notifications(keys: list[str]) -> None:
    """Send the notifications a batch queued in this worker; a failure leaves them to the
    delivery task their queueing woke."""
    try:
        deliver_due_messages(keys=keys)
    except Exception:
        logger.exception("Sending %s notifications failed; the delivery task retries", len(keys))


def _run_started(enrollment_ids: list[int]) -> None:
    """Advance runs that are due now in this worker; a failure leaves them to the tick."""
    try:
        run_due_enrollments(enrollment_ids=enrollment_ids)
    except Exception:
        logger.exception("Running %s new enrolments failed; the tick retries", len(enrollment_ids))


def run_backfill(
    stream: BackfillStream,
    batch_size: int = 500,
    restart: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> BackfillSummary:
    """Import a stream of the shop's history and process it (profiles only: never a send)."""
    return import_stream(stream, process_events, batch_size, restart, on_progress)
