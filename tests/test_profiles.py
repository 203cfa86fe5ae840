from datetime import timedelta
from decimal import Decimal

import pytest

from saleor_ma_plugin.contacts import LifecycleStage
from saleor_ma_plugin.contacts.models import Contact, ContactRevenue
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import (
    NewEvent,
    checkout_event,
    customer_event,
    order_events,
    store_events,
)
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.pipeline import process_event, process_events
from tests import factories

pytestmark = pytest.mark.django_db


def ingest(*events: NewEvent) -> list[int]:
    ids = store_events(list(events))
    process_events(ids)
    return ids


def place(order, event_type=EventType.ORDER_CREATED) -> list[int]:
    return ingest(*order_events(event_type, order, EventSource.SALEOR))


def test_first_order_creates_a_customer_contact_with_aggregates():
    # given
    order = factories.order(email="Anna@Example.com ", language_code="de", country="DE")

    # when
    place(order)

    # then
    contact = Contact.objects.get()
    assert contact.email == "anna@example.com"
    assert contact.orders_count == 1
    assert contact.first_order_at == order.created_at
    assert contact.last_order_at == order.created_at
    assert contact.lifecycle_stage == LifecycleStage.CUSTOMER
    assert (contact.language_code, contact.country) == ("de", "DE")
    assert list(contact.revenues.values_list("currency", "orders_count", "total_gross")) == [
        ("EUR", 1, Decimal("44.800"))
    ]
    assert Event.objects.get().contact == contact


def test_orders_in_two_currencies_keep_separate_totals():
    # given
    first = factories.order(currency="EUR", total_gross=Decimal("10.000"))
    second = factories.order(
        currency="USD",
        total_gross=Decimal("25.500"),
        created_at=first.created_at + timedelta(days=3),
    )

    # when
    place(first)
    place(second)

    # then
    contact = Contact.objects.get()
    assert contact.orders_count == 2
    assert contact.lifecycle_stage == LifecycleStage.REPEAT_CUSTOMER
    assert contact.last_order_at == second.created_at
    assert sorted(contact.revenues.values_list("currency", "total_gross")) == [
        ("EUR", Decimal("10.000")),
        ("USD", Decimal("25.500")),
    ]


def test_processing_an_event_twice_counts_it_once():
    # given
    (event_id,) = store_events(
        order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR)
    )

    # when
    first = process_event(event_id)
    second = process_event(event_id)

    # then
    assert (first, second) == (True, False)
    assert Contact.objects.get().orders_count == 1
    assert ContactRevenue.objects.get().orders_count == 1


def test_cancelling_a_counted_order_reverses_its_aggregates():
    # given
    order = factories.order()
    place(order)

    # when
    place(order, EventType.ORDER_CANCELLED)

    # then
    contact = Contact.objects.get()
    assert contact.orders_count == 0
    assert contact.lifecycle_stage == LifecycleStage.SUBSCRIBER
    assert ContactRevenue.objects.get().total_gross == Decimal("0.000")


def test_cancelling_an_order_never_counted_changes_no_aggregate():
    # when
    place(factories.order(), EventType.ORDER_CANCELLED)

    # then
    contact = Contact.objects.get()
    assert contact.orders_count == 0
    assert not ContactRevenue.objects.exists()


def test_anonymous_checkout_creates_no_contact():
    # when
    ingest(checkout_event(EventType.CHECKOUT_CREATED, factories.checkout(email="")))

    # then
    assert not Contact.objects.exists()
    event = Event.objects.get()
    assert event.processed_at is not None
    assert event.contact is None


def test_checkout_fills_missing_profile_fields_but_never_overwrites():
    # given
    contact = Contact.objects.create(email="anna@example.com", language_code="en")
    checkout = factories.checkout(language_code="de", country="AT")

    # when
    ingest(checkout_event(EventType.CHECKOUT_UPDATED, checkout))

    # then
    contact.refresh_from_db()
    assert (contact.language_code, contact.country) == ("en", "AT")
    assert contact.last_seen_at == checkout.last_change
    assert contact.orders_count == 0


def test_registered_customer_links_to_the_guest_contact_of_the_same_email():
    # given
    place(factories.order(email="anna@example.com"))

    # when
    ingest(customer_event(EventType.CUSTOMER_CREATED, factories.customer(), EventSource.SALEOR))

    # then
    contact = Contact.objects.get()
    assert contact.saleor_user_id == "17"
    assert (contact.first_name, contact.last_name) == ("Anna", "Berg")
    assert contact.orders_count == 1


def test_customer_changing_email_keeps_one_contact():
    # given
    ingest(customer_event(EventType.CUSTOMER_CREATED, factories.customer(), EventSource.SALEOR))
    changed = factories.customer(
        email="anna.berg@example.org",
        updated_at=factories.PLACED_AT + timedelta(days=1),
    )

    # when
    ingest(customer_event(EventType.CUSTOMER_UPDATED, changed, EventSource.SALEOR))

    # then
    assert list(Contact.objects.values_list("email", "saleor_user_id")) == [
        ("anna.berg@example.org", "17")
    ]


def test_customer_taking_an_email_known_from_guest_orders_merges_both_contacts():
    # given
    ingest(customer_event(EventType.CUSTOMER_CREATED, factories.customer(), EventSource.SALEOR))
    place(factories.order(email="anna.berg@example.org", total_gross=Decimal("30.000")))
    place(factories.order(email="anna@example.com", total_gross=Decimal("12.000")))
    changed = factories.customer(
        email="anna.berg@example.org",
        updated_at=factories.PLACED_AT + timedelta(days=1),
    )

    # when
    ingest(customer_event(EventType.CUSTOMER_UPDATED, changed, EventSource.SALEOR))

    # then
    contact = Contact.objects.get()
    assert (contact.email, contact.saleor_user_id) == ("anna.berg@example.org", "17")
    assert contact.orders_count == 2
    assert contact.lifecycle_stage == LifecycleStage.REPEAT_CUSTOMER
    assert ContactRevenue.objects.get().total_gross == Decimal("42.000")
    assert Event.objects.filter(contact=contact).count() == 4


def test_failing_event_keeps_its_error_and_changes_nothing():
    # given an order event without the currency that aggregates need
    broken = NewEvent(
        EventType.ORDER_CREATED,
        factories.PLACED_AT,
        "order.created:broken",
        {"order_id": "broken", "email": "anna@example.com", "total_gross": "1.00"},
    )
    (event_id,) = store_events([broken])

    # when
    processed = process_event(event_id)

    # then
    assert processed is False
    event = Event.objects.get()
    assert event.processed_at is None
    assert event.attempts == 1
    assert event.processing_error.startswith("KeyError")
    assert not Contact.objects.exists()
