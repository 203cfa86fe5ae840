"""Standalone half of hook_overhead.py: the intake against a bare INSERT."""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ["DEBUG"] = "0"  # measure what production runs
django.setup()

from _common import Timing, result_line  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from saleor_ma_plugin.events import EventSource, EventType  # noqa: E402
from saleor_ma_plugin.events.intake import order_events, record_events  # noqa: E402
from saleor_ma_plugin.events.models import Event  # noqa: E402
from saleor_ma_plugin.events.snapshots import to_payload  # noqa: E402
from tests import factories  # noqa: E402

BARE_TABLE = "bench_bare_insert"


def run(iterations: int) -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(
            f"CREATE TABLE {BARE_TABLE} (id BIGSERIAL PRIMARY KEY, type VARCHAR(64), "
            "payload JSONB, created_at TIMESTAMPTZ DEFAULT now())"
            if connection.vendor == "postgresql"
            else f"CREATE TABLE {BARE_TABLE} (id INTEGER PRIMARY KEY, type TEXT, payload TEXT,"
            " created_at TEXT)"
        )
    Event.objects.filter(dedupe_key__startswith="order.created:bench-").delete()
    intake_ms, bare_ms = [], []
    for round_number in range(iterations):
        order = factories.order(order_id=f"bench-{round_number}", voucher_code="")
        payload = to_payload(order)
        # Interleaved so that machine noise hits both sides alike.
        started = time.perf_counter()
        with transaction.atomic():
            record_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))
        intake_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {BARE_TABLE} (type, payload) VALUES (%s, %s)",
                [
                    "order.created",
                    Event._meta.get_field("payload").get_db_prep_save(payload, connection),
                ],
            )
        bare_ms.append((time.perf_counter() - started) * 1000)
    intake, bare = Timing(tuple(intake_ms)), Timing(tuple(bare_ms))
    print(f"database: {connection.vendor}; broker: {os.environ['CELERY_BROKER_URL']}")
    print(intake.describe("intake (dedupe INSERT + after-commit wake-up)"))
    print(bare.describe("bare INSERT of the same payload"))
    print(f"ratio intake / bare INSERT: {intake.median / bare.median:.2f}")
    Event.objects.filter(dedupe_key__startswith="order.created:bench-").delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
    # Budget: one hook stays well under a millisecond plus the broker round trip.
    print(result_line("hook_overhead_standalone", intake.median, "ms", bare.median, 10.0))
