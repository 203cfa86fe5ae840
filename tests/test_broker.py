"""The broker only wakes workers: its outage loses nothing, and a real worker processes events."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import redis
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from saleor_ma_plugin import pipeline
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core import queue
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events, record_events, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.pipeline import BATCH_SIZE, SWEEP_GRACE, process_fresh_events
from saleor_ma_plugin.tasks import sweep_events
from tests import factories
from tests.conftest import REDIS_URL

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.mark.django_db(transaction=True)
def test_order_is_stored_when_the_broker_is_down_and_swept_later(broker_app):
    # given
    broker_app(UNREACHABLE_BROKER)
    events = order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR)

    # when
    started = time.monotonic()
    with transaction.atomic():
        event_ids = record_events(events)
    waited = time.monotonic() - started

    # then
    assert len(event_ids) == 1
    assert Event.objects.get().processed_at is None
    assert waited < 5, "a dead broker must not stall the shop's request"

    # when the sweeper tick runs after the grace period
    with time_machine.travel(timezone.now() + SWEEP_GRACE + timedelta(seconds=1)):
        swept = sweep_events.apply().get()

    # then
    assert swept == 1
    event = Event.objects.get()
    assert event.processed_at is not None
    assert event.contact.email == "anna@example.com"
    assert event.contact.orders_count == 1


@pytest.mark.django_db(transaction=True)
def test_sweeper_leaves_fresh_events_to_their_own_task(broker_app):
    # given
    broker_app(UNREACHABLE_BROKER)
    with transaction.atomic():
        record_events(order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR))

    # when
    swept = sweep_events.apply().get()

    # then
    assert swept == 0
    assert Event.objects.get().processed_at is None


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def celery_worker_process():
    """A real Celery worker of the standalone host, on Redis, against the test database."""
    if not _redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a server database")
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
        "CELERY_BROKER_URL": REDIS_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "saleor_ma_plugin.standalone",
            "worker",
            "--pool=solo",
            "--queues=saleor-ma-plugin-tests",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_processes_the_event_after_commit(broker_app, celery_worker_process):
    # given
    broker_app(REDIS_URL)
    events = order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR)

    # when
    with transaction.atomic():
        (event_id,) = record_events(events)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Event.objects.filter(pk=event_id, processed_at__isnull=False).exists():
            break
        time.sleep(0.1)

    # then
    event = Event.objects.get(pk=event_id)
    assert event.processed_at is not None
    assert Contact.objects.get(email="anna@example.com").orders_count == 1


def _processed_by_the_worker() -> None:
    """Record one order and wait until the worker has processed its event."""
    events = order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR)
    with transaction.atomic():
        (event_id,) = record_events(events)
    deadline = time.monotonic() + 30
    while not Event.objects.filter(pk=event_id, processed_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the worker did not process the event"
        time.sleep(0.05)


def _worker_sessions() -> set[tuple[int, str]]:
    """The other sessions on this database: (process id, start) of each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start::text FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return set(cursor.fetchall())


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_keeps_its_database_session_and_replaces_one_the_server_ended(
    broker_app, celery_worker_process
):
    # given a worker that has processed one event
    broker_app(REDIS_URL)
    _processed_by_the_worker()
    time.sleep(0.2)  # its task has ended
    kept = _worker_sessions()

    # when it processes another one
    _processed_by_the_worker()
    time.sleep(0.2)

    # then one session served both, and stays open for the next task
    assert len(kept) == 1
    assert _worker_sessions() == kept

    # when the server ends that session, then the next event is processed all the same
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [next(iter(kept))[0]])
    _processed_by_the_worker()
    time.sleep(0.2)
    replaced = _worker_sessions()
    assert len(replaced) == 1
    assert replaced != kept
    assert Contact.objects.get(email="anna@example.com").orders_count == 3


@pytest.mark.redis
def test_a_wake_up_the_broker_refused_does_not_hold_back_the_next_one(settings, broker_app):
    # given a shared cache and a broker that is down
    if not _redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    queue.nudge_received(queue.Work.PROCESS_EVENTS)
    broker_app(UNREACHABLE_BROKER)
    queue.wake(queue.Work.PROCESS_EVENTS)

    # when the broker is back and the next event nudges the same task at once
    broker_app(REDIS_URL)
    pending = redis.Redis.from_url(REDIS_URL)
    pending.delete("saleor-ma-plugin-tests")
    queue.wake(queue.Work.PROCESS_EVENTS)

    # then that nudge reaches the broker instead of waiting for the sweeper
    queued = pending.llen("saleor-ma-plugin-tests")
    pending.delete("saleor-ma-plugin-tests")
    queue.nudge_received(queue.Work.PROCESS_EVENTS)
    assert queued == 1


@pytest.fixture
def queued_tasks(settings, broker_app):
    """A real broker and a shared cache; answers how many tasks wait in the test queue."""
    if not _redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    broker_app(REDIS_URL)
    pending = redis.Redis.from_url(REDIS_URL)
    pending.delete("saleor-ma-plugin-tests")
    queue.nudge_received(queue.Work.PROCESS_EVENTS)
    yield lambda: pending.llen("saleor-ma-plugin-tests")
    pending.delete("saleor-ma-plugin-tests")
    queue.nudge_received(queue.Work.PROCESS_EVENTS)


def _stored_orders(count: int) -> None:
    store_events(
        [
            event
            for number in range(count)
            for event in order_events(
                EventType.ORDER_CREATED,
                factories.order(email=f"buyer{number}@example.com"),
                EventSource.SALEOR,
            )
        ]
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_backlog_larger_than_a_batch_recruits_one_more_worker(queued_tasks):
    # given a burst of more events than one batch
    _stored_orders(BATCH_SIZE * 3)

    # when one worker drains it
    processed = process_fresh_events()

    # then it processed them all and asked for exactly one more worker along the way
    assert processed == BATCH_SIZE * 3
    assert queued_tasks() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_burst_within_one_batch_recruits_nobody(queued_tasks):
    # given fewer events than one batch
    _stored_orders(BATCH_SIZE - 1)

    # when one worker drains them
    process_fresh_events()

    # then no other worker was woken
    assert queued_tasks() == 0


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_backlog_recruits_its_helper_before_the_first_batch_is_applied(
    queued_tasks, monkeypatch
):
    # given a burst of more events than one batch, and a note of what the broker holds
    # when the first event is applied
    _stored_orders(BATCH_SIZE * 2)
    waiting_at_first_event = []
    apply = pipeline._apply

    def noting_apply(event):
        if not waiting_at_first_event:
            waiting_at_first_event.append(queued_tasks())
        return apply(event)

    monkeypatch.setattr(pipeline, "_apply", noting_apply)

    # when one worker drains it
    processed = process_fresh_events()

    # then the helper was already waiting in the broker when the first event was applied
    assert processed == BATCH_SIZE * 2
    assert waiting_at_first_event == [1]
    assert queued_tasks() == 1
