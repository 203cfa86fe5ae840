"""PostgreSQL settings a piece of work runs under, restored afterwards."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections

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
