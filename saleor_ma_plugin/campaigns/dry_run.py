"""What would happen, without writing anything: a contact's path, and who would enter now."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from . import StepType
from .actions import choose_variant
from .audience import audience_contacts, gate_open, in_audience, parse_audience
from .conditions import Subject, evaluate
from .enrolling import run_key
from .flow import MAX_STEPS_PER_RUN, build_flow
from .models import Campaign, Enrollment
from .scheduled import date_candidates, lapsed_candidates
from .timing import wait_until
from .triggers import BroadcastTrigger, DateTrigger, InactivityTrigger, parse_trigger


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
        outcome, key = _plan(step, contact, moment, context)
        if step.type == StepType.WAIT:
            moment = wait_until(step.config, contact, moment)
            outcome = f"wait until {moment.isoformat()}"
        planned.append(PlannedStep(step.key, step.type, moment, outcome))
    return DryRun(eligible=not reason, reason=reason, steps=tuple(planned))


def _plan(step, contact, moment: datetime, context: dict) -> tuple[str, str]:
    config = step.config
    match step.type:
        case StepType.SEND:
            return f"send {config.channel} {config.template}", step.next_key
        case StepType.BRANCH:
            taken = evaluate(config.condition, Subject(contact, {}, context, moment))
            return ("condition true" if taken else "condition false"), (
                config.then_key if taken else config.else_key
            )
        case StepType.SPLIT:
            variant = choose_variant(contact.pk, step.key, config.variants)
            return f"variant {variant.name}", variant.next_key
        case StepType.VOUCHER:
            return f"issue {config.discount_value} {config.discount_type} code", step.next_key
        case StepType.GOAL | StepType.EXIT | StepType.MOVE:
            return step.type, ""
    return step.type, step.next_key


def count_entrants(campaign: Campaign, now: datetime | None = None) -> int:
    """How many contacts the trigger would enrol if it fired now."""
    now = now or timezone.now()
    trigger = parse_trigger(campaign.trigger)
    if isinstance(trigger, DateTrigger):
        return sum(contacts.count() for contacts, _ in date_candidates(campaign, trigger, now))
    if isinstance(trigger, InactivityTrigger):
        return lapsed_candidates(campaign, trigger, now).count()
    contacts = audience_contacts(parse_audience(campaign.audience))
    if isinstance(trigger, BroadcastTrigger) and campaign.launched_at:
        return 0
    return contacts.count()
