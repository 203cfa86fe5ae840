import datetime as dt

import pytest
from django.db import connection

from saleor_ma_plugin.core.database import load_timestamps_in_c

pytestmark = pytest.mark.django_db

VALUES = (
    "SELECT '2026-01-01 10:00:00.123456+02'::timestamptz, '1999-12-31 23:59:59+00'::timestamptz, "
    "'0044-03-15 12:00:00+00'::timestamptz, NULL::timestamptz"
)


def loaded(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def test_timestamps_load_as_django_loads_them(settings):
    # given what Django's own loader makes of a row of timestamps
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's loaders")
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    register_tzloader(connection.timezone, connection.connection)
    djangos = loaded(VALUES)
    # when the connection loads them the fast way
    load_timestamps_in_c(sender=None, connection=connection)
    fast = loaded(VALUES)
    # then every value, and its time zone object, is the same
    assert fast == djangos
    assert [value.tzinfo for value in fast[:3]] == [dt.UTC] * 3
    assert fast[0] == dt.datetime(2026, 1, 1, 8, 0, 0, 123456, tzinfo=dt.UTC)
    assert fast[3] is None
    assert connection.connection.adapters.get_loader(1184, 0).__name__ == "_UtcTimestamptzLoader"


def test_the_standalone_hosts_connections_load_timestamps_the_fast_way():
    # given the standalone host (the test settings) and a new connection
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's loaders")
    connection.ensure_connection()
    # then its timestamp loader is the fast one
    assert connection.connection.adapters.get_loader(1184, 0).__name__ == "_UtcTimestamptzLoader"


def test_a_session_in_another_time_zone_keeps_djangos_loader():
    # given a connection whose session runs in another zone
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's loaders")
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.ensure_connection()
    register_tzloader(connection.timezone, connection.connection)
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Europe/Berlin'")
    before = connection.connection.adapters.get_loader(1184, 0)
    try:
        # when the receiver runs
        load_timestamps_in_c(sender=None, connection=connection)
        # then Django's loader stays
        assert connection.connection.adapters.get_loader(1184, 0) is before
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
        load_timestamps_in_c(sender=None, connection=connection)
