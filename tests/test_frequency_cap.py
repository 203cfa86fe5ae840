"""The frequency cap: marketing per contact per day and week, over every campaign and channel."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ma_plugin.contacts import ConsentChannel
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.host import forget_settings, plugin_settings
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message
from tests.campaign_helpers import subscribe
from tests.messaging_helpers import queue, template

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def setup(settings):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "quiet_hours": "",
        "smart_sending_hours": "0",  # the caps alone decide here
        "max_marketing_per_day": "2",
        "max_marketing_per_week": "5",
        "email_backend": "django.core.mail.backends.locmem.EmailBackend",
    }
    forget_settings()
    template()
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller
    forget_settings()


@pytest.fixture
def anna():
    contact = Contact.objects.create(email="anna@example.com", phone="+4915112345678")
    subscribe(contact)
    return contact


def sent(contact, ago: timedelta, channel="email", transactional=False) -> Message:
    return queue(
        contact,
        channel=channel,
        transactional=transactional,
        status=MessageStatus.SENT,
        sent_at=NOON - ago,
        scheduled_at=NOON - ago,
    )


def test_the_daily_cap_counts_marketing_of_every_channel_and_defers_an_automation_message(anna):
    # given two marketing messages in the last 24 hours (an SMS and an email) and a receipt
    sent(anna, timedelta(hours=20), channel="sms")
    sent(anna, timedelta(hours=2))
    sent(anna, timedelta(hours=1), transactional=True)
    message = queue(anna)

    # when
    deliver_due_messages()

    # then it waits until the SMS is a day old
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.scheduled_at, message.attempts, message.last_error) == (
        MessageStatus.QUEUED,
        NOON + timedelta(hours=4),
        0,
        "",
    )


def test_a_deferred_message_goes_out_when_the_cap_allows(setup, anna):
    # given
    sent(anna, timedelta(hours=20), channel="sms")
    sent(anna, timedelta(hours=2))
    message = queue(anna)
    deliver_due_messages()

    # when
    setup.move_to(NOON + timedelta(hours=4))
    deliver_due_messages()

    # then
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.sent_at) == (MessageStatus.SENT, NOON + timedelta(hours=4))


def test_transactional_mail_neither_counts_nor_is_capped(anna):
    # given
    for hours in (1, 2, 3):
        sent(anna, timedelta(hours=hours), transactional=True)
    marketing, receipt = queue(anna), queue(anna, transactional=True)
    sent(anna, timedelta(hours=5))
    sent(anna, timedelta(hours=6))

    # when
    deliver_due_messages()

    # then
    marketing.refresh_from_db()
    receipt.refresh_from_db()
    assert receipt.status == MessageStatus.SENT
    assert (marketing.status, marketing.scheduled_at) == (
        MessageStatus.QUEUED,
        NOON + timedelta(hours=18),
    )
    assert [m.to for m in mail.outbox] == [["anna@example.com"]]


def test_the_weekly_cap_defers_until_the_oldest_send_leaves_the_week(anna):
    # given five marketing messages in seven days, none in the last day
    for days in (6.5, 5, 4, 3, 2):
        sent(anna, timedelta(days=days))
    message = queue(anna)

    # when
    deliver_due_messages()

    # then
    message.refresh_from_db()
    assert (message.status, message.scheduled_at) == (
        MessageStatus.QUEUED,
        NOON + timedelta(hours=12),
    )


def test_a_capped_broadcast_message_is_skipped(anna):
    # given
    sent(anna, timedelta(hours=3))
    sent(anna, timedelta(hours=2))
    message = queue(anna, context={"when_capped": "skip"})

    # when
    deliver_due_messages()

    # then
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.last_error, message.scheduled_at) == (
        MessageStatus.SUPPRESSED,
        "frequency_cap",
        NOON,
    )


def test_a_message_is_not_deferred_more_than_two_days_past_its_time(setup, anna):
    # given a message due for a day and a half that the weekly cap would hold another day
    with time_machine.travel(NOON - timedelta(days=1, hours=12), tick=False):
        message = queue(anna)
    for days in (6, 5, 4, 3, 2):
        sent(anna, timedelta(days=days))

    # when
    deliver_due_messages()

    # then
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.SUPPRESSED, "frequency_cap")


def test_one_batch_keeps_the_daily_cap(anna):
    # given
    messages = [queue(anna) for _ in range(3)]

    # when
    deliver_due_messages()

    # then
    statuses = list(
        Message.objects.filter(pk__in=[m.pk for m in messages])
        .order_by("pk")
        .values_list("status", "scheduled_at")
    )
    assert statuses == [
        (MessageStatus.SENT, NOON),
        (MessageStatus.SENT, NOON),
        (MessageStatus.QUEUED, NOON + timedelta(days=1)),
    ]
    assert len(mail.outbox) == 2


def test_no_cap_when_both_are_zero(settings, anna):
    # given
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "max_marketing_per_day": "0",
        "max_marketing_per_week": "0",
    }
    forget_settings()
    for hours in (1, 2, 3, 4):
        sent(anna, timedelta(hours=hours))
    message = queue(anna)

    # when
    deliver_due_messages()

    # then
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_cap_costs_the_same_queries_for_three_readers_as_for_thirty():
    # given
    def batch(count: int, offset: int) -> int:
        for number in range(offset, offset + count):
            contact = Contact.objects.create(email=f"reader{number}@example.com")
            subscribe(contact)
            sent(contact, timedelta(hours=3))
            queue(contact)
        with CaptureQueriesContext(connection) as queries:
            assert deliver_due_messages() == count
        return len(queries)

    # when (the admin's settings are read once for both, as within their cache time)
    plugin_settings()
    few, many = batch(3, 0), batch(30, 100)

    # then
    assert few == many
    assert Message.objects.filter(status=MessageStatus.SENT, sent_at=NOON).count() == 33


def test_sms_marketing_counts_towards_the_cap_of_email(anna):
    # given
    sent(anna, timedelta(hours=1), channel=ConsentChannel.SMS)
    sent(anna, timedelta(hours=23), channel=ConsentChannel.PUSH)
    message = queue(anna)

    # when
    deliver_due_messages()

    # then
    message.refresh_from_db()
    assert (message.status, message.scheduled_at) == (
        MessageStatus.QUEUED,
        NOON + timedelta(hours=1),
    )
