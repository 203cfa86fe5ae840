"""Daily summaries of removed events: what event rules still count once raw rows are gone.

The retention (``saleor_ma_plugin.retention``) removes processed events past the retention
period and adds each one here, in the same transaction, to one row per contact, event type,
day and subject: the subject ``("", "")`` counts every event of the type, and
``("product_id", "72")`` those naming product 72 at the top level of the payload or in any
order line, which is exactly what an event rule's ``product_id`` matches (likewise
``category_id`` and ``variant_id``). Payload conditions other than these ids (``where``)
cannot be answered from a summary: such rules count the events still stored.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models import QuerySet, Sum

from .models import EventSummary

#: Payload keys whose values are summarized, as event rules match them.
SUBJECT_KEYS = ("product_id", "category_id", "variant_id")
#: No subject: the row counts every event of its type that day.
ALL_EVENTS = ("", "")
MAX_SUBJECT_LENGTH = EventSummary._meta.get_field("subject_id").max_length


@dataclass(frozen=True)
class RemovedEvent:
    """What a summary needs of one removed event."""

    contact_id: int
    type: str
    occurred_at: datetime
    payload: dict


def subjects_of(payload: dict) -> set[tuple[str, str]]:
    """The (key, id) pairs an event rule's id condition would find in ``payload``.

    Rules match with JSON containment on string values (``payload @> {"product_id": "72"}``
    and ``{"lines": [{"product_id": "72"}]}``), so only string values count here too.
    """
    subjects = {ALL_EVENTS}
    lines = payload.get("lines")
    holders = (
        [payload, *(line for line in lines if isinstance(line, dict))]
        if isinstance(lines, list)
        else [payload]
    )
    for holder in holders:
        for key in SUBJECT_KEYS:
            value = holder.get(key)
            if isinstance(value, str) and 0 < len(value) <= MAX_SUBJECT_LENGTH:
                subjects.add((key, value))
    return subjects


def add_to_summaries(events: Iterable[RemovedEvent], using: str | None = None) -> int:
    """Count removed events into their rows (one upsert); return the rows written.

    Call it in the transaction that deleted the events, with the rows the DELETE returned:
    only that transaction removed them, so each is counted exactly once.
    """
    counts: Counter = Counter()
    first: dict[tuple, datetime] = {}
    last: dict[tuple, datetime] = {}
    for event in events:
        day = event.occurred_at.astimezone(UTC).date()
        for key, subject in subjects_of(event.payload or {}):
            row = (event.contact_id, event.type, key, subject, day)
            counts[row] += 1
            first[row] = min(first.get(row, event.occurred_at), event.occurred_at)
            last[row] = max(last.get(row, event.occurred_at), event.occurred_at)
    if not counts:
        return 0
    alias = using or router.db_for_write(EventSummary)
    connection = connections[alias]
    rows = [
        (*row, count, first[row], last[row])
        for row, count in sorted(counts.items(), key=lambda item: _sort_key(item[0]))
    ]
    _upsert(connection, rows)
    return len(rows)


def _sort_key(row: tuple) -> tuple:
    # One order for every writer: two concurrent upserts never wait on each other in a cycle.
    contact_id, event_type, key, subject, day = row
    return contact_id, event_type, key, subject, day.toordinal()


def _upsert(connection, rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    fields = [EventSummary._meta.get_field(name) for name in _COLUMNS]
    columns = [quote(field.column) for field in fields]
    # SQLite spells PostgreSQL's GREATEST and LEAST as the two-argument max and min.
    least, greatest = (
        ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    )
    summary_table = quote(EventSummary._meta.db_table)
    conflict = ", ".join(columns[:5])
    count, first_at, last_at = columns[5:]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {summary_table} ({', '.join(columns)}) VALUES "
        + ", ".join([placeholders] * len(rows))
        + f" ON CONFLICT ({conflict}) DO UPDATE SET "
        f"{count} = {summary_table}.{count} + EXCLUDED.{count}, "
        f"{first_at} = {least}({summary_table}.{first_at}, EXCLUDED.{first_at}), "
        f"{last_at} = {greatest}({summary_table}.{last_at}, EXCLUDED.{last_at})"
    )
    params = [
        field.get_db_prep_save(value, connection)
        for row in rows
        for field, value in zip(fields, row, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


_COLUMNS = ("contact", "type", "subject_key", "subject_id", "day", "count", "first_at", "last_at")


def summary_rows(
    event_type: str, subject: tuple[str, tuple[str, ...]] | None, since: datetime | None
) -> QuerySet[EventSummary]:
    """Rows counting removed events of a type (naming one of the subject's ids) since a time.

    A day counts whole when its last event falls at or after ``since``: summaries keep
    days, not times, so a window that starts within a summarized day is exact to the day.
    """
    rows = EventSummary.objects.filter(type=event_type)
    if subject is None:
        rows = rows.filter(subject_key=ALL_EVENTS[0], subject_id=ALL_EVENTS[1])
    else:
        key, ids = subject
        rows = rows.filter(subject_key=key, subject_id__in=ids)
    if since is not None:
        rows = rows.filter(day__gte=since.astimezone(UTC).date(), last_at__gte=since)
    return rows


def summarized_count(rows: QuerySet[EventSummary]) -> int:
    return rows.aggregate(total=Sum("count"))["total"] or 0


def merge_summaries(source_id: int, target_id: int) -> None:
    """Move a merged contact's summaries onto the contact it became, adding up counts."""
    rows = list(
        EventSummary.objects.filter(contact_id=source_id).values_list(
            "type", "subject_key", "subject_id", "day", "count", "first_at", "last_at"
        )
    )
    if not rows:
        return
    alias = router.db_for_write(EventSummary)
    EventSummary.objects.filter(contact_id=source_id).delete()
    _upsert(
        connections[alias],
        sorted(((target_id, *row) for row in rows), key=lambda row: _sort_key(row[:5])),
    )
