"""The send journal: its records, what the reaper makes of them, and a Redis that fails."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db.models import Count

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging import MessageStatus, journal
from saleor_ma_plugin.messaging.channels.base import SendResult
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.journal import (
    Entry,
    Fate,
    encode,
    journal_key,
    marker,
    open_journal,
    parse,
    record_of,
)
from saleor_ma_plugin.messaging.models import DeliveryAttempt, Message, Suppression
from saleor_ma_plugin.messaging.outcomes import UNCONFIRMED
from saleor_ma_plugin.messaging.stale_claims import STALE_CLAIM, reap_stale_claims
from tests.campaign_helpers import subscribe
from tests.conftest import REDIS_URL
from tests.messaging_helpers import queue, template

NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
RUN_ID = "5" * 40


@pytest.fixture(autouse=True)
def journal_reachable(monkeypatch):
    """A test before may have found Redis unreachable, leaving claims without a journal."""
    monkeypatch.setattr(journal, "_down_until", 0.0)


def _redis() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL)


def test_records_read_back_as_written_whatever_their_text_holds():
    # given records whose texts look like records themselves, or are not ASCII
    records = [
        encode(7, Fate.SENT, "<1.2@shop.example>"),
        encode(8, Fate.FAILED, "451 4.3.0 busy\n9S3:abc;"),
        encode(10, Fate.BOUNCED, "550 5.1.1 Empfänger unbekannt"),
        encode(11, Fate.REFUSED, "HeaderRefused: From"),
        encode(12, Fate.UNKNOWN, "outcome unknown: SMTPServerDisconnected"),
        encode(13, Fate.NOT_SENT),
    ]

    # when
    journal = parse(marker(RUN_ID) + b"".join(records))

    # then
    assert journal.run_id == RUN_ID
    assert journal.entries == {
        7: Entry(Fate.SENT, "<1.2@shop.example>"),
        8: Entry(Fate.FAILED, "451 4.3.0 busy\n9S3:abc;"),
        10: Entry(Fate.BOUNCED, "550 5.1.1 Empfänger unbekannt"),
        11: Entry(Fate.REFUSED, "HeaderRefused: From"),
        12: Entry(Fate.UNKNOWN, "outcome unknown: SMTPServerDisconnected"),
        13: Entry(Fate.NOT_SENT, ""),
    }


@pytest.mark.parametrize(
    "value",
    [
        b"",
        b"7S3:abc",  # records without the marker: a key Redis recreated after losing it
        b"saleor-ma-journal/1\n7S3:abc",  # no server named
        b"saleor-ma-journal/9 " + RUN_ID.encode() + b"\n7S3:abc",
        marker(RUN_ID) + b"7S30:abc",  # cut short
        marker(RUN_ID) + b"7X3:abc",  # no such fate
        marker(RUN_ID) + b"7S3:abcgarbage",
    ],
)
def test_a_journal_without_its_marker_or_damaged_is_not_trusted(value):
    # when / then
    assert parse(value) is None


@pytest.mark.parametrize(
    ("result", "fate", "text"),
    [
        (SendResult(1, ok=True, provider_message_id="<a@b>"), Fate.SENT, "<a@b>"),
        (SendResult(1, ok=False, error="451 busy"), Fate.FAILED, "451 busy"),
        (SendResult(1, ok=False, error="550 no", permanent=True), Fate.BOUNCED, "550 no"),
        (
            SendResult(1, ok=False, error="bad", permanent=True, address_at_fault=False),
            Fate.REFUSED,
            "bad",
        ),
        (SendResult(1, ok=False, error="lost", unknown=True), Fate.UNKNOWN, "lost"),
    ],
)
def test_a_result_is_journaled_so_that_it_reads_back_the_same(result, fate, text):
    # when
    entry = parse(marker(RUN_ID) + record_of(result)).entries[1]

    # then
    assert entry == Entry(fate, text)
    assert entry.as_result(1) == result


def test_a_decision_not_to_send_reads_back_as_no_result():
    # when / then
    assert parse(marker(RUN_ID) + encode(4, Fate.NOT_SENT)).entries[4].as_result(4) is None


def _sending(claim, **fields) -> Message:
    contact = Contact.objects.create(email=f"reader{uuid.uuid4().hex[:8]}@example.com")
    return queue(
        contact,
        status=MessageStatus.SENDING,
        claim=claim,
        claimed_at=NOON,
        attempts=1,
        scheduled_at=NOON - timedelta(minutes=1),
        **fields,
    )


@pytest.mark.django_db
def test_the_reaper_applies_journaled_fates_as_the_send_loop_would():
    # given a dead worker's claim in claim order, and its journal
    claim = uuid.uuid4()
    sent, busy, receipt, bounced, decided, in_flight, never = (
        _sending(claim),
        _sending(claim),
        _sending(claim, transactional=True),
        _sending(claim),
        _sending(claim),
        _sending(claim),
        _sending(claim),
    )
    run_id = _redis().info("server")["run_id"]
    records = [
        encode(sent.pk, Fate.SENT, "<1@shop.example>"),
        encode(busy.pk, Fate.FAILED, "451 busy"),
        encode(receipt.pk, Fate.UNKNOWN, "outcome unknown: dropped"),
        encode(bounced.pk, Fate.BOUNCED, "550 no such user"),
        encode(decided.pk, Fate.NOT_SENT),
    ]
    _redis().set(journal_key(claim), marker(run_id) + b"".join(records))

    # when its claim goes stale
    reaped = reap_stale_claims(NOON + STALE_CLAIM * 2)

    # then each journaled fate is written as the worker's checkpoint would have written it
    def state(message):
        message.refresh_from_db()
        return (message.status, message.attempts, message.scheduled_at, message.last_error)

    assert reaped == 7
    assert state(sent) == (MessageStatus.SENT, 1, NOON - timedelta(minutes=1), "")
    assert (sent.sent_at, sent.provider_message_id) == (NOON, "<1@shop.example>")
    assert state(busy) == (MessageStatus.QUEUED, 1, NOON + timedelta(minutes=5), "451 busy")
    assert state(receipt) == (MessageStatus.QUEUED, 1, NOON, "outcome unknown: dropped")
    assert state(bounced) == (
        MessageStatus.FAILED,
        1,
        NOON - timedelta(minutes=1),
        "550 no such user",
    )
    assert state(decided) == (MessageStatus.QUEUED, 0, NOON - timedelta(minutes=1), "")
    # and of the rest only the first is in doubt, the other was never handed over
    assert state(in_flight) == (MessageStatus.UNKNOWN, 1, NOON - timedelta(minutes=1), UNCONFIRMED)
    assert state(never) == (MessageStatus.QUEUED, 0, NOON - timedelta(minutes=1), "")
    attempts = DeliveryAttempt.objects.order_by("message_id")
    assert [(a.message_id, a.succeeded, a.provider_response) for a in attempts] == [
        (sent.pk, True, "<1@shop.example>"),
        (busy.pk, False, ""),
        (receipt.pk, False, ""),
        (bounced.pk, False, ""),
    ]
    suppressed = Suppression.objects.values_list("address", "reason", "detail")
    assert list(suppressed) == [(bounced.contact.email, "hard_bounce", "550 no such user")]


class JournalLostAfter30(EmailBackend):
    """Sends like locmem; after the 30th message, Redis drops the batch's journal connection
    (and the sender waits until its corked records went out and were refused)."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if len(mail.outbox) == 30:
            key = messages[0].extra_headers["X-Marketing-Message"]
            name = f"saleor-ma-journal:{Message.objects.get(idempotency_key=key).claim}"
            client = _redis()
            (mine,) = [c["id"] for c in client.client_list() if c["name"] == name]
            client.client_kill_filter(_id=mine)
            time.sleep(0.3)
        return sent


@pytest.mark.django_db
def test_a_journal_lost_mid_batch_ends_the_batch_with_every_result_written(settings, caplog):
    # given 200 marketing messages and a journal connection that breaks after 30 sends
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "email_backend": f"{__name__}.JournalLostAfter30",
        "smart_sending_hours": "0",
    }
    forget_settings()
    template()
    for n in range(200):
        contact = Contact.objects.create(email=f"reader{n}@example.com")
        subscribe(contact)
        queue(contact, scheduled_at=NOON)

    # when
    with time_machine.travel(NOON, tick=False):
        claimed = deliver_due_messages()
    claim = Message.objects.values_list("claim", flat=True).first()

    # then the batch stopped soon after, every message it sent is written as sent, the rest
    # is queued again uncounted, and nothing is left in doubt or to a journal
    statuses = dict(Message.objects.values_list("status").annotate(n=Count("pk")))
    delivered = len(mail.outbox)
    assert claimed == 200
    assert 30 <= delivered < 40
    assert statuses == {MessageStatus.SENT: delivered, MessageStatus.QUEUED: 200 - delivered}
    assert set(
        Message.objects.filter(status=MessageStatus.QUEUED).values_list("attempts", flat=True)
    ) == {0}
    assert _redis().exists(journal_key(claim)) == 0
    assert any("The send journal stopped" in record.getMessage() for record in caplog.records)
    forget_settings()


def test_with_the_journal_switched_off_no_claim_gets_one(settings, caplog):
    # given
    settings.SALEOR_MA_SEND_JOURNAL = False
    claim = uuid.uuid4()

    # when
    journal = open_journal(claim)
    journal.note(SendResult(1, ok=True, provider_message_id="<a@b>"))
    journal.close()

    # then
    assert journal.active is False
    assert _redis().exists(journal_key(claim)) == 0
    assert caplog.records == []


@pytest.mark.django_db
def test_a_message_is_judged_by_its_own_claims_journal_only():
    # given a message an earlier (dead) claim journaled as refused for now, claimed again
    # since by a claim that died too, before its fate was known
    earlier, later = uuid.uuid4(), uuid.uuid4()
    first = _sending(earlier)
    again = _sending(later)
    run_id = _redis().info("server")["run_id"]
    _redis().set(journal_key(earlier), marker(run_id) + encode(again.pk, Fate.FAILED, "451"))
    _redis().set(journal_key(later), marker(run_id))

    # when both claims go stale
    reap_stale_claims(NOON + STALE_CLAIM * 2)

    # then the later claim's message is in doubt (its journal has nothing), not retried
    again.refresh_from_db()
    first.refresh_from_db()
    assert (again.status, again.last_error) == (MessageStatus.UNKNOWN, UNCONFIRMED)
    assert (first.status, first.last_error) == (MessageStatus.UNKNOWN, UNCONFIRMED)
    assert not DeliveryAttempt.objects.exists()
