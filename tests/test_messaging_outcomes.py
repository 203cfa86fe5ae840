"""What a send loop knows after a lost reply or a killed worker, and what it sends again."""

import email
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db.models import Count

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging import MessageStatus, delivery
from saleor_ma_plugin.messaging.channels.email import EmailChannel
from saleor_ma_plugin.messaging.delivery import (
    CHECKPOINT,
    MAX_UNCONFIRMED,
    STALE_CLAIM,
    deliver_due_messages,
    reap_stale_claims,
)
from saleor_ma_plugin.messaging.models import DeliveryAttempt, Message, Suppression
from tests.campaign_helpers import subscribe
from tests.fake_smtp import FakeSMTPServer
from tests.messaging_helpers import queue, template
from tests.test_channel_email import SMTP_BACKEND, outgoing

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
PIPELINED, PLAIN = ("PIPELINING", "8BITMIME"), ()


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


def test_a_killed_worker_leaves_at_most_one_checkpoint_unconfirmed(settings):
    # given 200 marketing messages, and a worker that dies at the 121st send
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

    # when
    with time_machine.travel(NOON, tick=False), pytest.raises(WorkerKilled):
        deliver_due_messages()
    reaped = reap_stale_claims(NOON + STALE_CLAIM * 2)

    # then every message the server took before the last checkpoint is recorded as sent
    statuses = dict(Message.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses == {
        MessageStatus.SENT: 2 * CHECKPOINT,
        MessageStatus.UNKNOWN: MAX_UNCONFIRMED,
        MessageStatus.QUEUED: 200 - 2 * CHECKPOINT - MAX_UNCONFIRMED,
    }
    assert reaped == 200 - 2 * CHECKPOINT
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == 2 * CHECKPOINT
    # and none of the 120 the server took is queued again; those never handed over are,
    # their try not counted
    delivered = {message.to[0] for message in mail.outbox}
    requeued = Message.objects.filter(status=MessageStatus.QUEUED)
    assert len(delivered) == 120
    assert delivered.isdisjoint(requeued.values_list("contact__email", flat=True))
    assert set(requeued.values_list("attempts", flat=True)) == {0}
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
