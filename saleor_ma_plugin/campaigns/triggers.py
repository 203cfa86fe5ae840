"""Trigger configurations: what starts a run, parsed into frozen dataclasses."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils.dateparse import parse_datetime

from ..events import EventType
from . import TriggerType
from .conditions import All, Condition, parse_condition
from .errors import FlowError, FlowErrorCode
from .steps import parse_duration, parse_time_of_day

DATE_SOURCES = ("birthday", "first_order_anniversary", "attribute", "fixed")


@dataclass(frozen=True)
class EventTrigger:
    event_type: str
    where: Condition = field(default_factory=All)


@dataclass(frozen=True)
class AbsenceTrigger:
    """Event A, then no event B carrying the same key within ``within``."""

    event_type: str
    absent_event_type: str
    within: timedelta
    #: Payload field of A identifying the thing (e.g. checkout "token"); "" = the contact.
    key_field: str = ""
    #: Payload field of B holding the same value (e.g. order "checkout_token").
    absent_key_field: str = ""
    where: Condition = field(default_factory=All)


@dataclass(frozen=True)
class DateTrigger:
    source: str
    attribute: str = ""
    fixed_date: date | None = None
    at_time: time = time(9, 0)


@dataclass(frozen=True)
class InactivityTrigger:
    days: int


@dataclass(frozen=True)
class ReplenishmentTrigger:
    default_days: int
    product_days: tuple[tuple[str, int], ...] = ()
    category_days: tuple[tuple[str, int], ...] = ()

    def days_for(self, line: dict) -> int | None:
        """Days until a line's product runs out; None when the trigger does not cover it."""
        products, categories = dict(self.product_days), dict(self.category_days)
        if line.get("product_id") in products:
            return products[line["product_id"]]
        if line.get("category_id") in categories:
            return categories[line["category_id"]]
        if not products and not categories:
            return self.default_days
        return None


@dataclass(frozen=True)
class ScoreTrigger:
    threshold: int


@dataclass(frozen=True)
class BroadcastTrigger:
    send_at: datetime | None = None


@dataclass(frozen=True)
class ManualTrigger:
    pass


@dataclass(frozen=True)
class SegmentEntryTrigger:
    """A contact entered the segment (its membership refresh enrols; see segments)."""

    segment_id: int


Trigger = (
    EventTrigger
    | AbsenceTrigger
    | DateTrigger
    | InactivityTrigger
    | ReplenishmentTrigger
    | ScoreTrigger
    | BroadcastTrigger
    | ManualTrigger
    | SegmentEntryTrigger
)


def _positive_int(data: dict, name: str) -> int:
    try:
        value = int(data.get(name, 0))
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise FlowError(f"trigger.{name}", "Enter a positive whole number.")
    return value


def _event_type(data: dict, name: str = "event") -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise FlowError(f"trigger.{name}", "Name an event type.", FlowErrorCode.REQUIRED)
    return value


def parse_trigger(data: Any) -> Trigger:
    """Validate a trigger configuration; raise FlowError naming the bad field."""
    if not isinstance(data, dict) or data.get("type") not in TriggerType.values:
        raise FlowError("trigger.type", f"Use one of {', '.join(TriggerType.values)}.")
    match data["type"]:
        case TriggerType.EVENT:
            return EventTrigger(
                _event_type(data), parse_condition(data.get("where"), "trigger.where")
            )
        case TriggerType.ABSENCE:
            within = parse_duration(data.get("within") or {}, "trigger.within")
            if within <= timedelta(0):
                raise FlowError("trigger.within", "The time window must be positive.")
            return AbsenceTrigger(
                event_type=_event_type(data),
                absent_event_type=_event_type(data, "absent_event"),
                within=within,
                key_field=str(data.get("key_field", "")),
                absent_key_field=str(data.get("absent_key_field", data.get("key_field", ""))),
                where=parse_condition(data.get("where"), "trigger.where"),
            )
        case TriggerType.DATE:
            source = data.get("source")
            if source not in DATE_SOURCES:
                raise FlowError("trigger.source", f"Use one of {', '.join(DATE_SOURCES)}.")
            fixed = None
            if source == "fixed":
                try:
                    fixed = date.fromisoformat(str(data.get("date")))
                except ValueError:
                    raise FlowError("trigger.date", "Use YYYY-MM-DD.") from None
            if source == "attribute" and not data.get("attribute"):
                raise FlowError("trigger.attribute", "Name the attribute.", FlowErrorCode.REQUIRED)
            return DateTrigger(
                source=source,
                attribute=str(data.get("attribute", "")),
                fixed_date=fixed,
                at_time=parse_time_of_day(data.get("at_time"), "trigger.at_time") or time(9, 0),
            )
        case TriggerType.INACTIVITY:
            return InactivityTrigger(days=_positive_int(data, "days"))
        case TriggerType.REPLENISHMENT:
            return ReplenishmentTrigger(
                default_days=_positive_int(data, "days"),
                product_days=tuple(
                    sorted((str(k), int(v)) for k, v in data.get("products", {}).items())
                ),
                category_days=tuple(
                    sorted((str(k), int(v)) for k, v in data.get("categories", {}).items())
                ),
            )
        case TriggerType.SCORE:
            return ScoreTrigger(threshold=_positive_int(data, "threshold"))
        case TriggerType.BROADCAST:
            send_at = data.get("send_at")
            parsed = parse_datetime(send_at) if send_at else None
            if send_at and parsed is None:
                raise FlowError("trigger.send_at", "Use an ISO 8601 date and time.")
            return BroadcastTrigger(send_at=parsed)
        case TriggerType.SEGMENT_ENTRY:
            return SegmentEntryTrigger(segment_id=_positive_int(data, "segment"))
    return ManualTrigger()


def trigger_event_type(trigger: Trigger) -> str:
    """The event type that starts runs of this trigger, for the campaign's index column."""
    if isinstance(trigger, EventTrigger | AbsenceTrigger):
        return trigger.event_type
    if isinstance(trigger, ReplenishmentTrigger):
        return EventType.ORDER_CREATED
    if isinstance(trigger, ScoreTrigger):
        return EventType.SCORE_CHANGED
    return ""
