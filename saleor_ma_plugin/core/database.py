"""PostgreSQL settings a piece of work runs under, restored afterwards; the standalone
host's timestamp loading."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections

try:
    import psycopg
    from psycopg.pq import Format
except ImportError:  # installs without PostgreSQL
    psycopg = None

#: SQLSTATE of a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"


@contextmanager
def statement_timeout(seconds: float, using: str = "default") -> Iterator[None]:
    """Stop any single statement of the block after ``seconds`` (PostgreSQL only).

    A request that asks for more than the database can answer in time (a filter with
    hundreds of subqueries, say) is cancelled instead of keeping PostgreSQL busy after the
    client has gone. The session's own setting comes back afterwards.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or seconds <= 0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, "
            "false)",
            [f"{int(seconds * 1000)}ms"],
        )
        previous = cursor.fetchone()[0]
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, false)", [previous])
        except DatabaseError:
            pass  # an aborted transaction: it is rolled back, the setting with it is reset


def was_cancelled(error: BaseException) -> bool:
    """Did the database cancel the statement (statement_timeout)?"""
    return getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED


class _UtcTimestamptzLoader:
    """Django's timestamptz loader, made by psycopg's C loader.

    Django registers a Python subclass of psycopg's pure-Python loader (to attach its own
    time zone), so every timestamp a query returns is parsed in Python: a sixth of a runner
    batch's Python time. When Django's zone and the session's are both UTC, psycopg's C
    loader already returns exactly what Django's does (``datetime.timezone.utc``). The
    class keeps the ``timezone`` attribute Django compares before each cursor.
    """

    timezone = dt.UTC
    format = 0  # psycopg.pq.Format.TEXT

    def __init__(self, oid: int, context=None):
        self.oid = oid
        self.load = _c_timestamptz_loader()(oid, context).load


def _c_timestamptz_loader():
    oid = psycopg.postgres.types["timestamptz"].oid
    return psycopg.adapters.get_loader(oid, Format.TEXT)


def load_timestamps_in_c(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: use the C loader where it gives Django's result."""
    if connection.vendor != "postgresql" or not settings.USE_TZ:
        return
    raw = connection.connection
    if psycopg is None or psycopg.pq.__impl__ == "python":
        return
    if not isinstance(raw, psycopg.Connection) or connection.timezone != dt.UTC:
        return
    if raw.info.parameter_status("TimeZone") != "UTC":
        return
    raw.adapters.register_loader("timestamptz", _UtcTimestamptzLoader)
