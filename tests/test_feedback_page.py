"""The rating page behind feedback requests, and the shop's own link patterns."""

import pytest
from django.core.exceptions import ValidationError

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.configuration import fill_link, parse_configuration
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.links import contact_token
from tests.campaign_helpers import ingest
from tests.factories import order
from tests.messaging_helpers import queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_mail():
    """A sent feedback request about order 1042."""
    contact = Contact.objects.create(email="rater@example.com", language_code="de")
    (order_event,) = ingest(
        *order_events(
            EventType.ORDER_CREATED,
            order(order_id="o-1042", number="1042", email=contact.email),
            EventSource.SALEOR,
        )
    )
    message = queue(
        contact,
        "order_feedback_request",
        transactional=True,
        context={"trigger_event_id": order_event},
    )
    return message, f"/f/{contact_token(contact.pk, message.pk, '')}/"


def feedback_events():
    return list(
        Event.objects.filter(type=EventType.FEEDBACK_GIVEN).values_list("payload", flat=True)
    )


def test_following_a_star_link_shows_the_rating_chosen_and_records_nothing(client, request_mail):
    # given
    _message, page = request_mail

    # when
    response = client.get(page, {"rating": "4"})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="4" checked' in html
    assert "Bestellung #1042" in html
    assert feedback_events() == []


def test_sending_the_rating_records_one_feedback_event_for_the_order(client, request_mail):
    # given
    message, page = request_mail

    # when
    first = client.post(page, {"rating": "5", "comment": "Schnell geliefert\x00!"})
    second = client.post(page, {"rating": "1", "comment": "changed my mind"})

    # then
    assert first.status_code == second.status_code == 200
    assert "Danke für dein Feedback" in first.content.decode()
    assert feedback_events() == [
        {
            "contact_id": message.contact_id,
            "message_id": message.pk,
            "campaign_id": None,
            "rating": 5,
            "comment": "Schnell geliefert!",
            "order_id": "o-1042",
            "order_number": "1042",
        }
    ]


@pytest.mark.parametrize("rating", ["0", "6", "five", ""])
def test_a_rating_outside_one_to_five_is_asked_again_and_not_recorded(
    client, request_mail, rating
):
    # given
    _message, page = request_mail

    # when
    response = client.post(page, {"rating": rating})

    # then
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert feedback_events() == []


def test_a_forged_link_is_refused(client, request_mail):
    # given
    _message, page = request_mail

    # when
    response = client.post(page.replace("/f/", "/f/x"), {"rating": "5"})

    # then
    assert response.status_code == 400
    assert feedback_events() == []


def test_link_patterns_fill_in_encoded_values():
    # when / then
    assert (
        fill_link("{storefront}/search?q={query}", "https://shop.example", query="Bohnen & Co/ä")
        == "https://shop.example/search?q=Bohnen%20%26%20Co%2F%C3%A4"
    )
    assert fill_link("{storefront}/search?q={query}", "", query="x") == ""
    assert fill_link("", "https://shop.example", query="x") == ""


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("search_url", "{storefront}/search?q={term}"),
        ("search_url", "{query.__class__}"),
        ("search_url", "{storefront}/s?q={query!r}"),
        ("reorder_url", "ftp://shop.example/{variant_id}"),
        ("feedback_url", "https://reviews.example/{order_number"),
    ],
)
def test_a_link_pattern_with_unknown_placeholders_or_no_http_url_is_refused(name, value):
    # when
    with pytest.raises(ValidationError) as refused:
        parse_configuration({name: value})

    # then
    assert list(refused.value.message_dict) == [name]


def test_link_patterns_default_to_the_storefront_search_and_our_own_pages():
    # when
    settings = parse_configuration({})

    # then
    assert settings.search_url == "{storefront}/search?q={query}"
    assert settings.reorder_url == ""
    assert settings.feedback_url == ""
