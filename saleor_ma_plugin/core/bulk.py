"""Updating many rows with different values in one statement."""

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, models, router

from .json_rows import json_rows


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
    sql, params = update_from_rows(model, objects, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def update_from_rows(model, objects: Sequence, fields: Sequence[str], connection):
    """PostgreSQL's ``UPDATE ... FROM`` the rows sent as one JSON document: (sql, params)."""
    sql, columns = _update_statement(model, tuple(fields), connection.alias)
    return sql, [json_rows(objects, columns, connection)]


# The statements' text depends on the model, the columns and the database only; the send
# loop writes the same two every few dozen messages, so each is composed once.
@lru_cache(maxsize=256)
def _update_statement(model, fields: tuple[str, ...], alias: str) -> tuple[str, tuple]:
    connection = connections[alias]
    target = _Target.of(model, fields, connection)
    sql = (
        f"UPDATE {target.table} SET {target.assignments} "
        f"FROM {row_source(target.columns, connection)} "
        f"WHERE {target.table}.{target.key} = v.{target.key}"
    )
    return sql, tuple(target.columns)


def insert_rows(objects: Sequence[models.Model], skip_conflicts: bool = False) -> None:
    """Insert new rows of one model; with ``skip_conflicts``, rows a unique key already has
    are skipped. PostgreSQL gets one ``INSERT ... SELECT`` from a JSON document (Django's
    bulk_create prepares every value of every row through its field first, which cost a
    runner batch more than writing it); other databases get ``bulk_create``."""
    if not objects:
        return
    model = type(objects[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model.objects.using(alias).bulk_create(
            objects, ignore_conflicts=skip_conflicts, batch_size=500
        )
        return
    sql, params = insert_from_rows(objects, connection, skip_conflicts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_from_rows(
    objects: Sequence[models.Model], connection, skip_conflicts: bool = False
) -> tuple[str, list]:
    """PostgreSQL's ``INSERT ... SELECT`` of new rows sent as one JSON document: (sql, params)."""
    sql, columns = _insert_statement(type(objects[0]), connection.alias, skip_conflicts)
    return sql, [json_rows(objects, columns, connection, adding=True)]


@lru_cache(maxsize=256)
def _insert_statement(model, alias: str, skip_conflicts: bool) -> tuple[str, tuple]:
    connection = connections[alias]
    meta, quote = model._meta, connection.ops.quote_name
    columns = tuple(field for field in meta.concrete_fields if not field.primary_key)
    names = ", ".join(quote(column.column) for column in columns)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({names}) "
        f"SELECT {names} FROM {row_source(columns, connection)}"
        + (" ON CONFLICT DO NOTHING" if skip_conflicts else "")
    )
    return sql, columns


def row_source(columns: Sequence, connection) -> str:
    """``jsonb_to_recordset(%s) AS v(...)``: the rows of ``json_rows`` as a table named v.

    One JSON parameter instead of a placeholder per value or an array per column: the
    driver only passes a string on, where adapting thousands of values or sniffing each
    array's element type cost more than the update itself.
    """
    quote = connection.ops.quote_name
    definitions = ", ".join(f"{quote(c.column)} {c.db_type(connection)}" for c in columns)
    return f"jsonb_to_recordset(%s::jsonb) AS v({definitions})"


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
