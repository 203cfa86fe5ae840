from datetime import timedelta
from decimal import Decimal

import pytest

from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus, LifecycleStage
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.contacts.models import Consent, ConsentEvent, Contact, ContactTag
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import customer_event, order_events, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.pipeline import process_events
from tests import factories

pytestmark = pytest.mark.django_db


def ingest(events):
    process_events(store_events(events))


@pytest.fixture
def known_customer():
    customer = factories.customer()
    ingest([customer_event(EventType.CUSTOMER_CREATED, customer, EventSource.SALEOR)])
    ingest(
        order_events(EventType.ORDER_CREATED, factories.order(user_id="17"), EventSource.SALEOR)
    )
    contact = Contact.objects.get()
    ContactTag.objects.create(contact=contact, name="coffee")
    change_consent(
        contact,
        ConsentChannel.EMAIL,
        ConsentStatus.SUBSCRIBED,
        ConsentProof(ConsentMethod.FORM, ip_address="203.0.113.9", user_agent="Firefox"),
    )
    return customer


def test_deleting_the_saleor_customer_erases_personal_data(known_customer):
    # when
    deleted = factories.customer(updated_at=factories.PLACED_AT + timedelta(days=2))
    ingest([customer_event(EventType.CUSTOMER_DELETED, deleted, EventSource.SALEOR)])

    # then
    contact = Contact.objects.get()
    assert contact.email == f"erased-{contact.pk}@erased.invalid"
    assert (contact.first_name, contact.last_name, contact.saleor_user_id) == ("", "", "")
    assert contact.lifecycle_stage == LifecycleStage.ERASED
    assert contact.erased_at is not None
    assert not ContactTag.objects.exists()
    assert not Consent.objects.exists()
    log = ConsentEvent.objects.get()
    assert (log.ip_address, log.user_agent, log.new_status) == (None, "", "subscribed")
    for payload in Event.objects.values_list("payload", flat=True):
        assert not {"email", "user_id", "first_name", "last_name"} & payload.keys()


def test_erasure_keeps_what_revenue_reports_need(known_customer):
    # when
    ingest([customer_event(EventType.CUSTOMER_DELETED, known_customer, EventSource.SALEOR)])

    # then
    contact = Contact.objects.get()
    assert contact.orders_count == 1
    assert contact.revenues.get().total_gross == Decimal("44.800")
    order_payload = Event.objects.get(type=EventType.ORDER_CREATED).payload
    assert (order_payload["total_gross"], order_payload["currency"]) == ("44.800", "EUR")
    assert order_payload["lines"][0]["sku"] == "BEAN-1KG"


def test_a_later_guest_order_with_the_same_email_starts_a_new_contact(known_customer):
    # given
    ingest([customer_event(EventType.CUSTOMER_DELETED, known_customer, EventSource.SALEOR)])

    # when
    ingest(order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR))

    # then
    fresh = Contact.objects.get(email="anna@example.com")
    assert fresh.orders_count == 1
    assert not fresh.consents.exists()
    assert Contact.objects.count() == 2
