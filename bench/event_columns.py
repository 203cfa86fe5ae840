"""Payload columns copied by the database: what the trigger costs the hook, and the backfill.

Migration 0027 copies an event's top-level ``category_id`` and ``url`` into columns of their
own with a trigger, and a beat tick fills the events stored before it
(``saleor_ma_plugin.events.columns``). This bench generates, in its own PostgreSQL database
(``bench_event_columns``, created and dropped by the bench), ``--events`` events with the
trigger disabled, as a shop's history before the migration: orders (26 %, 1-3 lines, naming
neither key), product views (58 %, a category) and email clicks (16 %, a URL), with the
secondary indexes as the migrations define them, then ``VACUUM ANALYZE``. Then:

* **backfill**: ``fill_payload_columns`` over that history (batches of 5,000 events, each
  its own transaction), events rewritten per second;
* **hook insert**: the hook's statement (``store_events``: ``INSERT ... ON CONFLICT DO
  NOTHING RETURNING id``, one event per transaction, as a Saleor request commits it) for an
  order (what Saleor's hooks store), a product view and an email click, ``--inserts``
  times each with the trigger and as many without it, interleaved in rounds of 50 (the
  trigger is switched between rounds).

The JSON line's ``value`` is the order insert's median with the trigger in milliseconds,
``baseline`` its median without the trigger in the same rounds; budget: at most 10 % slower
(the hook path must not get slower; 10 % is the margin ``event_retention.py`` allows for
noise)::

    .venv/bin/python bench/event_columns.py                     # 1 M events
    .venv/bin/python bench/event_columns.py --events 200000     # quick run
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import build_insert_select, describe_idle_machine, result_line, scratch_database
from segment_eval import scalar, secondary_indexes, setup_django, step

BENCH = "event_columns"
BUDGET_RATIO = 1.10
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_event_columns"
ROUND = 50


def switch_trigger(enabled: bool) -> None:
    from django.db import connection

    from saleor_ma_plugin.events.models import Event

    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")


def generate(events: int) -> None:
    from saleor_ma_plugin.events.columns import PENDING
    from saleor_ma_plugin.events.models import Event, ImportCursor

    switch_trigger(False)
    dropped = secondary_indexes(Event)
    for name, _ in dropped:
        step(f"drop index {name}", f'DROP INDEX "{name}"')
    kinds = (
        "CASE WHEN g %% 50 < 13 THEN 'order.created' WHEN g %% 50 < 42 THEN 'product.viewed' "
        "ELSE 'email.clicked' END"
    )
    sql, params = build_insert_select(
        Event,
        {
            "type": "e.kind",
            "source": "'storefront'",
            "occurred_at": "e.at",
            "received_at": "e.at",
            "dedupe_key": "e.kind || ':history-' || e.g",
            "processed_at": "e.at",
            "payload": (
                "CASE e.kind WHEN 'order.created' THEN jsonb_build_object('order_id', "
                "'history-' || e.g, 'currency', 'EUR', 'total_gross', '49.90', 'lines', "
                "jsonb_build_array(jsonb_build_object('product_id', (e.g %% 2000)::text, "
                "'category_id', (1 + e.g %% 40)::text, 'quantity', 1))) "
                "WHEN 'product.viewed' THEN jsonb_build_object('product_id', "
                "(e.g %% 2000)::text, 'category_id', (1 + e.g %% 40)::text) "
                "ELSE jsonb_build_object('message_id', e.g, 'url', "
                "'https://shop.example.com/c/page-' || (e.g %% 300) || '?utm_campaign=' "
                "|| (e.g %% 50)) END"
            ),
        },
        f"FROM (SELECT g, {kinds} AS kind, now() - (%s - g) * interval '3 seconds' AS at "
        "FROM generate_series(1, %s) AS g) AS e",
        [events, events],
    )
    step("events (trigger disabled)", sql, params)
    for name, definition in dropped:
        step(f"create index {name}", definition)
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    print(f"  {'VACUUM ANALYZE':<44}{time.perf_counter() - started:9.1f} s", flush=True)
    ImportCursor.objects.create(name=PENDING, position="0")
    switch_trigger(True)


def backfill() -> tuple[float, int]:
    """Beat ticks back to back until the history is filled; (seconds, events rewritten)."""
    from saleor_ma_plugin.events.columns import PENDING, fill_payload_columns
    from saleor_ma_plugin.events.models import ImportCursor

    started, rewritten = time.perf_counter(), 0
    pending = ImportCursor.objects.filter(name=PENDING, completed_at__isnull=True)
    while pending.exists():
        rewritten += fill_payload_columns()
    return time.perf_counter() - started, rewritten


def hook_events(number: int, tag: str):
    from django.utils import timezone

    from saleor_ma_plugin.events import EventSource
    from saleor_ma_plugin.events.intake import NewEvent

    now = timezone.now()
    payloads = {
        "order.created": {
            "order_id": f"hook-{number}",
            "email": f"c{number}@example.com",
            "currency": "EUR",
            "total_gross": "49.90",
            "lines": [{"product_id": str(number % 2000), "category_id": "9", "quantity": 1}],
        },
        "product.viewed": {"product_id": str(number % 2000), "category_id": "9"},
        "email.clicked": {"message_id": number, "url": f"https://shop.example.com/c/{number}"},
    }
    return {
        kind: NewEvent(kind, now, f"{kind}:{tag}-{number}", payload, EventSource.STOREFRONT)
        for kind, payload in payloads.items()
    }


def hook_inserts(count: int) -> dict[tuple[str, bool], list[float]]:
    """Milliseconds per hook insert, by (event type, trigger on), interleaved in rounds."""
    from saleor_ma_plugin.events.intake import store_events

    samples: dict[tuple[str, bool], list[float]] = {}
    for start in range(-ROUND, count, ROUND):  # the first round is an untimed warm-up
        for enabled in (True, False):
            switch_trigger(enabled)
            for number in range(start, min(start + ROUND, count)):
                for kind, event in hook_events(number, f"hook-{enabled}").items():
                    started = time.perf_counter()
                    [_] = store_events([event])  # autocommit: one transaction each
                    if number >= 0:
                        samples.setdefault((kind, enabled), []).append(
                            (time.perf_counter() - started) * 1000
                        )
    switch_trigger(True)
    return samples


def run(url: str, arguments) -> None:
    setup_django(url)
    from django.core.management import call_command

    from saleor_ma_plugin.events.models import Event

    print(describe_idle_machine())
    print(f"database: {url}; events: {arguments.events:,}\n\ngenerating:")
    call_command("migrate", verbosity=0)
    generate(arguments.events)

    seconds, rewritten = backfill()
    filled = scalar(
        f"SELECT count(*) FROM {Event._meta.db_table} "
        "WHERE payload_category IS NOT NULL OR payload_url_upper IS NOT NULL"
    )
    print(
        f"\nbackfill: {rewritten:,} events rewritten in {seconds:.1f} s "
        f"({rewritten / seconds:,.0f} events/s); {filled:,} have a column filled"
    )
    samples = hook_inserts(arguments.inserts)
    print(f"\nhook insert, median of {arguments.inserts:,} each (ms):")
    medians = {key: statistics.median(values) for key, values in samples.items()}
    for kind in ("order.created", "product.viewed", "email.clicked"):
        on, off = medians[(kind, True)], medians[(kind, False)]
        print(f"  {kind:<16} with trigger {on:.3f}   without {off:.3f}   x{on / off:.3f}")
    value, baseline = medians[("order.created", True)], medians[("order.created", False)]
    print(result_line(BENCH, value, "ms", baseline, BUDGET_RATIO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--inserts", type=int, default=2000)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a PostgreSQL database the bench creates and drops (name must start bench_)",
    )
    arguments = parser.parse_args()
    with scratch_database(arguments.database_url) as url:
        try:
            run(url, arguments)
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    main()
