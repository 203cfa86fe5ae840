"""Importing shop history as events: idempotent, resumable, batched.

Idempotent because every imported fact has the same dedupe key as its live hook;
resumable because an ``ImportCursor`` remembers the last key of each committed batch.
Imported events are processed at once (profiles, aggregates) and marked as backfill, so
campaign triggers never mistake last year's order for today's.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction

from .intake import NewEvent, store_events
from .models import ImportCursor


@dataclass(frozen=True)
class Batch:
    """Events for one batch of shop objects, and the key of the last object in it."""

    last_position: str
    objects_count: int
    events: list[NewEvent]


@dataclass(frozen=True)
class BackfillStream:
    """One kind of shop object to import, provided by the host adapter."""

    name: str
    #: How many objects lie after a position ("" = from the start).
    count_after: Callable[[str], int]
    #: Batches of at most ``batch_size`` objects after a position, in key order.
    batches_after: Callable[[str, int], Iterator[Batch]]


@dataclass(frozen=True)
class BackfillSummary:
    stream: str
    objects_imported: int
    events_created: int
    events_already_present: int
    resumed_from: str
    seconds: float


def import_stream(
    stream: BackfillStream,
    process: Callable[[list[int]], int],
    batch_size: int = 500,
    restart: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> BackfillSummary:
    """Import ``stream`` from where the last run stopped (or from the start with ``restart``).

    ``process`` is handed the ids of each batch's new events once the batch is stored.
    """
    started = time.monotonic()
    cursor, _ = ImportCursor.objects.get_or_create(name=stream.name)
    if restart:
        cursor.position, cursor.imported_count, cursor.completed_at = "", 0, None
        cursor.save()
    resumed_from = cursor.position
    total = stream.count_after(cursor.position)
    done = created = existing = 0
    for batch in stream.batches_after(cursor.position, batch_size):
        with transaction.atomic():
            new_ids = store_events(batch.events)
            cursor.position = batch.last_position
            cursor.imported_count += batch.objects_count
            cursor.save(update_fields=["position", "imported_count", "updated_at"])
        process(new_ids)
        done += batch.objects_count
        created += len(new_ids)
        existing += len(batch.events) - len(new_ids)
        if on_progress:
            on_progress(done, total)
    cursor.completed_at = cursor.updated_at
    cursor.save(update_fields=["completed_at", "updated_at"])
    return BackfillSummary(
        stream=stream.name,
        objects_imported=done,
        events_created=created,
        events_already_present=existing,
        resumed_from=resumed_from,
        seconds=time.monotonic() - started,
    )
