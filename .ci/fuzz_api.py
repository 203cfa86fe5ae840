"""Replay a generated corpus (``fuzz_corpus.py``) against the real API view, as anyone and admin.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fuzz python .ci/fuzz_api.py corpus.jsonl

The standalone host runs with DEBUG off on a fresh PostgreSQL database (created and
dropped here) holding a few campaigns, contacts, segments, templates, topics and score
rules. Every operation is sent through Django's test client (the whole request path:
middleware, the view, the schema) once anonymously and once as a superuser. It fails on
- any 5xx,
- any error we did not write ourselves: an ``INTERNAL_ERROR``, or a message that quotes an
  exception (SQL, Python or PostgreSQL wording),
- any change of stored data by a request that was refused (top-level errors, or a
  mutation payload with errors).
"""

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DEBUG"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_ma_plugin.standalone.settings")

import django  # noqa: E402
import psycopg  # noqa: E402

#: Wording of exceptions and database errors that must never reach a client.
LEAKS = re.compile(
    r"Traceback|psycopg|django\.|SELECT |INSERT |UPDATE |DELETE |out of range|"
    r"recursion depth|NUL \(0x00\)|invalid input syntax|object has no attribute|NoneType|"
    r"KeyError|TypeError|ValueError|OverflowError|unexpected keyword|not JSON serializable|"
    r"violates|constraint|relation \"|column \""
)


def create_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def seed():
    """A small shop: what the corpus's ids (pk 1 to 3 of each type) point at."""
    from django.contrib.auth.models import User

    from saleor_ma_plugin.campaigns.presets import create_from_preset
    from saleor_ma_plugin.contacts.models import Contact
    from saleor_ma_plugin.messaging.models import NewsletterTopic, Template
    from saleor_ma_plugin.scoring.models import ScoreRule
    from saleor_ma_plugin.segments.editing import create_segment

    admin = User.objects.create_superuser("admin", "admin@example.com", "admin")
    for index in range(3):
        Contact.objects.create(email=f"c{index}@example.com", first_name=f"C{index}")
    for slug in ("welcome_series", "abandoned_checkout", "newsletter"):
        create_from_preset(slug)
    for index in range(3):
        create_segment(f"Segment {index}", {"tag": f"t{index}"})
        NewsletterTopic.objects.create(slug=f"topic{index}", names={"en": f"Topic {index}"})
        Template.objects.create(
            key=f"custom_{index}",
            language="en",
            source="{% block subject %}Hi{% endblock %}"
            "{% block text_body %}Hello {{ contact.first_name }}{% endblock %}",
        )
        ScoreRule.objects.create(name=f"Rule {index}", event_type="order.created", points=5)
    return admin


def fingerprint() -> dict:
    """A hash of every stored row of the app's tables (and of users)."""
    from django.apps import apps
    from django.db import connection

    tables = [
        model._meta.db_table for model in apps.get_app_config("saleor_ma_plugin").get_models()
    ]
    tables.append("auth_user")
    with connection.cursor() as cursor:
        parts = [
            f"SELECT '{table}', "
            "md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "
            f'FROM "{table}" AS t'
            for table in tables
        ]
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def refused(status: int, body: dict) -> bool:
    if status != 200 or body.get("errors"):
        return True
    data = body.get("data") or {}
    return any(isinstance(value, dict) and value.get("errors") for value in data.values())


def problems_of(status: int, body: dict) -> list[str]:
    found = []
    if status >= 500:
        found.append(f"HTTP {status}")
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        message = error.get("message", "")
        if code == "INTERNAL_ERROR":
            found.append("internal error")
        elif LEAKS.search(message):
            found.append(f"leaked: {message[:200]}")
    for value in (body.get("data") or {}).values():
        for error in (value or {}).get("errors", []) if isinstance(value, dict) else []:
            if LEAKS.search(error.get("message", "")):
                found.append(f"leaked in payload: {error['message'][:200]}")
    return found


def replay(corpus: list[dict]) -> list[str]:
    from django.test import Client

    admin = seed()
    anonymous, staff = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    staff.force_login(admin)
    failures = []
    for number, item in enumerate(corpus):
        for who, client in (("anonymous", anonymous), ("admin", staff)):
            before = fingerprint()
            response = client.post(
                "/graphql/", json.dumps({"query": item["query"]}), content_type="application/json"
            )
            status = response.status_code
            try:
                body = response.json()
            except ValueError:
                body = {}
                failures.append(f"#{number} {item['field']} as {who}: not JSON (HTTP {status})")
            problems = problems_of(status, body)
            if refused(status, body) and fingerprint() != before:
                problems.append("a refused request changed stored data")
            failures += [f"#{number} {item['field']} as {who}: {problem}" for problem in problems]
    return failures


def main() -> int:
    corpus_path = sys.argv[1]
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fuzz")
    os.environ["DATABASE_URL"] = url
    corpus = [json.loads(line) for line in Path(corpus_path).read_text().splitlines() if line]
    create_database(url)
    try:
        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        failures = replay(corpus)
    finally:
        drop_database(url)
    print(f"{len(corpus)} operations, each anonymously and as admin: {len(failures)} failures")
    for failure in sorted(set(failures))[:60]:
        print("  " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
