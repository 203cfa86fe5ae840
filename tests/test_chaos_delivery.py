"""A broadcast through a real worker, a misbehaving SMTP server and a worker killed mid-send.

The server (loopback, in this process) refuses some recipients for good (5xx) and some for
now (4xx), drops the connection once at RCPT and twice after a message's final dot (the
message is queued, its reply never sent), and holds the reply to its 100th message until
the test has killed the worker with SIGKILL. A second worker takes over; stale claims are
made stale by moving ``claimed_at`` back, retries are made due by moving ``scheduled_at``
to now. What is asserted, counting copies by the ``X-Marketing-Message`` header as the
server received them:

- every message ends final (sent, failed, suppressed or unknown);
- no marketing message arrives twice; a sent one arrived once, a failed one never;
- unknown messages are at least one (the message whose reply the server held) and at most
  ``MAX_UNCONFIRMED_JOURNALED`` (the killed worker's claim: its journal has every other
  message's fate) plus one per drop after a final dot of a marketing message;
- every transactional message arrives at least once, and exactly once unless its send
  was ambiguous (a drop after its final dot, or unconfirmed when the worker was killed),
  in which case at most once more per ambiguous send.
"""

import email
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import redis
from celery import Celery
from django.db import connection
from django.db.models import F
from django.utils import timezone

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.queue import Work
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.messaging.stale_claims import MAX_UNCONFIRMED_JOURNALED, STALE_CLAIM
from tests.campaign_helpers import subscribe
from tests.conftest import REDIS_URL
from tests.fake_smtp import PORT_VARIABLE, FakeSMTPServer
from tests.messaging_helpers import queue, template
from tests.test_broker import _redis_available

MARKETING, TRANSACTIONAL, BOUNCING, BUSY = 300, 20, 5, 5
KILL_AT = 100
FINAL = {MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SUPPRESSED, MessageStatus.UNKNOWN}
#: After the kill point in claim order (readers, bounces, busy ones, then receipts).
DROP_AFTER_DATA = {"reader250@example.com", "receipt3@example.com"}
DROP_AT_RCPT = {"reader200@example.com"}


class Saboteur:
    """Decides, per SMTP stage and recipient, how the server misbehaves (each fault once)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: Counter = Counter()
        self.data_count = 0
        self.dropped_after_data: Counter = Counter()
        self.holding, self.killed = threading.Event(), threading.Event()

    def __call__(self, stage: str, recipient: str) -> str | None:
        with self.lock:
            self.seen[stage, recipient] += 1
            first = self.seen[stage, recipient] == 1
            if stage == "data":
                self.data_count += 1
                hold = self.data_count == KILL_AT
        if stage == "rcpt" and first and recipient.startswith("busy"):
            return "451 4.3.0 try again later"
        if stage == "rcpt" and first and recipient in DROP_AT_RCPT:
            return "drop"
        if stage == "data" and hold:
            self.holding.set()
            self.killed.wait(timeout=30)  # the worker dies waiting for this reply
            return "drop"
        if stage == "data" and first and recipient in DROP_AFTER_DATA:
            with self.lock:
                self.dropped_after_data[recipient] += 1
            return "drop"
        return None


def _worker(port: int) -> subprocess.Popen:
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
        "CELERY_BROKER_URL": REDIS_URL,
        "EMAIL_BACKEND": "tests.fake_smtp.LoopbackSMTPBackend",
        PORT_VARIABLE: str(port),
    }
    command = [sys.executable, "-m", "celery", "-A", "saleor_ma_plugin.standalone", "worker"]
    options = ["--pool=solo", "--queues=saleor-ma-plugin-tests", "--loglevel=ERROR"]
    options += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
    return subprocess.Popen([*command, *options], env=env)


@pytest.fixture
def workers():
    """Starts workers on demand; stops whichever still run when the test ends."""
    if not _redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a server database")
    redis.Redis.from_url(REDIS_URL).flushdb()
    started: list[subprocess.Popen] = []
    yield lambda port: started.append(_worker(port)) or started[-1]
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


def _broadcast() -> dict[str, str]:
    """The messages, and each one's recipient by idempotency key."""
    template()
    now = timezone.now()
    addresses = [f"reader{n}@example.com" for n in range(MARKETING - BOUNCING - BUSY)]
    addresses += [f"bounce{n}@example.com" for n in range(BOUNCING)]
    addresses += [f"busy{n}@example.com" for n in range(BUSY)]
    recipients = {}
    for address in addresses:
        contact = Contact.objects.create(email=address)
        subscribe(contact)
        recipients[queue(contact, scheduled_at=now).idempotency_key] = address
    for n in range(TRANSACTIONAL):
        contact = Contact.objects.create(email=f"receipt{n}@example.com")
        message = queue(contact, transactional=True, scheduled_at=now)
        recipients[message.idempotency_key] = contact.email
    return recipients


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _settled() -> bool:
    """The worker's tick is over: nothing due is left, or nothing moved for a second."""
    before = Message.objects.exclude(status__in=FINAL).count()
    time.sleep(1)
    due = Message.objects.filter(status=MessageStatus.QUEUED, scheduled_at__lte=timezone.now())
    sending = Message.objects.filter(status=MessageStatus.SENDING).exists()
    after = Message.objects.exclude(status__in=FINAL).count()
    return not sending and (not due.exists() or after == before)


def _copies(server) -> Counter:
    return Counter(
        email.message_from_bytes(data)["X-Marketing-Message"] for _, _, data in server.received
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_broadcast_survives_a_misbehaving_server_and_a_killed_worker(broker_app, workers):
    # given a broadcast, a sabotaged server and a worker
    app: Celery = broker_app(REDIS_URL)
    recipients = _broadcast()
    saboteur = Saboteur()
    with FakeSMTPServer(fault=saboteur) as server:
        first = workers(server.port)

        # when the worker is killed while the server holds its 100th reply
        app.send_task(str(Work.DELIVER_MESSAGES))
        assert saboteur.holding.wait(timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
        saboteur.killed.set()
        unconfirmed = Message.objects.filter(status=MessageStatus.SENDING)
        in_doubt = set(unconfirmed.filter(transactional=True).values_list("pk", flat=True))
        assert unconfirmed.exists()

        # and a second worker takes over once the claim is stale, retrying what is due
        workers(server.port)
        unconfirmed.update(claimed_at=F("claimed_at") - STALE_CLAIM - timedelta(seconds=1))
        for _round in range(20):
            if not Message.objects.exclude(status__in=FINAL).exists():
                break
            # Retries are due now (the backoff has passed), and a tick wakes the worker.
            Message.objects.filter(status=MessageStatus.QUEUED).update(scheduled_at=timezone.now())
            app.send_task(str(Work.DELIVER_MESSAGES))
            _wait(_settled, 20)
        copies = _copies(server)

    # then every message is final
    messages = list(Message.objects.all())
    assert {message.status for message in messages} <= FINAL
    assert len(messages) == MARKETING + TRANSACTIONAL
    marketing = [message for message in messages if not message.transactional]
    # no marketing message arrived twice; sent ones once, failed ones never
    assert max(copies[message.idempotency_key] for message in marketing) == 1
    expected = {MessageStatus.SENT: {1}, MessageStatus.FAILED: {0}, MessageStatus.UNKNOWN: {0, 1}}
    for message in marketing:
        assert copies[message.idempotency_key] in expected[message.status], message
    # unknown: the message in flight when the worker was killed, plus the marketing drops
    # after a final dot
    unknown = sum(message.status == MessageStatus.UNKNOWN for message in messages)
    marketing_drops = sum(
        count for address, count in saboteur.dropped_after_data.items() if "reader" in address
    )
    assert 1 <= unknown <= MAX_UNCONFIRMED_JOURNALED + marketing_drops
    # bounces failed and nothing else did
    failed = {recipients[m.idempotency_key] for m in messages if m.status == MessageStatus.FAILED}
    assert failed == {f"bounce{n}@example.com" for n in range(BOUNCING)}
    # every receipt arrived at least once, more often only after an ambiguous send
    for message in messages:
        if message.transactional:
            ambiguous = saboteur.dropped_after_data[recipients[message.idempotency_key]]
            ambiguous += message.pk in in_doubt
            assert message.status == MessageStatus.SENT
            assert 1 <= copies[message.idempotency_key] <= 1 + ambiguous, message
