"""Updating many rows with different values in one statement."""

import datetime
import decimal
import json
import sqlite3
import uuid
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
    sql, params = update_from_rows(model, objects, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def update_from_rows(model, objects: Sequence, fields: Sequence[str], connection):
    """PostgreSQL's ``UPDATE ... FROM`` the rows sent as one JSON document: (sql, params)."""
    target = _Target.of(model, fields, connection)
    sql = (
        f"UPDATE {target.table} SET {target.assignments} "
        f"FROM {row_source(target.columns, connection)} "
        f"WHERE {target.table}.{target.key} = v.{target.key}"
    )
    return sql, [json_rows(objects, target.columns, connection)]


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
    meta, quote = objects[0]._meta, connection.ops.quote_name
    columns = [field for field in meta.concrete_fields if not field.primary_key]
    rows = json_rows(objects, columns, connection, lambda column, obj: column.pre_save(obj, True))
    names = ", ".join(quote(column.column) for column in columns)
    return (
        f"INSERT INTO {quote(meta.db_table)} ({names}) "
        f"SELECT {names} FROM {row_source(columns, connection)}"
        + (" ON CONFLICT DO NOTHING" if skip_conflicts else ""),
        [rows],
    )


def row_source(columns: Sequence, connection) -> str:
    """``jsonb_to_recordset(%s) AS v(...)``: the rows of ``json_rows`` as a table named v.

    One JSON parameter instead of a placeholder per value or an array per column: the
    driver only passes a string on, where adapting thousands of values or sniffing each
    array's element type cost more than the update itself.
    """
    quote = connection.ops.quote_name
    definitions = ", ".join(f"{quote(c.column)} {c.db_type(connection)}" for c in columns)
    return f"jsonb_to_recordset(%s::jsonb) AS v({definitions})"


def json_rows(objects: Sequence, columns: Sequence, connection, value=None) -> str:
    """The objects' column values as a JSON array of objects keyed by column name."""
    value = value or (lambda column, obj: getattr(obj, column.attname))
    # PostgreSQL takes an aware datetime of a plain DateTimeField as it is: Django's own
    # preparation (to_python, the naive check, adapting) gives it back unchanged, and cost
    # more than the rest of a row (a send loop writes three per message).
    aware_as_is = (
        {column for column in columns if type(column) is models.DateTimeField}
        if connection.vendor == "postgresql"
        else set()
    )
    return _encode(
        [
            {c.column: _prepared(c, value(c, obj), connection, aware_as_is) for c in columns}
            for obj in objects
        ]
    )


def _prepared(column, value, connection, aware_as_is=frozenset()):
    # Text, numbers and None reach JSON as they are (a JSONField's too: the document is
    # JSON already); only other values need the field's own preparation.
    if value is None or type(value) in _AS_THEY_ARE:
        return value
    if type(value) is datetime.datetime and value.tzinfo is not None and column in aware_as_is:
        return value
    return column.get_db_prep_save(value, connection)


_AS_THEY_ARE = frozenset({str, int, bool, float})


class _ColumnValueEncoder(json.JSONEncoder):
    """Database-ready values as PostgreSQL reads them back from JSON text, exactly
    (Django's own encoder cuts microseconds)."""

    def default(self, o):
        if isinstance(o, datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        if isinstance(o, datetime.timedelta):
            return f"{o.days} days {o.seconds} seconds {o.microseconds} microseconds"
        adapted = getattr(o, "obj", None)  # psycopg's Jsonb wrapper of a JSONField value
        if adapted is not None or type(o).__name__ == "Jsonb":
            return adapted
        return super().default(o)


_encode = _ColumnValueEncoder(separators=(",", ":"), allow_nan=False).encode


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
