"""What the engine does when an event has been applied to profiles.

Runs inside the event's processing transaction, so an event enrols, ends goals and breaks
absences exactly once, together with marking the event processed.
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from ..core.memo import read_once
from ..events import EventSource
from ..events.models import Event
from . import CampaignStatus, EnrollmentStatus
from .conditions import All, Subject, evaluate, parse_condition
from .enrolling import enroll, run_key
from .models import Campaign, Enrollment
from .triggers import (
    AbsenceTrigger,
    EventTrigger,
    ReplenishmentTrigger,
    ScoreTrigger,
    parse_trigger,
)

LIVE_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


def react_to_event(event: Event, contact, contact_is_new: bool = False) -> list[Enrollment]:
    """End goals and absences the event satisfies, then start the runs it triggers.

    A contact the event has just created has no runs to end.
    """
    if contact is None:
        return []
    now = timezone.now()
    if not contact_is_new:
        end_runs(event, contact, now)
    if event.source == EventSource.BACKFILL:
        return []  # history updates profiles; it never sends today
    started = []
    for campaign in triggered_campaigns(event.type):
        enrollment = start_run(campaign, parse_trigger(campaign.trigger), event, contact, now)
        if enrollment is not None:
            started.append(enrollment)
    return started


def start_run(campaign: Campaign, trigger, event: Event, contact, now: datetime):
    subject = Subject(contact=contact, payload=event.payload, context={}, now=now)
    if not evaluate(getattr(trigger, "where", All()), subject):
        return None
    context = {"trigger_event_id": event.pk, "trigger_type": event.type}
    match trigger:
        case EventTrigger():
            return enroll(
                campaign,
                contact,
                event.dedupe_key,
                now=now,
                context=context,
                trigger_event_id=event.pk,
            )
        case AbsenceTrigger():
            return _start_or_extend_absence(campaign, trigger, event, contact, now, context)
        case ScoreTrigger(threshold):
            before, after = event.payload.get("before", 0), event.payload.get("after", 0)
            if not before < threshold <= after:
                return None
            return enroll(
                campaign,
                contact,
                f"score:{threshold}",
                now=now,
                context=context,
                trigger_event_id=event.pk,
            )
        case ReplenishmentTrigger():
            days = [trigger.days_for(line) for line in event.payload.get("lines", [])]
            days = [value for value in days if value is not None]
            if not days:
                return None
            context["replenish_days"] = min(days)
            return enroll(
                campaign,
                contact,
                event.dedupe_key,
                now=now,
                start_at=event.occurred_at + timedelta(days=min(days)),
                context=context,
                trigger_event_id=event.pk,
            )
    return None


def _absence_value(trigger: AbsenceTrigger, payload: dict) -> str:
    return str(payload.get(trigger.key_field, "")) if trigger.key_field else ""


def _start_or_extend_absence(campaign, trigger: AbsenceTrigger, event, contact, now, context):
    value = _absence_value(trigger, event.payload)
    if trigger.key_field and not value:
        return None
    # Contact-level absences (browsing) get one run per day; keyed ones one per thing.
    trigger_key = f"absence:{value}" if value else f"absence:{event.occurred_at.date()}"
    deadline = event.occurred_at + trigger.within
    awaiting = {
        "event_type": trigger.absent_event_type,
        "key_field": trigger.absent_key_field if value else "",
        "value": value,
        "since": event.occurred_at.isoformat(),
    }
    existing = (
        Enrollment.objects.select_for_update()
        .filter(campaign=campaign, contact=contact, trigger_key=run_key(campaign, trigger_key))
        .first()
    )
    if existing is not None:
        if existing.status == EnrollmentStatus.ACTIVE and "awaiting" in existing.context:
            # A newer A (the cart changed) restarts the clock and refreshes the content.
            existing.next_run_at = deadline
            existing.trigger_event = event
            existing.context = {**existing.context, **context, "awaiting": awaiting}
            existing.save(update_fields=["next_run_at", "trigger_event", "context"])
        return None
    return enroll(
        campaign,
        contact,
        trigger_key,
        now=now,
        start_at=deadline,
        context={**context, "awaiting": awaiting},
        trigger_event_id=event.pk,
    )


def absence_broken(awaiting: dict, event_type: str, payload: dict) -> bool:
    """Does an event of type/payload satisfy what an absence run is waiting to not see?"""
    if awaiting.get("event_type") != event_type:
        return False
    key_field = awaiting.get("key_field")
    return not key_field or str(payload.get(key_field, "")) == awaiting.get("value")


def triggered_campaigns(event_type: str) -> list[Campaign]:
    """Active campaigns an event type triggers, highest priority first (once per batch)."""
    return read_once(
        ("triggered_campaigns", event_type),
        lambda: list(
            Campaign.objects.filter(
                status=CampaignStatus.ACTIVE, trigger_event_type=event_type
            ).order_by("-priority", "pk")
        ),
    )


def end_runs(event: Event, contact, now: datetime) -> None:
    """Finish the contact's live runs whose goal the event reaches or whose absence it breaks."""
    goal_reached = Q(campaign__goal__event=event.type, started_at__lte=event.occurred_at)
    runs = (
        # of=("self",): the campaign rows stay free for other workers.
        Enrollment.objects.select_for_update(of=("self",))
        .filter(contact=contact, status__in=LIVE_STATUSES)
        .filter(goal_reached | Q(context__has_key="awaiting"))
        .select_related("campaign")
        .order_by("pk")
    )
    for run in runs:
        if _reaches_goal(run, event, contact, now):
            run.context = {**run.context, "goal_event_id": event.pk}
            finish(run, EnrollmentStatus.GOAL_REACHED, "goal", now)
        elif "awaiting" in run.context and absence_broken(
            run.context["awaiting"], event.type, event.payload
        ):
            finish(run, EnrollmentStatus.EXITED, "absence_broken", now)


def _reaches_goal(run: Enrollment, event: Event, contact, now: datetime) -> bool:
    goal = run.campaign.goal or {}
    if goal.get("event") != event.type or run.started_at > event.occurred_at:
        return False
    subject = Subject(contact=contact, payload=event.payload, context={}, now=now)
    return evaluate(parse_condition(goal.get("where"), "goal.where"), subject)


def finish(enrollment: Enrollment, status: str, reason: str, now: datetime) -> None:
    enrollment.status = status
    enrollment.exit_reason = reason
    enrollment.finished_at = now
    enrollment.next_run_at = None
    enrollment.save(
        update_fields=["status", "exit_reason", "finished_at", "next_run_at", "context"]
    )
