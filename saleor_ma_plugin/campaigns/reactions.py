"""What the engine does when an event has been applied to profiles.

Runs inside the event's processing transaction, so an event enrols, ends goals and breaks
absences exactly once, together with marking the event processed.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from ..core.memo import read_once
from ..events import EventSource
from ..events.models import Event
from ..segments.rules import Scope, Subject, evaluate, parse_condition
from . import CampaignStatus, EnrollmentStatus
from .models import Campaign, Enrollment
from .triggers import trigger_kind
from .triggers.absence import absence_broken

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
        kind = trigger_kind(campaign.trigger)
        enrollment = kind.start(campaign, kind.parse(campaign.trigger), event, contact, now)
        if enrollment is not None:
            started.append(enrollment)
    return started


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
    where = parse_condition(goal.get("where"), "goal.where", Scope.EVENT)
    return evaluate(where, Subject(contact=contact, payload=event.payload, now=now))


def finish(enrollment: Enrollment, status: str, reason: str, now: datetime) -> None:
    enrollment.status = status
    enrollment.exit_reason = reason
    enrollment.finished_at = now
    enrollment.next_run_at = None
    enrollment.save(
        update_fields=["status", "exit_reason", "finished_at", "next_run_at", "context"]
    )
