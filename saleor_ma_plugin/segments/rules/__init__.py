"""The one rule language: segments, audiences, trigger and goal filters, branches, exits.

A rule is a JSON tree, parsed once for a scope into frozen dataclasses::

    {"all": [...]} / {"any": [...]} / {"not": {...}}
    {"field": "orders_count", "op": "gte", "value": 2}            # a contact column
    {"attribute": {"key": "plan", "op": "eq", "value": "pro"}}    # Contact.attributes
    {"tag": "coffee"}
    {"consent": {"channel": "email", "topic": "", "status": "subscribed"}}
    {"rfm": {"recency_days_max": 30, "frequency_min": 3}}
    {"event": {"type": "product.viewed", "where": {"category_id": "9"}, "min_count": 3,
               "within_days": 30}}
    {"segment": 12}                                              # stored membership
    {"score": {"gte": 50}}                                       # lead score
    {"field": "payload.total_gross", "op": "gte", "value": "50"}  # events and runs
    {"field": "context.variant", "op": "eq", "value": "b"}        # runs
    {"message": {"step": "reminder", "action": "clicked"}}        # runs
    {"event": {"type": "order.created", "since": "enrollment"}}   # runs

Every kind is one module here (``RuleKind``): how it is validated, compiled to SQL for a
set of contacts (``segment_contacts``) and evaluated for one contact (``evaluate``).
``Scope`` says which kinds a place accepts: segments and audiences only what SQL can decide
for a set of contacts; events add their payload; runs add their context and messages.
"""

import sys

from ...core.registry import import_modules_of
from .base import MAX_DEPTH, MAX_RULES, RuleKind, Scope, Subject

import_modules_of(sys.modules[__name__])

from .compiler import (  # noqa: E402  (after the kinds are registered)
    SEGMENT_RANDOM_PAGE_COST,
    SEGMENT_WORK_MEM,
    compile_rules,
    count_contacts,
    describe_sql,
    matching_contact_ids,
    sample_contacts,
    segment_contacts,
    tune_for_segments,
)
from .evaluation import contact_matches, evaluate  # noqa: E402
from .legacy import parse_audience, parse_condition, upgrade_audience, upgrade_condition  # noqa: E402
from .logic import AllOf, AnyOf, NotRule  # noqa: E402
from .parsing import as_rule, parse_rules, referenced_segments, walk  # noqa: E402


def rule_kinds() -> list[RuleKind]:
    """Every kind, in the order forms and docs list them."""
    return sorted(RuleKind.registry.values(), key=lambda kind: kind.position)


__all__ = [
    "MAX_DEPTH",
    "MAX_RULES",
    "SEGMENT_RANDOM_PAGE_COST",
    "SEGMENT_WORK_MEM",
    "AllOf",
    "AnyOf",
    "NotRule",
    "RuleKind",
    "Scope",
    "Subject",
    "as_rule",
    "compile_rules",
    "contact_matches",
    "count_contacts",
    "describe_sql",
    "evaluate",
    "matching_contact_ids",
    "parse_audience",
    "parse_condition",
    "parse_rules",
    "referenced_segments",
    "rule_kinds",
    "sample_contacts",
    "segment_contacts",
    "tune_for_segments",
    "upgrade_audience",
    "upgrade_condition",
    "walk",
]
