"""``all``, ``any`` and ``not``: rules made of rules."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from .base import RuleKind, Scope, required


@dataclass(frozen=True)
class AllOf:
    items: tuple = ()


@dataclass(frozen=True)
class AnyOf:
    items: tuple = ()


@dataclass(frozen=True)
class NotRule:
    item: Any


def combine(connector: str, parts) -> Q:
    combined = Q()
    for part in parts:
        combined = combined & part if connector == Q.AND else combined | part
    return combined


def _items(spec: Any, path: str, parser) -> tuple:
    if not isinstance(spec, list):
        raise FieldError(path, "Expected a list of rules.")
    if not spec:
        raise required(path, "Give at least one rule.")
    return tuple(parser.child(item, f"{path}[{i}]") for i, item in enumerate(spec))


class AllKind(RuleKind):
    key = "all"
    label = _("All of")
    description = _("Every rule in the list holds.")
    position = 1
    schema = {"type": "array", "items": {"$ref": "#/definitions/rule"}, "minItems": 1}
    scope = Scope.CONTACT
    rule_types = (AllOf,)

    def parse(self, spec, path, parser):
        return AllOf(_items(spec, path, parser))

    def compile(self, rule, compiler):
        return combine(Q.AND, (compiler.compile(item) for item in rule.items))

    def evaluate(self, rule, subject, evaluate):
        return all(evaluate(item, subject) for item in rule.items)

    def children(self, rule):
        return rule.items


class AnyKind(RuleKind):
    key = "any"
    label = _("Any of")
    description = _("At least one rule in the list holds.")
    position = 2
    schema = {"type": "array", "items": {"$ref": "#/definitions/rule"}, "minItems": 1}
    scope = Scope.CONTACT
    rule_types = (AnyOf,)

    def parse(self, spec, path, parser):
        return AnyOf(_items(spec, path, parser))

    def compile(self, rule, compiler):
        """OR; two or more set rules (events, tags, segments) become one ``IN (... UNION ALL)``.

        OR-ed ``EXISTS`` tests every contact against each subquery; a union of contact ids
        is computed once and joined, so the contacts table is not scanned for it. ``ALL``:
        a contact twice in the list is still one match of ``IN``, and without removing
        duplicates first PostgreSQL can compute the parts side by side (Parallel Append).
        """
        id_sets, others = [], []
        for item in rule.items:
            ids = compiler.contact_ids(item)
            if ids is None:
                others.append(item)
            else:
                id_sets.append(ids)
        if len(id_sets) < 2:
            return combine(Q.OR, (compiler.compile(item) for item in rule.items))
        first, *rest = id_sets
        return combine(
            Q.OR,
            [
                compiler.contact_in(first.union(*rest, all=True)),
                *(compiler.compile(item) for item in others),
            ],
        )

    def evaluate(self, rule, subject, evaluate):
        return any(evaluate(item, subject) for item in rule.items)

    def children(self, rule):
        return rule.items


class NotKind(RuleKind):
    key = "not"
    label = _("Not")
    description = _("The rule does not hold.")
    position = 3
    schema = {"$ref": "#/definitions/rule"}
    scope = Scope.CONTACT
    rule_types = (NotRule,)

    def parse(self, spec, path, parser):
        return NotRule(parser.child(spec, path))

    def compile(self, rule, compiler):
        return ~compiler.compile(rule.item)

    def evaluate(self, rule, subject, evaluate):
        return not evaluate(rule.item, subject)

    def children(self, rule):
        return (rule.item,)
