"""Model instances' column values as one JSON document, the row source of a bulk write.

``core.bulk`` sends a batch's rows to PostgreSQL as ``jsonb_to_recordset(%s)``: one string
parameter instead of a placeholder per value. Building that string is the Python half of a
runner batch's writes (a thousand messages of 23 columns and a thousand enrolments of
nine), so how each column is read and prepared is decided once per statement, not per
value: a plain column is read from the instance's ``__dict__`` (no descriptor call), a value
JSON already has (text, numbers, None, a JSON field's dict) goes in as it is, an aware
datetime of a plain ``DateTimeField`` is written in ISO format directly, and everything else
goes through its field's ``get_db_prep_save`` as Django would save it.
"""

import datetime
import decimal
import inspect
import json
import uuid
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.conf import settings
from django.db import models

from .instances import PLAIN_DESCRIPTORS

#: Values JSON holds as they are, whatever the column.
_AS_THEY_ARE = frozenset({str, int, bool, float})
_MISSING = object()


def json_rows(objects: Sequence, columns: Sequence, connection, adding: bool = False) -> str:
    """The objects' column values as a JSON array of objects keyed by column name; with
    ``adding``, each value as an INSERT saves it (the field's ``pre_save``: ``auto_now``)."""
    if not objects:
        return "[]"
    model = type(objects[0])
    readers = [_reader(model, column, connection, adding) for column in columns]
    rows = []
    for obj in objects:
        state, row = obj.__dict__, {}
        for name, attname, read, prepare in readers:
            value = state.get(attname, _MISSING) if read is None else read(obj)
            if value is _MISSING:  # deferred: loaded as getattr loads it
                value = getattr(obj, attname)
            row[name] = value if value is None or type(value) in _AS_THEY_ARE else prepare(value)
        rows.append(row)
    return _encode(rows)


def _reader(model, column, connection, adding: bool) -> tuple:
    """(column name, attname, how to read the value or None for ``__dict__``, prepare)."""
    plain = _plain(model, column.attname)
    read = None if plain else (lambda obj: getattr(obj, column.attname))
    if adding and _saves_own_value(column):
        read = _auto_now(column) if plain else (lambda obj: column.pre_save(obj, True))
    return column.column, column.attname, read, _preparer(column, connection)


@lru_cache(maxsize=1024)
def _plain(model, attname: str) -> bool:
    """Is the attribute read straight from the instance's ``__dict__``? (Asked per statement.)"""
    return type(inspect.getattr_static(model, attname, None)) in PLAIN_DESCRIPTORS


def _saves_own_value(column) -> bool:
    """Does ``pre_save`` on insert give something else than the attribute?"""
    if type(column).pre_save is models.Field.pre_save:
        return False
    if type(column) in (models.DateTimeField, models.DateField):
        return column.auto_now or column.auto_now_add
    return True


def _auto_now(column) -> Callable:
    """``DateTimeField.pre_save`` of an ``auto_now(_add)`` field on insert, the moment taken
    once per statement (rows stored together were stored at one time) and the ``USE_TZ``
    setting read once, instead of both per row (``timezone.now``)."""
    if type(column) is not models.DateTimeField:
        return lambda obj: column.pre_save(obj, True)
    zone, attname = datetime.UTC if settings.USE_TZ else None, column.attname
    moment = None  # one per statement, as PostgreSQL's now() is

    def now(obj):
        nonlocal moment
        if moment is None:
            moment = datetime.datetime.now(tz=zone)
        obj.__dict__[attname] = moment
        return moment

    return now


def _preparer(column, connection) -> Callable:
    """How a value JSON does not hold as it is becomes one it does."""
    if connection.vendor == "postgresql" and type(column) is models.DateTimeField:
        # PostgreSQL takes an aware datetime as it is: Django's own preparation (to_python,
        # the naive check, adapting) gives it back unchanged, at a cost.
        # A batch's rows mostly share their moments (a send's ``now``, a broadcast's
        # ``scheduled_at`` read back as one object per row): each moment is written out
        # once per statement. Equal aware times are one instant, whatever their zone, and
        # the column (``timestamp with time zone``) stores the instant.
        written: dict[datetime.datetime, str] = {}

        def aware_or_prepared(value):
            if type(value) is datetime.datetime and value.tzinfo is not None:
                text = written.get(value)
                if text is None:
                    text = written[value] = value.isoformat()
                return text
            return column.get_db_prep_save(value, connection)

        return aware_or_prepared
    if type(column) is models.JSONField and column.encoder is None:
        # The document is JSON already: Django would wrap the value for the driver to dump.
        return lambda value: (
            value if type(value) in (dict, list) else column.get_db_prep_save(value, connection)
        )
    return lambda value: column.get_db_prep_save(value, connection)


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
