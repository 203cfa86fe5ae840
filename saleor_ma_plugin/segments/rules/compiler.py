"""Rules to SQL: one query over contacts, however deep the tree is.

``compile_rules`` turns a parsed tree into a Django ``Q`` over ``Contact``: columns of the
contact, and ``EXISTS`` / ``IN`` subqueries on events, tags, consents, revenues and segment
memberships. No rule loops over contacts in Python. Erased contacts are never in a
segment. ``count_contacts`` (the live count) runs it with ``tune_for_segments``.

``matching_contact_ids`` answers the same question as ids only, for the count and the
stored membership. When the tree requires a tag, a consent or a segment membership, it
starts from those rows (one per contact, read from their index) instead of the contacts
table, and tests the rest of the tree on their contact: a contact's row is then read only
for a rule on its columns, and "not erased" is one anti-join with the few erased contacts
(the partial index of migration 0026), not a look-up per candidate. At 1 M contacts the
consent + tag segment of ``bench/segment_eval.py`` is counted that way without 57,761
look-ups of present contacts.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from ...contacts.models import Contact
from .base import Scope, kind_of
from .logic import AllOf, combine
from .parsing import as_rule

#: Memory a segment query may use per sort or hash in its transaction (PostgreSQL).
SEGMENT_WORK_MEM = "64MB"
#: What a segment query reckons a page read out of order costs (PostgreSQL's default is 4).
SEGMENT_RANDOM_PAGE_COST = 1.1


@dataclass(frozen=True)
class Anchor:
    """How the rows a query selects lead to their contact."""

    #: The contact's id on those rows.
    contact_id: str
    #: What the contact's own columns are named from those rows.
    columns: str


#: The query selects contacts.
ON_CONTACTS = Anchor("pk", "")
#: The query selects rows of one contact each (tags, consents, memberships).
ON_CONTACT_ROWS = Anchor("contact", "contact__")


class Compiler:
    """Compiles rule trees for one moment, one database and one kind of row."""

    def __init__(self, now: datetime, vendor: str, anchor: Anchor = ON_CONTACTS) -> None:
        self.now, self.postgres, self.anchor = now, vendor == "postgresql", anchor

    def compile(self, rule: Any) -> Q:
        return kind_of(rule).compile(rule, self)

    def contact_ids(self, rule: Any) -> QuerySet | None:
        return kind_of(rule).contact_ids(rule, self)

    def outer_contact(self) -> OuterRef:
        """The contact of the row being tested, inside a subquery of the rule."""
        return OuterRef(self.anchor.contact_id)

    def column(self, name: str) -> str:
        """A lookup on the contact's column ``name`` (``orders_count__gte``)."""
        return self.anchor.columns + name

    def contact_in(self, ids) -> Q:
        """The row's contact is among ``ids`` (a subquery of contact ids)."""
        return Q(**{f"{self.anchor.contact_id}__in": ids})


def compile_rules(rule: Any, *, now: datetime, vendor: str) -> Q:
    """A ``Q`` over Contact equivalent to the tree; ``vendor`` picks the JSON operators."""
    return Compiler(now, vendor).compile(rule)


def segment_contacts(
    rules: Any, now: datetime | None = None, using: str = "default"
) -> QuerySet[Contact]:
    """The contacts matching ``rules`` (a parsed tree or JSON) now, erased contacts excluded."""
    condition = compile_rules(
        as_rule(rules, Scope.CONTACT), now=now or timezone.now(), vendor=connections[using].vendor
    )
    return Contact.objects.using(using).filter(erased_at__isnull=True).filter(condition)


def matching_contact_ids(
    rules: Any, now: datetime | None = None, using: str = "default"
) -> QuerySet:
    """The ids of the contacts matching ``rules`` now, erased contacts excluded.

    One column, ``member_id``; each contact once.
    """
    rule, now = as_rule(rules, Scope.CONTACT), now or timezone.now()
    vendor = connections[using].vendor
    items = rule.items if isinstance(rule, AllOf) else (rule,)
    compiler = Compiler(now, vendor, ON_CONTACT_ROWS)
    for item in items:
        rows = kind_of(item).contact_rows(item, compiler)
        if rows is not None:
            rest = combine(
                Q.AND, (compiler.compile(other) for other in items if other is not item)
            )
            erased = Contact.objects.filter(pk=compiler.outer_contact(), erased_at__isnull=False)
            return (
                rows.using(using)
                .filter(rest)
                .filter(~Exists(erased))
                .values(member_id=F("contact"))
            )
    return segment_contacts(rule, now, using).values(member_id=F("pk"))


def count_contacts(rules: Any, now: datetime | None = None) -> int:
    """The live count: how many contacts match ``rules`` right now."""
    with transaction.atomic():
        tune_for_segments()
        return matching_contact_ids(rules, now).count()


def sample_contacts(rules: Any, limit: int, now: datetime | None = None) -> list:
    """A few contacts matching ``rules`` right now, most recently seen first."""
    with transaction.atomic():
        tune_for_segments()
        matching = segment_contacts(rules, now)
        return list(matching.order_by(F("last_seen_at").desc(nulls_last=True), "-pk")[:limit])


def tune_for_segments(using: str = "default") -> None:
    """Settings for segment queries, for the rest of the current transaction (PostgreSQL).

    JIT compilation off: a query over a large contacts table is costed high enough to be
    compiled with inlining and optimization, which takes longer (0.3 s and more) than the
    query's index and hash look-ups themselves. ``work_mem`` raised to SEGMENT_WORK_MEM if
    lower: below it, bitmaps over a month of events turn lossy (every row re-checked) and
    the planner stops hashing ``IN`` subqueries. ``random_page_cost`` lowered to
    SEGMENT_RANDOM_PAGE_COST if higher (the usual value for SSDs and cached data): at
    PostgreSQL's default of 4, looking up a few thousand contacts of an event rule by
    primary key is costed above reading all contacts, and the count reads a million rows
    (0.3 s at 1 M contacts) to keep a few thousand.
    """
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('jit', 'off', true), CASE WHEN "
                "pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%s) "
                "THEN set_config('work_mem', %s, true) END, CASE WHEN "
                "current_setting('random_page_cost')::float8 > %s "
                "THEN set_config('random_page_cost', %s, true) END",
                [
                    SEGMENT_WORK_MEM,
                    SEGMENT_WORK_MEM,
                    SEGMENT_RANDOM_PAGE_COST,
                    str(SEGMENT_RANDOM_PAGE_COST),
                ],
            )


def describe_sql(rules: Any) -> str:
    """The SQL of a segment's query, for debugging and EXPLAIN."""
    return str(matching_contact_ids(rules).query)
