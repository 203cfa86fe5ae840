"""Two years of events: retention (batched delete into summaries) against monthly partitions.

Generates, in its own PostgreSQL database (``bench_retention``, created and dropped by the
bench), ``--events`` processed events of ``--contacts`` contacts spread evenly over
``--days`` days (default 730: two years, so that about 45 % are past the default retention
of 400 days): product views (70 %, product and category), email clicks (15 %, a URL),
orders (10 %, 1-3 lines) and checkout updates (5 %). Secondary indexes are built after the
load, as the migrations define them (GIN payload and trigram URL indexes included).

A copy of the events goes into ``bench_events_partitioned``: the same columns, indexes and
triggers, partitioned by month of ``occurred_at``. PostgreSQL makes every unique index of a
partitioned table include the partition key, so its dedupe index is
``(dedupe_key, occurred_at)`` and the hook's ``ON CONFLICT`` names both columns.

Measured, before and after removing the old events, each in this run:

* **insert**: the hook's statement (``INSERT ... ON CONFLICT DO NOTHING RETURNING id``, one
  event per transaction, as a Saleor request commits it), ``--inserts`` times into each of
  three tables, interleaved in rounds of 50: the events table, the partitioned copy, and
  ``bench_events_kept``, a copy of all events with the same indexes and triggers that
  retention never touches (the baseline: the same moment, the same load on the machine);
* **segment counts**: three segments through ``count_contacts`` (the API's live count:
  event rules reaching back two years, with and without product ids, and a 30-day rule),
  on the real events table; their results must not change;
* **raw counts**: two SQL counts run on both tables (a 30-day category rule and an
  "ever bought product 1 twice" rule), to compare the partitioned layout;
* **removal**: ``retention.remove_expired_events`` (batches of 1,000, claims with SKIP
  LOCKED, summaries upserted in the same transaction) then ``VACUUM ANALYZE`` of the events
  table, against ``DROP TABLE`` of the partitions wholly past the cutoff.

The JSON line's ``value`` is the hook insert's median into the events table after retention,
``baseline`` the median into the never-retained copy in the same rounds (budget: at most
10 % slower, since the hook path must not get slower); ``ok`` is also false if a segment
count changed::

    .venv/bin/python bench/event_retention.py                         # 100 k contacts, 2 M events
    .venv/bin/python bench/event_retention.py --contacts 20000 --events 300000   # quick run
"""

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import build_insert_select, describe_idle_machine, result_line, table
from segment_eval import bench_database, scalar, secondary_indexes, setup_django, step, timed

BENCH = "event_retention"
BUDGET_RATIO = 1.10
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_retention"
PARTITIONED = "bench_events_partitioned"
KEPT = "bench_events_kept"
ROUND = 50

SEGMENTS = {
    "bought 1 twice, ever": {
        "event": {"type": "order.created", "product_id": "1", "min_count": 2}
    },
    "5 views in 2 years": {
        "event": {"type": "product.viewed", "min_count": 5, "within_days": 730}
    },
    "a category-9 view in 30 days": {
        "event": {"type": "product.viewed", "where": {"category_id": "9"}, "within_days": 30}
    },
}
RAW_COUNTS = {
    "category 9 viewed, 30 days": (
        "SELECT count(DISTINCT contact_id) FROM {table} WHERE type = 'product.viewed' "
        "AND occurred_at >= now() - interval '30 days' AND payload @> '{{\"category_id\": \"9\"}}'"
    ),
    "bought 1 twice, ever": (
        "SELECT count(*) FROM (SELECT contact_id FROM {table} WHERE type = 'order.created' "
        'AND payload @> \'{{"lines": [{{"product_id": "1"}}]}}\' GROUP BY contact_id '
        "HAVING count(*) >= 2) AS buyers"
    ),
}


def generate(contacts: int, events: int, days: int) -> None:
    from saleor_ma_plugin.contacts.models import Contact
    from saleor_ma_plugin.events.models import Event

    print("generating:")
    sql, params = build_insert_select(
        Contact,
        {"email": "'c' || g || '@example.com'", "created_at": "now() - interval '800 days'"},
        "FROM generate_series(1, %s) AS g",
        [contacts],
    )
    step("contacts", sql, params)
    first_contact = scalar(f"SELECT min(id) FROM {table(Contact)}")
    dropped = secondary_indexes(Event)
    for name, _ in dropped:
        step(f"drop index {name}", f'DROP INDEX "{name}"')
    product = "1 + floor(2000 * power(random(), 2))::int"
    sql, params = build_insert_select(
        Event,
        {
            "type": "e.type",
            "source": "'saleor'",
            "occurred_at": "e.at",
            "received_at": "e.at",
            "dedupe_key": "e.type || ':bench-' || e.g",
            "contact": "e.contact_id",
            "processed_at": "e.at",
            "payload": (
                "CASE e.type WHEN 'product.viewed' THEN jsonb_build_object('product_id', "
                "e.p::text, 'category_id', (1 + mod(e.p, 40))::text) "
                "WHEN 'email.clicked' THEN jsonb_build_object('url', "
                "'https://shop.example.com/c/' || (ARRAY['espresso', 'filter', 'tea', 'gear'])"
                "[1 + mod(e.g, 4)::int] || '?m=' || e.g) "
                "WHEN 'order.created' THEN jsonb_build_object('order_id', 'bench-' || e.g, "
                "'currency', 'EUR', 'total_gross', '39.800', 'lines', (SELECT jsonb_agg("
                "jsonb_build_object('product_id', (e.p + i)::text, 'category_id', "
                "(1 + mod(e.p + i, 40))::text, 'quantity', 1)) "
                "FROM generate_series(0, mod(e.g, 3)::int) AS i)) "
                "ELSE jsonb_build_object('token', 'bench-' || e.g) END"
            ),
        },
        "FROM (SELECT g, %s + mod(hashint8(g) & 2147483647, %s) AS contact_id, "
        f"{product} AS p, now() - random() * %s * interval '1 day' AS at, "
        "CASE WHEN mod(g, 20) < 14 THEN 'product.viewed' WHEN mod(g, 20) < 17 THEN "
        "'email.clicked' WHEN mod(g, 20) < 19 THEN 'order.created' ELSE 'checkout.updated' "
        "END AS type FROM generate_series(1, %s) AS g) AS e",
        [first_contact, contacts, days, events],
    )
    step("events", sql, params)
    for name, definition in dropped:
        step(f"create index {name}", definition)
    partition(days)
    keep_a_copy()
    vacuum_analyze("")


def partition(days: int) -> None:
    """The same events and indexes in a table partitioned by month of ``occurred_at``."""
    from saleor_ma_plugin.events.models import Event

    events = Event._meta.db_table
    step(
        "partitioned table",
        f"CREATE TABLE {PARTITIONED} (LIKE {events} INCLUDING DEFAULTS INCLUDING IDENTITY) "
        "PARTITION BY RANGE (occurred_at)",
    )
    current = date.today().replace(day=1)
    for back in range(-1, days // 28 + 2):  # next month too: the inserts land now
        month = _add_months(current, -back)
        following = _add_months(month, 1)
        step(
            f"partition {month:%Y-%m}",
            f"CREATE TABLE {PARTITIONED}_{month:%Y%m} PARTITION OF {PARTITIONED} "
            f"FOR VALUES FROM ('{month}') TO ('{following}')",
        )
    step("copy events", f"INSERT INTO {PARTITIONED} SELECT * FROM {events}")
    step("primary key", f"ALTER TABLE {PARTITIONED} ADD PRIMARY KEY (id, occurred_at)")
    step(
        "dedupe key",
        f"CREATE UNIQUE INDEX {PARTITIONED}_dedupe ON {PARTITIONED} (dedupe_key, occurred_at)",
    )
    copy_indexes(PARTITIONED, "p_")
    copy_triggers(PARTITIONED)


def keep_a_copy() -> None:
    """The events as they are, never retained: the baseline the hook's insert is held to."""
    from saleor_ma_plugin.events.models import Event

    events = Event._meta.db_table
    step(
        "copy without retention",
        f"CREATE TABLE {KEPT} AS SELECT * FROM {events}",
    )
    step("primary key", f"ALTER TABLE {KEPT} ADD PRIMARY KEY (id)")
    step(
        "identity",
        f"ALTER TABLE {KEPT} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
        f"(START WITH {scalar(f'SELECT max(id) + 1 FROM {events}')})",
    )
    step("dedupe key", f"CREATE UNIQUE INDEX {KEPT}_dedupe ON {KEPT} (dedupe_key)")
    copy_indexes(KEPT, "k_")
    copy_triggers(KEPT)


def copy_triggers(target: str) -> None:
    """The events table's triggers (migration 0027's payload columns) on ``target``: the
    three tables then differ only in what this bench compares, retention and layout."""
    from django.db import connection

    from saleor_ma_plugin.events.models import Event

    events = Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [events],
        )
        triggers = cursor.fetchall()
    for name, definition in triggers:
        step(f"trigger {name}", definition.replace(f" ON public.{events} ", f" ON {target} ", 1))


def copy_indexes(target: str, prefix: str) -> None:
    """The events table's secondary indexes (as the migrations made them) on ``target``."""
    from saleor_ma_plugin.events.models import Event

    for name, definition in secondary_indexes(Event):
        copy = definition.replace(f" {name} ON ", f" {prefix}{name} ON ", 1)
        step(f"index {prefix}{name}", copy.replace(f"public.{Event._meta.db_table}", target))


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def vacuum_analyze(target: str) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {target}")
    return time.perf_counter() - started


def checkpoint() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def relation_mb(name: str) -> float:
    """Table plus indexes (all partitions for the partitioned one), in MB."""
    return scalar(
        "SELECT coalesce(sum(pg_total_relation_size(relid)), pg_total_relation_size(%s)) "
        "/ 1048576.0 FROM pg_partition_tree(%s::regclass) WHERE isleaf",
        [name, name],
    )


# --------------------------------------------------------------------------------------------
# Measurements


def hook_inserts(count: int, tag: str) -> dict[str, list[float]]:
    """Milliseconds per hook insert into each table, interleaved in rounds."""
    from django.db import connection
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    from saleor_ma_plugin.events.models import Event

    statements = {
        "events": (Event._meta.db_table, "dedupe_key"),
        "kept": (KEPT, "dedupe_key"),
        "partitioned": (PARTITIONED, "dedupe_key, occurred_at"),
    }
    samples: dict[str, list[float]] = {name: [] for name in statements}
    warm_up = ROUND  # untimed: the first statements prepare plans and read index pages
    columns = "type, source, occurred_at, received_at, dedupe_key, payload, attempts, "
    columns += "processing_error"
    with connection.cursor() as cursor:
        for start in range(-warm_up, count, ROUND):
            for name, (target, conflict) in statements.items():
                sql = (
                    f"INSERT INTO {target} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, 0, '') "
                    f"ON CONFLICT ({conflict}) DO NOTHING RETURNING id"
                )
                for number in range(start, min(start + ROUND, count)):
                    now = timezone.now()
                    params = [
                        "product.viewed",
                        "storefront",
                        now,
                        now,
                        f"product.viewed:{tag}-{number}",
                        Jsonb({"product_id": str(number % 2000), "category_id": "9"}),
                    ]
                    started = time.perf_counter()
                    cursor.execute(sql, params)  # autocommit: one transaction each
                    cursor.fetchall()
                    if number >= 0:
                        samples[name].append((time.perf_counter() - started) * 1000)
    return samples


def segment_counts(repeat: int, now) -> dict[str, tuple[float, int]]:
    from saleor_ma_plugin.segments.rules import count_contacts

    figures = {}
    for name, rules in SEGMENTS.items():
        seconds, result = timed(lambda rules=rules: count_contacts(rules, now=now), repeat)
        figures[name] = (statistics.median(seconds) * 1000, result)
    return figures


def raw_counts(repeat: int) -> dict[tuple[str, str], tuple[float, int]]:
    from saleor_ma_plugin.events.models import Event

    figures = {}
    for label, template in RAW_COUNTS.items():
        for layout, target in (("plain", Event._meta.db_table), ("partitioned", PARTITIONED)):
            sql = template.format(table=target)
            seconds, result = timed(lambda sql=sql: scalar(sql), repeat)
            figures[(label, layout)] = (statistics.median(seconds) * 1000, result)
    return figures


def drop_expired_partitions(cutoff) -> tuple[float, int]:
    """DROP the partitions wholly before ``cutoff``; (seconds, rows they held)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
            [PARTITIONED],
        )
        bounds = cursor.fetchall()
    expired = []
    for name, bound in bounds:
        upper = bound.split("TO ('")[1].split("'")[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::timestamptz <= %s", [upper, cutoff])
            if cursor.fetchone()[0]:
                expired.append(name)
    rows = sum(scalar(f"SELECT count(*) FROM {name}") for name in expired)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for name in expired:
            cursor.execute(f"DROP TABLE {name}")
    return time.perf_counter() - started, rows


def report_inserts(label: str, samples: dict[str, list[float]]) -> dict[str, float]:
    medians = {name: statistics.median(values) for name, values in samples.items()}
    kept = medians["kept"]
    print(
        f"  hook insert, {label}: events table {medians['events']:.3f} ms "
        f"(x{medians['events'] / kept:.2f}), copy never retained {kept:.3f} ms, "
        f"partitioned {medians['partitioned']:.3f} ms (x{medians['partitioned'] / kept:.2f})"
    )
    return medians


def run(url: str, arguments) -> None:
    setup_django(url)
    from django.core.management import call_command
    from django.utils import timezone

    from saleor_ma_plugin.events.models import Event, EventSummary
    from saleor_ma_plugin.retention import remove_expired_events, retention_cutoff

    call_command("migrate", verbosity=0)
    print(describe_idle_machine())
    generate(arguments.contacts, arguments.events, arguments.days)
    now = timezone.now()
    cutoff = retention_cutoff(now, 400)
    stored = scalar(f"SELECT count(*) FROM {table(Event)}")
    expired = scalar(f"SELECT count(*) FROM {table(Event)} WHERE occurred_at < %s", [cutoff])
    print(f"\n{stored:,} events, {expired:,} older than 400 days")
    plain_before, partitioned_before = relation_mb(table(Event)), relation_mb(PARTITIONED)
    checkpoint()  # the load's dirty pages are written now, not during the timed inserts

    print("\nbefore removal:")
    report_inserts("before", hook_inserts(arguments.inserts, "before"))
    counts_before = segment_counts(arguments.repeat, now)
    raw_before = raw_counts(arguments.repeat)

    print("\nremoval:")
    started = time.perf_counter()
    removed = remove_expired_events(now=now, budget_seconds=float("inf"))
    removing = time.perf_counter() - started
    vacuuming = vacuum_analyze(table(Event))
    summaries = EventSummary.objects.count()
    print(
        f"  retention: {removed:,} events in {removing:.1f} s ({removed / removing:,.0f}/s), "
        f"{summaries:,} summary rows ({summaries / max(removed, 1):.2f} per event); "
        f"VACUUM ANALYZE {vacuuming:.1f} s"
    )
    dropping, dropped_rows = drop_expired_partitions(cutoff)
    print(f"  partitions: DROP of {dropped_rows:,} events' partitions in {dropping * 1000:.0f} ms")
    plain_after, partitioned_after = relation_mb(table(Event)), relation_mb(PARTITIONED)
    summaries_mb = relation_mb(table(EventSummary))
    print(
        f"  size: events {plain_before:,.0f} -> {plain_after:,.0f} MB (+ summaries "
        f"{summaries_mb:,.0f} MB), partitioned {partitioned_before:,.0f} -> "
        f"{partitioned_after:,.0f} MB"
    )
    checkpoint()

    print("\nafter removal:")
    inserts_after = report_inserts("after", hook_inserts(arguments.inserts, "after"))
    counts_after = segment_counts(arguments.repeat, now)
    raw_after = raw_counts(arguments.repeat)

    print("\nsegment counts (count_contacts, events table + summaries):")
    for name in SEGMENTS:
        (before_ms, before_n), (after_ms, after_n) = counts_before[name], counts_after[name]
        same = "same" if before_n == after_n else "CHANGED"
        print(
            f"  {name:<32} {before_n:>7,} -> {after_n:>7,} ({same})   "
            f"{before_ms:8.1f} -> {after_ms:8.1f} ms"
        )
    print("raw SQL counts (plain table after retention lacks old events by design):")
    for (label, layout), (before_ms, before_n) in raw_before.items():
        after_ms, after_n = raw_after[(label, layout)]
        print(
            f"  {label:<28} {layout:<12} {before_n:>7,} -> {after_n:>7,}   "
            f"{before_ms:8.1f} -> {after_ms:8.1f} ms"
        )
    unchanged = all(counts_before[name][1] == counts_after[name][1] for name in SEGMENTS)
    print(f"\nsegment counts unchanged: {unchanged}")
    value, baseline = inserts_after["events"], inserts_after["kept"]
    line = result_line(BENCH, value, "ms", baseline, BUDGET_RATIO)
    if not unchanged:
        line = line.replace('"ok": true', '"ok": false')
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--inserts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a PostgreSQL database the bench creates and drops (name must start bench_)",
    )
    arguments = parser.parse_args()
    with bench_database(arguments.database_url, keep=False, reuse=False) as url:
        try:
            run(url, arguments)
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    main()
