"""Creating, changing and switching campaigns, always leaving a valid flow behind.

Editing rule for active campaigns: steps are identified by stable keys and never deleted,
only marked removed. A contact waiting in a removed step moves on to that step's successor;
a changed wait applies to contacts who reach it after the change; a run is never restarted
or duplicated. So an edit neither loses nor duplicates enrolments in flight.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..core.errors import FieldError, FieldErrorCode
from ..core.numbers import MAX_DAYS, MAX_INT
from ..segments.rules import Scope, parse_condition, upgrade_audience, upgrade_condition
from . import CampaignStatus, EnrollmentStatus, ReentryPolicy
from .audience import parse_audience
from .flow import build_flow
from .legal import require_imprint
from .models import Campaign, Enrollment, Step
from .steps import step_kind
from .triggers import parse_trigger, trigger_event_type, trigger_kind

NAME_MAX_LENGTH = Campaign._meta.get_field("name").max_length


@dataclass(frozen=True)
class StepSpec:
    key: str
    type: str
    config: dict = field(default_factory=dict)
    next_key: str = ""
    name: str = ""


@dataclass(frozen=True)
class CampaignSpec:
    name: str
    kind: str
    trigger: dict
    steps: tuple[StepSpec, ...]
    entry_step_key: str = ""
    audience: dict = field(default_factory=dict)
    goal: dict = field(default_factory=dict)
    exit_condition: dict = field(default_factory=dict)
    reentry_policy: str = ReentryPolicy.ONCE
    reentry_period_days: int = 0
    conversion_window_days: int = 5
    min_audience_size: int = 0
    priority: int = 0
    preset: str = ""
    holdout_share: int = 0


def validate_settings(trigger: dict, audience: dict, goal: dict, exit_condition: dict) -> None:
    parse_trigger(trigger)
    parse_audience(audience)
    if goal:
        if not isinstance(goal.get("event"), str) or not goal["event"]:
            raise FieldError("goal.event", "Name the goal's event type.", FieldErrorCode.REQUIRED)
        parse_condition(goal.get("where"), "goal.where", Scope.EVENT)
    parse_condition(exit_condition, "exit_condition", Scope.RUN)


def upgraded_settings(**settings) -> dict:
    """Trigger, audience, goal and exit condition as they are stored: in today's shapes."""
    upgrades = {
        "trigger": lambda data: trigger_kind(data).upgrade(data),
        "audience": upgrade_audience,
        "goal": lambda data: (
            {**data, "where": upgrade_condition(data["where"])}
            if isinstance(data, dict) and "where" in data
            else data
        ),
        "exit_condition": upgrade_condition,
    }
    return {
        name: upgrades[name](value) if name in upgrades and value else value
        for name, value in settings.items()
    }


def stored_config(step_type: str, config):
    """A step's configuration as it is stored: in today's shape."""
    return step_kind(step_type).upgrade(config) if isinstance(config, dict) else config


def create_campaign(spec: CampaignSpec) -> Campaign:
    """Create a draft campaign with its flow; raise FieldError and store nothing if invalid."""
    validate_name(spec.name)
    validate_settings(spec.trigger, spec.audience, spec.goal, spec.exit_condition)
    validate_holdout(spec.holdout_share)
    validate_counts(spec)
    settings = upgraded_settings(
        trigger=spec.trigger,
        audience=spec.audience,
        goal=spec.goal,
        exit_condition=spec.exit_condition,
    )
    if spec.reentry_policy == ReentryPolicy.ONCE_PER_PERIOD and spec.reentry_period_days <= 0:
        raise FieldError("reentryPeriodDays", "Give the period in days.", FieldErrorCode.REQUIRED)
    entry = spec.entry_step_key or (spec.steps[0].key if spec.steps else "")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=spec.name.strip(),
            kind=spec.kind,
            trigger=settings["trigger"],
            trigger_event_type=trigger_event_type(spec.trigger),
            audience=settings["audience"],
            goal=settings["goal"],
            exit_condition=settings["exit_condition"],
            reentry_policy=spec.reentry_policy,
            reentry_period_days=spec.reentry_period_days,
            conversion_window_days=spec.conversion_window_days,
            min_audience_size=spec.min_audience_size,
            priority=spec.priority,
            preset=spec.preset,
            holdout_share=spec.holdout_share,
            entry_step_key=entry,
        )
        Step.objects.bulk_create(
            [
                Step(
                    campaign=campaign,
                    key=step.key,
                    type=step.type,
                    config=stored_config(step.type, step.config),
                    next_key=step.next_key,
                    name=step.name,
                    position=index,
                )
                for index, step in enumerate(spec.steps)
            ]
        )
        build_flow(campaign, campaign.steps.all())  # raises, rolling everything back
    return campaign


def _checked(campaign: Campaign) -> None:
    flow = build_flow(campaign, Step.objects.filter(campaign=campaign))
    if campaign.status == CampaignStatus.ACTIVE:
        require_imprint(flow)  # an edit must not add marketing email that activation refuses


def _edited(campaign: Campaign) -> None:
    """A flow edit is an edit of the campaign: ``updated_at`` tells another editor of it."""
    campaign.updated_at = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=campaign.updated_at)


def add_step(campaign: Campaign, spec: StepSpec, after_key: str = "") -> Step:
    """Insert a step; with ``after_key`` it is spliced in after that step's default edge."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if Step.objects.filter(campaign=campaign, key=spec.key).exists():
            # Keys stay taken after removal: runs may still point at the removed step.
            raise FieldError("input.key", f"The key {spec.key!r} is taken.", FieldErrorCode.UNIQUE)
        position = Step.objects.filter(campaign=campaign).count()
        step = Step.objects.create(
            campaign=campaign,
            key=spec.key,
            type=spec.type,
            config=stored_config(spec.type, spec.config),
            next_key=spec.next_key,
            name=spec.name,
            position=position,
        )
        if after_key:
            previous = Step.objects.get(campaign=campaign, key=after_key)
            step.next_key, previous.next_key = previous.next_key, step.key
            step.save(update_fields=["next_key"])
            previous.save(update_fields=["next_key"])
        _checked(campaign)
        _edited(campaign)
    return step


def update_step(
    campaign: Campaign, key: str, config: dict | None = None, next_key: Any = None
) -> Step:
    with transaction.atomic():
        step = Step.objects.select_for_update().get(campaign=campaign, key=key, removed_at=None)
        if config is not None:
            step.config = stored_config(step.type, config)
        if next_key is not None:
            step.next_key = next_key
        step.save(update_fields=["config", "next_key"])
        _checked(campaign)
        _edited(campaign)
    return step


def remove_step(campaign: Campaign, key: str) -> None:
    """Mark a step removed; edges into it are rewired to its successor."""
    with transaction.atomic():
        step = Step.objects.select_for_update().get(campaign=campaign, key=key, removed_at=None)
        successor = step.next_key
        Step.objects.filter(campaign=campaign, next_key=key).update(next_key=successor)
        if campaign.entry_step_key == key:
            if not successor:
                raise FieldError("key", "The only entry step cannot be removed.")
            Campaign.objects.filter(pk=campaign.pk).update(entry_step_key=successor)
            campaign.entry_step_key = successor
        step.removed_at = timezone.now()
        step.save(update_fields=["removed_at"])
        _checked(campaign)
        _edited(campaign)


def activate(campaign: Campaign) -> Campaign:
    """Start (or resume) a campaign; held enrolments continue where they were."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        flow = build_flow(campaign, campaign.steps.all())
        if not any(not step.removed for step in flow.steps.values()):
            raise FieldError("steps", "Add at least one step first.", FieldErrorCode.REQUIRED)
        if campaign.status == CampaignStatus.ARCHIVED:
            raise FieldError("status", "An archived campaign cannot be activated.")
        require_imprint(flow)
        campaign.status = CampaignStatus.ACTIVE
        campaign.save(update_fields=["status", "updated_at"])
        Enrollment.objects.filter(campaign=campaign, status=EnrollmentStatus.PAUSED).update(
            status=EnrollmentStatus.ACTIVE
        )
    return campaign


def pause(campaign: Campaign) -> Campaign:
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PAUSED)
        Enrollment.objects.filter(campaign=campaign, status=EnrollmentStatus.ACTIVE).update(
            status=EnrollmentStatus.PAUSED
        )
    campaign.status = CampaignStatus.PAUSED
    return campaign


def archive(campaign: Campaign) -> Campaign:
    now = timezone.now()
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.ARCHIVED)
        Enrollment.objects.filter(
            campaign=campaign, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED]
        ).update(
            status=EnrollmentStatus.EXITED,
            exit_reason="campaign_archived",
            finished_at=now,
            next_run_at=None,
        )
    campaign.status = CampaignStatus.ARCHIVED
    return campaign


EDITABLE_FIELDS = (
    "name",
    "trigger",
    "audience",
    "goal",
    "exit_condition",
    "reentry_policy",
    "reentry_period_days",
    "conversion_window_days",
    "min_audience_size",
    "priority",
    "holdout_share",
)

#: A holdout bigger than this would leave too few contacts receiving the campaign.
MAX_HOLDOUT_SHARE = 50


#: The day and size settings of a campaign, with the largest value each may take.
COUNTS = {
    "conversion_window_days": MAX_DAYS,
    "reentry_period_days": MAX_DAYS,
    "min_audience_size": MAX_INT,
}


def validate_counts(campaign) -> None:
    """Day spans and sizes are whole numbers from 0 to their bound (the columns hold no less)."""
    for name, maximum in COUNTS.items():
        value = getattr(campaign, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            raise FieldError(name, f"Enter a whole number from 0 to {maximum}.")


def validate_name(name) -> None:
    """A name, short enough for its column (a longer one was a database error)."""
    if not isinstance(name, str) or not name.strip():
        raise FieldError("name", "Name the campaign.", FieldErrorCode.REQUIRED)
    if len(name.strip()) > NAME_MAX_LENGTH:
        raise FieldError("name", f"At most {NAME_MAX_LENGTH} characters.")


def validate_holdout(share: int) -> None:
    if not 0 <= share <= MAX_HOLDOUT_SHARE:
        raise FieldError("holdoutShare", f"Use 0 to {MAX_HOLDOUT_SHARE} percent.")


def update_campaign(campaign: Campaign, **changes) -> Campaign:
    """Change settings; validated as a whole, stored only if everything is valid."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise FieldError(sorted(unknown)[0], "This field cannot be changed.")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        for name, value in changes.items():
            setattr(campaign, name, value)
        validate_name(campaign.name)
        validate_holdout(campaign.holdout_share)
        validate_counts(campaign)
        validate_settings(
            campaign.trigger, campaign.audience, campaign.goal, campaign.exit_condition
        )
        campaign.trigger_event_type = trigger_event_type(campaign.trigger)
        for name, value in upgraded_settings(
            trigger=campaign.trigger,
            audience=campaign.audience,
            goal=campaign.goal,
            exit_condition=campaign.exit_condition,
        ).items():
            setattr(campaign, name, value)
        campaign.save()
    return campaign


def duplicate_campaign(campaign: Campaign, name: str = "") -> Campaign:
    """A draft copy with the same flow (removed steps left out) and no enrolments."""
    steps = tuple(
        StepSpec(step.key, step.type, step.config, step.next_key, step.name)
        for step in campaign.steps.filter(removed_at=None).order_by("position", "pk")
    )
    return create_campaign(
        CampaignSpec(
            name=name or f"{campaign.name} (copy)",
            kind=campaign.kind,
            trigger=campaign.trigger,
            steps=steps,
            entry_step_key=campaign.entry_step_key,
            audience=campaign.audience,
            goal=campaign.goal,
            exit_condition=campaign.exit_condition,
            reentry_policy=campaign.reentry_policy,
            reentry_period_days=campaign.reentry_period_days,
            conversion_window_days=campaign.conversion_window_days,
            min_audience_size=campaign.min_audience_size,
            priority=campaign.priority,
            preset=campaign.preset,
            holdout_share=campaign.holdout_share,
        )
    )


def move_step(campaign: Campaign, key: str, position: int) -> None:
    """Reorder a step in the list; edges (and so the flow) are unchanged."""
    with transaction.atomic():
        steps = list(
            Step.objects.select_for_update().filter(campaign=campaign).order_by("position", "pk")
        )
        moving = next((step for step in steps if step.key == key), None)
        if moving is None:
            raise FieldError("key", f"No step {key!r}.", FieldErrorCode.NOT_FOUND)
        steps.remove(moving)
        steps.insert(max(0, min(position, len(steps))), moving)
        for index, step in enumerate(steps):
            step.position = index
        Step.objects.bulk_update(steps, ["position"])
        _edited(campaign)
