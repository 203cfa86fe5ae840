"""A whole audience enters a campaign in one statement, each contact once per run key."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ma_plugin.campaigns import EnrollmentStatus, ReentryPolicy, enrolling
from saleor_ma_plugin.campaigns.enrolling import enroll_audience
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.messaging.models import Message
from tests.campaign_helpers import campaign, subscribe

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def person(name: str, **fields) -> Contact:
    return Contact.objects.create(email=f"{name}@example.com", **fields)


def broadcast(**fields):
    return campaign(
        {"type": "broadcast"},
        kind="standalone",
        reentry_policy=fields.pop("reentry_policy", ReentryPolicy.EVERY_TIME),
        **fields,
    )


def enrollment_inserts(queries) -> list[str]:
    table = Enrollment._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith(f'INSERT INTO "{table}"')]


def test_a_broadcast_launch_enrols_its_whole_audience_with_one_insert():
    # given a broadcast to everyone and three contacts, one of them erased
    anna, bert = person("anna"), person("bert")
    person("cara", erased_at=NOW)
    news = broadcast()

    # when
    with CaptureQueriesContext(connection) as queries:
        started = launch_broadcast(news, NOW)

    # then the ids never came to Python: the contact table is read inside the INSERT only
    assert started == 2
    contact_table = Contact._meta.db_table
    reading_contacts = [q["sql"] for q in queries.captured_queries if contact_table in q["sql"]]
    assert reading_contacts == enrollment_inserts(queries.captured_queries)
    assert len(reading_contacts) == 1
    runs = Enrollment.objects.filter(campaign=news).order_by("contact_id")
    assert [
        (r.contact_id, r.trigger_key, r.status, r.step_key, r.next_run_at, r.started_at, r.context)
        for r in runs
    ] == [
        (anna.pk, "broadcast", EnrollmentStatus.ACTIVE, "send", NOW, NOW, {}),
        (bert.pk, "broadcast", EnrollmentStatus.ACTIVE, "send", NOW, NOW, {}),
    ]


def test_runs_that_exist_are_skipped_and_not_counted():
    # given anna already runs under the key
    anna, bert = person("anna"), person("bert")
    news = broadcast()
    earlier = Enrollment.objects.create(
        campaign=news,
        contact=anna,
        trigger_key="broadcast",
        step_key="send",
        next_run_at=None,
        started_at=datetime(2026, 1, 1, tzinfo=UTC),
        status=EnrollmentStatus.COMPLETED,
    )

    # when
    started = enroll_audience(news, Contact.objects.all(), "broadcast", NOW)
    again = enroll_audience(news, Contact.objects.all(), "broadcast", NOW)

    # then only bert started, once; anna's earlier run is untouched
    assert (started, again) == (1, 0)
    assert list(
        Enrollment.objects.filter(campaign=news)
        .order_by("contact_id")
        .values_list("contact_id", "status")
    ) == [(anna.pk, EnrollmentStatus.COMPLETED), (bert.pk, EnrollmentStatus.ACTIVE)]
    earlier.refresh_from_db()
    assert earlier.started_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_a_once_ever_campaign_collapses_every_key_into_one_run():
    # given a campaign each contact may enter only once ever
    anna = person("anna")
    once = broadcast(reentry_policy=ReentryPolicy.ONCE)

    # when two different occurrences enrol the same audience
    first = enroll_audience(once, Contact.objects.all(), "date:2026-03-02", NOW)
    second = enroll_audience(once, Contact.objects.all(), "date:2027-03-02", NOW)

    # then
    assert (first, second) == (1, 0)
    assert list(Enrollment.objects.values_list("contact_id", "trigger_key")) == [(anna.pk, "once")]


def test_only_the_contacts_of_the_query_enter():
    # given a query that keeps bert out
    person("anna"), person("bert")
    news = broadcast()

    # when
    started = enroll_audience(
        news, Contact.objects.exclude(email="bert@example.com"), "broadcast", NOW
    )

    # then
    assert started == 1
    assert list(Enrollment.objects.values_list("contact__email", flat=True)) == [
        "anna@example.com"
    ]


def test_a_launch_starts_the_runs_at_once_not_at_the_next_tick(django_capture_on_commit_callbacks):
    # given a broadcast to two subscribed contacts
    for name in ("anna", "bert"):
        subscribe(person(name))
    news = broadcast()

    # when it is launched and the launch commits
    with django_capture_on_commit_callbacks(execute=True):
        started = launch_broadcast(news)

    # then the runner was woken after the commit and wrote both messages
    assert started == 2
    assert sorted(Message.objects.values_list("contact__email", flat=True)) == [
        "anna@example.com",
        "bert@example.com",
    ]


def planned_runs() -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [Enrollment._meta.db_table],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_large_enrolment_refreshes_the_planners_view_of_the_runs(monkeypatch):
    # given statistics taken while the runs table was empty, and a threshold of 3 runs
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Enrollment._meta.db_table}")
    before = planned_runs()
    monkeypatch.setattr(enrolling, "ANALYZE_AFTER_RUNS", 3)
    for name in ("anna", "bert"):
        person(name)
    news = broadcast()

    # when 2 runs start, below the threshold
    enroll_audience(news, Contact.objects.all(), "first", NOW)

    # then the planner still sees the old count
    assert planned_runs() == before

    # when six start at once under another key
    for name in ("cara", "dora", "emil", "fred"):
        person(name)
    started = enroll_audience(news, Contact.objects.all(), "second", NOW)

    # then it sees all 8 runs
    assert started == 6
    assert planned_runs() == 8
