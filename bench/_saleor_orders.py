"""Orders in a real Saleor and what became of them in the App: bench/webhook_intake.py --saleor.

Saleor's side runs in this process (Saleor's Python and settings, Django set up): orders
are clones of one order placed through ``checkoutComplete`` (``transactional.Orders``),
each with its own buyer, and on commit the hooks ``checkoutComplete`` registers run, with
Saleor's own functions: ``order_created`` (events, plugins, the async webhooks' deliveries)
and ``send_order_confirmation``. The App's side is read from its database by a poller.
"""

import json
import logging
import threading
import time
from contextlib import contextmanager

import psycopg

#: Sends clocked by Saleor's worker (``saleor_bench_settings``).
SEND_LOG_KEY = "bench:webhook_sends"
SEND_TASK = "send_webhook_request_async"
PAYLOAD_TASK = "generate_deferred_payloads"
MEASURED_WEBHOOK = "Marketing automation: order_created"


def place(orders, email: str, manager) -> float:
    """One order committed, Saleor's on-commit hooks run; the wall-clock moment of commit."""
    from django.db import transaction
    from saleor.order.actions import order_created
    from saleor.order.fetch import fetch_order_info
    from saleor.order.notifications import send_order_confirmation

    moments: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: moments.append(time.time()))  # runs first after commit
        (order,) = orders.create([email])

        def hooks(order=order):
            info = fetch_order_info(order)
            order_created(order_info=info, user=None, app=None, manager=manager)
            send_order_confirmation(info, "", manager)

        transaction.on_commit(hooks)
    return moments[0]


def paced(count: int, rate: float, threads: int, work) -> tuple[float, list[BaseException]]:
    """Call ``work(index)`` for 0..count-1, one every 1/rate s, by ``threads`` threads taking
    the slots in turn (as a shop's web workers serve concurrent checkouts); the seconds it
    took from the first slot to the last call's end."""
    from django.db import connection

    failures: list[BaseException] = []
    start = time.perf_counter() + 0.05

    def drive(first: int) -> None:
        try:
            for index in range(first, count, threads):
                delay = start + index / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                work(index)
        except BaseException as error:  # reported by the caller
            failures.append(error)
        finally:
            connection.close()  # this thread's own

    workers = [threading.Thread(target=drive, args=(first,)) for first in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - start, failures


def fresh_manager():
    from saleor.plugins.manager import get_plugins_manager

    return get_plugins_manager(allow_replica=False)


def trigger(orders, emails: list[str], rate: float, threads: int):
    """Place the orders at ``rate``: Saleor's worker makes the payloads and sends them."""
    committed: dict[str, float] = {}
    managers = threading.local()

    def work(index: int) -> None:
        if not hasattr(managers, "manager"):
            managers.manager = fresh_manager()
        committed[emails[index]] = place(orders, emails[index], managers.manager)

    seconds, failures = paced(len(emails), rate, threads, work)
    if failures:
        raise failures[0]
    return committed, seconds


@contextmanager
def deliveries_held():
    """Saleor's payload task runs here and now; its send tasks are kept, per thread.

    ``Task.apply_async`` is Celery's one door for publishing a task: the deferred payloads
    are made in this process (Saleor's own task, called) and each send task's
    arguments, Saleor's own, are appended to the thread's ``held.pending`` to be published
    later with the ``publish`` yielded (Celery's own ``apply_async``).
    """
    from celery.app.task import Task

    publish, held = Task.apply_async, threading.local()

    def apply_async(task, args=None, kwargs=None, **options):
        if task.name.endswith(PAYLOAD_TASK):
            return task(*(args or ()), **(kwargs or {}))
        if task.name.endswith(SEND_TASK):
            held.pending.append((task, kwargs, options))
            return None
        return publish(task, args, kwargs, **options)

    Task.apply_async = apply_async
    try:
        yield held, publish
    finally:
        Task.apply_async = publish


def prepare_replay(orders, emails: list[str], which: str, threads: int):
    """Place the orders with their deliveries made and held; {email: the sends to publish}."""
    from saleor.core.models import EventDelivery

    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # a line per payload
    by_email: dict[str, list] = {}
    managers = threading.local()
    with deliveries_held() as (held, publish):

        def work(index: int) -> None:
            if not hasattr(managers, "manager"):
                managers.manager = fresh_manager()
            held.pending = by_email[emails[index]] = []
            place(orders, emails[index], managers.manager)

        started = time.perf_counter()
        work(0)  # Celery binds its tasks on first use, and not safely from two threads
        seconds, failures = paced(len(emails) - 1, float("inf"), threads, lambda i: work(i + 1))
        seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    ids = [kwargs["event_delivery_id"] for sends in by_email.values() for _, kwargs, _ in sends]
    names = dict(EventDelivery.objects.filter(pk__in=ids).values_list("pk", "webhook__name"))
    chosen = {
        email: [
            (task, kwargs, options)
            for task, kwargs, options in sends
            if which == "all" or names[kwargs["event_delivery_id"]] == MEASURED_WEBHOOK
        ]
        for email, sends in by_email.items()
    }
    print(
        f"placed {len(emails):,} orders with {len(ids):,} deliveries made and held in "
        f"{seconds:.1f} s; to send: {which} ({sum(len(s) for s in chosen.values()):,})"
    )
    return chosen, publish


def replay(held: dict, publish, emails: list[str], rate: float):
    """Publish each order's held send tasks at ``rate`` orders/s; {email: published at}."""
    published: dict[str, float] = {}

    def work(index: int) -> None:
        email = emails[index]
        published[email] = time.time()
        for task, kwargs, options in held[email]:
            publish(task, None, kwargs, **options)

    seconds, failures = paced(len(emails), rate, 1, work)
    if failures:
        raise failures[0]
    return published, seconds


def sends(redis_client) -> list[dict]:
    return [json.loads(entry) for entry in redis_client.lrange(SEND_LOG_KEY, 0, -1)]


class Arrivals(threading.Thread):
    """Polls the App's database: when each buyer's order.created event and outbox message
    first became visible to another connection (wall clock at the start of that poll)."""

    EVENTS = (
        "SELECT id, payload->>'email' FROM saleor_ma_plugin_event "
        "WHERE id > %s AND type = 'order.created' AND NOT (id = ANY(%s))"
    )
    MESSAGES = (
        "SELECT m.id, e.payload->>'email' FROM saleor_ma_plugin_message m "
        "JOIN saleor_ma_plugin_event e ON e.id = (m.context->>'trigger_event_id')::bigint "
        "WHERE m.id > %s AND NOT (m.id = ANY(%s))"
    )
    #: Rows committed out of id order (the App's worker runs two processes) are still seen.
    WINDOW = 500

    def __init__(self, database_url: str, poll_seconds: float) -> None:
        super().__init__(daemon=True)
        self.database_url, self.poll_seconds = database_url, poll_seconds
        self.events: dict[str, float] = {}
        self.messages: dict[str, float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        seen = {self.EVENTS: set(), self.MESSAGES: set()}
        found = {self.EVENTS: self.events, self.MESSAGES: self.messages}
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            while not self.stopping.is_set():
                for sql, ids in seen.items():
                    started = time.time()
                    floor = max(ids, default=0) - self.WINDOW
                    recent = [i for i in ids if i > floor]
                    for row_id, email in connection.execute(sql, [floor, recent]).fetchall():
                        ids.add(row_id)
                        found[sql].setdefault(email, started)
                self.stopping.wait(self.poll_seconds)

    def wait_for(self, emails: list[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(e in self.events and e in self.messages for e in emails):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def stored_once(database_url: str, emails: list[str]) -> dict[str, tuple[int, int]]:
    """Checks: (found, expected) of buyers with exactly one event and one outbox message."""
    with psycopg.connect(database_url) as connection:
        events = connection.execute(
            "SELECT payload->>'email', count(*) FROM saleor_ma_plugin_event "
            "WHERE type = 'order.created' AND payload->>'email' = ANY(%s) GROUP BY 1",
            [emails],
        ).fetchall()
        messages = connection.execute(
            "SELECT e.payload->>'email', count(*) FROM saleor_ma_plugin_message m "
            "JOIN saleor_ma_plugin_event e ON e.id = (m.context->>'trigger_event_id')::bigint "
            "WHERE e.payload->>'email' = ANY(%s) GROUP BY 1",
            [emails],
        ).fetchall()
    return {
        "exactly one order.created event per order": (
            sum(1 for _, n in events if n == 1),
            len(emails),
        ),
        "exactly one outbox message per order": (
            sum(1 for _, n in messages if n == 1),
            len(emails),
        ),
    }
