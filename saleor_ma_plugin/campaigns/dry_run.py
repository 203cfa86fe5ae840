"""What would happen, without writing anything: a contact's path, and who would enter now."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .audience import gate_open, in_audience, parse_audience
from .enrolling import run_key
from .flow import MAX_STEPS_PER_RUN, build_flow
from .models import Campaign, Enrollment
from .steps import step_kind
from .triggers import trigger_kind


@dataclass(frozen=True)
class PlannedStep:
    key: str
    type: str
    at: datetime
    outcome: str


@dataclass(frozen=True)
class DryRun:
    eligible: bool
    reason: str
    steps: tuple[PlannedStep, ...]


def dry_run(
    campaign: Campaign, contact, now: datetime | None = None, trigger_key: str = ""
) -> DryRun:
    """The steps ``contact`` would take if enrolled now, and when; nothing is stored."""
    now = now or timezone.now()
    audience = parse_audience(campaign.audience)
    reason = ""
    if contact.erased_at is not None:
        reason = "contact_erased"
    elif not in_audience(audience, contact):
        reason = "not_in_audience"
    elif not gate_open(campaign, audience):
        reason = "audience_below_minimum"
    elif Enrollment.objects.filter(
        campaign=campaign, contact=contact, trigger_key=run_key(campaign, trigger_key or "dry-run")
    ).exists():
        reason = "already_enrolled"
    flow = build_flow(campaign, campaign.steps.all())
    planned, moment, key = [], now, flow.entry_key
    context: dict = {}
    for _ in range(MAX_STEPS_PER_RUN):
        step = flow.resolve(key)
        if step is None:
            break
        plan = step_kind(step.type).plan(step, contact, moment, context)
        moment, key = plan.until or moment, plan.next_key
        planned.append(PlannedStep(step.key, step.type, moment, plan.outcome))
    return DryRun(eligible=not reason, reason=reason, steps=tuple(planned))


def count_entrants(campaign: Campaign, now: datetime | None = None) -> int:
    """How many contacts the trigger would enrol if it fired now."""
    kind = trigger_kind(campaign.trigger)
    return kind.entrants(campaign, kind.parse(campaign.trigger), now or timezone.now())
