"""Every customer notification of Saleor 3.23 as our mail: payloads as Saleor builds them,
in English, German and Polish; links with Saleor's one-time tokens kept only until sent."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from saleor_ma_plugin import pipeline
from saleor_ma_plugin.catalogue.models import CatalogueProduct
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.configuration import parse_configuration
from saleor_ma_plugin.core.host import forget_settings, plugin_settings
from saleor_ma_plugin.core.transactional import CUSTOMER_NOTIFICATIONS
from saleor_ma_plugin.events.intake import record_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.events.notifications import notification_event, wanted_notification
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.messaging.outcomes import RETRY_AFTER
from saleor_ma_plugin.pipeline import process_fresh_events
from tests import notification_payloads as saleor
from tests.campaign_helpers import campaign, run_all, subscribe

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 11, 5, tzinfo=UTC)
TOKEN = "d1k9a2-7c3b5e1f0a9d8c7b6a5f4e3d2c1b0a99"
NEW_EMAIL = "anna.berg@example.org"
NEW_TRACKING = "00340434161094049999"


@pytest.fixture(autouse=True)
def enabled(settings):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "transactional_emails": "all",
        "storefront_url": "https://shop.example.com",
    }
    forget_settings()
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    forget_settings()


def notify(name: str, payload: dict) -> None:
    """What the plugin's ``notify`` does inside Saleor (``saleor/notifications.py``)."""
    if wanted_notification(name, plugin_settings().transactional_emails):
        with transaction.atomic():
            record_events([notification_event(name, payload)])


def send_all() -> None:
    process_fresh_events()
    deliver_due_messages()


def link_payload(name: str, language: str) -> dict:
    return saleor.account_link(name, TOKEN, language=language)


#: notification -> (payload for a language, subject per language, what the body must say)
CASES = {
    "account_confirmation": (
        lambda lang: link_payload("account_confirmation", lang),
        {
            "en": "Confirm your account at Demo Shop",
            "de": "Bestätige dein Konto bei Demo Shop",
            "pl": "Potwierdź swoje konto w Demo Shop",
        },
        f"confirm-account/?email=anna%40example.com&token={TOKEN}",
    ),
    "account_change_email_request": (
        lambda lang: saleor.change_email_request(TOKEN, NEW_EMAIL, language=lang),
        {
            "en": "Confirm your new email address",
            "de": "Bestätige deine neue E-Mail-Adresse",
            "pl": "Potwierdź nowy adres e-mail",
        },
        f"change-email/?token={TOKEN}",
    ),
    "account_change_email_confirm": (
        lambda lang: saleor.change_email_confirm(NEW_EMAIL, language=lang),
        {
            "en": "Your email address has been changed",
            "de": "Deine E-Mail-Adresse wurde geändert",
            "pl": "Twój adres e-mail został zmieniony",
        },
        NEW_EMAIL,
    ),
    "account_delete": (
        lambda lang: link_payload("account_delete", lang),
        {
            "en": "Confirm deleting your account at Demo Shop",
            "de": "Bestätige die Löschung deines Kontos bei Demo Shop",
            "pl": "Potwierdź usunięcie konta w Demo Shop",
        },
        f"delete-account/?token={TOKEN}",
    ),
    "account_set_customer_password": (
        lambda lang: link_payload("account_set_customer_password", lang),
        {
            "en": "Set your password at Demo Shop",
            "de": "Lege dein Passwort für Demo Shop fest",
            "pl": "Ustaw hasło w Demo Shop",
        },
        f"set-password/?email=anna%40example.com&token={TOKEN}",
    ),
    "invoice_ready": (
        lambda lang: saleor.invoice_ready(),
        {
            "en": "Your invoice 2026/03/0042",
            "de": "Deine Rechnung 2026/03/0042",
            "pl": "Twoja faktura 2026/03/0042",
        },
        "https://cdn.example.com/invoices/2026-03-0042.pdf?sig=8f2a",
    ),
    "order_confirmed": (
        lambda lang: saleor.order_notice(language=lang),
        {
            "en": "Your order #1042 is confirmed",
            "de": "Deine Bestellung #1042 ist bestätigt",
            "pl": "Twoje zamówienie nr 1042 zostało potwierdzone",
        },
        "2 \u00d7 Espresso beans 1 kg (Whole bean)",
    ),
    "order_fulfillment_update": (
        lambda lang: saleor.fulfillment_confirmation(tracking=NEW_TRACKING, language=lang),
        {
            "en": "Update on your order #1042: new tracking details",
            "de": "Neuigkeiten zu deiner Bestellung #1042: neue Sendungsdaten",
            "pl": "Aktualizacja zamówienia nr 1042: nowe dane przesyłki",
        },
        NEW_TRACKING,
    ),
    "order_payment_confirmation": (
        lambda lang: saleor.payment_confirmation(language=lang),
        {
            "en": "Payment received for your order #1042",
            "de": "Zahlung für deine Bestellung #1042 erhalten",
            "pl": "Otrzymaliśmy płatność za zamówienie nr 1042",
        },
        "44",
    ),
    "order_canceled": (
        lambda lang: saleor.order_notice(language=lang),
        {
            "en": "Your order #1042 has been cancelled",
            "de": "Deine Bestellung #1042 wurde storniert",
            "pl": "Twoje zamówienie nr 1042 zostało anulowane",
        },
        "2 \u00d7 Espresso beans 1 kg (Whole bean)",
    ),
    "order_refund_confirmation": (
        lambda lang: saleor.refund_confirmation(language=lang),
        {
            "en": "Your refund for order #1042",
            "de": "Deine Erstattung zur Bestellung #1042",
            "pl": "Zwrot pieniędzy za zamówienie nr 1042",
        },
        "19",
    ),
    "send_gift_card": (
        lambda lang: saleor.gift_card("anna@example.com", buyer=saleor.user(language=lang)),
        {
            "en": "Your gift card from Demo Shop",
            "de": "Dein Geschenkgutschein von Demo Shop",
            "pl": "Twoja karta podarunkowa od Demo Shop",
        },
        "GIFT-7H2K-Q9XM",
    ),
}
AMOUNTS = {"en": ("44.70 EUR", "19.90 EUR"), "de": ("44,70 EUR", "19,90 EUR")}
AMOUNTS["pl"] = AMOUNTS["de"]


@pytest.mark.parametrize("language", ["en", "de", "pl"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_notification_is_one_mail_in_the_readers_language(name, language):
    # given Saleor's payload, notified twice (a retried request)
    make_payload, subjects, says = CASES[name]
    payload = make_payload(language)
    if name in ("invoice_ready", "send_gift_card"):
        # Saleor names no language for these: the reader's own, as we know it, counts.
        Contact.objects.create(email="anna@example.com", language_code=language)

    # when
    notify(name, payload)
    notify(name, payload)
    send_all()
    send_all()

    # then exactly one transactional mail, with the subject and content of that language
    (sent,) = mail.outbox
    assert sent.subject == subjects[language]
    assert says in sent.body
    if name == "order_payment_confirmation":
        assert AMOUNTS[language][0] in sent.body
    if name == "order_refund_confirmation":
        assert AMOUNTS[language][1] in sent.body
    message = Message.objects.get()
    assert (message.transactional, message.status) == (True, MessageStatus.SENT)
    html = sent.alternatives[0][0]
    assert f'lang="{language}"' in html


@pytest.mark.parametrize(
    ("name", "link_key"),
    [
        ("account_confirmation", "confirm_url"),
        ("account_delete", "delete_url"),
        ("account_set_customer_password", "password_set_url"),
    ],
)
def test_one_time_links_are_mailed_as_they_are_and_kept_nowhere(name, link_key):
    # given
    payload = link_payload(name, "en")

    # when
    notify(name, payload)
    send_all()

    # then the link is in the mail untracked, and the token is gone from every row once sent
    (sent,) = mail.outbox
    assert payload[link_key] in sent.body
    assert f'href="{payload[link_key]}"'.replace("&", "&amp;") in sent.alternatives[0][0]
    event, message = Event.objects.get(), Message.objects.get()
    assert TOKEN not in str(event.payload) + event.dedupe_key
    assert TOKEN not in str(message.context)


def test_an_email_change_is_confirmed_at_the_new_address_and_reported_to_the_old():
    # given the customer we know by their account
    owner = Contact.objects.create(email="anna@example.com", saleor_user_id="7")

    # when Saleor asks the new address to confirm, and then tells the old one
    notify("account_change_email_request", saleor.change_email_request(TOKEN, NEW_EMAIL))
    notify("account_change_email_confirm", saleor.change_email_confirm(NEW_EMAIL))
    send_all()

    # then each mail went where Saleor said, both about the same person
    request, report = sorted(mail.outbox, key=lambda sent: sent.subject)
    assert (request.to, report.to) == ([NEW_EMAIL], ["anna@example.com"])
    assert request.subject == "Confirm your new email address"
    assert f"to {NEW_EMAIL}" in report.body
    assert set(Message.objects.values_list("contact_id", flat=True)) == {owner.pk}
    assert list(Contact.objects.values_list("email", flat=True)) == ["anna@example.com"]


def test_a_gift_card_for_someone_else_is_theirs_and_its_code_is_not_kept():
    # given a buyer with an account, sending a gift card to a friend
    buyer = Contact.objects.create(email="anna@example.com", saleor_user_id="7")

    # when
    notify("send_gift_card", saleor.gift_card("ben@example.net", buyer=saleor.user()))
    send_all()

    # then the friend gets the code, as their own contact
    (sent,) = mail.outbox
    assert sent.to == ["ben@example.net"]
    assert "Gift card code: GIFT-7H2K-Q9XM" in sent.body
    assert "Balance: 50.00 EUR" in sent.body
    message = Message.objects.get()
    assert message.contact.email == "ben@example.net"
    assert message.contact_id != buyer.pk
    # and no row keeps the code
    assert "GIFT-7H2K" not in str(Event.objects.get().payload) + str(message.context)


def test_refunds_of_the_same_amount_are_mailed_each_time_but_a_retry_is_not(enabled):
    # given
    payload = saleor.refund_confirmation()

    # when a refund is notified, retried, and a second refund of the same amount follows
    notify("order_refund_confirmation", payload)
    notify("order_refund_confirmation", payload)
    enabled.shift(timedelta(minutes=3))
    notify("order_refund_confirmation", payload)
    send_all()

    # then
    assert [sent.subject for sent in mail.outbox] == ["Your refund for order #1042"] * 2


def test_marketing_add_ons_in_an_order_mail_only_with_marketing_consent():
    # given a shop with a product to recommend, and two buyers: one subscribed
    CatalogueProduct.objects.create(
        product_id="cup",
        name="Stoneware Cup",
        slug="stoneware-cup",
        image_url="https://cdn.shop.example/cup.jpg",
        price=Decimal("9.50"),
        popularity=4,
    )
    subscribed = Contact.objects.create(email="anna@example.com")
    subscribe(subscribed)

    # when both get Saleor's "order confirmed"
    others = saleor.order_notice(email="tom@example.com")
    others["order"]["id"] = saleor.global_id("Order", "0d5b1c7e-2f4a-4b8e-9c1d-7e6f5a4b3c2d")
    notify("order_confirmed", saleor.order_notice())
    notify("order_confirmed", others)
    send_all()

    # then only the subscriber's mail recommends anything
    mails = {sent.to[0]: sent.body for sent in mail.outbox}
    assert "You might also like\n- Stoneware Cup (9.50 EUR)" in mails["anna@example.com"]
    assert "You might also like" not in mails["tom@example.com"]
    assert "Stoneware Cup" not in mails["tom@example.com"]


def test_a_shipping_notification_can_start_a_campaign():
    # given a follow-up that starts when our shipping confirmation is sent
    follow_up = campaign({"type": "event", "event": "notify.order_fulfillment_confirmation"})

    # when
    notify("order_fulfillment_confirmation", saleor.fulfillment_confirmation())
    process_fresh_events()
    run_all(NOW)

    # then the shipping mail and the campaign's run both happened
    templates = sorted(Message.objects.values_list("template", "campaign_id"))
    assert templates == [("order_shipped", None), ("t", follow_up.pk)]


def test_all_enables_every_customer_notification():
    # when
    parsed = parse_configuration({"transactional_emails": " ALL "})

    # then
    assert parsed.transactional_emails == frozenset(CUSTOMER_NOTIFICATIONS)


def test_an_order_mail_tells_a_subscriber_which_products_run_out_and_offers_a_reorder(settings):
    # given the shop treats the ordered beans as a consumable (a replenishment campaign names
    # them) and links reorders to its cart
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "reorder_url": "{storefront}/cart/add?variant={variant_id}&quantity={quantity}",
    }
    forget_settings()
    CatalogueProduct.objects.create(
        product_id="72",
        name="Espresso beans 1 kg",
        slug="espresso-beans",
        image_url="https://cdn.shop.example/beans.jpg",
        price=Decimal("19.90"),
    )
    campaign(
        {"type": "replenishment", "days": 60, "products": {"72": 25}},
        name="Beans run out",
    )
    subscribed = Contact.objects.create(email="anna@example.com")
    subscribe(subscribed)
    others = saleor.order_confirmation(email="tom@example.com")
    others["order"]["id"] = saleor.global_id("Order", "0d5b1c7e-2f4a-4b8e-9c1d-7e6f5a4b3c2d")

    # when both buyers get the order confirmation
    notify("order_confirmation", saleor.order_confirmation())
    notify("order_confirmation", others)
    send_all()

    # then the subscriber learns how long the beans last, with a one-click reorder
    mails = {sent.to[0]: sent for sent in mail.outbox}
    assert (
        "When it runs out\n- Espresso beans 1 kg lasts about 25 days. We'll remind you in good "
        "time, and you can reorder in one click.\n"
        "Reorder: https://shop.example.com/cart/add?variant=301&quantity=2"
    ) in mails["anna@example.com"].body
    assert "https://cdn.shop.example/beans.jpg" in mails["anna@example.com"].alternatives[0][0]
    # and the buyer without marketing consent gets the plain confirmation
    assert "When it runs out" not in mails["tom@example.com"].body
    assert "Reorder" not in mails["tom@example.com"].body


def test_payment_confirmation_without_a_payment_names_the_order_total():
    # given Saleor's payment confirmation for an order paid through the transactions API
    payload = saleor.payment_confirmation()
    del payload["payment"]

    # when
    notify("order_payment_confirmation", payload)
    send_all()

    # then
    (sent,) = mail.outbox
    assert sent.subject == "Payment received for your order #1042"
    assert "Amount paid: 44.70 EUR" in sent.body


def test_a_gift_card_for_a_guest_goes_to_the_address_saleor_names():
    # when Saleor sends a gift card bought by a guest (no user in the payload)
    notify("send_gift_card", saleor.gift_card("ben@example.net"))
    send_all()

    # then
    (sent,) = mail.outbox
    assert sent.to == ["ben@example.net"]
    assert Message.objects.get().contact.email == "ben@example.net"


def test_a_batch_stores_its_notification_mails_with_one_insert():
    # given three notifications waiting to be processed
    notify("order_confirmation", saleor.order_confirmation(email="anna@example.com"))
    notify("account_password_reset", saleor.password_reset(TOKEN))
    notify("send_gift_card", saleor.gift_card("ben@example.net"))
    event_ids = sorted(Event.objects.values_list("pk", flat=True))
    assert len(event_ids) == 3

    # when one batch processes them
    with CaptureQueriesContext(connection) as queries:
        process_fresh_events()

    # then one INSERT queued a mail for each, keyed by its event
    inserts = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('INSERT INTO "saleor_ma_plugin_message"')
    ]
    assert len(inserts) == 1
    assert sorted(Message.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"notify:{event_id}" for event_id in event_ids
    )


def test_a_notification_whose_event_fails_queues_no_mail_and_the_rest_do(monkeypatch):
    # given anna's order confirmation and ben's gift card, the scoring of ben's failing
    # after his mail was made
    notify("order_confirmation", saleor.order_confirmation(email="anna@example.com"))
    notify("send_gift_card", saleor.gift_card("ben@example.net"))
    score = pipeline.apply_score_rules

    def failing_for_ben(event, contact, now):
        if contact.email == "ben@example.net":
            raise ValueError("scoring broke")
        return score(event, contact, now)

    monkeypatch.setattr(pipeline, "apply_score_rules", failing_for_ben)

    # when one batch processes them
    process_fresh_events()

    # then only anna's mail is queued; ben's event keeps its error for the sweeper
    assert [m.contact.email for m in Message.objects.select_related("contact")] == [
        "anna@example.com"
    ]
    failed = Event.objects.get(type="notify.send_gift_card")
    assert (failed.processed_at, failed.processing_error) == (None, "ValueError: scoring broke")


def test_a_batch_sends_its_notifications_itself_right_after_its_commit(
    django_capture_on_commit_callbacks,
):
    # given an order confirmation and two password resets waiting to be processed
    notify("order_confirmation", saleor.order_confirmation(email="anna@example.com"))
    notify("account_password_reset", saleor.password_reset(TOKEN))
    notify("account_password_reset", saleor.password_reset("c0ffee-b3n", email="ben@example.net"))

    # when one worker processes them, and no delivery task runs
    with django_capture_on_commit_callbacks(execute=True):
        process_fresh_events()

    # then the same worker has sent all three, one mail each
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.com",
        "anna@example.com",
        "ben@example.net",
    ]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_notification_the_batch_could_not_send_is_retried_later(
    django_capture_on_commit_callbacks, settings
):
    # given an order confirmation to a mailbox whose server answers "try again later"
    settings.EMAIL_BACKEND = "tests.email_backends.RefusingBackend"
    notify("order_confirmation", saleor.order_confirmation(email="busy@example.com"))

    # when the batch processes it and tries to send it
    with django_capture_on_commit_callbacks(execute=True):
        process_fresh_events()

    # then the event is processed, nothing went out, and the mail is queued for a retry
    assert Event.objects.get().processed_at is not None
    assert mail.outbox == []
    message = Message.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.scheduled_at == NOW + RETRY_AFTER[0]
