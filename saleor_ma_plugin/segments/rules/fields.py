"""``field``: a column of the contact, or (in events and runs) a value of the payload or context.

::

    {"field": "orders_count", "op": "gte", "value": 2}              # a contact column
    {"field": "payload.total_gross", "op": "gte", "value": "100"}   # the event's payload
    {"field": "payload.lines.category_id", "op": "eq", "value": "9"}  # any line matches
    {"field": "context.variant", "op": "eq", "value": "b"}          # the run's context

Contact columns are typed: each kind of column has its operators, values are checked when
the rule is saved, and SQL and Python compare them the same way (NULL never matches a
comparison; ``ne`` and ``not_in`` hold for NULL). Payload and context values are whatever
the event carried: numbers compare as numbers when both sides are numeric, else as text.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ...contacts import LifecycleStage
from ...core.errors import FieldError
from ...core.numbers import MAX_DAYS
from .base import RuleKind, Scope, required
from .values import as_object, day, exists_flag, integer, moment, non_empty_list

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
#: Roots of event and run values, and the scope each needs.
DATA_ROOTS = {"payload": Scope.EVENT, "context": Scope.RUN}
DATA_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "exists")
#: Comparisons by operator name, the same for every kind that compares.
ORDERING = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


@dataclass(frozen=True)
class FieldRule:
    """A contact column compared with a checked value."""

    field: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class DataFieldRule:
    """A dotted path into the event's payload or the run's context."""

    path: str
    op: str
    value: Any = None


class FieldKind(RuleKind):
    key = "field"
    label = _("Field")
    description = _("A contact field, or a value of the event or the run, compared with a value.")
    position = 10
    schema = {
        "type": "object",
        "properties": {
            "field": {"type": "string"},
            "op": {"type": "string", "enum": sorted(set(DATA_OPERATORS) | {"within_days"})},
            "value": {},
        },
        "required": ["field"],
    }
    scope = Scope.CONTACT
    rule_types = (FieldRule, DataFieldRule)

    def parse(self, data, path, parser):
        name = data.get("field")
        root = name.split(".")[0] if isinstance(name, str) else ""
        if root in DATA_ROOTS and "." in name:
            parser.require(DATA_ROOTS[root], f"{path}.field", f"{root.capitalize()} field")
            return _data_field(data, path)
        return _contact_field(data, path)

    def compile(self, rule, compiler):
        if isinstance(rule, DataFieldRule):
            return super().compile(rule, compiler)
        op, value = rule.op, rule.value
        name = compiler.column(rule.field)
        if op == "exists":
            present = (
                ~Q(**{name: ""})
                if CONTACT_FIELDS[rule.field] == TEXT
                else Q(**{f"{name}__isnull": False})
            )
            return present if value else ~present
        if op == "within_days":
            return Q(**{f"{name}__gte": compiler.now - timedelta(days=value)})
        if op == "older_than_days":
            return Q(**{f"{name}__lt": compiler.now - timedelta(days=value)})
        if op == "contains":
            return Q(**{f"{name}__icontains": value})
        return compare(name, op, value)

    def evaluate(self, rule, subject, evaluate):
        if isinstance(rule, DataFieldRule):
            return data_matches(rule.op, rule.value, resolve(rule.path, subject))
        return _column_matches(rule, getattr(subject.contact, rule.field), subject.now)


def compare(name: str, op: str, value) -> Q:
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


def _column_matches(rule: FieldRule, actual, now: datetime) -> bool:
    op, value = rule.op, rule.value
    if op == "exists":
        present = (
            actual not in (None, "") if CONTACT_FIELDS[rule.field] == TEXT else actual is not None
        )
        return present == value
    if op in ("ne", "not_in"):
        return actual is None or actual not in (value if op == "not_in" else (value,))
    if actual is None:
        return False
    match op:
        case "eq":
            return actual == value
        case "in":
            return actual in value
        case "contains":
            return value.upper() in actual.upper()  # as SQL's UPPER(...) LIKE UPPER(...)
        case "within_days":
            return actual >= now - timedelta(days=value)
        case "older_than_days":
            return actual < now - timedelta(days=value)
    return ORDERING[op](actual, value)


def _contact_field(data: dict, path: str) -> FieldRule:
    as_object(data, path, ("field", "op", "value"))
    name, op = data.get("field"), data.get("op", "eq")
    kind = CONTACT_FIELDS.get(name) if isinstance(name, str) else None
    if kind is None:
        raise FieldError(f"{path}.field", f"Use one of {', '.join(CONTACT_FIELDS)}.")
    if op not in OPERATORS[kind]:
        raise FieldError(f"{path}.op", f"For {name}, use one of {', '.join(OPERATORS[kind])}.")
    value_path = f"{path}.value"
    if op == "exists":
        return FieldRule(name, op, exists_flag(data, path))
    if "value" not in data:
        raise required(value_path, "Give a value.")
    value = data["value"]
    if op in ("within_days", "older_than_days"):
        return FieldRule(name, op, integer(value, value_path, minimum=1, maximum=MAX_DAYS))
    if op in ("in", "not_in"):
        values = non_empty_list(value, value_path)
        cleaned = tuple(
            _column_value(name, kind, item, f"{value_path}[{i}]") for i, item in enumerate(values)
        )
        return FieldRule(name, op, cleaned)
    if op == "contains":
        if not isinstance(value, str) or not value:
            raise required(value_path, "Give the text to look for.")
        return FieldRule(name, op, value)
    return FieldRule(name, op, _column_value(name, kind, value, value_path))


def _column_value(name: str, kind: str, value: Any, path: str):
    match kind:
        case "text":
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise FieldError(path, "Expected text.")
            text = str(value)
            return text.lower() if name == "email" else text
        case "choice":
            if value not in LifecycleStage.values:
                raise FieldError(path, f"Use one of {', '.join(LifecycleStage.values)}.")
            return value
        case "int":
            return integer(value, path, minimum=-(2**31))
        case "date":
            return day(value, path)
    return moment(value, path)


def _data_field(data: dict, path: str) -> DataFieldRule:
    as_object(data, path, ("field", "op", "value"))
    op = data.get("op", "eq")
    if op not in DATA_OPERATORS:
        raise FieldError(f"{path}.op", f"Use one of {', '.join(DATA_OPERATORS)}.")
    if op in ("in", "not_in") and not isinstance(data.get("value"), list):
        raise FieldError(f"{path}.value", "Expected a list.")
    return DataFieldRule(path=data["field"], op=op, value=data.get("value"))


def resolve(path: str, subject) -> list:
    """All values at a dotted path; lists fan out, so ``payload.lines.sku`` is every sku."""
    root, *parts = path.split(".")
    values: list = [{"payload": subject.payload, "context": subject.context}[root]]
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


def data_matches(op: str, expected: Any, values: Iterable) -> bool:
    """Does any of the values compare true (``ne``/``not_in``: does none equal)?"""
    values = list(values)
    if op == "exists":
        return bool(values) == (expected is not False)
    if op in ("ne", "not_in"):
        return not data_matches("eq" if op == "ne" else "in", expected, values)
    return any(_compare_data(value, op, expected) for value in values)


def _compare_data(actual: Any, op: str, expected: Any) -> bool:
    if op == "contains":
        return str(expected).lower() in str(actual).lower()
    if op == "in":
        return any(_equal(actual, item) for item in expected)
    if op == "eq":
        return _equal(actual, expected)
    left, right = _ordered(actual), _ordered(expected)
    if left is None or right is None or type(left) is not type(right):
        return False
    return ORDERING[op](left, right)


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
