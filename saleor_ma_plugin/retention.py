"""Event retention: processed events older than the retention period become daily summaries.

The events table lives in the shop's database and would otherwise grow forever. A daily
tick removes processed events that occurred more than ``event_retention_days`` ago (plugin
setting, default 400; 0 keeps everything), in batches of ``BATCH_SIZE``, each in its own
short transaction:

1. claim a batch of one event type, oldest first, through the ``(type, occurred_at)``
   index, with ``FOR UPDATE SKIP LOCKED``: two runs at once take different rows and never
   wait on each other;
2. let go of references: finished campaign runs forget their trigger event, score entries
   their event (the points still count towards caps);
3. delete the batch and add its events to the daily summaries (``events.summaries``) in the
   same transaction, so every removed event is counted exactly once, and a crash removes
   and counts nothing.

Never removed: unprocessed events (the pipeline still owes them work) and the trigger
events of active runs (their messages are rendered from its payload). Reports, attribution
and RFM read contacts, revenues, messages and conversions, never old events; event rules of
segments, campaign conditions and branches read raw events plus summaries, so their answers
stay the same when the raw rows are gone (see ``events.summaries`` for the limits).

Why not partition the events table by month instead: PostgreSQL requires every unique index
of a partitioned table to include the partition key, and the hook's idempotent insert
relies on a unique ``dedupe_key`` on its own (``ON CONFLICT (dedupe_key) DO NOTHING``).
``bench/event_retention.py`` measures both; README "Event retention" has the figures.
"""

import time
from datetime import datetime, timedelta

from django.db import connections, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .campaigns import EnrollmentStatus
from .campaigns.models import Enrollment
from .core.host import plugin_settings
from .events.models import Event
from .events.summaries import RemovedEvent, add_to_summaries
from .scoring.models import ScoreEntry

#: Events per transaction: a few milliseconds of row locks, a small upsert of summaries.
BATCH_SIZE = 1000
#: A run stops claiming new batches after this long; the next day's run goes on.
BUDGET_SECONDS = 50


def retention_cutoff(now: datetime, days: int) -> datetime | None:
    """Events that occurred before this are past retention; None keeps everything."""
    return now - timedelta(days=days) if days else None


def remove_expired_events(
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    budget_seconds: float = BUDGET_SECONDS,
) -> int:
    """Remove (and summarize) processed events past the retention period; return how many."""
    cutoff = retention_cutoff(now or timezone.now(), plugin_settings().event_retention_days)
    if cutoff is None:
        return 0
    started, removed = time.monotonic(), 0
    for event_type in event_types():
        while time.monotonic() - started < budget_seconds:
            batch = remove_batch(event_type, cutoff, batch_size)
            removed += batch
            if batch < batch_size:
                break
    return removed


def event_types() -> list[str]:
    """Every event type stored, read off the ``(type, occurred_at)`` index."""
    connection = connections[router.db_for_read(Event)]
    if connection.vendor != "postgresql":
        return sorted(Event.objects.values_list("type", flat=True).distinct())
    table = connection.ops.quote_name(Event._meta.db_table)
    # A loose index scan: one index probe per type instead of reading every row.
    sql = (
        f"WITH RECURSIVE types AS ((SELECT type FROM {table} ORDER BY type LIMIT 1) "
        f"UNION ALL SELECT (SELECT e.type FROM {table} AS e WHERE e.type > types.type "
        "ORDER BY e.type LIMIT 1) FROM types WHERE types.type IS NOT NULL) "
        "SELECT type FROM types WHERE type IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def expired_events(event_type: str, cutoff: datetime):
    """The events of one type that retention may remove."""
    active_runs = Enrollment.objects.filter(
        trigger_event=OuterRef("pk"), status=EnrollmentStatus.ACTIVE
    )
    return Event.objects.filter(
        type=event_type, occurred_at__lt=cutoff, processed_at__isnull=False
    ).exclude(Exists(active_runs))


def remove_batch(event_type: str, cutoff: datetime, batch_size: int = BATCH_SIZE) -> int:
    """Claim, summarize and delete up to ``batch_size`` expired events; return how many."""
    alias = router.db_for_write(Event)
    with transaction.atomic(using=alias):
        claimed = list(
            expired_events(event_type, cutoff)
            .select_for_update(skip_locked=True)
            .order_by("occurred_at")
            .values_list("pk", "contact_id", "occurred_at", "payload")[:batch_size]
        )
        if not claimed:
            return 0
        ids = [row[0] for row in claimed]
        Enrollment.objects.filter(trigger_event_id__in=ids).update(trigger_event=None)
        ScoreEntry.objects.filter(event_id__in=ids).update(event=None)
        _delete(alias, ids)
        add_to_summaries(
            (
                RemovedEvent(contact_id, event_type, occurred_at, payload or {})
                for _pk, contact_id, occurred_at, payload in claimed
                if contact_id is not None
            ),
            using=alias,
        )
    return len(claimed)


def _delete(alias: str, ids: list[int]) -> None:
    # A plain DELETE: the references were let go above, and the ORM's delete() would load
    # every row to find them again.
    connection = connections[alias]
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        if cursor.rowcount != len(ids):  # the rows are locked by this transaction
            raise RuntimeError(f"Removed {cursor.rowcount} of {len(ids)} claimed events")
