"""New people in a processing batch: known absent with one query, created with one INSERT."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ma_plugin.contacts.lookups import is_unknown, unknown_people
from saleor_ma_plugin.contacts.models import Contact, ContactRevenue
from saleor_ma_plugin.contacts.profiles import apply_event
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.pipeline import process_fresh_events
from tests import factories

pytestmark = pytest.mark.django_db


def _orders(*orders) -> list[int]:
    return store_events(
        [
            event
            for order in orders
            for event in order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)
        ]
    )


def _contact_writes(queries) -> list[str]:
    return [
        query["sql"].split(" ")[0]
        for query in queries
        if query["sql"].startswith(("INSERT", "UPDATE"))
        and '"saleor_ma_plugin_contact"' in query["sql"]
    ]


def test_new_customers_orders_create_each_contact_with_one_insert_and_no_update():
    # given orders of three people we do not know, one of them ordering twice
    _orders(
        factories.order(email="anna@example.com"),
        factories.order(email="ben@example.net"),
        factories.order(email="anna@example.com", total_gross=Decimal("10.000")),
        factories.order(email="cleo@example.org", user_id="VXNlcjo3"),
    )

    # when one batch processes them
    with CaptureQueriesContext(connection) as queries:
        process_fresh_events()

    # then each new person cost one INSERT; only anna's second order updated her row
    assert _contact_writes(queries.captured_queries) == ["INSERT", "UPDATE", "INSERT", "INSERT"]
    profiles = {
        contact.email: (contact.orders_count, contact.language_code, contact.saleor_user_id)
        for contact in Contact.objects.all()
    }
    assert profiles == {
        "anna@example.com": (2, "de", ""),
        "ben@example.net": (1, "de", ""),
        "cleo@example.org": (1, "de", "VXNlcjo3"),
    }
    anna = ContactRevenue.objects.get(contact__email="anna@example.com")
    assert (anna.orders_count, anna.total_gross) == (2, Decimal("54.800"))
    assert Contact.objects.get(email="ben@example.net").last_seen_at == factories.PLACED_AT


def test_a_user_id_an_earlier_event_gave_a_known_contact_is_not_taken_for_a_new_person():
    # given a known contact without a Saleor account, and two orders of one batch: the first
    # links the contact to a new account, the second names that account with a new address
    Contact.objects.create(email="anna@example.com")
    _orders(
        factories.order(email="anna@example.com", user_id="VXNlcjo5"),
        factories.order(email="zanna@example.org", user_id="VXNlcjo5"),
    )

    # when one batch processes them
    process_fresh_events()

    # then both orders count on the one contact of that account; nobody new was created
    (contact,) = Contact.objects.all()
    assert (contact.email, contact.saleor_user_id, contact.orders_count) == (
        "anna@example.com",
        "VXNlcjo5",
        2,
    )


def test_a_contact_created_elsewhere_after_the_batch_started_gets_the_event():
    # given a batch that found nobody for anna, and another worker creating her meanwhile
    (event_id,) = _orders(factories.order(email="anna@example.com"))
    event = Event.objects.get(pk=event_id)
    with unknown_people([event.payload]):
        assert is_unknown("anna@example.com", "")
        theirs = Contact.objects.create(email="anna@example.com")

        # when the batch applies the order
        applied = apply_event(event)

        # then it lands on their contact, which is not new, and anna is no longer unknown
        assert not is_unknown("anna@example.com", "")
    assert (applied.contact.pk, applied.contact_is_new) == (theirs.pk, False)
    assert Contact.objects.get().orders_count == 1


def test_outside_a_batch_nobody_is_assumed_unknown():
    # given no batch, and nobody known
    # when asked
    # then the answer leaves the lookup to the database
    assert not is_unknown("anna@example.com", "")


def test_new_people_cost_no_savepoint_of_their_own():
    # given orders of three people we do not know
    _orders(
        factories.order(email="anna@example.com"),
        factories.order(email="ben@example.net"),
        factories.order(email="cleo@example.org"),
    )

    # when one batch processes them
    with CaptureQueriesContext(connection) as queries:
        process_fresh_events()

    # then the only savepoints are the batch's (inside the test's transaction) and each
    # event's own: a new contact's INSERT needs none
    savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1 + 3
    assert _contact_writes(queries.captured_queries) == ["INSERT", "INSERT", "INSERT"]
    assert Contact.objects.count() == 3
