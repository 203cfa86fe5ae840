"""Memory of the workers while a 1,000,000-recipient broadcast goes out, and its launch time.

The bench creates a PostgreSQL database (``bench_broadcast``) with N contacts subscribed to
email and a small product catalogue, and an active broadcast campaign whose one step sends
the shipped ``newsletter`` template (personal links, a tracked grid of recommended products,
the open pixel, List-Unsubscribe). It then, in the same run:

1. **baseline of the launch**: one bare ``INSERT ... SELECT`` of the N enrolments from the
   contact table (the floor for writing those rows at all); the rows are removed afterwards;
2. **launch**: ``launch_broadcast``, what ``campaignLaunch`` runs, timed in this process;
3. **delivery**: a real worker of the standalone host (``celery -A saleor_ma_plugin.standalone
   worker -B``, prefork with 2 processes) on Redis advances the runs and sends every message
   to Postfix's ``smtp-sink``, as production would: the launch's wake-up starts it, the beat
   ticks keep it going.

Every second the bench samples the resident memory (RSS) of each of the worker's pool
processes and, every few seconds, how many messages are sent. It reports each process's
peak, and its highest RSS while the first and while the last 100,000 messages were sent: a
process has warmed up (templates compiled, catalogue cached) within the first window, so a
leak shows as a higher peak in the last one. The worker's idle RSS
after start-up is the baseline of the JSON line::

    .venv/bin/python bench/broadcast_memory.py                        # 1,000,000 recipients
    .venv/bin/python bench/broadcast_memory.py --recipients 100000    # quick run

Budget: peak < 150 MB per worker process, growth between the first and the last 100,000
messages < 5 MB, launch < 60 s. At the end every contact must have exactly one message, sent.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(ROOT))

from _common import describe_idle_machine, scratch_database  # noqa: E402
from send_throughput import SINK, free_port, insert_subscribed_readers  # noqa: E402

BENCH = "broadcast_memory"
PEAK_BUDGET_MB = 150.0
GROWTH_BUDGET_MB = 5.0
LAUNCH_BUDGET_SECONDS = 60.0
WINDOW = 100_000
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_broadcast"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/11"
SETTINGS_MODULE = "bench_broadcast_settings"

SETTINGS = """\
from saleor_ma_plugin.standalone.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST, EMAIL_PORT = "127.0.0.1", {port}
SALEOR_MA_PLUGIN = {{
    **SALEOR_MA_PLUGIN,  # noqa: F405
    "quiet_hours": "",
    "storefront_url": "https://shop.example.com",
    "public_base_url": "https://api.example.com",
    "email_backend": "django.core.mail.backends.smtp.EmailBackend",
}}
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
"""


def setup_django(database_url: str, broker_url: str, settings_dir: str) -> None:
    """This process and the worker read the same settings: the sink, the database, Redis."""
    os.environ.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DEBUG="0",  # measure what production runs
    )
    sys.path.insert(0, settings_dir)
    import django

    django.setup()
    import saleor_ma_plugin.standalone  # noqa: F401  (its Celery app carries the wake-up)


def prepare(count: int) -> int:
    """N subscribed contacts, 24 products; returns the broadcast campaign's id."""
    from django.core.management import call_command
    from django.db import connection

    from saleor_ma_plugin.campaigns import ReentryPolicy
    from saleor_ma_plugin.campaigns.editing import (
        CampaignSpec,
        StepSpec,
        activate,
        create_campaign,
    )

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        insert_subscribed_readers(cursor, count)
        cursor.execute("ANALYZE")
    campaign = create_campaign(
        CampaignSpec(
            name="Monthly newsletter",
            kind="newsletter",
            trigger={"type": "broadcast"},
            steps=(StepSpec("send", "send", {"template": "newsletter"}),),
            reentry_policy=ReentryPolicy.ONCE,
        )
    )
    return activate(campaign).pk


def measure_baseline(campaign_id: int) -> float:
    """Seconds for a bare INSERT ... SELECT of every run; the rows are removed again."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO saleor_ma_plugin_enrollment (campaign_id, contact_id, trigger_key,
                   status, step_key, next_run_at, context, started_at, attempts, exit_reason,
                   last_error)
               SELECT %s, id, 'once', 'active', 'send', now(), '{}', now(), 0, '', ''
               FROM saleor_ma_plugin_contact""",
            [campaign_id],
        )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Only the baseline's rows are there: the tables referring to runs are still empty.
        cursor.execute("TRUNCATE saleor_ma_plugin_enrollment CASCADE")
        cursor.execute("VACUUM ANALYZE saleor_ma_plugin_enrollment")
    return seconds


def start_worker(settings_dir: str, log):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [settings_dir, str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "saleor_ma_plugin.standalone",
        "worker",
        "-B",
        "--pool=prefork",
        "--concurrency=2",
        "--loglevel=WARNING",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        f"--schedule={settings_dir}/beat-schedule",
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def pool_processes(parent: int) -> list[int]:
    """The worker's pool processes (children of the main process; the embedded beat's too)."""
    children = []
    for task in Path(f"/proc/{parent}/task").iterdir():
        try:
            children += [int(pid) for pid in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(children)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    """RSS of each pool process every second; messages sent every ``count_every`` seconds."""

    def __init__(self, worker_pid: int, database_url: str, count_every: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.worker_pid, self.database_url, self.count_every = (
            worker_pid,
            database_url,
            count_every,
        )
        self.samples: list[tuple[float, int, dict[int, float]]] = []  # (t, sent, {pid: MB})
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        sent, counted_at = 0, 0.0
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            while not self.stopping.is_set():
                now = time.monotonic()
                if now - counted_at >= self.count_every:
                    sent = connection.execute(
                        "SELECT count(*) FROM saleor_ma_plugin_message WHERE status = 'sent'"
                    ).fetchone()[0]
                    counted_at = now
                memory = {
                    pid: mb
                    for pid in pool_processes(self.worker_pid)
                    if (mb := rss_mb(pid)) is not None
                }
                self.samples.append((now, sent, memory))
                self.stopping.wait(1.0)

    def last_sent(self) -> int:
        return self.samples[-1][1] if self.samples else 0


def window(samples, low: int, high: int) -> dict[int, float]:
    """Highest RSS per process over the samples taken while ``low <= sent < high``."""
    per_process: dict[int, float] = {}
    for _, sent, memory in samples:
        if low <= sent < high:
            for pid, mb in memory.items():
                per_process[pid] = max(per_process.get(pid, 0.0), mb)
    return per_process


def verify(count: int) -> dict[str, bool]:
    from django.db.models import Count

    from saleor_ma_plugin.messaging.models import Message

    statuses = dict(Message.objects.values_list("status").annotate(n=Count("pk")))
    per_contact = (
        Message.objects.values("contact_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    print(f"message statuses: {statuses}")
    return {
        "one message per contact": Message.objects.count() == count and per_contact == 0,
        "all sent": statuses.get("sent", 0) == count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds for the delivery")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER_URL, help="a Redis db; flushed")
    arguments = parser.parse_args()
    if not Path(SINK).exists():
        sys.exit("smtp-sink not found: apt-get install postfix (the bench only uses smtp-sink).")
    port = free_port()
    sink = subprocess.Popen(
        [SINK, "-c", "-u", "nobody", f"127.0.0.1:{port}", "1000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ok = False
    try:
        with (
            scratch_database(arguments.database_url) as url,
            tempfile.TemporaryDirectory(prefix="bench-broadcast-") as settings_dir,
        ):
            Path(settings_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS.format(port=port))
            try:
                ok = run(url, settings_dir, arguments)
            finally:
                from django.db import connections

                connections.close_all()
    finally:
        sink.terminate()
        sink.wait()
    if not ok:
        raise SystemExit(1)


def run(url: str, settings_dir: str, arguments) -> bool:
    import redis

    print(describe_idle_machine())
    redis.Redis.from_url(arguments.broker_url).flushdb()
    setup_django(url, arguments.broker_url, settings_dir)
    started = time.perf_counter()
    campaign_id = prepare(arguments.recipients)
    prepared = time.perf_counter() - started
    print(f"prepared {arguments.recipients:,} subscribed contacts in {prepared:.1f} s")
    baseline = measure_baseline(campaign_id)
    print(f"baseline: bare INSERT ... SELECT of {arguments.recipients:,} runs  {baseline:8.2f} s")

    with tempfile.NamedTemporaryFile("w+", prefix="bench-worker-", suffix=".log") as log:
        worker = start_worker(settings_dir, log)
        try:
            return deliver(url, campaign_id, baseline, worker, log, arguments)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            redis.Redis.from_url(arguments.broker_url).flushdb()


def deliver(url, campaign_id, baseline, worker, log, arguments) -> bool:
    from django.db import transaction

    from saleor_ma_plugin.campaigns.models import Campaign
    from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast

    time.sleep(8)  # the worker and its embedded beat start; their imports settle
    idle = {pid: rss_mb(pid) for pid in pool_processes(worker.pid)}
    print(
        "worker pool processes at rest: " + ", ".join(f"{mb:.1f} MB" for mb in idle.values() if mb)
    )
    sampler = Sampler(worker.pid, url.replace("postgres://", "postgresql://", 1))
    sampler.start()

    started = time.perf_counter()
    with transaction.atomic():
        enrolled = launch_broadcast(Campaign.objects.get(pk=campaign_id))
    launch = time.perf_counter() - started
    print(
        f"launch: {enrolled:,} runs in {launch:.2f} s ({launch / baseline:.2f}x the bare INSERT)"
    )

    deadline = time.monotonic() + arguments.timeout
    last_progress = last_report = time.monotonic()
    last_sent = 0
    while time.monotonic() < deadline:
        time.sleep(5)
        sent = sampler.last_sent()
        if sent >= arguments.recipients:
            break
        if time.monotonic() - last_report >= 60:
            last_report = time.monotonic()
            memory = ", ".join(f"{mb:.0f}" for mb in sampler.samples[-1][2].values())
            print(
                f"  {time.perf_counter() - started:5.0f} s: {sent:,} sent; RSS MB {memory}",
                flush=True,
            )
        if sent != last_sent:
            last_progress, last_sent = time.monotonic(), sent
        elif time.monotonic() - last_progress > 120:
            log.seek(0)
            print("no progress for 120 s; worker log:\n" + log.read()[-4000:])
            break
    elapsed = time.perf_counter() - started
    sampler.stopping.set()
    sampler.join()
    return report(sampler.samples, idle, launch, baseline, elapsed, arguments)


def report(samples, idle, launch, baseline, elapsed, arguments) -> bool:
    count = arguments.recipients
    peaks: dict[int, float] = {}
    for _, _, memory in samples:
        for pid, mb in memory.items():
            peaks[pid] = max(peaks.get(pid, 0.0), mb)
    span = min(WINDOW, count // 10)
    first, last = window(samples, 0, span), window(samples, count - span, count)
    print(
        f"delivered in {elapsed:.0f} s after the launch ({count / elapsed:.0f} messages/s, "
        f"runs advanced and mail sent by the same 2 processes)"
    )
    for pid in sorted(peaks):
        print(
            f"pool process {pid}: at rest {idle.get(pid) or 0:.1f} MB, peak {peaks[pid]:.1f} MB, "
            f"first {span:,} messages {first.get(pid, float('nan')):.1f} MB, "
            f"last {span:,} {last.get(pid, float('nan')):.1f} MB"
        )
    # None: no process was sampled in both windows (too few messages for the sampling rate).
    growth = max((last[pid] - first[pid] for pid in first if pid in last), default=None)
    peak = max(peaks.values(), default=float("inf"))
    checks = verify(count)
    checks["peak under budget"] = peak < PEAK_BUDGET_MB
    checks["no growth"] = growth is not None and growth < GROWTH_BUDGET_MB
    checks["launch under budget"] = launch < LAUNCH_BUDGET_SECONDS
    for name, passed in checks.items():
        print(f"{'ok ' if passed else 'FAIL'} {name}")
    measured = "not measured (too few samples)" if growth is None else f"{growth:+.1f} MB"
    print(f"growth between the first and the last {span:,} messages: {measured}")
    at_rest = max((mb for mb in idle.values() if mb), default=0.0)
    ok = all(checks.values())
    print(
        json.dumps(
            {
                "bench": BENCH,
                "value": round(peak, 1),
                "unit": "MB peak RSS per worker process",
                "baseline": round(at_rest, 1),
                "ratio": round(peak / at_rest, 3) if at_rest else None,
                "budget": {
                    "peak_mb": PEAK_BUDGET_MB,
                    "growth_mb": GROWTH_BUDGET_MB,
                    "launch_seconds": LAUNCH_BUDGET_SECONDS,
                    "growth_measured_mb": None if growth is None else round(growth, 1),
                    "launch_measured_seconds": round(launch, 2),
                    "launch_baseline_seconds": round(baseline, 2),
                },
                "ok": ok,
            }
        )
    )
    return ok


if __name__ == "__main__":
    main()
