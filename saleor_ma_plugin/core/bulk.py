"""Updating many rows with different values in one statement."""

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections, models, router


def bulk_update_rows(model: type[models.Model], objects: Sequence, fields: Sequence[str]) -> None:
    """``UPDATE ... FROM`` a list of rows (PostgreSQL, SQLite); Django's ``bulk_update`` elsewhere.

    Django's bulk_update builds one CASE per field per row, which costs more than the work
    it saves for the thousands of rows a runner batch touches.
    """
    if not objects:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33):
        _update_from_values(connection, model, objects, fields)
        return
    if connection.vendor != "postgresql":
        model.objects.using(alias).bulk_update(objects, fields, batch_size=500)
        return
    target = _Target.of(model, fields, connection)
    # One array per column instead of a placeholder per value: thousands of placeholders
    # cost more to send and to parse than the update itself.
    arrays = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for obj in objects]
        for column in target.columns
    ]
    unnest = ", ".join(f"%s::{column.db_type(connection)}[]" for column in target.columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {target.table} SET {target.assignments} "
            f"FROM unnest({unnest}) AS v({target.names}) "
            f"WHERE {target.table}.{target.key} = v.{target.key}",
            arrays,
        )


@dataclass(frozen=True)
class _Target:
    """The table, its key and the columns an update sets from a row source named ``v``."""

    columns: list
    table: str
    key: str
    names: str
    assignments: str

    @classmethod
    def of(cls, model: type[models.Model], fields: Sequence[str], connection) -> "_Target":
        meta, quote = model._meta, connection.ops.quote_name
        columns = [meta.pk, *(meta.get_field(name) for name in fields)]
        return cls(
            columns=columns,
            table=quote(meta.db_table),
            key=quote(meta.pk.column),
            names=", ".join(quote(column.column) for column in columns),
            assignments=", ".join(
                f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:]
            ),
        )


def _update_from_values(connection, model, objects: Sequence, fields: Sequence[str]) -> None:
    """SQLite (3.33+): ``WITH v(...) AS (VALUES ...) UPDATE ... FROM v``, 500 rows a time."""
    target = _Target.of(model, fields, connection)
    row_sql = "(" + ", ".join(["%s"] * len(target.columns)) + ")"
    for start in range(0, len(objects), 500):
        chunk = objects[start : start + 500]
        params = [
            column.get_db_prep_save(getattr(obj, column.attname), connection)
            for obj in chunk
            for column in target.columns
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH v({target.names}) AS (VALUES {', '.join([row_sql] * len(chunk))}) "
                f"UPDATE {target.table} SET {target.assignments} FROM v "
                f"WHERE {target.table}.{target.key} = v.{target.key}",
                params,
            )
