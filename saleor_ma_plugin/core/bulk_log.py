"""Updating rows and appending to a log in one statement: a cheap, atomic write-back.

A send loop writes its results every few dozen messages while it sends (so a crash loses
little); each write is a transaction, and on PostgreSQL four round trips (BEGIN, UPDATE,
INSERT, COMMIT) cost more than the rows themselves. One statement is atomic on its own:
``WITH updated AS (UPDATE ... FROM unnest(...)) INSERT ... SELECT FROM unnest(...)`` is one
round trip. Other databases get the same effect through the ORM in a transaction.
"""

from collections.abc import Sequence

from django.db import connections, models, router, transaction

from .bulk import bulk_update_rows, insert_from_rows, update_from_rows


def update_rows_and_log(
    model: type[models.Model],
    objects: Sequence[models.Model],
    fields: Sequence[str],
    log_entries: Sequence[models.Model],
) -> None:
    """Write ``fields`` of ``objects`` and insert ``log_entries``, all or nothing."""
    if not objects and not log_entries:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=alias):
            bulk_update_rows(model, objects, fields)
            if log_entries:
                type(log_entries[0]).objects.using(alias).bulk_create(log_entries)
        return
    parts, params = [], []
    if objects:
        update_sql, update_params = update_from_rows(model, objects, fields, connection)
        parts.append(f"WITH updated AS ({update_sql} RETURNING 1) ")
        params += update_params
    if log_entries:
        insert_sql, insert_params = insert_from_rows(log_entries, connection)
        parts.append(insert_sql)
        params += insert_params
    else:
        parts.append("SELECT count(*) FROM updated")
    with connection.cursor() as cursor:
        cursor.execute("".join(parts), params)
