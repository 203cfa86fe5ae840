"""``--saleor`` mode of bench/webhook_intake.py: Saleor's webhook send -> our outbox row.

See bench/webhook_intake.py's docstring for what is measured and how to run it.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
BENCH = "webhook_latency_saleor"
BUDGET_SECONDS = 2.0
WARMUP_ORDERS = 10


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Saleor's webhook send -> our outbox row")
    parser.add_argument("--saleor", action="store_true", help="this mode")
    parser.add_argument("--drive", choices=("trigger", "replay"), default="trigger")
    parser.add_argument("--rate", type=float, default=80.0, help="orders/s driven")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--baseline-rate", type=float, default=4.0, help="orders/s")
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument(
        "--replay-deliveries",
        choices=("order-created", "all"),
        default="order-created",
        help="--drive replay: send each order's marketing ORDER_CREATED delivery, or all "
        "of its deliveries (mail webhooks too)",
    )
    parser.add_argument("--drivers", type=int, default=4, help="threads placing orders")
    parser.add_argument("--saleor-concurrency", type=int, default=4, help="Saleor's worker")
    parser.add_argument("--app-web-workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--app-concurrency", type=int, default=2, help="the App's worker")
    parser.add_argument("--poll-ms", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=900.0, help="wait for the last order")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/bench_webhook_saleor",
        help="Saleor's database: a copy of --template-database, dropped at the end",
    )
    parser.add_argument(
        "--template-database",
        default="bench_webhook_saleor_template",
        help="a Saleor database to copy; made (migrated, stocked, ~3 min) and kept if absent",
    )
    parser.add_argument(
        "--app-database-url",
        default="postgres://postgres@127.0.0.1:5432/bench_webhook_app",
        help="the App's database, created and dropped",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10", help="flushed")
    parser.add_argument(
        "--app-python",
        default=os.environ.get("SALEOR_MA_APP_PYTHON", sys.executable),
        help="the App service's Python (with gunicorn)",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    arguments = parse(argv)
    sys.path.insert(0, str(BENCH_DIR))
    import _saleor_app
    import redis
    from _common import describe_idle_machine, scratch_database

    source = _saleor_app.saleor_source_dir()
    sys.path.insert(0, str(source))
    print(describe_idle_machine())
    broker = redis.Redis.from_url(arguments.redis_url)
    broker.flushdb()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-webhook-saleor-"))
    print(f"logs: {log_dir}")
    services = _saleor_app.Services(arguments, log_dir)
    os.environ.update(services.saleor_env)
    template = _saleor_app.with_database(arguments.database_url, arguments.template_database)
    if not _saleor_app.database_exists(template):
        seconds = _saleor_app.make_saleor_template(template, services.saleor_env)
        print(f"template database {arguments.template_database} made in {seconds:.0f} s")
    try:
        with (
            _saleor_app.copied_database(arguments.database_url, arguments.template_database),
            scratch_database(arguments.app_database_url),
        ):
            ok = run(arguments, services)
    finally:
        broker.flushdb()
    print(f"kept the template database {arguments.template_database}")
    sys.exit(0 if ok else 1)


def run(arguments, services) -> bool:
    import subprocess

    import django
    import redis

    django.setup()
    import _saleor_orders
    from _saleor_template import STAFF_EMAIL
    from django.db import connections
    from saleor.order.models import Order
    from transactional import Orders

    subprocess.run(
        [arguments.app_python, "-m", "django", "migrate", "--no-input", "-v", "0"],
        env=services.app_env,
        check=True,
    )
    orders = Orders(Order.objects.order_by("created_at").first())
    connections.close_all()
    services.start_all()
    arrivals = _saleor_orders.Arrivals(arguments.app_database_url, arguments.poll_ms / 1000)
    try:
        print(f"App installed through appInstall in {services.install_app(STAFF_EMAIL):.1f} s")
        print(f"App prepared: {services.app_step('prepare')}")
        arrivals.start()
        meter = Meter(services)
        log = redis.Redis.from_url(arguments.redis_url)
        phase(arguments, orders, arrivals, log, "warm", WARMUP_ORDERS, 2.0, meter=None)
        low, high = (
            phase(arguments, orders, arrivals, log, label, int(rate * seconds), rate, meter)
            for label, rate, seconds in (
                ("low", arguments.baseline_rate, arguments.baseline_seconds),
                ("run", arguments.rate, arguments.seconds),
            )
        )
    finally:
        arrivals.stop()
        services.stop()
    return report(arguments, low, high)


def phase(arguments, orders, arrivals, log, prefix, count, rate, meter) -> dict:
    """Drive ``count`` orders at ``rate``, wait for their outbox rows; the figures."""
    import _saleor_orders
    from _common import percentile

    emails = [f"{prefix}-{index}@example.com" for index in range(count)]
    held = publish = None
    if arguments.drive == "replay":
        held, publish = _saleor_orders.prepare_replay(
            orders, emails, arguments.replay_deliveries, arguments.drivers
        )
    before = meter.snapshot() if meter else None
    if arguments.drive == "replay":
        started, driven = _saleor_orders.replay(held, publish, emails, rate)
    else:
        started, driven = _saleor_orders.trigger(orders, emails, rate, arguments.drivers)
    done = arrivals.wait_for(emails, arguments.timeout)
    after = meter.snapshot() if meter else None
    time.sleep(1.0)  # the last sends' clock entries are pushed after the App answered
    sent: dict[str, list[float]] = {}
    kinds: dict[str, int] = {}
    for entry in _saleor_orders.sends(log):
        if entry["email"] in started:
            kind = f"{entry['event']}{' (mail)' if entry['notification'] else ''}"
            kinds[kind] = kinds.get(kind, 0) + 1
            if entry["event"] == "order_created" and not entry["notification"]:
                sent.setdefault(entry["email"], []).append(entry["sent_at"])
    first_sent = {email: min(times) for email, times in sent.items()}
    moments = sorted(first_sent.values())
    send_rate = (len(moments) - 1) / (moments[-1] - moments[0]) if len(moments) > 1 else 0.0
    figures = {
        "placed": count / driven,
        # What reached the App at the rate asked: Saleor's sends, not the orders placed.
        "achieved": min(count / driven, send_rate),
        "count": count,
        "complete": done,
        "sent_once": sum(1 for e in emails if len(sent.get(e, [])) == 1),
        "checks": _saleor_orders.stored_once(arguments.app_database_url, emails),
    }
    origin = "order commit" if arguments.drive == "trigger" else "send task published"
    spans = {
        f"{origin} -> Saleor's send": (started, first_sent),
        "Saleor's send -> order.created event row": (first_sent, arrivals.events),
        "Saleor's send -> outbox message row": (first_sent, arrivals.messages),
        f"{origin} -> outbox message row": (started, arrivals.messages),
    }
    for label, (start, end) in spans.items():
        figures[label] = [end[e] - start[e] for e in emails if e in start and e in end]
    figures["outbox"] = figures["Saleor's send -> outbox message row"]
    if meter is None:
        return figures
    print(
        f"\n{prefix}: {count:,} orders ({arguments.drive}), placed/published at "
        f"{count / driven:.1f}/s (asked {rate:g}/s), their ORDER_CREATED sent by Saleor at "
        f"{send_rate:.1f}/s; all arrived: {done}; deliveries sent: {kinds}"
    )
    for label in spans:
        if values := figures[label]:
            print(
                f"  {label:<42} p50 {percentile(values, 0.5):7.3f}  p95 "
                f"{percentile(values, 0.95):7.3f}  p99 {percentile(values, 0.99):7.3f}  "
                f"max {max(values):7.3f} s  n={len(values):,}"
            )
    meter.describe(before, after)
    return figures


class Meter:
    """CPU seconds of each service's process tree and of this process during a phase."""

    def __init__(self, services) -> None:
        self.pids = services.pids()

    def snapshot(self) -> tuple:
        from trigger_latency import tree_cpu_seconds

        return (
            time.perf_counter(),
            {name: tree_cpu_seconds(pid) for name, pid in self.pids.items()},
            time.process_time(),
        )

    def describe(self, before, after) -> None:
        wall = after[0] - before[0]
        used = {name: after[1][name] - before[1][name] for name in self.pids}
        used["bench (orders)"] = after[2] - before[2]
        print(
            f"  CPU seconds over {wall:.1f} s: "
            + ", ".join(f"{name} {seconds:.1f}" for name, seconds in used.items())
        )


def report(arguments, low: dict, high: dict) -> bool:
    from _common import percentile, result_line_within

    outbox = "outbox"
    value = percentile(high[outbox], 0.99) if high[outbox] else float("inf")
    baseline = percentile(low[outbox], 0.99) if low[outbox] else float("inf")
    checks = {
        f"every order's ORDER_CREATED sent once ({high['count']:,})": (
            high["sent_once"],
            high["count"],
        ),
        **high["checks"],
    }
    for label, (found, expected) in checks.items():
        print(f"  {label}: {found:,}/{expected:,}")
    exactly_once = high["complete"] and all(f == e for f, e in checks.values())
    held_rate = high["achieved"] >= 0.95 * arguments.rate
    print(
        f"\np99 Saleor's send -> outbox at {high['achieved']:.1f} orders/s ({arguments.drive}): "
        f"{value:.3f} s vs {baseline:.3f} s at {low['achieved']:.1f}/s; drove "
        f"{high['achieved'] / arguments.rate:.0%} of the asked {arguments.rate:g}/s; "
        f"exactly once: {exactly_once}; median of the outbox span "
        f"{statistics.median(high[outbox]) if high[outbox] else float('nan'):.3f} s"
    )
    ok = value < BUDGET_SECONDS and held_rate and exactly_once
    line = json.loads(result_line_within(BENCH, value, "s", baseline, BUDGET_SECONDS))
    print(json.dumps({**line, "ok": ok}))
    return ok
