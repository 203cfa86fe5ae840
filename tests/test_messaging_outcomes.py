"""What a send loop knows after a lost reply or a killed worker, and what it sends again."""

import email
import time
from datetime import UTC, datetime

import pytest
import redis
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db.models import Count

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging import MessageStatus, delivery, journal
from saleor_ma_plugin.messaging.channels.email import EmailChannel
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.journal import journal_key
from saleor_ma_plugin.messaging.models import DeliveryAttempt, Message, Suppression
from saleor_ma_plugin.messaging.outcomes import CHECKPOINT
from saleor_ma_plugin.messaging.stale_claims import (
    MAX_UNCONFIRMED,
    MAX_UNCONFIRMED_JOURNALED,
    STALE_CLAIM,
    reap_stale_claims,
)
from tests.campaign_helpers import subscribe
from tests.conftest import REDIS_URL
from tests.fake_smtp import FakeSMTPServer
from tests.messaging_helpers import queue, template
from tests.test_channel_email import SMTP_BACKEND, outgoing

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
PIPELINED, PLAIN = ("PIPELINING", "8BITMIME"), ()


@pytest.fixture(autouse=True)
def journal_reachable(monkeypatch):
    """A test before may have found Redis unreachable, leaving claims without a journal."""
    monkeypatch.setattr(journal, "_down_until", 0.0)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler catches it."""


class KilledMidBatch(EmailBackend):
    """Accepts messages like locmem until the 121st, when the worker "dies"."""

    def send_messages(self, messages):
        if len(getattr(mail, "outbox", [])) == 120:
            raise WorkerKilled
        return super().send_messages(messages)


def drop_after_data_for(*recipients):
    """The server queues these recipients' messages, then loses the connection unanswered."""
    return lambda stage, recipient: "drop" if stage == "data" and recipient in recipients else None


def _delivered(server) -> list[str]:
    return [recipients[0] for _, recipients, _ in server.received]


@pytest.mark.parametrize("extensions", [PIPELINED, PLAIN])
def test_a_reply_lost_after_the_content_is_unknown_not_a_failure(settings, extensions):
    # given a server that queues reader2's message and drops the connection before replying
    fault = drop_after_data_for("reader2@example.com")
    with FakeSMTPServer(extensions=extensions, fault=fault) as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        channel = EmailChannel(SMTP_BACKEND)

        # when
        channel.open()
        results = channel.send([outgoing(1), outgoing(2), outgoing(3)])
        channel.close()

    # then
    assert [(r.message_id, r.ok, r.unknown, r.permanent) for r in results] == [
        (1, True, False, False),
        (2, False, True, False),
        (3, False, False, False),
    ]
    assert results[1].error.startswith("outcome unknown: SMTPServerDisconnected")
    assert _delivered(server) == ["reader1@example.com", "reader2@example.com"]


@pytest.fixture
def smtp_delivery(settings):
    """The send loop over plain SMTP to a fake server; the test sets its fault."""
    with FakeSMTPServer() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "email_backend": SMTP_BACKEND}
        forget_settings()
        template()
        with time_machine.travel(NOON, tick=False):
            yield server
    forget_settings()


@pytest.mark.parametrize(
    ("transactional", "status", "copies"),
    [(False, MessageStatus.UNKNOWN, 1), (True, MessageStatus.SENT, 2)],
)
def test_after_a_lost_reply_marketing_is_not_sent_again_and_receipts_are(
    smtp_delivery, transactional, status, copies
):
    # given
    contact = Contact.objects.create(email="anna@example.com", first_name="Anna")
    subscribe(contact)
    message = queue(contact, transactional=transactional)
    smtp_delivery.fault = drop_after_data_for("anna@example.com")

    # when the first attempt's reply is lost, and the loop runs again with a healthy server
    deliver_due_messages()
    message.refresh_from_db()
    first = (message.status, message.last_error[:34])
    smtp_delivery.fault = lambda stage, recipient: None
    deliver_due_messages()

    # then
    expected_first = MessageStatus.QUEUED if transactional else MessageStatus.UNKNOWN
    assert first == (expected_first, "outcome unknown: SMTPServerDisconn")
    message.refresh_from_db()
    assert message.status == status
    assert _delivered(smtp_delivery) == ["anna@example.com"] * copies
    assert not Suppression.objects.exists()
    assert DeliveryAttempt.objects.filter(succeeded=False).count() == 1


def _killed_mid_batch(settings) -> str:
    """200 marketing messages, and a worker that dies at the 121st send; returns its claim."""
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "email_backend": f"{__name__}.KilledMidBatch",
        "smart_sending_hours": "0",
    }
    forget_settings()
    template()
    contacts = Contact.objects.bulk_create(
        Contact(email=f"reader{n}@example.com") for n in range(200)
    )
    for contact in contacts:
        subscribe(contact)
        queue(contact, scheduled_at=NOON)
    with time_machine.travel(NOON, tick=False), pytest.raises(WorkerKilled):
        deliver_due_messages()
    (claim,) = set(Message.objects.values_list("claim", flat=True))
    _wait_until_written(claim)
    return str(claim)


def _wait_until_written(claim) -> None:
    """A dead worker's journal is all in Redis once its connection is closed there."""
    name = f"saleor-ma-journal:{claim}"
    deadline = time.monotonic() + 5
    while any(client["name"] == name for client in _redis().client_list()):
        assert time.monotonic() < deadline
        time.sleep(0.01)


def _statuses() -> dict[str, int]:
    return dict(Message.objects.values_list("status").annotate(n=Count("pk")))


def _requeued_were_never_delivered() -> None:
    delivered = {message.to[0] for message in mail.outbox}
    requeued = Message.objects.filter(status=MessageStatus.QUEUED)
    assert len(delivered) == 120
    assert delivered.isdisjoint(requeued.values_list("contact__email", flat=True))
    assert set(requeued.values_list("attempts", flat=True)) == {0}


def _redis() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, decode_responses=True)


def test_a_killed_worker_leaves_only_the_message_in_flight_unconfirmed(
    settings, django_capture_on_commit_callbacks
):
    # given a worker that died handing over the 121st of 200 messages
    claim = _killed_mid_batch(settings)

    # when its claim goes stale
    with django_capture_on_commit_callbacks(execute=True):
        reaped = reap_stale_claims(NOON + STALE_CLAIM * 2)

    # then every message the server took is sent, checkpointed or journaled, and only the
    # one in flight is in doubt
    assert _statuses() == {
        MessageStatus.SENT: 120,
        MessageStatus.UNKNOWN: MAX_UNCONFIRMED_JOURNALED,
        MessageStatus.QUEUED: 200 - 120 - MAX_UNCONFIRMED_JOURNALED,
    }
    assert MAX_UNCONFIRMED_JOURNALED == 1
    unknown = Message.objects.get(status=MessageStatus.UNKNOWN)
    assert unknown.contact.email == "reader120@example.com"
    assert reaped == 200 - 2 * CHECKPOINT
    journaled = Message.objects.filter(status=MessageStatus.SENT).order_by("pk")[2 * CHECKPOINT :]
    assert {(m.sent_at, m.provider_message_id[:1]) for m in journaled} == {(NOON, "<")}
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == 120
    # and none of the 120 the server took is queued again; those never handed over are,
    # their try not counted; the journal is gone
    _requeued_were_never_delivered()
    assert _redis().exists(journal_key(claim)) == 0
    forget_settings()


def test_without_its_journal_a_killed_workers_doubt_is_bounded_by_the_last_checkpoint(
    settings,
):
    # given a worker that died at the 121st of 200 sends, and a Redis that lost its journal
    claim = _killed_mid_batch(settings)
    assert _redis().delete(journal_key(claim)) == 1

    # when its claim goes stale
    reaped = reap_stale_claims(NOON + STALE_CLAIM * 2)

    # then what was checkpointed stands, and a checkpoint's worth after it is in doubt
    assert _statuses() == {
        MessageStatus.SENT: 2 * CHECKPOINT,
        MessageStatus.UNKNOWN: MAX_UNCONFIRMED,
        MessageStatus.QUEUED: 200 - 2 * CHECKPOINT - MAX_UNCONFIRMED,
    }
    assert MAX_UNCONFIRMED == 52
    assert reaped == 200 - 2 * CHECKPOINT
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == 2 * CHECKPOINT
    _requeued_were_never_delivered()
    forget_settings()


def test_a_journal_kept_by_a_redis_that_restarted_is_not_trusted(settings):
    # given a dead worker's journal, as a Redis restarted from its saved data would hold it
    claim = _killed_mid_batch(settings)
    key = journal_key(claim)
    written = _redis().get(key)
    _, _, records = written.partition("\n")
    _redis().set(key, f"saleor-ma-journal/1 {'0' * 40}\n{records}")

    # when its claim goes stale
    reap_stale_claims(NOON + STALE_CLAIM * 2)

    # then the journal is ignored: the last checkpoint bounds the doubt
    assert len(journal.parse(written.encode()).entries) == 120
    assert _statuses() == {
        MessageStatus.SENT: 2 * CHECKPOINT,
        MessageStatus.UNKNOWN: MAX_UNCONFIRMED,
        MessageStatus.QUEUED: 200 - 2 * CHECKPOINT - MAX_UNCONFIRMED,
    }
    forget_settings()


def test_without_redis_at_claim_start_sends_go_on_and_checkpoints_bound_a_crash(settings, caplog):
    # given a Redis that cannot be reached
    settings.SALEOR_MA_REDIS_URL = "redis://127.0.0.1:1/0"

    # when a worker dies at the 121st of 200 sends and its claim goes stale
    claim = _killed_mid_batch(settings)
    reap_stale_claims(NOON + STALE_CLAIM * 2)

    # then the sends went on without a journal, said so once, and the checkpoints bound
    # the doubt
    assert _statuses() == {
        MessageStatus.SENT: 2 * CHECKPOINT,
        MessageStatus.UNKNOWN: MAX_UNCONFIRMED,
        MessageStatus.QUEUED: 200 - 2 * CHECKPOINT - MAX_UNCONFIRMED,
    }
    _requeued_were_never_delivered()
    warnings = [r.getMessage() for r in caplog.records if "No send journal" in r.getMessage()]
    assert len(warnings) == 1
    assert _redis().exists(journal_key(claim)) == 0
    forget_settings()


def test_a_sender_name_with_a_line_break_never_reaches_the_wire(settings):
    # given a From header whose display name tries to add a Bcc header
    injected = outgoing(2, from_address='"Shop\r\nBcc: thief@evil.example" <shop@example.com>')
    with FakeSMTPServer() as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        channel = EmailChannel(SMTP_BACKEND)

        # when
        channel.open()
        results = channel.send([outgoing(1), injected, outgoing(3)])
        channel.close()

    # then
    assert [(r.message_id, r.ok, r.permanent, r.address_at_fault) for r in results] == [
        (1, True, False, True),
        (2, False, True, False),
        (3, True, False, True),
    ]
    assert results[1].error.startswith("HeaderRefused: the From header contains a control")
    assert _delivered(server) == ["reader1@example.com", "reader3@example.com"]
    for _, _, data in server.received:
        assert email.message_from_bytes(data)["Bcc"] is None


def test_a_batch_past_its_hand_over_time_queues_the_rest_instead_of_sending(
    smtp_delivery, monkeypatch
):
    # given a worker whose claim is older than a live worker may send from
    monkeypatch.setattr(delivery, "HAND_OVER_SECONDS", -1.0)
    contact = Contact.objects.create(email="anna@example.com")
    subscribe(contact)
    message = queue(contact)

    # when
    claimed = deliver_due_messages()

    # then
    message.refresh_from_db()
    assert claimed == 1
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
    assert smtp_delivery.received == []
