"""Every preset's mail shows what its template promises, from engine data made by real events.

No sample context is involved: events go through the intake and the pipeline, the engine
starts and advances runs, the delivery loop renders and sends, and the test reads the
mail that left, in English and German.
"""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from saleor_ma_plugin.campaigns.editing import activate
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.scheduled import run_scheduled_triggers
from saleor_ma_plugin.campaigns.steps.send import SendStep
from saleor_ma_plugin.catalogue.models import CatalogueProduct, CatalogueVariant, NotifyRequest
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.links import read_click_token
from saleor_ma_plugin.pipeline import process_fresh_events
from saleor_ma_plugin.vouchers.models import IssuedVoucher
from tests.campaign_helpers import event, ingest, run_all, subscribe
from tests.factories import line, order

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
STOREFRONT = "https://shop.example"
BEANS_IMAGE = "https://cdn.shop.example/beans.jpg"
GRINDER_IMAGE = "https://cdn.shop.example/grinder.jpg"


@pytest.fixture(autouse=True)
def shop(settings, db):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "storefront_url": STOREFRONT,
        "public_base_url": "https://api.shop.example",
        "quiet_hours": "",
        "smart_sending_hours": "0",
        "reorder_url": "{storefront}/cart/add?variant={variant_id}&quantity={quantity}",
    }
    forget_settings()
    CatalogueProduct.objects.create(
        product_id="beans",
        name="Mountain Espresso Beans",
        slug="mountain-espresso",
        category_id="coffee",
        image_url=BEANS_IMAGE,
        price=Decimal("14.900"),
        popularity=5,
    )
    CatalogueProduct.objects.create(
        product_id="decaf",
        name="Decaf Espresso Blend",
        slug="decaf-espresso",
        category_id="coffee",
        image_url="https://cdn.shop.example/decaf.jpg",
        price=Decimal("12.500"),
        popularity=3,
    )
    CatalogueProduct.objects.create(
        product_id="grinder",
        name="Hand Grinder",
        slug="hand-grinder",
        category_id="tools",
        image_url=GRINDER_IMAGE,
        price=Decimal("59.000"),
        in_stock=False,
    )
    CatalogueVariant.objects.create(
        variant_id="beans-1kg", product_id="beans", name="1 kg", stock_quantity=40
    )
    CatalogueVariant.objects.create(
        variant_id="grinder-steel", product_id="grinder", name="Steel", stock_quantity=0
    )
    yield
    forget_settings()


def customer(email: str, language: str) -> Contact:
    contact = Contact.objects.create(email=email, first_name="Anna", language_code=language)
    subscribe(contact)
    return contact


def start(preset: str, params: dict | None = None) -> None:
    activate(create_from_preset(preset, params))


def place_order(contact: Contact, when: datetime) -> None:
    snapshot = order(
        order_id=f"order-{contact.pk}",
        number=f"10{contact.pk}",
        email=contact.email,
        language_code=contact.language_code,
        created_at=when,
        updated_at=when,
        shipping_method_name="DHL",
        delivery_days=(2, 4),
        lines=(
            line(
                product_id="beans",
                variant_id="beans-1kg",
                product_name="Mountain Espresso Beans",
                variant_name="1 kg",
                category_id="coffee",
                quantity=2,
                unit_price_gross=Decimal("13.90"),
            ),
        ),
    )
    with time_machine.travel(when, tick=False):
        ingest(*order_events(EventType.ORDER_CREATED, snapshot, EventSource.SALEOR))


def tick(now: datetime) -> None:
    with time_machine.travel(now, tick=False):
        run_scheduled_triggers(now)
        process_fresh_events()
        run_all(now)
        while deliver_due_messages(now=now):
            pass


def link_targets(html: str) -> set[str]:
    """Where the tracked links of a mail lead."""
    tokens = re.findall(r"/t/c/([^/\"]+)/", html)
    return {read_click_token(token)[1] for token in tokens}


def mail_to(contact: Contact, subject_part: str):
    found = [m for m in mail.outbox if contact.email in m.to and subject_part in m.subject]
    assert len(found) == 1, [m.subject for m in mail.outbox if contact.email in m.to]
    return found[0].body, found[0].alternatives[0][0]


@pytest.mark.parametrize(
    ("language", "subject"), [("en", "Running low on"), ("de", "Geht dein Vorrat")]
)
def test_a_replenishment_reminder_names_the_product_with_its_picture_price_and_reorder_link(
    language, subject
):
    # given
    start("replenishment", {"days": 21})
    anna = customer(f"anna.{language}@example.com", language)
    place_order(anna, START)

    # when
    tick(START + timedelta(days=21, hours=1))

    # then
    text, html = mail_to(anna, subject)
    assert "Mountain Espresso Beans" in text
    assert "14.90 EUR" in text or "14,90 EUR" in text
    assert f"{STOREFRONT}/cart/add?variant=beans-1kg&quantity=2" in text
    assert BEANS_IMAGE in html
    assert f"{STOREFRONT}/cart/add?variant=beans-1kg&quantity=2" in link_targets(html)


@pytest.mark.parametrize(
    ("language", "subject"), [("en", "Still looking for"), ("de", "Noch auf der Suche")]
)
def test_a_search_follow_up_lists_matching_products_and_links_to_the_search(language, subject):
    # given
    start("search_abandonment", {"delay_hours": 1})
    anna = customer(f"search.{language}@example.com", language)
    ingest(
        event(
            EventType.SEARCH_PERFORMED,
            f"search:{language}",
            {"email": anna.email, "query": "espresso"},
            START,
            EventSource.STOREFRONT,
        )
    )

    # when
    tick(START + timedelta(hours=2))

    # then
    text, _html = mail_to(anna, subject)
    assert "Mountain Espresso Beans" in text
    assert "Decaf Espresso Blend" in text
    assert "Hand Grinder" not in text
    assert f"{STOREFRONT}/search?q=espresso" in text


@pytest.mark.parametrize(
    ("language", "subject"), [("en", "Back in stock"), ("de", "Wieder verfügbar")]
)
def test_a_back_in_stock_mail_names_the_variant_the_contact_waited_for(language, subject):
    # given
    start("back_in_stock")
    anna = customer(f"waiting.{language}@example.com", language)
    NotifyRequest.objects.create(contact=anna, variant_id="grinder-steel")
    CatalogueVariant.objects.filter(variant_id="grinder-steel").update(stock_quantity=5)
    CatalogueProduct.objects.filter(product_id="grinder").update(in_stock=True)

    # when
    tick(START)

    # then
    text, html = mail_to(anna, subject)
    assert "Hand Grinder" in text
    assert "Steel" in text
    assert GRINDER_IMAGE in html


@pytest.mark.parametrize(
    ("language", "forecast", "feedback", "window"),
    [
        (
            "en",
            "should arrive by Friday, May 8",
            "How did we do",
            "Wednesday, May 6 \u2013 Friday, May 8",
        ),
        (
            "de",
            "kommt voraussichtlich bis Freitag, 8. Mai",
            "Wie zufrieden",
            "Mittwoch, 6. Mai \u2013 Freitag, 8. Mai",
        ),
    ],
)
def test_the_order_follow_up_forecasts_the_delivery_and_links_to_a_rating(
    language, forecast, feedback, window
):
    # given
    start("order_follow_up", {"feedback_after_days": 7})
    anna = customer(f"buyer.{language}@example.com", language)
    place_order(anna, START)

    # when
    tick(START + timedelta(minutes=5))
    tick(START + timedelta(days=7, hours=1))

    # then
    forecast_text, _html = mail_to(anna, forecast)
    assert window in forecast_text
    feedback_text, feedback_html = mail_to(anna, feedback)
    ratings = sorted(url for url in link_targets(feedback_html) if "?rating=" in url)
    assert [url.rsplit("=", 1)[1] for url in ratings] == ["1", "2", "3", "4", "5"]
    assert all(url.startswith("https://api.shop.example/f/") for url in ratings)
    assert f"5/5: {ratings[4]}" in feedback_text


def test_the_order_follow_up_adds_no_forecast_beside_our_order_confirmation(settings):
    # given order confirmations sent by the plugin, and the follow-up campaign
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "transactional_emails": "order_confirmation",
    }
    forget_settings()
    start("order_follow_up", {"feedback_after_days": 7})
    anna = customer("confirmed@example.com", "en")
    place_order(anna, START)

    # when
    tick(START + timedelta(minutes=5))
    tick(START + timedelta(days=7, hours=1))

    # then the confirmation forecasts the delivery alone; the run goes on to its feedback
    subjects = [m.subject for m in mail.outbox if anna.email in m.to]
    assert not any("should arrive" in subject for subject in subjects)
    mail_to(anna, "How did we do")


def test_a_send_step_names_only_saleors_customer_notifications_as_replacing_it():
    # given a follow-up whose forecast step names a notification Saleor does not have
    campaign = create_from_preset("order_follow_up")
    steps = {step.key: step for step in campaign.steps.all()}
    config = {**steps["forecast"].config, "replaced_by": "order_teleported"}

    # when / then
    with pytest.raises(FieldError) as refused:
        SendStep().parse(config, "steps.forecast.config")
    assert refused.value.field == "steps.forecast.config.replaced_by"
    assert "order_confirmation" in refused.value.message
    assert SendStep().parse(steps["forecast"].config, "x").replaced_by == "order_confirmation"


@pytest.mark.parametrize(
    ("language", "subject", "name"),
    [
        ("en", "Running low on Mountain Espresso Beans", "Decaf Espresso Blend"),
        ("de", "„Bergespresso Bohnen“", "Entkoffeinierte Espressomischung"),
    ],
)
def test_products_are_named_in_the_readers_language(language, subject, name):
    # given German names for the shop's products, and a German and an English customer
    CatalogueProduct.objects.filter(product_id="beans").update(names={"de": "Bergespresso Bohnen"})
    CatalogueProduct.objects.filter(product_id="decaf").update(
        names={"de": "Entkoffeinierte Espressomischung"}
    )
    start("replenishment", {"days": 21})
    anna = customer(f"names.{language}@example.com", language)
    place_order(anna, START)

    # when
    tick(START + timedelta(days=21, hours=1))

    # then the reminder and its recommendations speak the reader's language
    text, _html = mail_to(anna, subject)
    assert name in text


def test_the_welcome_offer_for_a_first_order_skips_customers_who_already_bought():
    # given the welcome series, a new subscriber and one who has bought before
    start("welcome_series", {"discount_percent": 10})
    newcomer = customer("new@example.com", "en")
    regular = customer("regular@example.com", "en")
    place_order(regular, START - timedelta(days=40))

    # when both confirm their subscription and the series runs its course
    for contact in (newcomer, regular):
        with time_machine.travel(START, tick=False):
            ingest(
                event(
                    EventType.NEWSLETTER_CONFIRMED,
                    f"confirmed:{contact.pk}",
                    {"email": contact.email, "topics": [""]},
                    START,
                    EventSource.STOREFRONT,
                )
            )
    for day in range(8):
        tick(START + timedelta(days=day, hours=1))

    # then only the newcomer got the code
    offers = {m.to[0] for m in mail.outbox if m.subject.startswith("A welcome gift")}
    assert offers == {"new@example.com"}
    assert IssuedVoucher.objects.filter(contact=regular).count() == 0
    assert IssuedVoucher.objects.filter(contact=newcomer).count() == 1
