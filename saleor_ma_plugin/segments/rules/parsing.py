"""Reading a JSON rule tree into frozen dataclasses, once, for one scope."""

from typing import Any

from .base import Parser, RuleKind, Scope, kind_of
from .logic import AllOf
from .membership import SegmentRule


def parse_rules(data: Any, path: str = "rules", scope: Scope = Scope.CONTACT) -> Any:
    """Validate a JSON rule tree; raise FieldError naming the first bad part.

    An empty tree (``{}`` or ``{"all": []}``) matches every contact.
    """
    if data in (None, {}, {"all": []}):
        return AllOf()
    return Parser(scope).parse(data, path)


def as_rule(rules: Any, scope: Scope = Scope.CONTACT) -> Any:
    """A parsed tree as it is, or JSON parsed for ``scope``."""
    if type(rules) in RuleKind.by_rule_type:
        return rules
    return parse_rules(rules, scope=scope)


def walk(rule: Any):
    """The rule and every rule nested in it."""
    yield rule
    for child in kind_of(rule).children(rule):
        yield from walk(child)


def referenced_segments(rule: Any) -> set[int]:
    """Ids of the segments whose membership the tree tests."""
    return {item.segment_id for item in walk(rule) if isinstance(item, SegmentRule)}
