"""Indexes built ``CONCURRENTLY`` on PostgreSQL, for migrations with ``atomic = False``.

The events and contacts tables are written inside Saleor's checkout transaction, so their
indexes are built without a write lock. An invalid index left by an interrupted build is
dropped and built again; a valid one is kept. Other databases get the index the plain way.
(The leading underscore keeps Django's migration loader from reading this module.)
"""


def index_state(cursor, name: str) -> bool | None:
    """True for a valid index, False for one an interrupted build left invalid, else None."""
    cursor.execute(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
        [name],
    )
    row = cursor.fetchone()
    return None if row is None else row[0]


def _needs_building(schema_editor, name: str) -> bool:
    """False for a valid index; an invalid one an interrupted build left is dropped first."""
    with schema_editor.connection.cursor() as cursor:
        state = index_state(cursor, name)
        if state is False:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    return not state


def add_index(schema_editor, model, index) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        schema_editor.add_index(model, index)
        return
    if _needs_building(schema_editor, index.name):
        schema_editor.add_index(model, index, concurrently=True)


def remove_index(schema_editor, model, index) -> None:
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.remove_index(model, index)
        return
    remove_index_sql(schema_editor, index.name)


def add_index_sql(schema_editor, name: str, definition: str) -> None:
    """On PostgreSQL only: ``CREATE INDEX CONCURRENTLY name ON definition``, for an index
    Django's ``Index`` cannot state everywhere (``INCLUDE``, a predicate on a function)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    if _needs_building(schema_editor, name):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def remove_index_sql(schema_editor, name: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
