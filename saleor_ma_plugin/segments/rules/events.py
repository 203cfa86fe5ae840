"""``event``: the contact's events, counted, with payload conditions and a time window.

::

    {"event": {"type": "product.viewed", "where": {"category_id": "9"}, "min_count": 3,
               "within_days": 30}}
    {"event": {"type": "order.created", "product_id": "72"}}      # any line of the order
    {"event": {"type": "email.clicked", "where": {"url": {"contains": "/espresso"}}}}
    {"event": {"type": "order.created", "since": "enrollment"}}   # since the run started

``product_id`` / ``category_id`` / ``variant_id`` match the payload's own key or any
element of its ``lines``; shop ids are strings (numbers and Saleor global ids are
converted). Other ``where`` keys compare the top-level payload value as given. Without
``within_days`` or ``since`` every event of the contact counts.

Events past the retention period are removed and counted in daily summaries
(``events.summaries``). A rule whose window may reach back that far (no window, or more
than ``MIN_EVENT_RETENTION_DAYS``) adds the summarized counts when it has no ``where``
conditions and at most one id key (several ids of it only with ``min_count`` 1: summaries
count events per id, so an order naming two of them cannot be counted once); other rules
count the stored events only.

Payload rules use jsonb containment on PostgreSQL (``payload @> ...``, served by the GIN
index of migration 0006), except a top-level ``category_id`` and ``contains`` on a ``url``.
Once every event has its payload columns (``events.columns``, migration 0027), those two
compare the copied columns, read with the event's contact from covering indexes alone
(type, category, time; type, time, URL), which is what keeps a count at ten million events
from visiting each matching event; before that, and for a type with URLs too long for the
index, they compare ``payload -> 'category_id'`` (index of migration 0024) and the
upper-cased ``payload ->> 'url'`` (trigram index of migration 0020). Other databases use
JSON key look-ups and ``json_each`` for order lines, which give the same answers without an
index. One contact is evaluated with the same query, limited to that contact.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connections
from django.db.models import Count, Exists, F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...core.event_retention import MIN_EVENT_RETENTION_DAYS
from ...core.numbers import MAX_DAYS
from ...events.columns import (
    MAX_CATEGORY_BYTES,
    columns_filled,
    has_long_urls,
    url_fits_index,
)
from ...events.models import Event
from ...events.summaries import SummaryMatch, summaries_matching, summarized_count
from .base import RuleKind, Scope, required
from .logic import combine
from .values import EVENT_TYPE, KEY, as_object, integer, non_empty_list, scalar, shop_id

#: Payload keys holding shop ids: matched at the top level and in any order line.
ID_KEYS = {"product_id": "Product", "category_id": "Category", "variant_id": "ProductVariant"}
WHERE_OPERATORS = ("eq", "in", "contains")
KEYS = ("type", "where", "min_count", "within_days", "since", *ID_KEYS)
#: ``since`` accepts only this: the start of the run the rule is evaluated in.
SINCE_RUN = "enrollment"


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
    since_run: bool = False


class EventKind(RuleKind):
    key = "event"
    label = _("Event")
    description = _("The contact had events of a type, at least a number of times.")
    position = 14
    schema = {
        "type": "object",
        "properties": {
            "type": {"type": "string", "pattern": EVENT_TYPE.pattern},
            "where": {"type": "object"},
            "min_count": {"type": "integer", "minimum": 1},
            "within_days": {"type": "integer", "minimum": 1},
            "since": {"type": "string", "enum": [SINCE_RUN]},
            **{key: {"type": ["string", "array"]} for key in ID_KEYS},
        },
        "required": ["type"],
    }
    scope = Scope.CONTACT
    rule_types = (EventRule,)

    def parse(self, spec, path, parser):
        return _parse(spec, path, parser)

    def compile(self, rule, compiler):
        if rule.since_run:
            return super().compile(rule, compiler)
        summaries = summaries_for(rule, compiler.now)
        if summaries is not None:
            return _with_summaries(rule, compiler, summaries)
        if rule.min_count == 1:
            events = matching_events(rule, compiler)
            return Q(Exists(events.filter(contact=compiler.outer_contact())))
        return compiler.contact_in(self.contact_ids(rule, compiler))

    def contact_ids(self, rule, compiler):
        if not rule.since_run and summaries_for(rule, compiler.now) is not None:
            return None  # two sources: compile() combines them
        events = matching_events(rule, compiler).filter(contact__isnull=False)
        if rule.min_count == 1:
            return events.values("contact")
        # One pass over the matching events, grouped: a hash semi-join, not a probe per contact.
        return (
            events.values("contact")
            .annotate(matching=Count("*"))  # not the id: the covering indexes lack it
            .filter(matching__gte=rule.min_count)
            .values("contact")
        )

    def evaluate(self, rule, subject, evaluate):
        from_ = Window(subject.now, connections["default"].vendor)
        events = matching_events(rule, from_).filter(contact=subject.contact)
        since = None
        if rule.since_run:
            since = subject.since or subject.now
            events = events.filter(occurred_at__gte=since)
        summaries = summaries_for(rule, subject.now, since)
        if summaries is not None:
            rows = summaries.rows.filter(contact=subject.contact)
            summaries = SummaryMatch(rows, summaries.counted)
        if rule.min_count == 1:
            return events.exists() or (summaries is not None and summaries.rows.exists())
        count = events.count()
        if summaries is not None and count < rule.min_count:
            count += summarized_count(summaries)
        return count >= rule.min_count


def summaries_for(rule: EventRule, now, since=None) -> SummaryMatch | None:
    """Summaries of removed events the rule counts too; None when it counts stored events only.

    Retention never removes events younger than MIN_EVENT_RETENTION_DAYS, so a shorter
    window finds all its events stored.
    """
    if since is None and rule.within_days is not None:
        if rule.within_days <= MIN_EVENT_RETENTION_DAYS:
            return None
        since = now - timedelta(days=rule.within_days)
    if since is not None and since >= now - timedelta(days=MIN_EVENT_RETENTION_DAYS):
        return None
    if rule.where or len(rule.ids) > 1:
        return None
    if not rule.ids:
        return summaries_matching(rule.event_type, since=since)
    key, ids = rule.ids[0]
    if len(ids) > 1 and rule.min_count > 1:
        return None
    return summaries_matching(rule.event_type, key, ids, since)


def _with_summaries(rule: EventRule, compiler, summaries: SummaryMatch) -> Q:
    """Contacts with at least ``min_count`` events stored and summarized together."""
    events = matching_events(rule, compiler)
    if rule.min_count == 1:
        return Q(Exists(events.filter(contact=compiler.outer_contact()))) | Q(
            Exists(summaries.rows.filter(contact=compiler.outer_contact()))
        )
    # Named columns: how Django names a grouped foreign key is its own business.
    stored = events.filter(contact__isnull=False).values(member=F("contact"))
    counted = summaries.rows.values(member=F("contact"))
    stored, counted = stored.annotate(n=Count("*")), counted.annotate(n=Sum(summaries.counted))
    stored_sql, stored_params = stored.query.sql_with_params()
    counted_sql, counted_params = counted.query.sql_with_params()
    # One grouped pass over both sources: a Django union cannot be grouped again.
    return compiler.contact_in(
        RawSQL(
            f"SELECT member FROM ({stored_sql} UNION ALL {counted_sql}) AS counted "
            "GROUP BY member HAVING SUM(n) >= %s",
            (*stored_params, *counted_params, rule.min_count),
        )
    )


@dataclass(frozen=True)
class Window:
    """What ``matching_events`` needs of a compiler: the time now, and the database."""

    now: Any
    vendor: str

    @property
    def postgres(self) -> bool:
        return self.vendor == "postgresql"


def _parse(spec: Any, path: str, parser) -> EventRule:
    spec = as_object(spec, path, KEYS)
    event_type = spec.get("type")
    if not isinstance(event_type, str) or not EVENT_TYPE.match(event_type):
        raise required(f"{path}.type", "Name the event type.")
    where = spec.get("where") or {}
    if not isinstance(where, dict):
        raise FieldError(f"{path}.where", "Expected an object of payload keys and values.")
    conditions = tuple(
        _payload_condition(key, value, f"{path}.where.{key}") for key, value in where.items()
    )
    ids = []
    for key, type_name in ID_KEYS.items():
        if spec.get(key) is None:
            continue
        raw = spec[key] if isinstance(spec[key], list) else [spec[key]]
        values = non_empty_list(raw, f"{path}.{key}")
        ids.append((key, tuple(shop_id(item, type_name, f"{path}.{key}") for item in values)))
    within = spec.get("within_days")
    since = spec.get("since")
    if since is not None:
        if since != SINCE_RUN:
            raise FieldError(f"{path}.since", f'Use "{SINCE_RUN}" (the start of the run).')
        parser.require(Scope.RUN, f"{path}.since", "Since-the-run event")
        if within is not None:
            raise FieldError(f"{path}.since", "Use either since or within_days.")
    return EventRule(
        event_type=event_type,
        where=conditions,
        ids=tuple(ids),
        min_count=integer(spec.get("min_count", 1), f"{path}.min_count", minimum=1),
        within_days=None
        if within is None
        else integer(within, f"{path}.within_days", 1, MAX_DAYS),
        since_run=since is not None,
    )


def _payload_condition(key: Any, value: Any, path: str) -> PayloadCondition:
    if not isinstance(key, str) or not KEY.match(key) or "__" in key:
        raise FieldError(path, "Payload keys are letters, digits, - and _.")
    if isinstance(value, dict):
        [(op, operand)] = value.items() if len(value) == 1 else [(None, None)]
        if op not in WHERE_OPERATORS:
            raise FieldError(path, f"Use one of {', '.join(WHERE_OPERATORS)} as the only key.")
        if op == "contains" and not (isinstance(operand, str) and operand):
            raise FieldError(f"{path}.contains", "Give the text to look for.")
        value_path = f"{path}.{op}"
    else:
        op, operand, value_path = ("in" if isinstance(value, list) else "eq"), value, path
    if op == "in":
        items = non_empty_list(operand, value_path)
        return PayloadCondition(
            key, op, tuple(_payload_value(key, item, value_path) for item in items)
        )
    if op == "contains":
        return PayloadCondition(key, op, operand)
    return PayloadCondition(key, op, _payload_value(key, operand, value_path))


def _payload_value(key: str, value: Any, path: str):
    if key in ID_KEYS:
        return shop_id(value, ID_KEYS[key], path)
    return scalar(value, path)


@dataclass(frozen=True)
class Reading:
    """How a compiled rule reads payload values: jsonb operators, or the copied columns."""

    postgres: bool
    #: Every event has ``payload_category`` and ``payload_url_upper`` (``events.columns``).
    columns: bool = False
    #: ... and no URL of the rule's type is too long for the index of URLs and times.
    indexed_urls: bool = False


def reading_for(rule: EventRule, postgres: bool) -> Reading:
    if not postgres or not columns_filled():
        return Reading(postgres)
    on_urls = any(item.key == "url" and item.op == "contains" for item in rule.where)
    return Reading(True, True, on_urls and not has_long_urls(rule.event_type))


def matching_events(rule: EventRule, compiler) -> QuerySet:
    """Events of any contact that match the rule's type, window and payload conditions."""
    reading = reading_for(rule, compiler.postgres)
    events = Event.objects.filter(type=rule.event_type)
    if rule.within_days is not None:
        events = events.filter(occurred_at__gte=compiler.now - timedelta(days=rule.within_days))
    for condition in rule.where:
        events = events.filter(payload_condition(condition, reading))
    for key, ids in rule.ids:
        events = events.filter(
            _payload_in(key, ids, reading)
            | _line_has(rule.event_type, key, ids, compiler.postgres)
        )
    return events


class UpperCasedContains(Contains):
    """``icontains`` for a column that holds its text upper-cased already: ``LIKE
    UPPER('%value%')``, the very comparison ``icontains`` makes, without upper-casing every
    row it reads (which took most of a scan's time)."""

    def get_rhs_op(self, connection, rhs):
        return connection.operators["icontains"] % rhs


def payload_condition(condition: PayloadCondition, reading: Reading) -> Q:
    """A ``Q`` over Event: the payload meets one ``where`` condition."""
    key, value = condition.key, condition.value
    if condition.op == "contains":
        if key == "url" and reading.indexed_urls:
            return url_fits_index() & Q(UpperCasedContains(F("payload_url_upper"), value))
        matches = Q(**{f"payload__{key}__icontains": value})
        # Implied (no key, no text), but spelled out: the trigram index of migration 0020
        # is partial on it, and PostgreSQL uses a partial index only for queries that say so.
        return Q(payload__has_key=key) & matches if reading.postgres else matches
    if condition.op == "in":
        if reading.postgres:
            return _payload_in(key, value, reading)
        return Q(**{f"payload__{key}__in": list(value)})
    return _payload_equals(key, value, reading)


def _payload_in(key: str, values: tuple, reading: Reading) -> Q:
    """PostgreSQL: the payload's ``key`` equals one of ``values``."""
    if len(values) > 1 and all(_in_category_column(key, value, reading) for value in values):
        return Q(payload_category__in=values)  # one index condition, where ORs would not be
    return combine(Q.OR, (_payload_equals(key, value, reading) for value in values))


def _in_category_column(key: str, value, reading: Reading) -> bool:
    """The column holds text category ids of at most that length, and only a text id can
    equal a text one."""
    return (
        key == "category_id"
        and reading.columns
        and isinstance(value, str)
        and len(value.encode()) <= MAX_CATEGORY_BYTES
    )


def _payload_equals(key: str, value, reading: Reading) -> Q:
    if not reading.postgres:
        return Q(**{f"payload__{key}__exact": value})
    if _in_category_column(key, value, reading):
        return Q(payload_category=value)
    if key == "category_id" and isinstance(value, str):
        # payload -> key = value: the same answer as @> for a scalar (a value inside an
        # array or object is contained in neither), served by the (type, key, time) index
        # of migration 0024, which is partial on events that have the key.
        return Q(payload__has_key=key) & Q(**{f"payload__{key}__exact": value})
    return Q(payload__contains={key: value})  # jsonb @>, served by the GIN index


def _line_has(event_type: str, key: str, ids: tuple[str, ...], postgres: bool) -> Q:
    """Some element of the payload's ``lines`` has ``key`` equal to one of ``ids``."""
    if postgres:
        return combine(Q.OR, (Q(payload__contains={"lines": [{key: value}]}) for value in ids))
    table = connections["default"].ops.quote_name(Event._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    matching = RawSQL(
        f"SELECT e.id FROM {table} AS e, json_each(e.payload, '$.lines') AS line "
        f"WHERE e.type = %s AND json_extract(line.value, '$.\"{key}\"') IN ({marks})",
        [event_type, *ids],
    )
    return Q(pk__in=matching)
