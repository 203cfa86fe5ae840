"""Daily summaries of removed events: what event rules still count once raw rows are gone.

The retention (``saleor_ma_plugin.retention``) removes processed events past the retention
period and, in the same transaction, adds one ``EventSummary`` row per contact, event type
and day of the batch: how many events, when the last one occurred, and how many of them
named each product, category or variant (``"product_id:72"``) at the top level of the
payload or in any order line, which is exactly what an event rule's ``product_id`` matches.
Payload conditions other than these ids (``where``) cannot be answered from a summary: such
rules count the events still stored.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import router
from django.db.models import Expression, F, IntegerField, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from .models import EventSummary

#: Payload keys whose values are summarized, as event rules match them.
SUBJECT_KEYS = ("product_id", "category_id", "variant_id")
#: Shop ids are short (Saleor's global ids too); anything longer is not an id.
MAX_SUBJECT_LENGTH = 100
#: Rows written per INSERT.
INSERT_BATCH = 500


@dataclass(frozen=True)
class RemovedEvent:
    """What a summary needs of one removed event."""

    contact_id: int
    type: str
    occurred_at: datetime
    payload: dict


@dataclass(frozen=True)
class SummaryMatch:
    """Summary rows that may hold matching events, and how many each one holds."""

    rows: QuerySet
    #: Per row: the events it counts that match.
    counted: Expression


def subject(key: str, shop_id: str) -> str:
    return f"{key}:{shop_id}"


def ids_of(subjects: dict, key: str) -> set[str]:
    """The ids a summary's ``subjects`` hold under ``key``, e.g. the products ordered."""
    prefix = subject(key, "")
    return {name.removeprefix(prefix) for name in subjects if name.startswith(prefix)}


def subjects_of(payload: dict) -> set[str]:
    """The subjects an event rule's id condition would find in ``payload``.

    Rules match with JSON containment on string values (``payload @> {"product_id": "72"}``
    and ``{"lines": [{"product_id": "72"}]}``), so only string values count here too.
    """
    lines = payload.get("lines")
    holders = [payload]
    if isinstance(lines, list):
        holders += [line for line in lines if isinstance(line, dict)]
    found = set()
    for holder in holders:
        for key in SUBJECT_KEYS:
            value = holder.get(key)
            if isinstance(value, str) and 0 < len(value) <= MAX_SUBJECT_LENGTH:
                found.add(subject(key, value))
    return found


def add_to_summaries(events: Iterable[RemovedEvent], using: str | None = None) -> int:
    """Write the summary rows of removed events; return how many rows.

    Call it in the transaction that deleted the events, with the rows that transaction
    claimed and deleted: only it removed them, so each is counted exactly once. Plain
    inserts: a day split over two batches has two rows, which add up.
    """
    days: dict[tuple, EventSummary] = {}
    for event in events:
        day = event.occurred_at.astimezone(UTC).date()
        row = days.get((event.contact_id, event.type, day))
        if row is None:
            row = days[(event.contact_id, event.type, day)] = EventSummary(
                contact_id=event.contact_id,
                type=event.type,
                day=day,
                count=0,
                last_at=event.occurred_at,
                subjects=Counter(),
            )
        row.count += 1
        row.last_at = max(row.last_at, event.occurred_at)
        row.subjects.update(subjects_of(event.payload or {}))
    for row in days.values():
        row.subjects = dict(sorted(row.subjects.items()))
    alias = using or router.db_for_write(EventSummary)
    EventSummary.objects.using(alias).bulk_create(days.values(), batch_size=INSERT_BATCH)
    return len(days)


def summaries_matching(
    event_type: str, key: str = "", ids: tuple[str, ...] = (), since: datetime | None = None
) -> SummaryMatch:
    """Summaries of removed events of a type, naming one of ``ids`` under ``key``, since.

    With several ids a row's count is that of its first id only: callers use several ids
    to ask whether any matching event exists, not how many. A day counts whole when its
    last event falls at or after ``since``: summaries keep days, not times.
    """
    rows = EventSummary.objects.filter(type=event_type)
    counted: Expression = F("count")
    if ids:
        wanted = [subject(key, shop_id) for shop_id in ids]
        rows = rows.filter(subjects__has_any_keys=wanted)
        counted = Cast(KeyTextTransform(wanted[0], "subjects"), IntegerField())
    if since is not None:
        rows = rows.filter(day__gte=since.astimezone(UTC).date(), last_at__gte=since)
    return SummaryMatch(rows, counted)


def summarized_count(match: SummaryMatch) -> int:
    return match.rows.aggregate(total=Sum(match.counted))["total"] or 0
