"""The live count while a rule is edited, end to end: ``segmentCountPreview`` over HTTP.

Runs on the database ``segment_eval.py --keep`` leaves (1,000,000 contacts, 10,000,000
events), served by the standalone host (Django's threaded server, ``DEBUG=0``) on
127.0.0.1:18310. A superuser logs in through the dashboard's login page; every request
is a POST of the operation to ``/graphql/`` with that session, as the rule builder sends it
after each edit. Measured, round robin, ``--repeat`` times after one warm-up each:

* the bench's three segments (RFM "champions" in EUR, behavioural, consent + tag), and
* typical edits of them in the rule builder: add a tag, narrow or widen a time window.

The in-run baseline is ``segment_eval``'s: a plain ``SELECT count(*)`` over the contacts
table, timed in the same rounds; the round trip of a request that reads no contacts
(``segmentPresets``) is printed too, as the cost of HTTP, session and GraphQL alone.
Budget (issue 17): each live count answers within 1 s. The JSON ``value`` is the slowest
median in seconds::

    .venv/bin/python bench/segment_eval.py --keep      # once: generates the data
    .venv/bin/python bench/segment_api.py [--repeat 5]
"""

import argparse
import copy
import http.cookiejar
import json
import os
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import describe_idle_machine, result_line_within
from dashboard import serve, stop
from segment_eval import BEHAVIOURAL, CONSENT_AND_TAG, DEFAULT_DATABASE_URL, setup_django

BENCH = "segment_api"
BUDGET_SECONDS = 1.0
USERNAME, PASSWORD = "bench-segment-admin", "bench-segment-admin-password"
COUNT = "query Count($rules: JSON!) { segmentCountPreview(rules: $rules) }"
PRESETS = "{ segmentPresets { slug } }"


def edited(rules: dict, change) -> dict:
    rules = copy.deepcopy(rules)
    change(rules)
    return rules


def cases() -> dict[str, dict]:
    """What the rule builder asks for: each segment, and edits of it."""
    from saleor_ma_plugin.segments.presets import preset_rules

    champions = preset_rules("champions", "EUR")

    def views(rules: dict) -> dict:
        return rules["all"][0]["any"][0]["event"]

    return {
        "RFM (champions, EUR)": champions,
        "RFM + tag coffee": edited(champions, lambda r: r["all"].append({"tag": "coffee"})),
        "RFM, recency 30 -> 60 days": edited(
            champions, lambda r: r["all"][0]["rfm"].update(recency_days_max=60)
        ),
        "behavioural": BEHAVIOURAL,
        "behavioural + tag coffee": edited(
            BEHAVIOURAL, lambda r: r["all"].append({"tag": "coffee"})
        ),
        "behavioural, views 30 -> 14 days": edited(
            BEHAVIOURAL, lambda r: views(r).update(within_days=14)
        ),
        "behavioural, views 30 -> 90 days": edited(
            BEHAVIOURAL, lambda r: views(r).update(within_days=90)
        ),
        "consent + tag": CONSENT_AND_TAG,
        "consent + tag, + tag tea": edited(
            CONSENT_AND_TAG, lambda r: r["all"].append({"tag": "tea"})
        ),
        "consent + tag, + ordered in 90 d": edited(
            CONSENT_AND_TAG,
            lambda r: r["all"].append({"event": {"type": "order.created", "within_days": 90}}),
        ),
    }


class Session:
    """A logged-in browser session against the standalone host."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def log_in(self) -> None:
        page = self.opener.open(f"{self.base}/dashboard/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/dashboard/login/", data=form, headers={"Referer": self.base}
        )
        try:
            self.opener.open(request)
        except urllib.error.HTTPError as error:
            if error.code != 404:  # where the login redirects to does not matter here
                raise
        if not any(cookie.name == "sessionid" for cookie in self.cookies):
            raise SystemExit("could not log in to the standalone host")

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.base}/graphql/", data=body, headers={"Content-Type": "application/json"}
        )
        answer = json.loads(self.opener.open(request, timeout=60).read())
        if answer.get("errors"):
            raise SystemExit(f"the API refused: {answer['errors']}")
        return answer["data"]


def plain_count() -> int:
    from django.db import connection

    from saleor_ma_plugin.contacts.models import Contact

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(Contact._meta.db_table)}")
        return cursor.fetchone()[0]


def measure(session: Session, repeat: int) -> tuple[dict, list[float], list[float]]:
    """Seconds per case, of the plain count and of the presets request, round robin."""
    requests = {label: {"rules": rules} for label, rules in cases().items()}
    answers = {label: session.graphql(COUNT, variables) for label, variables in requests.items()}
    session.graphql(PRESETS)
    plain_count()
    seconds: dict[str, list[float]] = {label: [] for label in requests}
    baseline, presets = [], []
    for _ in range(repeat):
        for label, variables in requests.items():
            started = time.perf_counter()
            answers[label] = session.graphql(COUNT, variables)
            seconds[label].append(time.perf_counter() - started)
        started = time.perf_counter()
        plain_count()
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        session.graphql(PRESETS)
        presets.append(time.perf_counter() - started)
    for label, samples in seconds.items():
        figures = " ".join(f"{value * 1000:7.1f}" for value in samples)
        count = answers[label]["segmentCountPreview"]
        print(
            f"  {label:<32} median {statistics.median(samples) * 1000:8.1f} ms   "
            f"runs [{figures} ] ms   {count:,} contacts"
        )
    return seconds, baseline, presets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--port", type=int, default=18310)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    arguments = parser.parse_args()
    setup_django(arguments.database_url)
    from django.contrib.auth.models import User
    from django.db import connections

    print(describe_idle_machine())
    User.objects.filter(username=USERNAME).delete()
    User.objects.create_superuser(USERNAME, "", PASSWORD)
    server = serve(arguments.database_url, arguments.port)
    try:
        session = Session(arguments.port)
        session.log_in()
        print(f"\nsegmentCountPreview over HTTP ({arguments.repeat} rounds after a warm-up):")
        seconds, baseline, presets = measure(session, arguments.repeat)
    finally:
        stop(server)
        User.objects.filter(username=USERNAME).delete()
        connections.close_all()
    plain, round_trip = statistics.median(baseline), statistics.median(presets)
    slowest = max(statistics.median(samples) for samples in seconds.values())
    print(
        f"\nbaseline: plain count(*) median {plain * 1000:.1f} ms; a request reading no "
        f"contacts (segmentPresets) median {round_trip * 1000:.1f} ms"
    )
    print(f"slowest live count median: {slowest:.3f} s (budget {BUDGET_SECONDS:.1f} s)")
    print(result_line_within(BENCH, slowest, "s", plain, BUDGET_SECONDS))


if __name__ == "__main__":
    os.environ.setdefault("DEBUG", "0")
    main()
