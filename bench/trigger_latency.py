"""Trigger-to-outbox latency of an immediate step, through a real Celery worker on Redis.

One active campaign, triggered by ``order.created``, whose first step sends. The bench
starts a real worker of the standalone host (``celery -A saleor_ma_plugin.standalone worker``,
prefork with 2 processes by default) on Redis (db 12 by default, flushed first), against a
PostgreSQL database it creates and drops (``bench_trigger``). It then records order events,
one every 5-20 ms (seeded), each with ``record_events`` inside ``transaction.atomic()``, and
measures for each the time from its commit to the moment its outbox ``Message`` row is
visible to another connection (a poller thread, every ``--poll-ms``).

The event's path is one Celery hop: the intake's wake-up runs ``process_events``, which
takes every fresh event in batches (contact, scoring, attribution, enrolment) and, after
each batch's commit, advances the runs that are due at once, writing their messages. The
worker then also renders and sends each message (a transactional order mail, through the
standalone host's locmem backend), so the CPU figures include delivery.

Baseline, in the same run, against the same worker and measured the same way: a trivial
Celery round trip, a task that inserts one row (sent after a commit, like the intake's
wake-up, at the same spacing): the structural floor of the event path::

    .venv/bin/python bench/trigger_latency.py                 # 1,000 events
    .venv/bin/python bench/trigger_latency.py --events 200    # quick run
    .venv/bin/python bench/trigger_latency.py --rate 200 --find-max   # under load

``--rate R`` sends R events per second on average (each gap drawn from 0.5-1.5 times the
mean) instead of one every 5-20 ms, and holds the events to the budget under load, p99 <
200 ms. ``--find-max`` then raises the rate by a tenth per round (10 s of events each)
until a round misses that budget, or the bench cannot send at the rate asked, and reports
the highest rate that held.

Budget: p99 < 2 s (with ``--rate``: < 200 ms). The JSON ``value`` is the events' p99 in
seconds, ``baseline`` the round trip's p99, ``ok`` is value <= budget (and every event
reached the outbox exactly once).
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from celery import shared_task

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(ROOT))

from _common import (  # noqa: E402
    busy_between,
    describe_idle_machine,
    machine_busy_ticks,
    percentile,
    result_line_within,
    scratch_database,
)

BENCH = "trigger_latency"
BUDGET_SECONDS = 2.0
#: The budget of a run at a given rate (``--rate``): the latency a shop sees under load.
LOADED_BUDGET_SECONDS = 0.2
FIND_MAX_ROUND_SECONDS = 10.0
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_trigger"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/12"
PING_TABLE = "bench_trigger_ping"
WARMUP_EVENTS = 10


@shared_task(name="bench.trigger_latency.ping", ignore_result=True)
def ping(token: int) -> None:
    """The baseline task: one row in a table of its own, in its own transaction.

    The worker imports this module with ``--include trigger_latency``; nothing above needs
    Django, so importing it there costs nothing else.
    """
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {PING_TABLE} (token) VALUES (%s)", [token])


def setup_django(database_url: str, broker_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_BROKER_URL"] = broker_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "saleor_ma_plugin.standalone.settings"
    import django

    os.environ["DEBUG"] = "0"  # measure what production runs

    django.setup()
    # The standalone host's Celery app must be the current one: the intake's wake-ups and
    # the ping go through it to Redis (never eager: CELERY_BROKER_URL is set).
    import saleor_ma_plugin.standalone  # noqa: F401


# --------------------------------------------------------------------------------------------
# The worker


def start_worker(database_url: str, broker_url: str, pool: str, concurrency: int, log):
    import redis

    redis.Redis.from_url(broker_url).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "DJANGO_SETTINGS_MODULE": "saleor_ma_plugin.standalone.settings",
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), str(BENCH_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "saleor_ma_plugin.standalone",
        "worker",
        f"--pool={pool}",
        "--loglevel=WARNING",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--include=trigger_latency",
    ]
    if pool == "prefork":
        command.append(f"--concurrency={concurrency}")
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def stop_worker(worker) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (the worker's pool), from /proc."""
    total, pending, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def postgres_cpu_seconds(database_url: str) -> dict[int, float]:
    """CPU so far of each PostgreSQL backend serving the bench database, by pid."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url, autocommit=True) as connection:
        pids = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
        ).fetchall()
    return {pid: tree_cpu_seconds(pid) for (pid,) in pids}


class CpuMeter:
    """CPU used during a phase: the machine, the worker's processes, this process, PostgreSQL."""

    def __init__(self, worker_pid: int, database_url: str) -> None:
        self.worker_pid, self.database_url = worker_pid, database_url

    def snapshot(self) -> tuple:
        return (
            time.perf_counter(),
            machine_busy_ticks(),
            tree_cpu_seconds(self.worker_pid),
            time.process_time(),
            postgres_cpu_seconds(self.database_url),
        )

    def describe(self, label: str, before: tuple, after: tuple) -> None:
        wall = after[0] - before[0]
        # Backends that ended during the phase are missing; new ones count from their start.
        postgres = sum(cpu - before[4].get(pid, 0.0) for pid, cpu in after[4].items())
        print(
            f"CPU during {label} ({wall:.1f} s wall, {os.cpu_count()} cores): machine "
            f"{busy_between(before[1], after[1]):.0%} busy; CPU seconds: worker processes "
            f"{after[2] - before[2]:.1f}, this bench process {after[3] - before[3]:.1f}, "
            f"PostgreSQL backends of the bench database {postgres:.1f}"
        )


# --------------------------------------------------------------------------------------------
# Sending and watching


class Watcher(threading.Thread):
    """Polls, on its own connection, for the rows that pending sends are waiting for.

    ``sql`` selects the tokens (event ids or ping tokens) among ``ANY(%s)`` that are visible
    now; a token's arrival time is the start of the first poll that saw it, so the
    resolution is one poll interval.
    """

    def __init__(self, database_url: str, sql: str, poll_seconds: float) -> None:
        super().__init__(daemon=True)
        self.database_url, self.sql, self.poll_seconds = database_url, sql, poll_seconds
        self.pending: set[int] = set()
        self.arrived: dict[int, float] = {}
        self.polls = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def expect(self, token: int) -> None:
        with self.lock:
            self.pending.add(token)

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            while not self.stopping.is_set():
                with self.lock:
                    pending = list(self.pending)
                if pending:
                    started = time.perf_counter()
                    rows = connection.execute(self.sql, [pending]).fetchall()
                    self.polls += 1
                    with self.lock:
                        for (token,) in rows:
                            if token in self.pending:
                                self.pending.discard(token)
                                self.arrived[token] = started
                self.stopping.wait(self.poll_seconds)

    def wait_for_all(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if not self.pending:
                    return True
            time.sleep(0.01)
        return False

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def after_commit(send) -> tuple[float, datetime]:
    """Run ``send`` in a transaction; return when it committed (perf_counter, wall clock).

    The timestamp callback is registered first, so it runs right at commit, before the
    wake-ups ``send`` registered.
    """
    from django.db import transaction

    committed: list = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append((time.perf_counter(), datetime.now(UTC))))
        send()
    return committed[0]


def spaced(count: int, seed: int, low_ms: float, high_ms: float):
    """Yield 0..count-1, each at its moment on a seeded 5-20 ms schedule."""
    randomness = random.Random(seed)
    next_at = time.perf_counter()
    for index in range(count):
        delay = next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        yield index
        next_at += randomness.uniform(low_ms, high_ms) / 1000


def set_rate(arguments, rate: float) -> None:
    """Space the sends for ``rate`` per second on average, each gap 0.5-1.5 times the mean."""
    arguments.rate = rate
    arguments.min_gap_ms, arguments.max_gap_ms = 500 / rate, 1500 / rate


def send_pings(watcher: Watcher, tokens: range, arguments) -> dict[int, float]:
    sent = {}
    for index in spaced(len(tokens), arguments.seed, arguments.min_gap_ms, arguments.max_gap_ms):
        token = tokens[index]
        watcher.expect(token)
        sent[token], _ = after_commit(lambda token=token: _enqueue_ping(token))
    return sent


def _enqueue_ping(token: int) -> None:
    from django.db import transaction

    transaction.on_commit(lambda: ping.apply_async(args=(token,), retry=False))


def send_events(watcher: Watcher, count: int, prefix: str, arguments):
    """Record ``count`` order events; return {event id: (commit perf_counter, wall clock)}."""
    from saleor_ma_plugin.events import EventSource, EventType
    from saleor_ma_plugin.events.intake import order_events, record_events
    from tests import factories

    sent = {}
    for index in spaced(count, arguments.seed + 1, arguments.min_gap_ms, arguments.max_gap_ms):
        order = factories.order(
            order_id=f"{prefix}-{index}", email=f"{prefix}-{index}@example.com", voucher_code=""
        )
        events = order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)
        stored: list[int] = []
        committed = after_commit(
            lambda events=events, stored=stored: stored.extend(record_events(events))
        )
        (event_id,) = stored
        # Watch only after commit: the id is known then. The watcher cannot have missed the
        # row, it polls for pending ids only, and the arrival is compared with the commit.
        watcher.expect(event_id)
        sent[event_id] = committed
    return sent


# --------------------------------------------------------------------------------------------
# Set-up, report, verification


def create_campaign():
    from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate
    from saleor_ma_plugin.campaigns.editing import create_campaign as create

    campaign = create(
        CampaignSpec(
            name="bench order -> transactional mail",
            kind="transactional",
            trigger={"type": "event", "event": "order.created"},
            steps=(
                StepSpec(
                    "send", "send", {"template": "order_delivery_forecast", "transactional": True}
                ),
            ),
        )
    )
    return activate(campaign)


def latencies(sent: dict, arrived: dict) -> list[float]:
    return [arrived[token] - sent[token] for token in sent if token in arrived]


def describe(label: str, seconds: list[float], expected: int) -> None:
    if not seconds:
        print(f"{label:<40} nothing arrived (expected {expected:,})")
        return
    ms = [1000 * value for value in seconds]
    print(
        f"{label:<40} p50 {percentile(ms, 0.5):7.1f}   p90 {percentile(ms, 0.9):7.1f}   "
        f"p99 {percentile(ms, 0.99):7.1f}   max {max(ms):7.1f} ms   "
        f"n={len(ms):,}/{expected:,}"
    )


def stage_breakdown(campaign_id: int, sent: dict) -> None:
    """Where the time goes, from the rows' own timestamps (worker clocks = this machine's)."""
    from saleor_ma_plugin.campaigns.models import Enrollment
    from saleor_ma_plugin.events.models import Event
    from saleor_ma_plugin.messaging.models import Message

    processed = dict(Event.objects.filter(pk__in=list(sent)).values_list("pk", "processed_at"))
    enrolled = dict(
        Enrollment.objects.filter(
            campaign_id=campaign_id, trigger_event_id__in=list(sent)
        ).values_list("trigger_event_id", "started_at")
    )
    created = {
        row["context"].get("trigger_event_id"): row["created_at"]
        for row in Message.objects.filter(campaign_id=campaign_id).values("context", "created_at")
    }
    stages: dict[str, list[float]] = {
        "commit -> event processed (hop 1 + work)": [],
        "commit -> enrolment started": [],
        "event processed -> message built": [],
    }
    for event_id, (_, wall) in sent.items():
        if processed.get(event_id):
            stages["commit -> event processed (hop 1 + work)"].append(
                (processed[event_id] - wall).total_seconds()
            )
        if enrolled.get(event_id):
            stages["commit -> enrolment started"].append(
                (enrolled[event_id] - wall).total_seconds()
            )
        if processed.get(event_id) and created.get(event_id):
            stages["event processed -> message built"].append(
                (created[event_id] - processed[event_id]).total_seconds()
            )
    print("\nstages of the event path (row timestamps; Message.created_at is set before commit):")
    for label, values in stages.items():
        describe(f"  {label}", values, len(sent))


def verify(campaign_id: int, event_ids: list[int]) -> dict[str, bool]:
    from django.db.models import Count

    from saleor_ma_plugin.campaigns.models import Enrollment
    from saleor_ma_plugin.events.models import Event
    from saleor_ma_plugin.messaging.models import Message

    messages = Message.objects.filter(campaign_id=campaign_id)
    per_event: dict = {}
    for row in messages.values("context"):
        key = row["context"].get("trigger_event_id")
        per_event[key] = per_event.get(key, 0) + 1
    # The worker goes on to render and send each message (the standalone host's locmem
    # backend): wait for that too, so the bench also proves the mail went out.
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline and messages.filter(status__in=("queued", "sending")).exists()
    ):
        time.sleep(0.2)
    checks = {
        "messages sent": (messages.filter(status="sent").count(), len(event_ids) + WARMUP_EVENTS),
        "events processed": (
            Event.objects.filter(pk__in=event_ids, processed_at__isnull=False).count(),
            len(event_ids),
        ),
        "messages for the events": (sum(per_event.get(e, 0) for e in event_ids), len(event_ids)),
        "events with more than one message": (
            sum(1 for e in event_ids if per_event.get(e, 0) > 1),
            0,
        ),
        "duplicate messages per enrolment": (
            messages.values("enrollment_id").annotate(n=Count("id")).filter(n__gt=1).count(),
            0,
        ),
        "enrolments completed": (
            Enrollment.objects.filter(
                campaign_id=campaign_id, trigger_event_id__in=event_ids, status="completed"
            ).count(),
            len(event_ids),
        ),
    }
    print("\nverification:")
    for label, (value, wanted) in checks.items():
        mark = "ok" if value == wanted else f"FAIL (want {wanted:,})"
        print(f"  {label:<36}{value:>8,}   {mark}")
    return {label: value == wanted for label, (value, wanted) in checks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--pings", type=int, default=None, help="baseline sends (= --events)")
    parser.add_argument("--pool", choices=("prefork", "solo"), default="prefork")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--min-gap-ms", type=float, default=5.0)
    parser.add_argument("--max-gap-ms", type=float, default=20.0)
    parser.add_argument("--poll-ms", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds after the last send")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a PostgreSQL database the bench creates and drops (name must start bench_)",
    )
    parser.add_argument(
        "--broker-url", default=DEFAULT_BROKER_URL, help="a Redis db the bench owns; flushed"
    )
    parser.add_argument("--rate", type=float, default=None, help="mean events per second")
    parser.add_argument(
        "--find-max",
        action="store_true",
        help="after the run, raise the rate until the budget fails (needs --rate)",
    )
    arguments = parser.parse_args()
    arguments.pings = arguments.events if arguments.pings is None else arguments.pings
    arguments.budget = LOADED_BUDGET_SECONDS if arguments.rate else BUDGET_SECONDS
    if arguments.rate:
        set_rate(arguments, arguments.rate)
    elif arguments.find_max:
        parser.error("--find-max needs --rate")
    with scratch_database(arguments.database_url) as url:
        try:
            ok = run(url, arguments)
        finally:
            from django.db import connections

            connections.close_all()
    if not ok:
        raise SystemExit(1)


def run(url: str, arguments) -> bool:
    setup_django(url, arguments.broker_url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {PING_TABLE} (token BIGINT PRIMARY KEY, "
            "created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())"
        )
    campaign = create_campaign()
    psycopg_url = url.replace("postgres://", "postgresql://", 1)
    pings = Watcher(
        psycopg_url,
        f"SELECT token FROM {PING_TABLE} WHERE token = ANY(%s)",
        arguments.poll_ms / 1000,
    )
    from saleor_ma_plugin.messaging.models import Message

    outbox = Watcher(
        psycopg_url,
        f"SELECT (context->>'trigger_event_id')::bigint FROM {Message._meta.db_table} "
        f"WHERE campaign_id = {int(campaign.pk)} "
        "AND (context->>'trigger_event_id')::bigint = ANY(%s)",
        arguments.poll_ms / 1000,
    )
    pings.start()
    outbox.start()
    workers = (
        f"prefork, {arguments.concurrency} processes" if arguments.pool == "prefork" else "solo"
    )
    print(describe_idle_machine())
    print(f"database: {url} (created by the bench, dropped at the end)")
    print(
        f"broker: {arguments.broker_url} (flushed); worker: {workers}; CPUs: {os.cpu_count()}; "
        f"spacing {arguments.min_gap_ms:g}-{arguments.max_gap_ms:g} ms; "
        f"poll every {arguments.poll_ms:g} ms"
    )
    with tempfile.NamedTemporaryFile("w+", prefix="bench-worker-", suffix=".log") as log:
        worker = start_worker(
            url, arguments.broker_url, arguments.pool, arguments.concurrency, log
        )
        try:
            return measure(campaign, pings, outbox, arguments, log, worker)
        finally:
            stop_worker(worker)
            pings.stop()
            outbox.stop()
            import redis

            redis.Redis.from_url(arguments.broker_url).flushdb()


def measure(campaign, pings: Watcher, outbox: Watcher, arguments, log, worker) -> bool:
    # Ready when a ping makes the round trip; then warm both paths up (not counted).
    started = time.perf_counter()
    pings.expect(-1)
    after_commit(lambda: _enqueue_ping(-1))
    if not pings.wait_for_all(timeout=90):
        log.seek(0)
        print(log.read()[-4000:])
        raise SystemExit("the worker did not answer a ping within 90 s")
    print(f"worker ready after {time.perf_counter() - started:.1f} s")
    send_pings(pings, range(-2, -22, -1), arguments)
    warmup = send_events(outbox, WARMUP_EVENTS, "warmup", arguments)
    if not (pings.wait_for_all(60) and outbox.wait_for_all(60)):
        raise SystemExit("warm-up did not complete within 60 s")
    print(f"warm-up: 20 pings and {len(warmup)} events (not counted)\n")

    meter = CpuMeter(worker.pid, pings.database_url)
    ping_sent = send_pings(pings, range(arguments.pings), arguments)
    pings_done = pings.wait_for_all(arguments.timeout)
    before = meter.snapshot()
    event_sent = send_events(outbox, arguments.events, "bench", arguments)
    sending = time.perf_counter() - before[0]
    events_done = outbox.wait_for_all(arguments.timeout)
    after = meter.snapshot()
    drained = after[0] - before[0]
    if worker.poll() is not None:
        print(f"the worker exited with {worker.returncode}")

    baseline = latencies(ping_sent, pings.arrived)
    measured = latencies({key: value[0] for key, value in event_sent.items()}, outbox.arrived)
    rate = arguments.events / sending
    print(
        f"sent {arguments.events:,} events in {sending:.1f} s ({rate:.0f}/s);"
        f" the last message was visible after {drained:.1f} s "
        f"(drain rate {len(outbox.arrived) / drained:.0f} events/s); polls: {outbox.polls:,}"
    )
    meter.describe("the events", before, after)
    print()
    describe("baseline: ping task round trip", baseline, arguments.pings)
    describe("event commit -> message visible", measured, arguments.events)
    stage_breakdown(campaign.pk, event_sent)
    checks = verify(campaign.pk, list(event_sent))
    checks["all pings arrived"], checks["all messages arrived"] = pings_done, events_done
    if not (pings_done and events_done):
        log.seek(0)
        print("\nworker log (tail):\n" + log.read()[-4000:])

    if not measured or not baseline:
        print(result_line_within(BENCH, float("inf"), "s", 0.0, arguments.budget))
        return False
    p99, base_p99 = percentile(measured, 0.99), percentile(baseline, 0.99)
    p50, base_p50 = percentile(measured, 0.5), percentile(baseline, 0.5)
    print(f"\nratio event / ping round trip: p50 {p50 / base_p50:.1f}, p99 {p99 / base_p99:.1f}")
    print("(the event path makes one Celery hop, so 1 is the structural floor)")
    failed = sum(not value for value in checks.values())
    if arguments.find_max:
        held = rate if p99 <= arguments.budget and events_done else 0.0
        highest = find_max(outbox, arguments, held)
        print(f"highest rate that held p99 <= {arguments.budget:g} s: {highest:.0f} events/s")
    print(f"budget: p99 <= {arguments.budget:g} s; failed checks: {failed}")
    line = result_line_within(BENCH, p99, "s", base_p99, arguments.budget)
    if not all(checks.values()):
        # Lost or duplicated messages fail the bench, however fast the rest was.
        line = line.replace('"ok": true', '"ok": false')
    print(line)
    return all(checks.values())


def find_max(outbox: Watcher, arguments, held: float) -> float:
    """Raise the rate a tenth per round until a round misses the budget; the highest rate
    that held (``held``: the measured run's, if it held)."""
    rate, number = arguments.rate, 0
    while held:
        number += 1
        rate *= 1.1
        set_rate(arguments, rate)
        count = int(rate * FIND_MAX_ROUND_SECONDS)
        started = time.perf_counter()
        sent = send_events(outbox, count, f"max{number}", arguments)
        achieved = count / (time.perf_counter() - started)
        arrived = outbox.wait_for_all(arguments.timeout)
        seconds = latencies({key: value[0] for key, value in sent.items()}, outbox.arrived)
        p99 = percentile(seconds, 0.99) if seconds else float("inf")
        kept_up = achieved >= 0.95 * rate
        print(
            f"  round at {rate:.0f}/s: sent at {achieved:.0f}/s, p99 {p99 * 1000:.0f} ms"
            + ("" if arrived else ", not every message arrived")
            + ("" if kept_up else " (the bench could not send that fast)")
        )
        if not (arrived and kept_up and p99 <= arguments.budget):
            return held
        held = achieved
    return held


if __name__ == "__main__":
    main()
