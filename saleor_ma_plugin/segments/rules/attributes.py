"""``attribute``: a custom attribute of the contact (``Contact.attributes``, JSON).

``{"attribute": {"key": "plan", "op": "eq", "value": "pro"}}``. Values compare as JSON
does: ``5`` is not ``"5"``; ordering across types follows PostgreSQL's ``jsonb`` (null <
string < number < boolean < array < object); ``ne`` and ``not_in`` include contacts
without the attribute; ``contains`` looks into the value's text, ignoring case.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from .base import RuleKind, Scope, required
from .fields import ORDERING
from .values import KEY, as_object, exists_flag, non_empty_list, scalar

OPERATORS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "exists")
LOOKUPS = {
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


@dataclass(frozen=True)
class AttributeRule:
    key: str
    op: str
    value: Any = None


class AttributeKind(RuleKind):
    key = "attribute"
    label = _("Attribute")
    description = _("A custom attribute of the contact compared with a value.")
    position = 11
    schema = {
        "type": "object",
        "properties": {
            "key": {"type": "string", "pattern": KEY.pattern},
            "op": {"type": "string", "enum": list(OPERATORS)},
            "value": {},
        },
        "required": ["key"],
    }
    scope = Scope.CONTACT
    rule_types = (AttributeRule,)

    def parse(self, spec, path, parser):
        spec = as_object(spec, path, ("key", "op", "value"))
        key, op = spec.get("key"), spec.get("op", "eq")
        if not isinstance(key, str) or not KEY.match(key) or "__" in key:
            raise required(f"{path}.key", "Name the attribute (letters, digits, - and _).")
        if op not in OPERATORS:
            raise FieldError(f"{path}.op", f"Use one of {', '.join(OPERATORS)}.")
        if op == "exists":
            return AttributeRule(key, op, exists_flag(spec, path))
        if "value" not in spec:
            raise required(f"{path}.value", "Give a value.")
        value = spec["value"]
        if op in ("in", "not_in"):
            values = non_empty_list(value, f"{path}.value")
            return AttributeRule(
                key,
                op,
                tuple(scalar(item, f"{path}.value[{i}]") for i, item in enumerate(values)),
            )
        if op == "contains" and not (isinstance(value, str) and value):
            raise required(f"{path}.value", "Give the text to look for.")
        return AttributeRule(key, op, scalar(value, f"{path}.value"))

    def compile(self, rule, compiler):
        attributes = compiler.column("attributes")
        has_key = Q(**{f"{attributes}__has_key": rule.key})
        if rule.op == "exists":
            return has_key if rule.value else ~has_key
        lookup = LOOKUPS[rule.op]
        operand = list(rule.value) if lookup == "in" else rule.value
        # The explicit lookup keeps keys named like lookups ("contains") keys. Contacts
        # without the key would compare as NULL; has_key keeps the answer true or false.
        matches = has_key & Q(**{f"{attributes}__{rule.key}__{lookup}": operand})
        return ~matches if rule.op in ("ne", "not_in") else matches

    def evaluate(self, rule, subject, evaluate):
        attributes = subject.contact.attributes or {}
        present = rule.key in attributes
        if rule.op == "exists":
            return present == rule.value
        matches = present and _holds(rule.op, attributes[rule.key], rule.value)
        return not matches if rule.op in ("ne", "not_in") else matches


def _holds(op: str, actual: Any, expected: Any) -> bool:
    match op:
        case "eq" | "ne":
            return json_equal(actual, expected)
        case "in" | "not_in":
            return any(json_equal(actual, item) for item in expected)
        case "contains":
            text = actual if isinstance(actual, str) else json.dumps(actual)
            return expected.upper() in text.upper()
    return ORDERING[op](_order(actual), _order(expected))


def json_equal(left: Any, right: Any) -> bool:
    """Equality of two JSON values (``true`` is not ``1``; ``1`` is ``1.0``)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return Decimal(str(left)) == Decimal(str(right))
    return type(left) is type(right) and left == right


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _order(value: Any) -> tuple:
    """A sort key with ``jsonb``'s order of types."""
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (1, value)
    if isinstance(value, bool):
        return (3, value)
    if _is_number(value):
        return (2, Decimal(str(value)))
    return (4, 0) if isinstance(value, list) else (5, 0)
