"""Names, phone, time zone, birthday and attributes reach the contact from shop and storefront."""

import json
from datetime import date

import pytest
from django.db import transaction

from saleor_ma_plugin.contacts.details import clean_details, normalized_phone, zone_of_country
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import customer_event, order_events, record_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.links import contact_token
from saleor_ma_plugin.pipeline import process_fresh_events
from tests import factories

pytestmark = pytest.mark.django_db


def _process(*events) -> None:
    with transaction.atomic():
        record_events(list(events))
    process_fresh_events()


def _post(client, query: str, variables: dict) -> dict:
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


SUBSCRIBE = """
mutation($input: NewsletterSubscribeInput!) {
  newsletterSubscribe(input: $input) { errors { field code message } }
}
"""


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("+49 30 1234567", "", "+49301234567"),
        ("030 1234567", "DE", "+49301234567"),
        ("(201) 555-0123", "US", "+12015550123"),
        ("12", "DE", ""),
        ("call me", "", ""),
    ],
)
def test_phone_numbers_become_e164_or_nothing(raw, country, expected):
    assert normalized_phone(raw, country) == expected


@pytest.mark.parametrize(
    ("country", "zone"),
    [("DE", "Europe/Berlin"), ("PL", "Europe/Warsaw"), ("US", ""), ("", "")],
)
def test_a_country_gives_a_time_zone_only_where_it_keeps_one_time(country, zone):
    assert zone_of_country(country) == zone


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"phone": "not a number"}, "input.phone"),
        ({"timezone": "Mars/Olympus"}, "input.timezone"),
        ({"birthday": date(2999, 1, 1)}, "input.birthday"),
        ({"attributes": {"a b": 1}}, "input.attributes"),
        ({"attributes": {"plan": {"nested": True}}}, "input.attributes.plan"),
        ({"first_name": "Anna\nBcc: x"}, "input.firstName"),
    ],
)
def test_bad_details_are_refused_naming_the_field(data, field):
    with pytest.raises(FieldError) as raised:
        clean_details(data)
    assert raised.value.field == field


def test_a_customer_event_brings_phone_birthday_dates_and_the_countrys_time_zone():
    # given a Saleor customer with a number on the billing address and dates in metadata
    snapshot = factories.customer(
        phone="+49 30 1234567", birthday="1990-04-17", attributes={"renewal": "2027-01-31"}
    )

    # when
    _process(customer_event(EventType.CUSTOMER_CREATED, snapshot, EventSource.SALEOR))

    # then
    contact = Contact.objects.get()
    assert (contact.phone, contact.birthday, contact.timezone) == (
        "+49301234567",
        date(1990, 4, 17),
        "Europe/Berlin",
    )
    assert contact.attributes == {"renewal": "2027-01-31"}


def test_an_order_completes_a_guests_profile_but_never_overwrites_it():
    # given a contact whose name is known
    Contact.objects.create(email="anna@example.com", first_name="Anna", country="PL")

    # when a guest order arrives with other billing names and a number
    order = factories.order(first_name="Annette", last_name="Berg", phone="+48 22 123 45 67")
    _process(*order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))

    # then blanks are filled, what was there stays
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name, contact.phone, contact.timezone) == (
        "Anna",
        "Berg",
        "+48221234567",
        "Europe/Warsaw",
    )


def test_erasure_removes_phone_and_dates_from_stored_events():
    # given
    snapshot = factories.customer(phone="+49 30 1234567", birthday="1990-04-17")
    _process(customer_event(EventType.CUSTOMER_CREATED, snapshot, EventSource.SALEOR))

    # when the customer is deleted in the shop
    _process(customer_event(EventType.CUSTOMER_DELETED, snapshot, EventSource.SALEOR))

    # then no stored event names the number or the birthday
    stored = json.dumps(list(Event.objects.values_list("payload", flat=True)))
    assert "1234567" not in stored
    assert "1990-04-17" not in stored


def test_a_sign_up_completes_the_profile_without_changing_it(client):
    # given a known contact with a phone number
    Contact.objects.create(email="anna@example.com", phone="+49301111111")

    # when an anonymous form sends other details
    data = _post(
        client,
        SUBSCRIBE,
        {
            "input": {
                "email": "anna@example.com",
                "profile": {
                    "phone": "+49 30 2222222",
                    "timezone": "Europe/Vienna",
                    "birthday": "1990-04-17",
                },
            }
        },
    )

    # then only what was missing is taken
    assert data["data"]["newsletterSubscribe"]["errors"] == []
    contact = Contact.objects.get()
    assert (contact.phone, contact.timezone, contact.birthday) == (
        "+49301111111",
        "Europe/Vienna",
        date(1990, 4, 17),
    )


def test_a_sign_up_with_bad_details_stores_nothing(client):
    # when
    data = _post(
        client,
        SUBSCRIBE,
        {"input": {"email": "new@example.com", "profile": {"timezone": "Nowhere/Else"}}},
    )

    # then
    assert data["data"]["newsletterSubscribe"]["errors"] == [
        {
            "field": "input.profile.timezone",
            "code": "INVALID",
            "message": "Use an IANA time zone, e.g. Europe/Berlin.",
        }
    ]
    assert not Contact.objects.exists()


def test_the_preference_centre_changes_the_contacts_own_details(client):
    # given
    contact = Contact.objects.create(email="anna@example.com", phone="+49301111111")

    # when the holder of the preference link corrects the number
    data = _post(
        client,
        "mutation($token: String!, $input: PreferencesUpdateInput!) "
        "{ preferencesUpdate(token: $token, input: $input) { errors { field message } } }",
        {"token": contact_token(contact.pk), "input": {"profile": {"phone": "+49 30 2222222"}}},
    )

    # then
    assert data["data"]["preferencesUpdate"]["errors"] == []
    contact.refresh_from_db()
    assert contact.phone == "+49302222222"


def test_anonymous_events_cannot_carry_profile_details(client):
    # when
    data = _post(
        client,
        "mutation($input: TrackEventInput!) { trackEvent(input: $input) { errors { field } } }",
        {
            "input": {
                "type": "SEARCH_PERFORMED",
                "query": "x",
                "anonymousId": "a1",
                "profile": {"phone": "+4930"},
            }
        },
    )

    # then
    assert data["data"]["trackEvent"]["errors"] == [{"field": "profile"}]
    assert not Event.objects.exists()
    assert not Contact.objects.exists()
