"""Saleor's customer notifications sent as our transactional mail (payloads as Saleor builds)."""

import logging
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from saleor_ma_plugin.core.configuration import parse_configuration
from saleor_ma_plugin.core.host import forget_settings, plugin_settings
from saleor_ma_plugin.events.intake import record_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.events.notifications import notification_event, wanted_notification
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.pipeline import process_fresh_events
from tests import notification_payloads as saleor

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 11, 5, tzinfo=UTC)
ALL = "account_password_reset, order_confirmation, order_fulfillment_confirmation"
TOKEN = "cxk7f2-5d1e0c9a8b7f6e5d4c3b2a19f8e7d6c5"


@pytest.fixture(autouse=True)
def enabled(settings):
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "transactional_emails": ALL}
    forget_settings()
    with time_machine.travel(NOW, tick=False):
        yield
    forget_settings()


def notify(name: str, payload: dict, delivery_days: tuple[int, ...] = ()) -> None:
    """What the plugin's ``notify`` does inside Saleor (``saleor/notifications.py``)."""
    if wanted_notification(name, plugin_settings().transactional_emails):
        with transaction.atomic():
            record_events([notification_event(name, payload, delivery_days)])


def send_all() -> None:
    process_fresh_events()
    deliver_due_messages()


def test_order_confirmation_is_one_mail_with_lines_images_totals_and_forecast():
    # given Saleor's order confirmation, notified twice (a retried request)
    payload = saleor.order_confirmation()

    # when
    notify("order_confirmation", payload, delivery_days=(2, 4))
    notify("order_confirmation", payload, delivery_days=(2, 4))
    send_all()
    send_all()

    # then exactly one transactional mail went out, with what the buyer needs to know
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    html = sent.alternatives[0][0]
    assert sent.to == ["anna@example.com"]
    assert sent.subject == "Order confirmation #1042: expected by Friday, March 6"
    assert "Espresso beans 1 kg (Whole bean)" in sent.body
    assert "Subtotal: 39.80 EUR" in sent.body
    assert "Shipping: 4.90 EUR" in sent.body
    assert "Total: 44.70 EUR" in sent.body
    assert "Wednesday, March 4 \u2013 Friday, March 6" in sent.body
    assert saleor.IMAGE.format(size=256) in html
    message = Message.objects.get()
    assert (message.template, message.transactional) == ("order_confirmation", True)
    assert message.status == MessageStatus.SENT


def test_german_reader_gets_the_german_confirmation():
    # given a buyer who ordered in German, without an account (no addresses, no shipping)
    payload = saleor.order_confirmation(email="lena@example.de", language="de", guest=True)

    # when
    notify("order_confirmation", payload)
    send_all()

    # then
    (sent,) = mail.outbox
    assert sent.subject == "Bestellbestätigung #1042"
    assert "Zwischensumme: 39,80 EUR" in sent.body
    assert "Gesamt: 44,70 EUR" in sent.body


def test_polish_reader_gets_the_polish_confirmation_with_dates_in_polish():
    # given a buyer who ordered in Polish, with a delivery forecast
    payload = saleor.order_confirmation(email="ola@example.pl", language="pl")

    # when
    notify("order_confirmation", payload, delivery_days=(2, 4))
    send_all()

    # then the mail, its dates, numbers and footer speak Polish
    (sent,) = mail.outbox
    assert sent.subject == "Potwierdzenie zamówienia nr 1042: dostawa do 6 marca"
    assert "Przewidywana dostawa: środa, 4 marca \u2013 piątek, 6 marca" in sent.body
    assert "Suma częściowa: 39,80 EUR" in sent.body
    assert "Razem: 44,70 EUR" in sent.body
    html = sent.alternatives[0][0]
    assert 'lang="pl"' in html
    assert "Dziękujemy za zamówienie!" in html


@pytest.mark.parametrize(
    ("language", "subject", "tracking_label"),
    [
        ("en", "Your order #1042 is on its way", "Tracking number"),
        ("de", "Deine Bestellung #1042 ist unterwegs", "Sendungsnummer"),
        ("pl", "Twoje zamówienie nr 1042 jest w drodze", "Numer przesyłki"),
    ],
)
def test_shipping_mail_shows_tracking_number(language, subject, tracking_label):
    # given
    payload = saleor.fulfillment_confirmation(language=language)

    # when
    notify("order_fulfillment_confirmation", payload)
    send_all()

    # then
    (sent,) = mail.outbox
    assert sent.subject == subject
    assert f"{tracking_label}: 00340434161094042557" in sent.body
    assert "1 \u00d7 Espresso beans 1 kg" in sent.body


def test_shipping_mail_links_a_tracking_url():
    # given a fulfillment whose tracking number is a URL
    url = "https://tracking.example.com/?id=0034043416"
    payload = saleor.fulfillment_confirmation(tracking=url)

    # when
    notify("order_fulfillment_confirmation", payload)
    send_all()

    # then
    (sent,) = mail.outbox
    assert f"Track my parcel:\n{url}" in sent.body
    assert "Tracking number:" not in sent.body


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "Reset your password at Demo Shop"),
        ("de", "Setze dein Passwort zurück bei Demo Shop"),
        ("pl", "Zresetuj hasło w Demo Shop"),
    ],
)
def test_password_reset_mails_saleors_link_untracked_and_keeps_no_token(language, subject, caplog):
    # given Saleor's reset notification carrying its one-time token
    caplog.set_level(logging.DEBUG)
    payload = saleor.password_reset(TOKEN, language=language)

    # when it is notified twice and sent
    notify("account_password_reset", payload)
    notify("account_password_reset", payload)
    send_all()

    # then one mail holds Saleor's link as is (not behind a click redirect)
    (sent,) = mail.outbox
    assert sent.subject == subject
    assert payload["reset_url"] in sent.body
    assert f'href="{payload["reset_url"]}"'.replace("&", "&amp;") in sent.alternatives[0][0]
    # and once sent, neither the event, its key nor the message keep the token
    event, message = Event.objects.get(), Message.objects.get()
    assert TOKEN not in str(event.payload) + event.dedupe_key
    assert event.payload["email"] == "anna@example.com"
    assert (message.status, TOKEN in str(message.context)) == (MessageStatus.SENT, False)
    assert TOKEN not in caplog.text


def test_disabled_notification_stores_and_sends_nothing(settings):
    # given only order confirmations are ours
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "transactional_emails": "order_confirmation",
    }
    forget_settings()

    # when Saleor notifies a password reset
    notify("account_password_reset", saleor.password_reset(TOKEN))
    send_all()

    # then
    assert not Event.objects.exists()
    assert mail.outbox == []


def test_unknown_notification_is_ignored_and_logged_once(caplog):
    # when Saleor notifies a name we do not know, twice, and a staff notification
    notify("order_teleported", {"order": {}})
    notify("order_teleported", {"order": {}})
    notify("staff_order_confirmation", {"order": {}, "recipient_list": ["staff@example.com"]})

    # then nothing is stored and one warning names the unknown one
    assert not Event.objects.exists()
    warnings = [
        record.getMessage()
        for record in caplog.records
        if "order_teleported" in record.getMessage()
    ]
    assert warnings == ["Ignoring unknown Saleor notification 'order_teleported'"]
    assert "staff_order_confirmation" not in caplog.text


def test_setting_accepts_only_the_notifications_we_can_send():
    # when
    with pytest.raises(ValidationError) as error:
        parse_configuration(
            {"transactional_emails": "order_confirmation, staff_order_confirmation"}
        )

    # then
    assert "staff_order_confirmation" in error.value.message_dict["transactional_emails"][0]
    parsed = parse_configuration(
        {"transactional_emails": " Order_Confirmation ,\naccount_password_reset"}
    )
    assert parsed.transactional_emails == {"order_confirmation", "account_password_reset"}
    assert parse_configuration({}).transactional_emails == frozenset()
