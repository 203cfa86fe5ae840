"""What a trigger type is: one class that parses, describes and fires its triggers.

A trigger type lives in one module of this package as a subclass of ``TriggerKind``;
event-driven kinds say which event type they react to (the campaign's index column) and
start a run for an event, scheduled kinds fire from the scheduled tick, and every kind
can count who would enter now (the dry run).
"""

from datetime import datetime
from typing import Any, ClassVar

from ...core.errors import FieldError, FieldErrorCode
from ...core.numbers import MAX_DAYS, whole_number
from ...segments.rules import Scope, Subject, evaluate, parse_condition, upgrade_condition
from .. import CampaignStatus
from ..audience import audience_contacts, parse_audience
from ..models import Campaign


class TriggerKind:
    """Base of every trigger type. Subclasses set the class attributes and override methods."""

    #: Stored in ``Campaign.trigger["type"]``; never renamed once shipped.
    type: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str]
    position: ClassVar[int]
    #: JSON Schema of the trigger object (besides ``type``), for the dashboard's forms.
    schema: ClassVar[dict]

    registry: ClassVar[dict[str, "TriggerKind"]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        TriggerKind.registry[cls.type] = cls()

    def parse(self, data: dict) -> Any:
        """Validate the trigger object; raise FieldError naming the bad field."""
        return None

    def upgrade(self, data: dict) -> dict:
        """The trigger object in today's shape (older shapes are read for one release)."""
        if "where" not in data:
            return data
        return {**data, "where": upgrade_condition(data["where"])}

    def event_type(self, config: Any) -> str:
        """The event type that starts runs ("" for kinds that do not react to events)."""
        return ""

    def start(self, campaign: Campaign, config: Any, event, contact, now: datetime):
        """Start (or extend) a run for a processed event; the Enrollment or None."""
        return None

    def fire_due(self, now: datetime) -> int:
        """Scheduled tick: enrol whoever is due now in campaigns of this kind; runs started."""
        return 0

    def entrants(self, campaign: Campaign, config: Any, now: datetime) -> int:
        """How many contacts the trigger would enrol if it fired now."""
        return audience_contacts(parse_audience(campaign.audience)).count()


def active_campaigns(kind: TriggerKind):
    """Active campaigns of a trigger kind, highest priority first."""
    campaigns = Campaign.objects.filter(status=CampaignStatus.ACTIVE, trigger__type=kind.type)
    return campaigns.order_by("-priority", "pk")


def positive_int(data: dict, name: str, maximum: int = MAX_DAYS) -> int:
    try:
        return whole_number(data.get(name, 0), f"trigger.{name}", 1, maximum)
    except FieldError:
        raise FieldError(
            f"trigger.{name}", f"Enter a positive whole number of at most {maximum}."
        ) from None


def event_type_of(data: dict, name: str = "event") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise FieldError(f"trigger.{name}", "Name an event type.", FieldErrorCode.REQUIRED)
    return value


def event_filter(data: dict) -> Any:
    """The trigger's ``where``: a rule over the contact and the event's payload."""
    return parse_condition(data.get("where"), "trigger.where", Scope.EVENT)


def filter_passes(where: Any, event, contact, now: datetime) -> bool:
    return evaluate(where, Subject(contact=contact, payload=event.payload, now=now))


#: JSON Schema fragments of trigger forms.
EVENT_TYPE = {"type": "string", "minLength": 1, "title": "Event type"}
POSITIVE = {"type": "integer", "minimum": 1}
WHERE = {"type": "object", "title": "Filter", "description": "A rule of the rule language."}
