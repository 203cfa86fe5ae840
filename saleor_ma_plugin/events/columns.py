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
from django.db.models import F, Func, IntegerField, Max, Q
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from .models import Event, ImportCursor

PENDING = "event-payload-columns"
#: Event ids per transaction: a few hundred milliseconds of row locks at most.
BATCH_SIZE = 5000
#: A run stops starting new batches after this long (a minute's tick leaves the worker
#: free most of the time); the next tick goes on.
BUDGET_SECONDS = 20
#: The trigger copies category ids of at most this many bytes (the rule's ids are shorter).
#: This and the next are the figures migration 0027 wrote into its trigger and indexes.
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


class OctetLength(Func):
    function = "OCTET_LENGTH"
    output_field = IntegerField()


def url_fits_index() -> Q:
    """The predicate of migration 0027's index of URLs and times: a query that states it
    may use that partial index (PostgreSQL uses one only for queries that imply it)."""
    return Q(LessThanOrEqual(OctetLength("payload_url_upper"), MAX_INDEXED_URL_BYTES))


def has_long_urls(event_type: str, alias: str | None = None) -> bool:
    """Whether some event of the type has a URL too long for the index of URLs and times
    (served by migration 0027's small index of the longer ones)."""
    alias = alias or router.db_for_read(Event)
    long_url = GreaterThan(OctetLength("payload_url_upper"), MAX_INDEXED_URL_BYTES)
    return Event.objects.using(alias).filter(long_url, type=event_type).exists()


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
