"""Payload values the database copies into columns of their own: when rules may read them.

Migration 0027 adds ``payload_category`` and ``payload_url_upper`` to the events table and a
PostgreSQL trigger that fills them from the payload on every insert and payload write, so
that event rules of segments read covering indexes instead of visiting each matching event
(``segments.rules.events``). Events stored before the trigger existed are filled here, in
batches of ``BATCH_SIZE`` ids, each its own short transaction, by a beat tick; until that
is done, rules read the payload as before, and give the same answers either way.

The backfill rewrites the payload with itself, so the trigger alone decides what a column
holds. Its progress is an ``ImportCursor`` named ``PENDING``, there only while events are
left to fill: a database created empty never has one.
"""

import time

from django.db import connections, router, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from .models import Event, ImportCursor

PENDING = "event-payload-columns"
#: Event ids per transaction: a few hundred milliseconds of row locks at most.
BATCH_SIZE = 5000
#: A run stops starting new batches after this long (a minute's tick leaves the worker
#: free most of the time); the next tick goes on.
BUDGET_SECONDS = 20
#: The trigger copies category ids of at most this many bytes (the rule's ids are shorter).
MAX_CATEGORY_BYTES = 200
#: URLs of at most this many bytes are indexed with the type and time (a B-tree entry has a
#: size limit); rules on a type that has longer ones read the payload.
MAX_INDEXED_URL_BYTES = 2000

_filled_aliases: set[str] = set()


def columns_filled(alias: str | None = None) -> bool:
    """Whether every stored event has its payload columns (PostgreSQL with the trigger)."""
    alias = alias or router.db_for_read(Event)
    if alias in _filled_aliases:
        return True
    if connections[alias].vendor != "postgresql":
        return False
    pending = (
        ImportCursor.objects.using(alias).filter(name=PENDING, completed_at__isnull=True).exists()
    )
    if not pending:
        # Once filled they stay filled: the trigger keeps every new or rewritten event.
        _filled_aliases.add(alias)
    return not pending


def has_long_urls(event_type: str, alias: str | None = None) -> bool:
    """Whether some event of the type has a URL too long for the index of URLs and times."""
    alias = alias or router.db_for_read(Event)
    with connections[alias].cursor() as cursor:
        # The predicate of migration 0027's small index of long URLs, spelled as it is.
        cursor.execute(
            f"SELECT 1 FROM {connections[alias].ops.quote_name(Event._meta.db_table)} WHERE "
            f"type = %s AND octet_length(payload_url_upper) > {MAX_INDEXED_URL_BYTES} LIMIT 1",
            [event_type],
        )
        return cursor.fetchone() is not None


def fill_payload_columns(
    batch_size: int = BATCH_SIZE, budget_seconds: float = BUDGET_SECONDS
) -> int:
    """Fill the columns of events stored before the trigger, from where the last run
    stopped; return how many events were rewritten."""
    alias = router.db_for_write(Event)
    cursor = ImportCursor.objects.using(alias).filter(name=PENDING, completed_at__isnull=True)
    cursor = cursor.first()
    if cursor is None:
        return 0
    # Events inserted after the trigger was created are filled already; the trigger's
    # creation waited for every transaction that was inserting without it.
    end = Event.objects.using(alias).aggregate(last=Max("pk"))["last"] or 0
    position = int(cursor.position or 0)
    started, rewritten = time.monotonic(), 0
    while position < end:
        upper = _batch_end(alias, position, end, batch_size)
        with transaction.atomic(using=alias):
            rewritten += (
                Event.objects.using(alias)
                .filter(pk__gt=position, pk__lte=upper)
                .filter(Q(payload__has_key="category_id") | Q(payload__has_key="url"))
                .update(payload=F("payload"))
            )
            ImportCursor.objects.using(alias).filter(pk=cursor.pk).update(
                position=str(upper), updated_at=timezone.now()
            )
        position = upper
        if time.monotonic() - started >= budget_seconds:
            break
    if position >= end:
        ImportCursor.objects.using(alias).filter(pk=cursor.pk).update(completed_at=timezone.now())
    return rewritten


def _batch_end(alias: str, position: int, end: int, batch_size: int) -> int:
    """The id of the ``batch_size``-th event after ``position``: batches hold that many
    events however sparse the ids (retention removes the oldest)."""
    ids = Event.objects.using(alias).filter(pk__gt=position, pk__lte=end).order_by("pk")
    last = list(ids.values_list("pk", flat=True)[batch_size - 1 : batch_size])
    return last[0] if last else end
