from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import (
    STALE_CLAIM,
    deliver_due_messages,
    reap_stale_claims,
)
from saleor_ma_plugin.messaging.models import DeliveryAttempt, Message, Suppression
from tests.campaign_helpers import subscribe
from tests.messaging_helpers import queue, template

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # 12:00 in Berlin


@pytest.fixture(autouse=True)
def setup(settings):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "quiet_hours": "21:00-08:00",
        "email_backend": "tests.email_backends.RefusingBackend",
    }
    forget_settings()
    template()
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller
    forget_settings()


@pytest.fixture
def subscriber():
    contact = Contact.objects.create(
        email="anna@example.com", first_name="Anna", timezone="Europe/Berlin"
    )
    subscribe(contact)
    return contact


def test_marketing_email_goes_out_tracked_with_one_click_unsubscribe(subscriber):
    # given
    message = queue(subscriber)

    # when
    claimed = deliver_due_messages()

    # then
    assert claimed == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject) == (["anna@example.com"], "Hello Anna")
    assert sent.from_email == "Demo Shop <shop@example.com>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent.extra_headers["List-Unsubscribe"].startswith("<http://localhost:8000/u/")
    html = sent.alternatives[0][0]
    assert 'href="http://localhost:8000/t/c/' in html
    assert "https://shop.example.com/sale" not in html
    assert "/t/o/" in html
    assert 'style="color: #123456;"' in html
    message.refresh_from_db()
    assert (message.status, message.sent_at, message.attempts) == (MessageStatus.SENT, NOON, 1)
    assert DeliveryAttempt.objects.get().succeeded is True


def test_no_marketing_without_consent():
    # given
    contact = Contact.objects.create(email="anna@example.com")
    message = queue(contact)

    # when
    deliver_due_messages()

    # then
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.SUPPRESSED, "no_consent")


def test_topic_messages_need_the_topic_consent(subscriber):
    # given
    message = queue(subscriber, topic="recipes")

    # when
    deliver_due_messages()

    # then
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.last_error == "no_consent"


def test_transactional_mail_needs_no_consent_and_carries_no_marketing_add_ons():
    # given
    contact = Contact.objects.create(email="anna@example.com")
    queue(contact, transactional=True, context={"voucher_code": "SECRET-CODE-1234"})

    # when
    deliver_due_messages()

    # then
    assert len(mail.outbox) == 1
    assert "SECRET-CODE-1234" not in mail.outbox[0].alternatives[0][0]
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_marketing_add_ons_appear_with_consent(subscriber):
    # given
    queue(subscriber, transactional=True, context={"voucher_code": "GIFT-CODE-1234"})

    # when
    deliver_due_messages()

    # then
    assert "GIFT-CODE-1234" in mail.outbox[0].alternatives[0][0]


@pytest.mark.parametrize(
    ("reason", "transactional", "delivered"),
    [
        (Suppression.Reason.COMPLAINT, False, False),
        (Suppression.Reason.COMPLAINT, True, True),
        (Suppression.Reason.HARD_BOUNCE, True, False),
    ],
)
def test_suppression_list(subscriber, reason, transactional, delivered):
    # given
    Suppression.objects.create(channel="email", address="anna@example.com", reason=reason)
    message = queue(subscriber, transactional=transactional)

    # when
    deliver_due_messages()

    # then
    assert len(mail.outbox) == int(delivered)
    message.refresh_from_db()
    assert message.status == (MessageStatus.SENT if delivered else MessageStatus.SUPPRESSED)


def test_smart_sending_skips_a_second_marketing_mail_within_the_window(subscriber):
    # given
    queue(subscriber, status=MessageStatus.SENT, sent_at=NOON - timedelta(hours=3))
    marketing, receipt = queue(subscriber), queue(subscriber, transactional=True)

    # when
    deliver_due_messages()

    # then
    marketing.refresh_from_db()
    receipt.refresh_from_db()
    assert (marketing.status, marketing.last_error) == (MessageStatus.SUPPRESSED, "smart_sending")
    assert receipt.status == MessageStatus.SENT


def test_one_batch_cannot_send_two_marketing_mails_to_one_contact(subscriber):
    # given
    first, second = queue(subscriber), queue(subscriber)

    # when
    deliver_due_messages()

    # then
    statuses = sorted(
        Message.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    )
    assert statuses == [MessageStatus.SENT, MessageStatus.SUPPRESSED]


def test_quiet_hours_defer_to_the_morning_in_the_contacts_time_zone(setup, subscriber):
    # given 23:30 in Berlin
    setup.move_to(datetime(2026, 3, 2, 22, 30, tzinfo=UTC))
    message = queue(subscriber)

    # when
    deliver_due_messages()

    # then: 08:00 Berlin is 07:00 UTC, the message waits; nothing was dropped
    message.refresh_from_db()
    assert mail.outbox == []
    assert (message.status, message.scheduled_at, message.attempts) == (
        MessageStatus.QUEUED,
        datetime(2026, 3, 3, 7, 0, tzinfo=UTC),
        0,
    )


def test_paused_contacts_get_no_marketing(subscriber):
    # given
    subscriber.marketing_paused_until = NOON + timedelta(days=7)
    subscriber.save()
    queue(subscriber)

    # when
    deliver_due_messages()

    # then
    assert mail.outbox == []
    assert Message.objects.get().last_error == "paused"


def test_hard_bounce_fails_and_suppresses_the_address():
    # given
    contact = Contact.objects.create(email="bounce@example.com")
    message = queue(contact, transactional=True)

    # when
    deliver_due_messages()

    # then
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE
    assert DeliveryAttempt.objects.get().succeeded is False


def test_temporary_failure_retries_with_backoff_then_gives_up(setup):
    # given
    contact = Contact.objects.create(email="busy@example.com")
    message = queue(contact, transactional=True)

    # when
    deliver_due_messages()
    message.refresh_from_db()
    first_retry = message.scheduled_at
    for _ in range(4):
        setup.move_to(message.scheduled_at)
        deliver_due_messages()
        message.refresh_from_db()

    # then
    assert first_retry == NOON + timedelta(minutes=5)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 5)
    assert not Suppression.objects.exists()


def test_missing_template_fails_with_a_clear_error(subscriber):
    # given
    message = queue(subscriber, template_key="nonexistent")

    # when
    deliver_due_messages()

    # then
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.last_error.startswith("MissingTemplate: No template 'nonexistent'")


def test_a_claimed_message_is_not_claimed_twice(subscriber):
    # given
    queue(subscriber)
    Message.objects.update(status=MessageStatus.SENDING, claimed_at=NOON)

    # when
    claimed = deliver_due_messages()

    # then
    assert claimed == 0
    assert mail.outbox == []


def test_stale_claims_marketing_becomes_unknown_and_transactional_is_retried(subscriber):
    # given two messages a dead worker claimed
    marketing, receipt = queue(subscriber), queue(subscriber, transactional=True)
    Message.objects.update(
        status=MessageStatus.SENDING, claimed_at=NOON - STALE_CLAIM - timedelta(seconds=1)
    )

    # when
    reaped = reap_stale_claims(NOON)

    # then
    marketing.refresh_from_db()
    receipt.refresh_from_db()
    assert reaped == 2
    assert marketing.status == MessageStatus.UNKNOWN
    assert receipt.status == MessageStatus.QUEUED


def test_admin_template_versions_win_over_older_ones(subscriber):
    # given
    template(
        source="{% block subject %}Version two{% endblock %}{% block text_body %}x{% endblock %}",
        version=2,
    )
    queue(subscriber)

    # when
    deliver_due_messages()

    # then
    assert mail.outbox[0].subject == "Version two"


def test_without_a_sender_name_the_storefront_host_names_the_shop(settings, subscriber):
    # given no sender name anywhere, and a template that names the shop
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "sender_name": "",
        "storefront_url": "https://beans.example.com/de",
    }
    forget_settings()
    template(
        "named",
        "{% block subject %}News from {{ shop.name }}{% endblock %}"
        "{% block text_body %}Hello{% endblock %}",
    )
    queue(subscriber, "named")

    # when
    deliver_due_messages()

    # then
    assert mail.outbox[0].subject == "News from beans.example.com"
