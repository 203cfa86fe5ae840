"""The dashboard app: initial JavaScript, and how fast its heaviest pages become usable.

Measures, on the built app (``dashboard_extension/dist``, ``npm run build`` first):

* **initial JS**: the gzip size of the JavaScript the campaign list loads before it can
  render (the entry script and the chunks it preloads; fonts, styles and lazily loaded
  pages aside). Budget 250 kB.
* **time to interactive** in headless Chromium (Debian's ``/usr/bin/chromium``) of
  - the campaign list of a shop with 1,000 campaigns (first page of 20, figures, revenue
    per currency, sparklines), and
  - the report of a campaign with 100,000 messages (figures, funnel, revenue per step,
    chart, holdout): from navigation start until the content is on screen and the page
    takes input; median of ``--runs`` after one warm-up load each. Budget 1 s each.
  For each, the share of that time the API was busy (any GraphQL request in flight).

The in-run baseline is the same measurement of the app's smallest page (its "not found"
page: the bundle, the session check, no data), so the ratio says what the data costs.

Generates its data in its own PostgreSQL database (``bench_dashboard``, created and
dropped by the bench) with ``INSERT ... SELECT generate_series``, and serves it with the
standalone host (Django's threaded server) on 127.0.0.1:18300::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboard \\
        .venv/bin/python bench/dashboard.py [--runs 7] [--port 18300]

The JSON ``value`` is the slower page's median in ms, ``baseline`` the not-found page's;
``ok`` needs both pages within 1 s and the initial JS within 250 kB.
"""

import argparse
import gzip
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _common import (  # noqa: E402
    build_insert_select,
    describe_idle_machine,
    result_line_within,
    scratch_database,
    table,
)

BENCH = "dashboard"
APP = ROOT / "dashboard_extension"
BUDGET_MS = 1000.0
BUDGET_JS_KB = 250.0
CAMPAIGNS = 1000
REPORT_MESSAGES = 100_000
CONTACTS = 50_000
PASSWORD = "bench-admin-password"


def initial_js_kb(dist: Path) -> tuple[float, list[str]]:
    """Gzip size (kB) of the scripts index.html loads and preloads, and their names."""
    html = (dist / "index.html").read_text(encoding="utf-8")
    names = re.findall(r'<script[^>]+src="\./(assets/[^"]+\.js)"', html)
    names += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="\./(assets/[^"]+\.js)"', html)
    total = sum(len(gzip.compress((dist / name).read_bytes(), compresslevel=9)) for name in names)
    return total / 1000, names


def generate(connection) -> None:
    """1,000 campaigns with messages; the first one with 100,000 messages and conversions."""
    from django.contrib.auth.models import User

    from saleor_ma_plugin.attribution.models import Conversion
    from saleor_ma_plugin.campaigns.models import Campaign, Enrollment, Step
    from saleor_ma_plugin.contacts.models import Contact
    from saleor_ma_plugin.messaging.models import Message

    User.objects.create_superuser("admin", "admin@example.com", PASSWORD)
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            name=f"Campaign {number:04d}",
            kind=("autoresponder", "nurturing", "newsletter")[number % 3],
            status=("active", "paused", "draft")[number % 3],
            trigger={"type": "event", "event": "order.created"},
            trigger_event_type="order.created",
            goal={"event": "order.created"},
            entry_step_key="mail",
            holdout_share=10 if number == 0 else 0,
        )
        for number in range(CAMPAIGNS)
    )
    Step.objects.bulk_create(
        Step(campaign=campaign, key=key, type=kind, config=config, next_key=nxt, position=at)
        for campaign in campaigns
        for at, (key, kind, config, nxt) in enumerate(
            [
                ("mail", "send", {"template": "welcome_1"}, "wait"),
                ("wait", "wait", {"days": 2}, "follow_up"),
                ("follow_up", "send", {"template": "welcome_2"}, ""),
            ]
        )
    )
    first = campaigns[0].pk
    with connection.cursor() as cursor:
        for sql, params in _bulk_statements(first, Contact, Enrollment, Message, Conversion):
            cursor.execute(sql, params)
        # The campaigns have run for three months: "since it was created" covers the data.
        cursor.execute(
            f"UPDATE {table(Campaign)} SET created_at = now() - interval '90 days', "
            "launched_at = now() - interval '90 days'"
        )
        cursor.execute("ANALYZE")


def _bulk_statements(first: int, Contact, Enrollment, Message, Conversion):
    """INSERT ... SELECT statements: contacts, runs, messages and orders earned.

    The statements take parameters, so SQL's modulo is written ``%%``.
    """
    contacts = f"(SELECT min(id) FROM {table(Contact)})"
    days = "now() - (random() * interval '80 days')"
    yield build_insert_select(
        Contact,
        {"email": "'c' || i || '@example.com'", "created_at": "now()", "updated_at": "now()"},
        "FROM generate_series(1, %s) AS i",
        [CONTACTS],
    )
    yield build_insert_select(
        Enrollment,
        {
            "campaign": str(first),
            "contact": f"{contacts} + (i %% {CONTACTS})",
            "trigger_key": "'k' || i",
            "status": "CASE WHEN i %% 30 = 0 THEN 'goal_reached' ELSE 'completed' END",
            "started_at": days,
            "finished_at": "now()",
        },
        "FROM generate_series(1, %s) AS i",
        [REPORT_MESSAGES // 2],
    )
    sent = {
        "contact": f"{contacts} + (i %% {CONTACTS})",
        "channel": "'email'",
        "template": "'welcome_1'",
        "status": "'sent'",
        "scheduled_at": days,
        "sent_at": days,
        "opened_at": f"CASE WHEN i %% 5 < 2 THEN {days} END",
        "clicked_at": f"CASE WHEN i %% 8 = 0 THEN {days} END",
    }
    yield build_insert_select(
        Message,
        {
            **sent,
            "idempotency_key": "'report:' || i",
            "campaign": str(first),
            "step_key": "CASE WHEN i %% 2 = 0 THEN 'mail' ELSE 'follow_up' END",
        },
        "FROM generate_series(1, %s) AS i",
        [REPORT_MESSAGES],
    )
    yield build_insert_select(
        Message,
        {
            **sent,
            "idempotency_key": "'list:' || i",
            "campaign": f"{first} + 1 + (i %% {CAMPAIGNS - 1})",
            "step_key": "'mail'",
        },
        "FROM generate_series(1, %s) AS i",
        [50 * (CAMPAIGNS - 1)],
    )
    yield build_insert_select(
        Conversion,
        {
            "order_id": "'order-' || i",
            "model": "'last_touch'",
            # 4,000 orders for the report's campaign, ten for each of the others.
            "campaign": f"CASE WHEN i <= 4000 THEN {first} "
            f"ELSE {first} + 1 + (i %% {CAMPAIGNS - 1}) END",
            "step_key": "CASE WHEN i %% 3 = 0 THEN 'follow_up' ELSE 'mail' END",
            "revenue": "20 + (i %% 100)",
            "currency": "CASE WHEN i %% 10 = 0 THEN 'PLN' ELSE 'EUR' END",
            "touch": "CASE WHEN i %% 4 = 0 THEN 'open' ELSE 'click' END",
            "touched_at": days,
            "occurred_at": days,
        },
        "FROM generate_series(1, %s) AS i",
        [14_000],
    )


def serve(url: str, port: int) -> subprocess.Popen:
    """The standalone host on the bench database (its own process group, stopped after)."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    env["DJANGO_SETTINGS_MODULE"] = "saleor_ma_plugin.standalone.settings"
    env.pop("CELERY_BROKER_URL", None)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/dashboard/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("The standalone host did not start.")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def browse(port: int, runs: int, report_route: str) -> dict:
    """Samples per page from scripts/measure.mjs: {page: [{interactive, api}, ...]}."""
    finished = subprocess.run(
        [
            "node",
            str(APP / "scripts" / "measure.mjs"),
            f"http://127.0.0.1:{port}",
            "admin",
            PASSWORD,
            str(runs),
            "shell=/dashboard/no-such-page",
            "list=/dashboard/",
            f"report={report_route}",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if finished.returncode != 0:
        raise SystemExit(f"measuring failed:\n{finished.stderr[-3000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def medians(samples: list[dict]) -> tuple[float, float]:
    """(median time to interactive, median API share of it)."""
    return (
        statistics.median(sample["interactive"] for sample in samples),
        statistics.median(sample["api"] / sample["interactive"] for sample in samples),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--port", type=int, default=18300)
    arguments = parser.parse_args()
    dist = APP / "dist"
    if not (dist / "index.html").is_file():
        raise SystemExit("Build the app first: cd dashboard_extension && npm ci && npm run build")
    js_kb, scripts = initial_js_kb(dist)
    print(describe_idle_machine())
    print(f"initial JS: {js_kb:.1f} kB gzip ({', '.join(scripts)})")
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_dashboard")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")
    with scratch_database(url):
        import django
        from django.core.management import call_command
        from django.db import connection, connections
        from graphql_relay import to_global_id

        os.environ["DEBUG"] = "0"  # measure what production runs

        django.setup()
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        generate(connection)
        print(
            f"generated {CAMPAIGNS} campaigns and {REPORT_MESSAGES} report messages in "
            f"{time.monotonic() - started:.1f} s"
        )
        from saleor_ma_plugin.campaigns.models import Campaign

        first = Campaign.objects.order_by("pk").first()
        report = f"/dashboard/campaigns/{to_global_id('Campaign', first.pk)}/report"
        connections.close_all()
        server = serve(url, arguments.port)
        try:
            samples = browse(arguments.port, arguments.runs, report)
        finally:
            stop(server)
    shell, _ = medians(samples["shell"])
    results = {name: medians(samples[name]) for name in ("list", "report")}
    print(f"{'app shell (not found page)':<44} median {shell:8.1f} ms")
    for name, (value, share) in results.items():
        label = {"list": "campaign list, 1,000 campaigns", "report": "report, 100,000 messages"}[
            name
        ]
        print(f"{label:<44} median {value:8.1f} ms   API busy {share:5.1%} of it")
    slowest = max(value for value, _ in results.values())
    line = json.loads(result_line_within(BENCH, slowest, "ms", shell, BUDGET_MS))
    line["initial_js_kb"] = round(js_kb, 1)
    line["list_ms"] = round(results["list"][0], 1)
    line["report_ms"] = round(results["report"][0], 1)
    line["api_share"] = {name: round(share, 3) for name, (_, share) in results.items()}
    line["ok"] = line["ok"] and js_kb <= BUDGET_JS_KB
    print(json.dumps(line))


if __name__ == "__main__":
    main()
