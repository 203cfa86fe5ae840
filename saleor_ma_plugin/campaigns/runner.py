"""Advancing due enrolments: claimed in batches, stepped, written back in bulk.

A batch is one transaction: the rows are claimed with ``FOR UPDATE SKIP LOCKED``, every
message and webhook a step asks for is inserted with its unique idempotency key, and the
enrolments' new positions are written before commit. A killed worker rolls the whole batch
back; a duplicated task finds the rows locked or already moved. Nothing is sent twice.
"""

import copy
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ..core.bulk import bulk_update_rows, insert_rows
from ..core.collection import collector_paused
from ..core.host import allow_writes, with_writes
from ..core.instances import share_related
from ..core.queue import Work, wake_after_commit
from ..events import EventSource, EventType
from ..events.intake import NewEvent, record_events
from ..messaging.models import WebhookDelivery
from ..segments.rules import Scope, evaluate, parse_condition
from . import CampaignStatus, EnrollmentStatus
from .flow import MAX_STEPS_PER_RUN, Flow, FlowStep, load_flows
from .holdout import assign_holdout, skipped_for_holdout
from .models import Enrollment
from .steps import Effects, Run, Transition, step_kind
from .triggers.absence import absence_was_broken

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_ATTEMPTS = 5
UPDATED_FIELDS = (
    "status",
    "step_key",
    "next_run_at",
    "context",
    "finished_at",
    "exit_reason",
    "attempts",
    "last_error",
)


@with_writes
def run_due_enrollments(
    batch_size: int = BATCH_SIZE,
    now: datetime | None = None,
    enrollment_ids: list[int] | None = None,
) -> int:
    """Advance one batch of due enrolments (only ``enrollment_ids``, if given)."""
    now = now or timezone.now()
    due = Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, next_run_at__lte=now)
    if enrollment_ids is not None:
        due = due.filter(pk__in=enrollment_ids)
    with allow_writes(), collector_paused(), transaction.atomic():
        batch = list(
            # of=("self",): joined campaign and contact rows must stay free for other workers.
            due.select_for_update(skip_locked=True, of=("self",))
            .order_by("next_run_at")
            .select_related("contact")[:batch_size]
        )
        if not batch:
            return 0
        share_related(batch, "campaign")
        flows = load_flows({enrollment.campaign_id for enrollment in batch})
        effects = Effects()
        for enrollment in batch:
            _advance_safely(enrollment, flows[enrollment.campaign_id], effects, now)
        bulk_update_rows(Enrollment, batch, UPDATED_FIELDS)
        insert_rows(effects.messages, skip_conflicts=True)
        WebhookDelivery.objects.bulk_create(effects.webhooks, ignore_conflicts=True)
        _record_score_changes(effects)
        if effects.webhooks:
            wake_after_commit(Work.DELIVER_WEBHOOKS)
        if effects.messages:
            wake_after_commit(Work.DELIVER_MESSAGES)
        for work in sorted(effects.wakes):
            wake_after_commit(Work(work))
    return len(batch)


def _advance_safely(enrollment: Enrollment, flow: Flow, effects: Effects, now: datetime) -> None:
    local = Effects()
    # A failing step throws away everything its run produced, so the run must restart from
    # where it stood: its messages are re-created then, under the same idempotency keys.
    # Only the context is mutable: a deep copy of the other fields cost as much as a step.
    before = {name: getattr(enrollment, name) for name in UPDATED_FIELDS}
    before["context"] = copy.deepcopy(enrollment.context)
    writes = any(step_kind(step.type).writes for step in flow.steps.values())
    try:
        if writes:
            with transaction.atomic():
                advance(enrollment, flow, local, now)
        else:
            advance(enrollment, flow, local, now)
    except Exception as error:
        logger.exception("Enrolment %s failed at step %s", enrollment.pk, enrollment.step_key)
        for name, value in before.items():
            setattr(enrollment, name, value)
        enrollment.attempts += 1
        enrollment.last_error = f"{type(error).__name__}: {error}"[:2000]
        if enrollment.attempts >= MAX_ATTEMPTS:
            _finish(enrollment, EnrollmentStatus.FAILED, "error", now)
        else:
            enrollment.next_run_at = now + timedelta(minutes=2**enrollment.attempts)
        return
    effects.messages += local.messages
    effects.webhooks += local.webhooks
    effects.score_changes += local.score_changes
    effects.wakes |= local.wakes


def advance(enrollment: Enrollment, flow: Flow, effects: Effects, now: datetime) -> None:
    """Walk one enrolment through its flow until it waits or finishes."""
    campaign, contact = enrollment.campaign, enrollment.contact
    if campaign.status != CampaignStatus.ACTIVE:
        if campaign.status == CampaignStatus.PAUSED:
            enrollment.status = EnrollmentStatus.PAUSED
        else:
            _finish(enrollment, EnrollmentStatus.EXITED, f"campaign_{campaign.status}", now)
        return
    awaiting = enrollment.context.pop("awaiting", None)
    if awaiting and absence_was_broken(enrollment, awaiting):
        _finish(enrollment, EnrollmentStatus.EXITED, "absence_broken", now)
        return
    exit_condition = parse_condition(campaign.exit_condition, "exit_condition", Scope.RUN)
    run = Run(enrollment, contact, campaign, now, effects)
    for _ in range(MAX_STEPS_PER_RUN):
        if contact.erased_at is not None:
            _finish(enrollment, EnrollmentStatus.EXITED, "contact_erased", now)
            return
        if campaign.exit_condition and evaluate(exit_condition, run.subject()):
            _finish(enrollment, EnrollmentStatus.EXITED, "exit_condition", now)
            return
        step = flow.resolve(enrollment.step_key)
        if step is None:
            _finish(enrollment, EnrollmentStatus.COMPLETED, "completed", now)
            return
        transition = execute(step, run)
        if transition.finish_status:
            _finish(enrollment, transition.finish_status, transition.finish_reason, now)
            return
        if transition.wait_until:
            enrollment.step_key, enrollment.next_run_at = step.key, transition.wait_until
            return
        enrollment.step_key = transition.next_key
    _finish(enrollment, EnrollmentStatus.FAILED, "too_many_steps", now)


def execute(step: FlowStep, run: Run) -> Transition:
    """One step of a run; a held-out run passes the steps that would reach the contact."""
    assign_holdout(run)
    if skipped_for_holdout(step, run):
        return Transition(next_key="" if step_kind(step.type).final else step.next_key)
    return step_kind(step.type).execute(step, run)


def _finish(enrollment: Enrollment, status: str, reason: str, now: datetime) -> None:
    enrollment.status, enrollment.exit_reason = status, reason
    enrollment.finished_at, enrollment.next_run_at = now, None


def _record_score_changes(effects: Effects) -> None:
    record_events(
        [
            NewEvent(
                EventType.SCORE_CHANGED,
                timezone.now(),
                key,
                {"contact_id": contact_id, "before": before, "after": after, "email": ""},
                EventSource.SYSTEM,
            )
            for contact_id, before, after, key in effects.score_changes
        ]
    )
