"""Segment rules: a JSON tree, parsed once into frozen dataclasses, compiled to one SQL query.

::

    {"all": [...]} / {"any": [...]} / {"not": {...}}
    {"field": "orders_count", "op": "gte", "value": 2}           # a column of the contact
    {"attribute": {"key": "plan", "op": "eq", "value": "pro"}}    # Contact.attributes
    {"tag": "coffee"}
    {"consent": {"channel": "email", "topic": "", "status": "subscribed"}}
    {"rfm": {"recency_days_max": 30, "frequency_min": 3, "monetary_min": "100",
             "currency": "EUR"}}
    {"event": {"type": "product.viewed", "where": {"category_id": "9"}, "min_count": 3,
               "within_days": 30}}
    {"event": {"type": "order.created", "product_id": "72"}}      # any line of the order
    {"event": {"type": "email.clicked", "where": {"url": {"contains": "/espresso"}}}}
    {"segment": 12}                                              # stored membership
    {"score": {"gte": 50}}                                       # lead score

``compile_rules`` turns a parsed tree into a Django ``Q`` over ``Contact``: columns of the
contact, and ``EXISTS`` / ``IN`` subqueries on events, tags, consents, revenues and segment
memberships ("any" of several event, tag or segment rules is one ``IN (... UNION ...)``).
``segment_contacts`` is therefore one query however deep the tree is; no rule loops over
contacts in Python. Erased contacts are never in a segment. ``count_contacts`` (the live
count) runs it with ``tune_for_segments``: no JIT compilation, enough ``work_mem``.

Event payload rules use jsonb containment on PostgreSQL (``payload @> ...``, served by the
GIN index of migration 0006); other databases (SQLite in the standalone host) use JSON key
look-ups and ``json_each`` for order lines, which give the same answers without an index.

Semantics worth knowing:

* ``rfm`` recency is days since ``last_order_at``, frequency is ``orders_count`` (all
  currencies), monetary is the total of one currency (``ContactRevenue``); a contact without
  orders in that currency has spent 0.
* ``event`` ``product_id`` / ``category_id`` / ``variant_id`` match the payload's own key or
  any element of its ``lines``; shop ids are strings (numbers and Saleor global ids are
  converted). Other ``where`` keys compare the top-level payload value as given.
* ``attribute`` ``ne`` / ``not_in`` include contacts without the attribute.
* ``consent`` status ``unsubscribed`` means "not subscribed" (including never asked).
* ``segment`` tests the other segment's stored membership, as of its last refresh.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ..campaigns.errors import FlowError, FlowErrorCode
from ..contacts import GENERAL_TOPIC, ConsentChannel, ConsentStatus, LifecycleStage
from ..contacts.models import Consent, Contact, ContactRevenue, ContactTag
from ..events.models import Event
from .models import SegmentMembership

#: A tree larger or deeper than this is refused: it would make an unreasonable query.
MAX_RULES = 100
MAX_DEPTH = 8
MAX_LIST = 500

TEXT, CHOICE, INTEGER, DATE, DATETIME = "text", "choice", "int", "date", "datetime"
#: Contact columns a ``field`` rule may test, and their kind.
CONTACT_FIELDS = {
    "email": TEXT,
    "first_name": TEXT,
    "last_name": TEXT,
    "language_code": TEXT,
    "country": TEXT,
    "timezone": TEXT,
    "phone": TEXT,
    "saleor_user_id": TEXT,
    "lifecycle_stage": CHOICE,
    "orders_count": INTEGER,
    "lead_score": INTEGER,
    "birthday": DATE,
    "first_order_at": DATETIME,
    "last_order_at": DATETIME,
    "last_seen_at": DATETIME,
    "created_at": DATETIME,
}
OPERATORS = {
    TEXT: ("eq", "ne", "in", "not_in", "contains", "exists"),
    CHOICE: ("eq", "ne", "in", "not_in"),
    INTEGER: ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in"),
    DATE: ("eq", "gt", "gte", "lt", "lte", "exists"),
    DATETIME: ("gt", "gte", "lt", "lte", "within_days", "older_than_days", "exists"),
}
ATTRIBUTE_OPERATORS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "exists")
SCORE_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte")
WHERE_OPERATORS = ("eq", "in", "contains")
ATTRIBUTE_LOOKUPS = {
    "eq": "exact",
    "ne": "exact",
    "in": "in",
    "not_in": "in",
    "gt": "gt",
    "gte": "gte",
    "lt": "lt",
    "lte": "lte",
    "contains": "icontains",
}
#: Payload keys holding shop ids: matched at the top level and in any order line.
ID_KEYS = {"product_id": "Product", "category_id": "Category", "variant_id": "ProductVariant"}
RFM_KEYS = (
    "recency_days_min",
    "recency_days_max",
    "frequency_min",
    "frequency_max",
    "monetary_min",
    "monetary_max",
    "currency",
)
EVENT_KEYS = ("type", "where", "min_count", "within_days", *ID_KEYS)
CONSENT_KEYS = ("channel", "topic", "status")
ATTRIBUTE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
PAYLOAD_KEY = ATTRIBUTE_KEY
EVENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
TOPIC = re.compile(r"^[-a-zA-Z0-9_]{0,64}$")


# --------------------------------------------------------------------------------------------
# The parsed tree


@dataclass(frozen=True)
class AllOf:
    items: tuple = ()


@dataclass(frozen=True)
class AnyOf:
    items: tuple = ()


@dataclass(frozen=True)
class NotRule:
    item: Any


@dataclass(frozen=True)
class FieldRule:
    field: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class AttributeRule:
    key: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class TagRule:
    name: str


@dataclass(frozen=True)
class ConsentRule:
    channel: str
    topic: str = GENERAL_TOPIC
    status: str = ConsentStatus.SUBSCRIBED


@dataclass(frozen=True)
class RfmRule:
    recency_days_min: int | None = None
    recency_days_max: int | None = None
    frequency_min: int | None = None
    frequency_max: int | None = None
    monetary_min: Decimal | None = None
    monetary_max: Decimal | None = None
    currency: str = ""


@dataclass(frozen=True)
class PayloadCondition:
    key: str
    op: str
    value: Any


@dataclass(frozen=True)
class EventRule:
    event_type: str
    where: tuple[PayloadCondition, ...] = ()
    #: (key, ids): the payload's key, or that key of any order line, is one of ``ids``.
    ids: tuple[tuple[str, tuple[str, ...]], ...] = ()
    min_count: int = 1
    within_days: int | None = None


@dataclass(frozen=True)
class SegmentRule:
    segment_id: int


@dataclass(frozen=True)
class ScoreRule:
    comparisons: tuple[tuple[str, int], ...]


Rule = (
    AllOf
    | AnyOf
    | NotRule
    | FieldRule
    | AttributeRule
    | TagRule
    | ConsentRule
    | RfmRule
    | EventRule
    | SegmentRule
    | ScoreRule
)


# --------------------------------------------------------------------------------------------
# Parsing


def parse_rules(data: Any, path: str = "rules") -> Rule:
    """Validate a JSON rule tree; raise FlowError naming the first bad part.

    An empty tree (``{}`` or ``{"all": []}``) matches every contact.
    """
    if data in (None, {}, {"all": []}):
        return AllOf()
    return _Parser().parse(data, path, 1)


class _Parser:
    def __init__(self) -> None:
        self.count = 0

    def parse(self, data: Any, path: str, depth: int) -> Rule:
        self.count += 1
        if self.count > MAX_RULES:
            raise FlowError(path, f"Use at most {MAX_RULES} rules in one segment.")
        if depth > MAX_DEPTH:
            raise FlowError(path, f"Nest rules at most {MAX_DEPTH} levels deep.")
        if not isinstance(data, dict) or not data:
            raise FlowError(path, "A rule is an object with one operator key.")
        if "field" in data:
            return _field_rule(data, path)
        if len(data) != 1:
            raise FlowError(path, "A rule is an object with one operator key.")
        [(key, spec)] = data.items()
        match key:
            case "all" | "any":
                if not isinstance(spec, list):
                    raise FlowError(f"{path}.{key}", "Expected a list of rules.")
                if not spec:
                    raise FlowError(
                        f"{path}.{key}", "Give at least one rule.", FlowErrorCode.REQUIRED
                    )
                items = tuple(
                    self.parse(item, f"{path}.{key}[{i}]", depth + 1)
                    for i, item in enumerate(spec)
                )
                return AllOf(items) if key == "all" else AnyOf(items)
            case "not":
                return NotRule(self.parse(spec, f"{path}.not", depth + 1))
            case "attribute":
                return _attribute_rule(spec, f"{path}.attribute")
            case "tag":
                if not isinstance(spec, str) or not spec.strip():
                    raise FlowError(f"{path}.tag", "Name a tag.", FlowErrorCode.REQUIRED)
                return TagRule(spec.strip())
            case "consent":
                return _consent_rule(spec, f"{path}.consent")
            case "rfm":
                return _rfm_rule(spec, f"{path}.rfm")
            case "event":
                return _event_rule(spec, f"{path}.event")
            case "segment":
                return SegmentRule(_integer(spec, f"{path}.segment", minimum=1))
            case "score":
                return _score_rule(spec, f"{path}.score")
        raise FlowError(path, f"Unknown rule {key!r}.")


def _object(spec: Any, path: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(spec, dict):
        raise FlowError(path, "Expected an object.")
    unknown = sorted(set(spec) - set(allowed))
    if unknown:
        raise FlowError(f"{path}.{unknown[0]}", f"Unknown key; use {', '.join(allowed)}.")
    return spec


def _integer(value: Any, path: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FlowError(path, "Enter a whole number.")
    try:
        number = int(value)
    except ValueError:
        raise FlowError(path, "Enter a whole number.") from None
    if number < minimum:
        raise FlowError(path, f"Enter a whole number of at least {minimum}.")
    return number


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FlowError(path, "Enter an amount.")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise FlowError(path, "Enter an amount.") from None
    if not amount.is_finite() or amount < 0:
        raise FlowError(path, "Enter an amount of 0 or more.")
    return amount


def _list(value: Any, path: str) -> list:
    if not isinstance(value, list) or not value:
        raise FlowError(path, "Expected a non-empty list.")
    if len(value) > MAX_LIST:
        raise FlowError(path, f"Use at most {MAX_LIST} values.")
    return value


def _scalar(value: Any, path: str) -> str | int | float | bool:
    if not isinstance(value, str | int | float | bool):
        raise FlowError(path, "Expected a string, number or boolean.")
    return value


def _datetime(value: Any, path: str) -> datetime:
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time.min)
        if parsed is not None:
            return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
    raise FlowError(path, "Use an ISO 8601 date or date and time.")


def _date(value: Any, path: str) -> date:
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise FlowError(path, "Use an ISO 8601 date (YYYY-MM-DD).")
    return parsed


def _exists_flag(data: dict, path: str) -> bool:
    value = data.get("value", True)
    if not isinstance(value, bool):
        raise FlowError(f"{path}.value", "Use true or false.")
    return value


def _field_rule(data: dict, path: str) -> FieldRule:
    _object(data, path, ("field", "op", "value"))
    name, op = data.get("field"), data.get("op", "eq")
    kind = CONTACT_FIELDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise FlowError(f"{path}.field", f"Use one of {', '.join(CONTACT_FIELDS)}.")
    if op not in OPERATORS[kind]:
        raise FlowError(f"{path}.op", f"For {name}, use one of {', '.join(OPERATORS[kind])}.")
    value_path = f"{path}.value"
    if op == "exists":
        return FieldRule(name, op, _exists_flag(data, path))
    if "value" not in data:
        raise FlowError(value_path, "Give a value.", FlowErrorCode.REQUIRED)
    value = data["value"]
    if op in ("within_days", "older_than_days"):
        return FieldRule(name, op, _integer(value, value_path, minimum=1))
    if op in ("in", "not_in"):
        values = _list(value, value_path)
        cleaned = tuple(
            _field_value(name, kind, item, f"{value_path}[{i}]") for i, item in enumerate(values)
        )
        return FieldRule(name, op, cleaned)
    if op == "contains":
        if not isinstance(value, str) or not value:
            raise FlowError(value_path, "Give the text to look for.", FlowErrorCode.REQUIRED)
        return FieldRule(name, op, value)
    return FieldRule(name, op, _field_value(name, kind, value, value_path))


def _field_value(name: str, kind: str, value: Any, path: str):
    match kind:
        case "text":
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise FlowError(path, "Expected text.")
            text = str(value)
            return text.lower() if name == "email" else text
        case "choice":
            if value not in LifecycleStage.values:
                raise FlowError(path, f"Use one of {', '.join(LifecycleStage.values)}.")
            return value
        case "int":
            return _integer(value, path, minimum=-(2**31))
        case "date":
            return _date(value, path)
    return _datetime(value, path)


def _attribute_rule(spec: Any, path: str) -> AttributeRule:
    spec = _object(spec, path, ("key", "op", "value"))
    key, op = spec.get("key"), spec.get("op", "eq")
    if not isinstance(key, str) or not ATTRIBUTE_KEY.match(key) or "__" in key:
        raise FlowError(
            f"{path}.key", "Name the attribute (letters, digits, - and _).", FlowErrorCode.REQUIRED
        )
    if op not in ATTRIBUTE_OPERATORS:
        raise FlowError(f"{path}.op", f"Use one of {', '.join(ATTRIBUTE_OPERATORS)}.")
    if op == "exists":
        return AttributeRule(key, op, _exists_flag(spec, path))
    if "value" not in spec:
        raise FlowError(f"{path}.value", "Give a value.", FlowErrorCode.REQUIRED)
    value = spec["value"]
    if op in ("in", "not_in"):
        values = _list(value, f"{path}.value")
        return AttributeRule(
            key,
            op,
            tuple(_scalar(item, f"{path}.value[{i}]") for i, item in enumerate(values)),
        )
    if op == "contains" and not (isinstance(value, str) and value):
        raise FlowError(f"{path}.value", "Give the text to look for.", FlowErrorCode.REQUIRED)
    return AttributeRule(key, op, _scalar(value, f"{path}.value"))


def _consent_rule(spec: Any, path: str) -> ConsentRule:
    spec = _object(spec, path, CONSENT_KEYS)
    channel = spec.get("channel", ConsentChannel.EMAIL)
    if channel not in ConsentChannel.values:
        raise FlowError(f"{path}.channel", f"Use one of {', '.join(ConsentChannel.values)}.")
    topic = spec.get("topic", GENERAL_TOPIC)
    if not isinstance(topic, str) or not TOPIC.match(topic):
        raise FlowError(f"{path}.topic", "Use a newsletter topic slug, or empty for the channel.")
    status = spec.get("status", ConsentStatus.SUBSCRIBED)
    if status not in ConsentStatus.values:
        raise FlowError(f"{path}.status", f"Use one of {', '.join(ConsentStatus.values)}.")
    return ConsentRule(channel, topic, status)


def _rfm_rule(spec: Any, path: str) -> RfmRule:
    spec = _object(spec, path, RFM_KEYS)
    values: dict[str, Any] = {}
    for name in RFM_KEYS[:4]:
        if spec.get(name) is not None:
            values[name] = _integer(spec[name], f"{path}.{name}")
    for name in ("monetary_min", "monetary_max"):
        if spec.get(name) is not None:
            values[name] = _decimal(spec[name], f"{path}.{name}")
    if not values:
        raise FlowError(
            path, "Give recency, frequency or monetary bounds.", FlowErrorCode.REQUIRED
        )
    currency = spec.get("currency", "")
    if "monetary_min" in values or "monetary_max" in values:
        if not isinstance(currency, str) or not CURRENCY.match(currency):
            raise FlowError(
                f"{path}.currency",
                "Amounts need their currency (ISO 4217, e.g. EUR).",
                FlowErrorCode.REQUIRED,
            )
    elif currency:
        raise FlowError(f"{path}.currency", "A currency only goes with monetary bounds.")
    for low, high in (
        ("recency_days_min", "recency_days_max"),
        ("frequency_min", "frequency_max"),
        ("monetary_min", "monetary_max"),
    ):
        if low in values and high in values and values[low] > values[high]:
            raise FlowError(f"{path}.{high}", f"Must not be less than {low}.")
    return RfmRule(**values, currency=currency)


def _shop_id(value: Any, type_name: str, path: str) -> str:
    """A shop id as events store it: a string; Saleor global ids are decoded."""
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
        raise FlowError(path, "Give the shop's id.")
    text = str(value)
    try:
        decoded = base64.b64decode(text, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return text
    kind, _, pk = decoded.partition(":")
    return pk if kind == type_name and pk else text


def _event_rule(spec: Any, path: str) -> EventRule:
    spec = _object(spec, path, EVENT_KEYS)
    event_type = spec.get("type")
    if not isinstance(event_type, str) or not EVENT_TYPE.match(event_type):
        raise FlowError(f"{path}.type", "Name the event type.", FlowErrorCode.REQUIRED)
    where = spec.get("where") or {}
    if not isinstance(where, dict):
        raise FlowError(f"{path}.where", "Expected an object of payload keys and values.")
    conditions = tuple(
        _payload_condition(key, value, f"{path}.where.{key}") for key, value in where.items()
    )
    ids = []
    for key, type_name in ID_KEYS.items():
        if spec.get(key) is None:
            continue
        raw = spec[key] if isinstance(spec[key], list) else [spec[key]]
        values = _list(raw, f"{path}.{key}")
        ids.append((key, tuple(_shop_id(item, type_name, f"{path}.{key}") for item in values)))
    within = spec.get("within_days")
    return EventRule(
        event_type=event_type,
        where=conditions,
        ids=tuple(ids),
        min_count=_integer(spec.get("min_count", 1), f"{path}.min_count", minimum=1),
        within_days=None if within is None else _integer(within, f"{path}.within_days", 1),
    )


def _payload_condition(key: Any, value: Any, path: str) -> PayloadCondition:
    if not isinstance(key, str) or not PAYLOAD_KEY.match(key) or "__" in key:
        raise FlowError(path, "Payload keys are letters, digits, - and _.")
    if isinstance(value, dict):
        [(op, operand)] = value.items() if len(value) == 1 else [(None, None)]
        if op not in WHERE_OPERATORS:
            raise FlowError(path, f"Use one of {', '.join(WHERE_OPERATORS)} as the only key.")
        if op == "contains" and not (isinstance(operand, str) and operand):
            raise FlowError(f"{path}.contains", "Give the text to look for.")
        value_path = f"{path}.{op}"
    else:
        op, operand, value_path = ("in" if isinstance(value, list) else "eq"), value, path
    if op == "in":
        items = _list(operand, value_path)
        return PayloadCondition(
            key, op, tuple(_payload_value(key, item, value_path) for item in items)
        )
    if op == "contains":
        return PayloadCondition(key, op, operand)
    return PayloadCondition(key, op, _payload_value(key, operand, value_path))


def _payload_value(key: str, value: Any, path: str):
    if key in ID_KEYS:
        return _shop_id(value, ID_KEYS[key], path)
    return _scalar(value, path)


def _score_rule(spec: Any, path: str) -> ScoreRule:
    spec = _object(spec, path, SCORE_OPERATORS)
    if not spec:
        raise FlowError(path, f"Use {', '.join(SCORE_OPERATORS)}.", FlowErrorCode.REQUIRED)
    return ScoreRule(
        tuple(
            (op, _integer(value, f"{path}.{op}", minimum=-(2**31)))
            for op, value in sorted(spec.items())
        )
    )


def referenced_segments(rule: Rule) -> set[int]:
    """Ids of the segments whose membership the tree tests."""
    match rule:
        case AllOf(items) | AnyOf(items):
            return set().union(*(referenced_segments(item) for item in items))
        case NotRule(item):
            return referenced_segments(item)
        case SegmentRule(segment_id):
            return {segment_id}
    return set()


# --------------------------------------------------------------------------------------------
# Compiling


def compile_rules(rule: Rule, *, now: datetime, vendor: str) -> Q:
    """A ``Q`` over Contact equivalent to the tree; ``vendor`` picks the JSON operators."""
    return _Compiler(now, vendor).compile(rule)


def segment_contacts(
    rules: Rule | dict | None, now: datetime | None = None, using: str = "default"
) -> QuerySet[Contact]:
    """The contacts matching ``rules`` now: one query, erased contacts excluded."""
    rule = rules if isinstance(rules, Rule) else parse_rules(rules)
    condition = compile_rules(rule, now=now or timezone.now(), vendor=connections[using].vendor)
    return Contact.objects.using(using).filter(erased_at__isnull=True).filter(condition)


def count_contacts(rules: Rule | dict | None, now: datetime | None = None) -> int:
    """The live count: how many contacts match ``rules`` right now."""
    with transaction.atomic():
        tune_for_segments()
        return segment_contacts(rules, now).count()


#: Memory a segment query may use per sort or hash in its transaction (PostgreSQL).
SEGMENT_WORK_MEM = "64MB"


def tune_for_segments(using: str = "default") -> None:
    """Settings for segment queries, for the rest of the current transaction (PostgreSQL).

    JIT compilation off: a query over a large contacts table is costed high enough to be
    compiled with inlining and optimization, which takes longer (0.3 s and more) than the
    query's index and hash look-ups themselves. ``work_mem`` raised to SEGMENT_WORK_MEM if
    lower: below it, bitmaps over a month of events turn lossy (every row re-checked) and
    the planner stops hashing ``IN`` subqueries.
    """
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('jit', 'off', true), CASE WHEN "
                "pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%s) "
                "THEN set_config('work_mem', %s, true) END",
                [SEGMENT_WORK_MEM, SEGMENT_WORK_MEM],
            )


class _Compiler:
    def __init__(self, now: datetime, vendor: str) -> None:
        self.now, self.postgres = now, vendor == "postgresql"

    def compile(self, rule: Rule) -> Q:
        match rule:
            case AllOf(items):
                return _combine(Q.AND, (self.compile(item) for item in items))
            case AnyOf(items):
                return self.any_of(items)
            case NotRule(item):
                return ~self.compile(item)
            case FieldRule():
                return self.field(rule)
            case AttributeRule():
                return self.attribute(rule)
            case TagRule(name):
                return Q(Exists(ContactTag.objects.filter(contact=OuterRef("pk"), name=name)))
            case ConsentRule():
                return self.consent(rule)
            case RfmRule():
                return self.rfm(rule)
            case EventRule():
                return self.event(rule)
            case SegmentRule(segment_id):
                return Q(
                    Exists(
                        SegmentMembership.objects.filter(
                            segment_id=segment_id, contact=OuterRef("pk")
                        )
                    )
                )
            case ScoreRule(comparisons):
                return _combine(
                    Q.AND, (_compare("lead_score", op, value) for op, value in comparisons)
                )
        raise TypeError(rule)

    def any_of(self, items: tuple) -> Q:
        """OR; two or more set rules (events, tags, segments) become one ``IN (... UNION ...)``.

        OR-ed ``EXISTS`` tests every contact against each subquery; a union of contact ids
        is computed once and joined, so the contacts table is not scanned for it.
        """
        id_sets, others = [], []
        for item in items:
            ids = self.contact_ids(item)
            if ids is None:
                others.append(item)
            else:
                id_sets.append(ids)
        if len(id_sets) < 2:
            return _combine(Q.OR, (self.compile(item) for item in items))
        first, *rest = id_sets
        return _combine(
            Q.OR, [Q(pk__in=first.union(*rest)), *(self.compile(item) for item in others)]
        )

    def contact_ids(self, rule: Rule) -> QuerySet | None:
        """The ids of the contacts a set rule matches, as a subquery; None for other rules."""
        match rule:
            case TagRule(name):
                return ContactTag.objects.filter(name=name).values("contact")
            case SegmentRule(segment_id):
                return SegmentMembership.objects.filter(segment_id=segment_id).values("contact")
            case EventRule():
                return self.event_contact_ids(rule)
        return None

    def field(self, rule: FieldRule) -> Q:
        name, op, value = rule.field, rule.op, rule.value
        if op == "exists":
            if CONTACT_FIELDS[name] == TEXT:
                present = ~Q(**{name: ""})
            else:
                present = Q(**{f"{name}__isnull": False})
            return present if value else ~present
        if op == "within_days":
            return Q(**{f"{name}__gte": self.now - timedelta(days=value)})
        if op == "older_than_days":
            return Q(**{f"{name}__lt": self.now - timedelta(days=value)})
        if op == "contains":
            return Q(**{f"{name}__icontains": value})
        return _compare(name, op, value)

    def attribute(self, rule: AttributeRule) -> Q:
        has_key = Q(attributes__has_key=rule.key)
        if rule.op == "exists":
            return has_key if rule.value else ~has_key
        lookup = ATTRIBUTE_LOOKUPS[rule.op]
        operand = list(rule.value) if lookup == "in" else rule.value
        # The explicit lookup keeps keys named like lookups ("contains") keys. Contacts
        # without the key would compare as NULL; has_key keeps the answer true or false.
        matches = has_key & Q(**{f"attributes__{rule.key}__{lookup}": operand})
        return ~matches if rule.op in ("ne", "not_in") else matches

    def consent(self, rule: ConsentRule) -> Q:
        def having(status: str, topic: str) -> Q:
            return Q(
                Exists(
                    Consent.objects.filter(
                        contact=OuterRef("pk"), channel=rule.channel, topic=topic, status=status
                    )
                )
            )

        if rule.status == ConsentStatus.PENDING:
            return having(ConsentStatus.PENDING, rule.topic)
        # Subscribed to a topic means subscribed to the channel too, as sending requires.
        subscribed = having(ConsentStatus.SUBSCRIBED, GENERAL_TOPIC)
        if rule.topic:
            subscribed &= having(ConsentStatus.SUBSCRIBED, rule.topic)
        return subscribed if rule.status == ConsentStatus.SUBSCRIBED else ~subscribed

    def rfm(self, rule: RfmRule) -> Q:
        parts = []
        if rule.recency_days_max is not None:
            since = self.now - timedelta(days=rule.recency_days_max)
            parts.append(Q(last_order_at__gte=since))
        if rule.recency_days_min is not None:
            parts.append(Q(last_order_at__lte=self.now - timedelta(days=rule.recency_days_min)))
        if rule.frequency_min is not None:
            parts.append(Q(orders_count__gte=rule.frequency_min))
        if rule.frequency_max is not None:
            parts.append(Q(orders_count__lte=rule.frequency_max))
        if rule.monetary_min is not None or rule.monetary_max is not None:
            parts.append(self.monetary(rule))
        return _combine(Q.AND, parts)

    @staticmethod
    def monetary(rule: RfmRule) -> Q:
        revenues = ContactRevenue.objects.filter(contact=OuterRef("pk"), currency=rule.currency)
        low, high = rule.monetary_min or Decimal(0), rule.monetary_max
        if low > 0:
            in_range = {"total_gross__gte": low}
            if high is not None:
                in_range["total_gross__lte"] = high
            return Q(Exists(revenues.filter(**in_range)))
        # 0 is in range: no revenue row (never bought in that currency) counts as 0.
        return ~Q(Exists(revenues.filter(total_gross__gt=high)))

    def event(self, rule: EventRule) -> Q:
        if rule.min_count == 1:
            return Q(Exists(self.matching_events(rule).filter(contact=OuterRef("pk"))))
        return Q(pk__in=self.event_contact_ids(rule))

    def event_contact_ids(self, rule: EventRule) -> QuerySet:
        events = self.matching_events(rule).filter(contact__isnull=False)
        if rule.min_count == 1:
            return events.values("contact")
        # One pass over the matching events, grouped: a hash semi-join, not a probe per contact.
        return (
            events.values("contact")
            .annotate(matching=Count("pk"))
            .filter(matching__gte=rule.min_count)
            .values("contact")
        )

    def matching_events(self, rule: EventRule) -> QuerySet:
        events = Event.objects.filter(type=rule.event_type)
        if rule.within_days is not None:
            events = events.filter(occurred_at__gte=self.now - timedelta(days=rule.within_days))
        for condition in rule.where:
            events = events.filter(self.payload_condition(condition))
        for key, ids in rule.ids:
            events = events.filter(
                _combine(Q.OR, (self.payload_equals(key, value) for value in ids))
                | self.line_has(rule.event_type, key, ids)
            )
        return events

    def payload_condition(self, condition: PayloadCondition) -> Q:
        key, value = condition.key, condition.value
        if condition.op == "contains":
            return Q(**{f"payload__{key}__icontains": value})
        if condition.op == "in":
            if self.postgres:
                return _combine(Q.OR, (self.payload_equals(key, item) for item in value))
            return Q(**{f"payload__{key}__in": list(value)})
        return self.payload_equals(key, value)

    def payload_equals(self, key: str, value) -> Q:
        if self.postgres:
            return Q(payload__contains={key: value})  # jsonb @>, served by the GIN index
        return Q(**{f"payload__{key}__exact": value})

    def line_has(self, event_type: str, key: str, ids: tuple[str, ...]) -> Q:
        """Some element of the payload's ``lines`` has ``key`` equal to one of ``ids``."""
        if self.postgres:
            return _combine(
                Q.OR, (Q(payload__contains={"lines": [{key: value}]}) for value in ids)
            )
        table = connections["default"].ops.quote_name(Event._meta.db_table)
        marks = ", ".join(["%s"] * len(ids))
        matching = RawSQL(
            f"SELECT e.id FROM {table} AS e, json_each(e.payload, '$.lines') AS line "
            f"WHERE e.type = %s AND json_extract(line.value, '$.\"{key}\"') IN ({marks})",
            [event_type, *ids],
        )
        return Q(pk__in=matching)


def _combine(connector: str, parts) -> Q:
    combined = Q()
    for part in parts:
        combined = combined & part if connector == Q.AND else combined | part
    return combined


def _compare(name: str, op: str, value) -> Q:
    match op:
        case "eq":
            return Q(**{name: value})
        case "ne":
            return ~Q(**{name: value})
        case "in":
            return Q(**{f"{name}__in": list(value)})
        case "not_in":
            return ~Q(**{f"{name}__in": list(value)})
    return Q(**{f"{name}__{op}": value})


def describe_sql(rules: Rule | dict | None) -> str:
    """The SQL of a segment's query, for debugging and EXPLAIN."""
    return str(segment_contacts(rules).values("pk").query)
