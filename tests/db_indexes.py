"""The indexes PostgreSQL holds on a model's table, for tests of what migrations build."""

from django.db import connection


def indexes_of(model) -> dict[str, str]:
    """Index name -> its ``CREATE INDEX`` statement, as ``pg_indexes`` prints it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [model._meta.db_table],
        )
        return dict(cursor.fetchall())
