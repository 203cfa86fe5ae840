"""A small condition language for trigger filters, branches, goals and exit checks.

Conditions are JSON trees parsed once into frozen dataclasses::

    {"all": [...]} / {"any": [...]} / {"not": {...}}
    {"field": "payload.total_gross", "op": "gte", "value": "100"}
    {"field": "payload.lines.category_id", "op": "eq", "value": "9"}   # any line matches
    {"tag": "vip"}
    {"event": {"type": "order.created", "since": "enrollment", "min_count": 1, "where": [...]}}
    {"message": {"step": "reminder", "action": "clicked"}}
    {"consent": {"channel": "email", "topic": ""}}
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import FlowError, FlowErrorCode

OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "exists")
FIELD_ROOTS = ("contact", "payload", "context")
MESSAGE_ACTIONS = ("sent", "opened", "clicked")


@dataclass(frozen=True)
class FieldCondition:
    path: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class TagCondition:
    tag: str


@dataclass(frozen=True)
class EventCondition:
    event_type: str
    #: "enrollment" (since the run started) or a number of days back.
    since: str | int = "enrollment"
    min_count: int = 1
    where: tuple[FieldCondition, ...] = ()


@dataclass(frozen=True)
class MessageCondition:
    step_key: str
    action: str


@dataclass(frozen=True)
class ConsentCondition:
    channel: str
    topic: str = ""


@dataclass(frozen=True)
class All:
    items: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Any_:
    items: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Not:
    item: Any


Condition = (
    All
    | Any_
    | Not
    | FieldCondition
    | TagCondition
    | EventCondition
    | MessageCondition
    | ConsentCondition
)


def parse_condition(data: Any, path: str = "condition") -> Condition:
    """Parse and validate a JSON condition; an empty one is always true."""
    if data in (None, {}, []):
        return All()
    if isinstance(data, list):
        return All(tuple(parse_condition(item, f"{path}[{i}]") for i, item in enumerate(data)))
    if not isinstance(data, dict) or (len(data) != 1 and "field" not in data):
        raise FlowError(path, "A condition is an object with one operator key.")
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        items = data[key]
        if not isinstance(items, list):
            raise FlowError(f"{path}.{key}", "Expected a list of conditions.")
        parsed = tuple(parse_condition(item, f"{path}.{key}[{i}]") for i, item in enumerate(items))
        return All(parsed) if key == "all" else Any_(parsed)
    if "not" in data:
        return Not(parse_condition(data["not"], f"{path}.not"))
    if "field" in data:
        return parse_field_condition(data, path)
    if "tag" in data:
        if not isinstance(data["tag"], str) or not data["tag"]:
            raise FlowError(f"{path}.tag", "Name a tag.", FlowErrorCode.REQUIRED)
        return TagCondition(data["tag"])
    if "event" in data:
        return _parse_event_condition(data["event"], f"{path}.event")
    if "message" in data:
        spec = data["message"] if isinstance(data["message"], dict) else {}
        action = spec.get("action", "opened")
        if action not in MESSAGE_ACTIONS:
            raise FlowError(f"{path}.message.action", f"Use one of {', '.join(MESSAGE_ACTIONS)}.")
        return MessageCondition(step_key=str(spec.get("step", "")), action=action)
    if "consent" in data:
        spec = data["consent"] if isinstance(data["consent"], dict) else {}
        return ConsentCondition(
            channel=str(spec.get("channel", "email")), topic=str(spec.get("topic", ""))
        )
    raise FlowError(path, f"Unknown condition {sorted(data)[0]!r}.")


def parse_field_condition(data: dict, path: str) -> FieldCondition:
    field_path, op = data.get("field"), data.get("op", "eq")
    if not isinstance(field_path, str) or field_path.split(".")[0] not in FIELD_ROOTS:
        raise FlowError(f"{path}.field", f"Start the field with one of {', '.join(FIELD_ROOTS)}.")
    if op not in OPERATORS:
        raise FlowError(f"{path}.op", f"Use one of {', '.join(OPERATORS)}.")
    if op in ("in", "not_in") and not isinstance(data.get("value"), list):
        raise FlowError(f"{path}.value", "Expected a list.")
    return FieldCondition(path=field_path, op=op, value=data.get("value"))


def _parse_event_condition(spec: Any, path: str) -> EventCondition:
    if not isinstance(spec, dict) or not spec.get("type"):
        raise FlowError(f"{path}.type", "Name the event type.", FlowErrorCode.REQUIRED)
    since = spec.get("since", "enrollment")
    if since != "enrollment" and not (isinstance(since, int) and since > 0):
        raise FlowError(f"{path}.since", 'Use "enrollment" or a positive number of days.')
    where = tuple(
        parse_field_condition(item, f"{path}.where[{i}]")
        for i, item in enumerate(spec.get("where", []))
    )
    return EventCondition(
        event_type=spec["type"], since=since, min_count=int(spec.get("min_count", 1)), where=where
    )


@dataclass(frozen=True)
class Subject:
    """What a condition is evaluated against."""

    contact: Any
    payload: dict
    context: dict
    now: datetime
    enrollment: Any = None


def evaluate(condition: Condition, subject: Subject) -> bool:
    """Evaluate a parsed condition; database look-ups only for tag, event, message, consent."""
    match condition:
        case All(items):
            return all(evaluate(item, subject) for item in items)
        case Any_(items):
            return any(evaluate(item, subject) for item in items)
        case Not(item):
            return not evaluate(item, subject)
        case FieldCondition():
            return field_matches(condition, resolve(condition.path, subject))
        case TagCondition(tag):
            return subject.contact.tags.filter(name=tag).exists()
        case EventCondition():
            return _count_events(condition, subject) >= condition.min_count
        case MessageCondition():
            return _message_action_happened(condition, subject)
        case ConsentCondition(channel, topic):
            from ..contacts.consent import has_consent

            return has_consent(subject.contact, channel, topic)
    raise TypeError(condition)


def resolve(path: str, subject: Subject) -> list:
    """All values at a dotted path; lists fan out, so ``payload.lines.sku`` is every sku."""
    root, *parts = path.split(".")
    values: list = [
        {"contact": subject.contact, "payload": subject.payload, "context": subject.context}[root]
    ]
    for part in parts:
        next_values = []
        for value in values:
            item = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
            if isinstance(item, list | tuple):
                next_values.extend(item)
            elif item is not None:
                next_values.append(item)
        values = next_values
    return values


def field_matches(condition: FieldCondition, values: Iterable) -> bool:
    values = list(values)
    if condition.op == "exists":
        return bool(values) == (condition.value is not False)
    if condition.op in ("ne", "not_in"):
        positive = FieldCondition(
            condition.path, "eq" if condition.op == "ne" else "in", condition.value
        )
        return not field_matches(positive, values)
    return any(_compare(value, condition.op, condition.value) for value in values)


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == "contains":
        return str(expected).lower() in str(actual).lower()
    if op == "in":
        return any(_equal(actual, item) for item in expected)
    if op == "eq":
        return _equal(actual, expected)
    left, right = _ordered(actual), _ordered(expected)
    if left is None or right is None or type(left) is not type(right):
        return False
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]


def _equal(actual: Any, expected: Any) -> bool:
    numbers = _number(actual), _number(expected)
    if None not in numbers:
        return numbers[0] == numbers[1]
    return str(actual) == str(expected)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _ordered(value: Any):
    number = _number(value)
    if number is not None:
        return number
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if value is not None else None


def _count_events(condition: EventCondition, subject: Subject) -> int:
    from ..events.models import Event

    if condition.since == "enrollment":
        since = subject.enrollment.started_at if subject.enrollment else subject.now
    else:
        since = subject.now - timedelta(days=condition.since)
    events = Event.objects.filter(
        contact=subject.contact, type=condition.event_type, occurred_at__gte=since
    ).only("payload")
    if not condition.where:
        return events.count()
    return sum(
        all(
            field_matches(
                where,
                resolve(where.path, Subject(subject.contact, event.payload, {}, subject.now)),
            )
            for where in condition.where
        )
        for event in events.iterator()
    )


def _message_action_happened(condition: MessageCondition, subject: Subject) -> bool:
    from ..messaging.models import Message

    if subject.enrollment is None:
        return False
    messages = Message.objects.filter(enrollment=subject.enrollment)
    if condition.step_key:
        messages = messages.filter(step_key=condition.step_key)
    else:
        messages = messages.order_by("-created_at")[:1]
    # A click proves an open even when the pixel was blocked.
    fields = {
        "sent": ["sent_at"],
        "opened": ["opened_at", "clicked_at"],
        "clicked": ["clicked_at"],
    }
    return any(
        getattr(message, name) is not None
        for message in messages
        for name in fields[condition.action]
    )
