"""Exactly once under real concurrency: every due enrolment advances once, with one message.

Workers here are real ``celery worker --pool=solo`` processes on Redis against the test
database. Besides counting rows, a trigger (tests/engine_support.py) logs every committed
update of an enrolment row with the database session that made it, so a row claimed twice, or
a batch of a killed worker that half-committed, would show.
"""

import threading

import pytest
import redis
from django.db import connection, connections, transaction

from saleor_ma_plugin.campaigns import EnrollmentStatus
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.campaigns.runner import BATCH_SIZE, run_due_enrollments
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events, record_events, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.pipeline import process_events
from tests import engine_support as support
from tests import factories
from tests.conftest import REDIS_URL

WORKER_START_TIMEOUT = 60
RUN_TIMEOUT = 90
MAX_LATER_TICKS = 10


@pytest.fixture
def audit_trail(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks, triggers and a second process need PostgreSQL")
    support.remove_audit_trail()
    support.install_audit_trail()
    yield
    support.remove_audit_trail()


@pytest.fixture
def start_workers(audit_trail, tmp_path):
    """Start named real workers on the test queue and wait until each is consuming."""
    if not support.redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    started: list[support.Worker] = []

    def start(*names: str) -> list[support.Worker]:
        workers = [support.Worker(name, tmp_path) for name in names]
        started.extend(workers)
        for worker in workers:
            support.wait_for(worker.ready, WORKER_START_TIMEOUT, f"{worker.name} to be ready")
        return workers

    yield start
    for worker in started:
        worker.stop()


def _logged_results(workers) -> dict[str, list[int]]:
    """run_enrollments results logged by all ``workers``, per task id."""
    merged: dict[str, list[int]] = {}
    for worker in workers:
        for task_id, results in worker.results().items():
            merged.setdefault(task_id, []).extend(results)
    return merged


def _finished_runs(workers) -> int:
    return sum(map(len, _logged_results(workers).values()))


def _wait_for_runs(workers, runs: int) -> dict[str, list[int]]:
    """Wait until the workers logged ``runs`` finished run_enrollments tasks."""
    try:
        support.wait_for(
            lambda: _finished_runs(workers) >= runs, RUN_TIMEOUT, f"{runs} finished tasks"
        )
    except AssertionError as error:
        logs = "\n".join(f"--- {worker.name}:\n{worker.log()[-3000:]}" for worker in workers)
        raise AssertionError(f"{error}; {support.due_count()} still due\n{logs}") from None
    return _logged_results(workers)


def _beat_until_nothing_is_due(app, workers) -> int:
    """Send a tick, as beat does every 15 s, while enrolments are due; return how many.

    A tick stops when a batch claims fewer than BATCH_SIZE rows, which also happens when
    rows are locked by another worker's batch, so racing ticks may leave due rows behind.
    """
    ticks, runs = 0, _finished_runs(workers)
    while support.due_count():
        assert ticks < MAX_LATER_TICKS, f"{support.due_count()} enrolments stay due"
        app.send_task(support.RUN_ENROLLMENTS)
        ticks, runs = ticks + 1, runs + 1
        _wait_for_runs(workers, runs)
    return ticks


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_real_workers_racing_over_10000_due_enrollments_advance_each_once(
    broker_app, start_workers
):
    # given 10,000 enrolments whose wait has elapsed, in ten campaigns of 1,000, and two
    # workers on one queue. (A batch also locks its campaign's row, so workers only hold
    # batches at the same time when they claim rows of different campaigns.)
    campaigns = support.due_enrollments(10_000, "race", campaigns=10)
    workers = start_workers("worker-a", "worker-b")
    app = broker_app(REDIS_URL)

    # when six ticks arrive for the two workers
    task_ids = [app.send_task(support.RUN_ENROLLMENTS).id for _ in range(6)]
    _wait_for_runs(workers, runs=6)
    # and later beat ticks pick up what racing ticks left due
    later_ticks = _beat_until_nothing_is_due(app, workers)
    results = _logged_results(workers)

    # then every enrolment completed once, with exactly one message
    assert support.exactly_once_report(*campaigns) == support.expected_exactly_once(10_000)
    # each task ran once and together they claimed each row once
    assert set(task_ids) <= set(results)
    assert len(results) == 6 + later_ticks
    assert all(len(runs) == 1 for runs in results.values())
    assert sum(sum(runs) for runs in results.values()) == 10_000
    # both processes committed batches, some of them while the other's batch was open
    by_session = support.writes_by_session()
    assert sorted(by_session) == ["worker-a", "worker-b"]
    assert min(by_session.values()) > 0
    assert sum(by_session.values()) == 10_000
    assert support.overlapping_batches("worker-a", "worker-b") > 0
    for worker in workers:
        assert sum(sum(runs) for runs in worker.results().values()) == by_session[worker.name]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_one_task_delivered_ten_times_to_two_workers_advances_each_enrollment_once(
    broker_app, start_workers
):
    # given 10,000 due enrolments of one campaign and two workers
    (campaign,) = support.due_enrollments(10_000, "redelivered")
    workers = start_workers("worker-a", "worker-b")
    app = broker_app(REDIS_URL)

    # when the broker delivers the very same task message ten times
    task_id = "run-enrollments-duplicated-delivery"
    for _ in range(10):
        app.send_task(support.RUN_ENROLLMENTS, task_id=task_id)
    _wait_for_runs(workers, runs=10)
    # and later beat ticks pick up what racing copies left due
    later_ticks = _beat_until_nothing_is_due(app, workers)
    results = _logged_results(workers)

    # then all ten copies ran, and with the later ticks they claimed each row once
    assert len(results[task_id]) == 10
    assert len(results) == 1 + later_ticks
    assert sum(sum(runs) for runs in results.values()) == 10_000
    assert support.exactly_once_report(campaign) == support.expected_exactly_once(10_000)
    by_session = support.writes_by_session()
    assert set(by_session) <= {"worker-a", "worker-b"}
    assert sum(by_session.values()) == 10_000


def _stop_inside_a_batch(worker: support.Worker) -> int:
    """Stop ``worker`` while it holds an open batch, after it committed at least one;
    return how many messages were committed by then."""

    def stopped_inside_a_batch() -> int:
        if Message.objects.count() < BATCH_SIZE:
            return 0
        worker.pause()
        if support.holds_open_batch(worker.name):
            return Message.objects.count()  # stopped: nothing more can commit
        worker.resume()
        return 0

    return support.wait_for(stopped_inside_a_batch, RUN_TIMEOUT, "a batch in flight", 0.005)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(broker_app, start_workers):
    # given 10,000 due enrolments and one worker working through them
    count = 10_000
    (campaign,) = support.due_enrollments(count, "killed")
    (doomed,) = start_workers("worker-doomed")
    app = broker_app(REDIS_URL)
    app.send_task(support.RUN_ENROLLMENTS)

    # when it is killed while it holds a claimed batch, after at least one batch committed
    committed_at_kill = _stop_inside_a_batch(doomed)
    doomed.kill()
    support.wait_for(
        lambda: not support.session_exists("worker-doomed"),
        30,
        "the killed worker's database session to end",
    )

    # then its open batch rolled back entirely: only whole, committed batches remain
    committed = support.writes_by_session().get("worker-doomed", 0)
    assert committed == committed_at_kill
    assert committed % BATCH_SIZE == 0
    assert 0 < committed < count
    assert Message.objects.filter(campaign=campaign).count() == committed
    untouched = Enrollment.objects.filter(
        campaign=campaign,
        status=EnrollmentStatus.ACTIVE,
        step_key="wait",
        context={"waiting_at": "wait"},
        attempts=0,
        finished_at=None,
    )
    assert untouched.count() == count - committed

    # when another worker takes over
    (survivor,) = start_workers("worker-survivor")
    app.send_task(support.RUN_ENROLLMENTS)
    results = _wait_for_runs([survivor], runs=1)

    # then the rolled-back batch and the rest were done once, by the survivor's one tick
    assert list(results.values()) == [[count - committed]]
    assert support.due_count() == 0
    assert support.exactly_once_report(campaign) == support.expected_exactly_once(count)
    assert support.writes_by_session() == {
        "worker-doomed": committed,
        "worker-survivor": count - committed,
    }


def _order_campaign():
    """Every order.created event starts its own run whose first step sends."""
    campaign = create_campaign(
        CampaignSpec(
            name="thanks",
            kind="transactional",
            trigger={"type": "event", "event": EventType.ORDER_CREATED},
            steps=(StepSpec("send", "send", {"template": "thanks"}),),
            reentry_policy="every_time",
        )
    )
    return activate(campaign)


@pytest.mark.django_db(transaction=True)
def test_the_same_order_hook_delivered_twice_enrolls_and_sends_once(audit_trail):
    # given
    campaign = _order_campaign()
    order = factories.order(email="twice@example.com")

    # when Saleor calls the hook twice and the wake-up and the tick run twice (the standalone
    # host runs tasks in-process: the first hook's wake-up processes the event at commit,
    # and processing nudges the runner, which sends)
    with transaction.atomic():
        first = record_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))
    with transaction.atomic():
        second = record_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))
    reprocessed = [process_events(first), process_events(first)]
    reruns = [run_due_enrollments(), run_due_enrollments()]

    # then one event, one run, one message
    assert len(first) == 1
    assert second == []
    assert reprocessed == [0, 0]
    assert reruns == [0, 0]
    event = Event.objects.get()
    enrollment = Enrollment.objects.get()
    assert enrollment.trigger_key == event.dedupe_key == f"order.created:{order.order_id}"
    assert list(Message.objects.values_list("idempotency_key", flat=True)) == [
        f"enrollment:{enrollment.pk}:send"
    ]
    assert support.exactly_once_report(campaign) == support.expected_exactly_once(1)


@pytest.mark.django_db(transaction=True)
def test_the_same_order_events_delivered_and_processed_concurrently_send_once(audit_trail):
    # given 300 orders of 30 buyers
    campaign = _order_campaign()
    orders = [
        factories.order(
            order_id=f"10000000-0000-4000-8000-{number:012d}",
            email=f"buyer{number % 30}@example.com",
        )
        for number in range(300)
    ]
    barrier = threading.Barrier(2)
    stored: list[list[int]] = [[], []]
    processed = [0, 0]
    errors: list[BaseException] = []

    def deliver_everything(index: int) -> None:
        try:
            barrier.wait()
            for order in orders:  # each hook in its own transaction, as Saleor's requests
                with transaction.atomic():
                    stored[index] += store_events(
                        order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)
                    )
            barrier.wait()
            processed[index] = process_events(Event.objects.values_list("pk", flat=True))
            barrier.wait()
            while run_due_enrollments(batch_size=50):
                pass
        except BaseException as error:
            errors.append(error)
            barrier.abort()
            raise
        finally:
            connections.close_all()

    # when two threads deliver every hook, then process every event and run the enrolments
    threads = [threading.Thread(target=deliver_everything, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # and the next beat tick
    while run_due_enrollments():
        pass

    # then each order was stored once, processed once, enrolled once and sent once
    assert errors == []
    assert len(stored[0]) + len(stored[1]) == 300
    assert not set(stored[0]) & set(stored[1])
    assert sum(processed) == 300
    assert Event.objects.count() == 300
    assert not Event.objects.filter(processed_at=None).exists()
    assert sorted(Enrollment.objects.values_list("trigger_key", flat=True)) == sorted(
        f"order.created:{order.order_id}" for order in orders
    )
    assert support.exactly_once_report(campaign) == support.expected_exactly_once(300)


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_claims_the_rest_of_a_campaign_while_the_first_holds_a_batch():
    """Claims lock enrolment rows only, not the campaign or contacts they join."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # given 100 due rows of one campaign, 10 of them held by another worker's open batch
    support.due_enrollments(100, "shared")
    holding, release = threading.Event(), threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                held = list(
                    Enrollment.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(status=EnrollmentStatus.ACTIVE)
                    .select_related("contact", "campaign")
                    .order_by("next_run_at")[:10]
                )
                assert len(held) == 10
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_worker)
    thread.start()
    holding.wait(10)
    try:
        # when
        claimed = run_due_enrollments(batch_size=1000)
    finally:
        release.set()
        thread.join()

    # then
    assert claimed == 90
