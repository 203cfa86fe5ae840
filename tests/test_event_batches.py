"""Fresh events are processed in batches: one wake-up takes a burst, lock races are retried."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from saleor_ma_plugin.campaigns.editing import StepSpec
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core import queue
from saleor_ma_plugin.events import MAX_PROCESSING_ATTEMPTS, EventSource, EventType
from saleor_ma_plugin.events.intake import order_events, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.pipeline import (
    BACKLOG_BATCH_SIZE,
    BATCH_SIZE,
    process_events,
    process_fresh_events,
)
from tests import factories
from tests.campaign_helpers import campaign


def _orders(*emails: str) -> list[int]:
    return store_events(
        [
            event
            for email in emails
            for event in order_events(
                EventType.ORDER_CREATED, factories.order(email=email), EventSource.SALEOR
            )
        ]
    )


@pytest.mark.django_db
def test_one_wake_up_processes_every_fresh_event_across_batches():
    # given more fresh events than one batch holds
    emails = [f"buyer{number}@example.com" for number in range(BATCH_SIZE + 5)]
    event_ids = _orders(*emails)

    # when one wake-up runs
    processed = process_fresh_events()

    # then every event is processed once, each contact counted once
    assert processed == len(emails)
    assert Event.objects.filter(pk__in=event_ids, processed_at__isnull=True).count() == 0
    assert sorted(Contact.objects.values_list("email", flat=True)) == sorted(emails)
    assert set(Contact.objects.values_list("orders_count", flat=True)) == {1}


@pytest.mark.django_db
def test_a_backlogs_later_batches_grow_to_the_backlog_batch_size():
    # given a backlog: batches of 25, 50 and 100 and 10 more events
    emails = [f"buyer{number}@example.com" for number in range(185)]
    event_ids = _orders(*emails)

    # when one wake-up drains it
    with CaptureQueriesContext(connection) as queries:
        processed = process_fresh_events()

    # then four batches (one write-back of its events each) took every event once
    assert (BATCH_SIZE, BACKLOG_BATCH_SIZE) == (25, 100)
    write_backs = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "saleor_ma_plugin_event"')
    ]
    assert (processed, len(write_backs)) == (185, 4)
    assert Event.objects.filter(pk__in=event_ids, processed_at__isnull=True).count() == 0
    assert set(Contact.objects.values_list("orders_count", flat=True)) == {1}


@pytest.mark.django_db
def test_a_wake_up_leaves_failed_events_to_the_sweeper():
    # given one fresh event and one that failed before
    fresh, failed = _orders("fresh@example.com", "failed@example.com")
    Event.objects.filter(pk=failed).update(attempts=1, processing_error="ValueError: earlier")

    # when
    processed = process_fresh_events()

    # then only the fresh one is taken; the failed one keeps its row untouched
    assert processed == 1
    assert Event.objects.get(pk=fresh).processed_at is not None
    failed_event = Event.objects.get(pk=failed)
    assert failed_event.processed_at is None
    assert (failed_event.attempts, failed_event.processing_error) == (1, "ValueError: earlier")
    assert not Contact.objects.filter(email="failed@example.com").exists()


@pytest.mark.django_db
def test_a_failing_event_keeps_its_error_and_the_rest_of_its_batch_lands():
    # given a batch whose middle event cannot be applied (currency missing)
    first, broken, last = _orders("a@example.com", "b@example.com", "c@example.com")
    event = Event.objects.get(pk=broken)
    del event.payload["currency"]
    event.save()

    # when
    processed = process_fresh_events()

    # then
    assert processed == 2
    assert Event.objects.filter(pk__in=[first, last], processed_at__isnull=False).count() == 2
    broken_event = Event.objects.get(pk=broken)
    assert broken_event.processed_at is None
    assert broken_event.attempts == 1
    assert broken_event.processing_error == "KeyError: 'currency'"
    assert broken_event.attempts < MAX_PROCESSING_ATTEMPTS
    assert sorted(Contact.objects.values_list("email", flat=True)) == [
        "a@example.com",
        "c@example.com",
    ]


@pytest.mark.django_db(transaction=True)
def test_an_immediate_step_runs_in_the_processing_worker_without_another_task():
    # given an order campaign whose first step sends
    order_campaign = campaign(
        {"type": "event", "event": EventType.ORDER_CREATED},
        StepSpec("send", "send", {"template": "order_delivery_forecast", "transactional": True}),
    )
    (event_id,) = _orders("now@example.com")

    # when only the event wake-up runs (no runner tick, no runner task)
    process_fresh_events()

    # then the run has already written its message and finished
    enrollment = Enrollment.objects.get(campaign=order_campaign)
    assert enrollment.trigger_event_id == event_id
    assert enrollment.status == "completed"
    assert list(Message.objects.values_list("enrollment_id", "step_key")) == [
        (enrollment.pk, "send")
    ]


@pytest.mark.django_db(transaction=True)
def test_an_event_that_loses_a_deadlock_is_retried_not_failed():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # given two known contacts and one fresh event for each
    for email in ("a@example.com", "b@example.com"):
        Contact.objects.create(email=email)
    event_ids = _orders("b@example.com", "a@example.com")
    other_worker_locked = threading.Event()
    outcome: list[str] = []

    def other_worker():
        # Holds b, then asks for a while the batch holds a and waits for b: a deadlock.
        # Its own deadlock check waits longer, so PostgreSQL picks the batch as the victim.
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL deadlock_timeout = '10s'")
                list(Contact.objects.select_for_update().filter(email="b@example.com"))
                other_worker_locked.set()
                time.sleep(0.5)  # the batch has taken a and is waiting for b by now
                list(Contact.objects.select_for_update().filter(email="a@example.com"))
            outcome.append("committed")
        except Exception as error:
            outcome.append(type(error).__name__)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    other_worker_locked.wait(5)

    # when the batch processes a (locks a), then b (blocked, then chosen as the victim)
    processed = process_events(event_ids)
    thread.join()

    # then the other worker went through, and the deferred event was processed on the next
    # pass: counted once, one attempt, no error
    assert outcome == ["committed"]
    assert processed == 2
    events = Event.objects.filter(pk__in=event_ids)
    assert [(e.attempts, e.processing_error) for e in events] == [(1, ""), (1, "")]
    assert all(event.processed_at is not None for event in events)
    assert list(Contact.objects.order_by("email").values_list("orders_count", flat=True)) == [
        1,
        1,
    ]


def test_nudges_are_not_deduplicated_through_a_per_process_cache(settings):
    # given the default local-memory cache, which a worker process cannot clear for us
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    # when the same task is nudged twice
    claims = [queue._claim_nudge("saleor_ma_plugin.process_events") for _ in range(2)]

    # then both wake-ups go out
    assert claims == [True, True]


def test_nudges_are_deduplicated_through_a_shared_cache(settings):
    # given a Redis cache, shared by the web processes and the workers
    from tests.conftest import REDIS_URL

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    queue.nudge_received("saleor_ma_plugin.process_events")

    # when the same task is nudged twice before a worker takes it, then once after
    claims = [queue._claim_nudge("saleor_ma_plugin.process_events") for _ in range(2)]
    queue.nudge_received("saleor_ma_plugin.process_events")
    claims.append(queue._claim_nudge("saleor_ma_plugin.process_events"))

    # then the second is held back, the third goes out
    assert claims == [True, False, True]
    queue.nudge_received("saleor_ma_plugin.process_events")
