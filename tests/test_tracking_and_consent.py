"""Links in messages and the storefront-facing consent flows, through real HTTP requests."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from saleor_ma_plugin.contacts import ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, has_consent
from saleor_ma_plugin.contacts.models import Consent, ConsentEvent, Contact
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.links import (
    click_token,
    contact_token,
    open_token,
    read_click_token,
)
from saleor_ma_plugin.messaging.models import Message, NewsletterTopic
from saleor_ma_plugin.messaging.subscriptions import subscribe
from tests.campaign_helpers import subscribe as give_consent
from tests.messaging_helpers import queue, template

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
FORM = ConsentProof(ConsentMethod.FORM, ip_address="203.0.113.5", wording="Send me the newsletter")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def subscriber():
    contact = Contact.objects.create(email="anna@example.com", language_code="de")
    give_consent(contact)
    return contact


def test_open_pixel_records_the_first_open_only(client, subscriber):
    # given
    message = queue(subscriber, status=MessageStatus.SENT)

    # when
    first = client.get(f"/t/o/{open_token(message.pk)}/")
    client.get(f"/t/o/{open_token(message.pk)}/")

    # then
    assert (first.status_code, first["Content-Type"]) == (200, "image/gif")
    message.refresh_from_db()
    assert message.opened_at == NOW
    assert Event.objects.filter(type="email.opened").count() == 1


def test_forged_pixel_changes_nothing(client, subscriber):
    message = queue(subscriber)
    response = client.get(f"/t/o/{open_token(message.pk)}x/")
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.opened_at is None


def test_click_redirects_to_the_url_in_the_message_and_records_it(client, subscriber):
    # given
    message = queue(subscriber)

    # when
    response = client.get(f"/t/c/{click_token(message.pk, 'https://shop.example.com/sale')}/")

    # then
    assert (response.status_code, response["Location"]) == (302, "https://shop.example.com/sale")
    message.refresh_from_db()
    assert (message.clicked_at, message.opened_at) == (NOW, NOW)
    assert (
        Event.objects.get(type="email.clicked").payload["url"] == "https://shop.example.com/sale"
    )


def test_a_tampered_click_token_is_no_open_redirect(client, subscriber):
    # given
    token = click_token(queue(subscriber).pk, "https://shop.example.com/")
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    # when
    response = client.get(f"/t/c/{forged}/")

    # then
    assert response.status_code == 400
    assert "Location" not in response
    assert not Event.objects.exists()


def test_unsubscribe_page_alone_unsubscribes_nobody(client, subscriber):
    response = client.get(f"/u/{contact_token(subscriber.pk)}/")
    assert response.status_code == 200
    assert "Abmelden" in response.content.decode()
    assert has_consent(subscriber, "email") is True


def test_rfc8058_one_click_post_unsubscribes_before_the_next_send(client, subscriber):
    # given a sent newsletter and another one queued
    template()
    sent = queue(subscriber, status=MessageStatus.SENT)
    queued = queue(subscriber)

    # when the mailbox provider posts the one-click body to the List-Unsubscribe URL
    response = client.post(
        f"/u/{contact_token(subscriber.pk, sent.pk)}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    deliver_due_messages()

    # then
    assert response.status_code == 200
    assert has_consent(subscriber, "email") is False
    log = ConsentEvent.objects.latest("pk")
    assert (log.method, log.new_status) == (ConsentMethod.ONE_CLICK, ConsentStatus.UNSUBSCRIBED)
    sent.refresh_from_db()
    queued.refresh_from_db()
    assert sent.unsubscribed_at == NOW
    assert (queued.status, queued.last_error) == (MessageStatus.SUPPRESSED, "no_consent")
    assert mail.outbox == []


def test_preference_centre_changes_topics_and_pauses_with_proof(client, subscriber):
    # given
    NewsletterTopic.objects.create(slug="deals", names={"en": "Deals", "de": "Angebote"})
    NewsletterTopic.objects.create(slug="recipes", names={"en": "Recipes", "de": "Rezepte"})
    token = contact_token(subscriber.pk)

    # when
    page = client.get(f"/p/{token}/")
    response = client.post(
        f"/p/{token}/",
        {"email": "on", "topic-deals": "on", "pause_days": "30"},
        HTTP_USER_AGENT="Firefox",
    )

    # then
    assert "Angebote" in page.content.decode()
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.marketing_paused_until == NOW + timedelta(days=30)
    assert has_consent(subscriber, "email", topic="deals") is True
    assert has_consent(subscriber, "email", topic="recipes") is False
    log = ConsentEvent.objects.get(topic="deals")
    assert (log.method, log.user_agent) == (ConsentMethod.PREFERENCE_CENTRE, "Firefox")


def test_invalid_preference_input_changes_nothing(client, subscriber):
    response = client.post(f"/p/{contact_token(subscriber.pk)}/", {"pause_days": "soon"})
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.marketing_paused_until is None
    assert has_consent(subscriber, "email") is True


def test_double_opt_in_sends_the_confirmation_at_once_and_the_link_confirms(
    client, django_capture_on_commit_callbacks
):
    # given
    template(
        "double_opt_in_confirmation",
        "{% block subject %}Confirm{% endblock %}"
        "{% block text_body %}{{ confirm_url }}{% endblock %}",
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        subscribe("New@Example.com", ["deals"], "en", FORM)

    # then the confirmation mail left immediately, and nothing is subscribed yet
    contact = Contact.objects.get(email="new@example.com")
    assert list(Consent.objects.values_list("topic", "status")) == [
        ("", "pending"),
        ("deals", "pending"),
    ]
    confirm_url = mail.outbox[0].body.split()[0]  # then the footer (imprint)
    assert confirm_url.startswith("http://localhost:8000/confirm/")

    # when the link is followed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(confirm_url.removeprefix("http://localhost:8000"))

    # then
    assert response.status_code == 200
    assert has_consent(contact, "email", topic="deals") is True
    proof = ConsentEvent.objects.filter(new_status="subscribed").first()
    assert (proof.method, proof.ip_address) == (ConsentMethod.DOUBLE_OPT_IN, "127.0.0.1")
    assert Event.objects.get(type="newsletter.confirmed").contact == contact


def test_an_expired_confirmation_link_confirms_nothing(client):
    # given
    template("double_opt_in_confirmation", "{% block text_body %}{{ confirm_url }}{% endblock %}")
    subscribe("new@example.com", [], "en", FORM)
    url = Message.objects.get().context["confirm_url"].removeprefix("http://localhost:8000")

    # when
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        response = client.get(url)

    # then
    assert "expired" in response.content.decode()
    assert Consent.objects.get().status == ConsentStatus.PENDING


def test_signing_up_again_when_subscribed_sends_nothing(subscriber):
    subscribe("anna@example.com", [], "de", FORM)
    assert not Message.objects.exists()


def test_clicking_a_link_with_interests_tags_the_contact(client, subscriber):
    # given a message whose product link carries interest tags
    from saleor_ma_plugin.contacts.models import ContactTag
    from saleor_ma_plugin.messaging.links import track_html

    message = queue(subscriber)
    html = track_html(
        '<p><a class="x" data-interest="Espresso, brewing,&lt;bad&gt;" href="https://shop.example.com/e">E</a></p>',
        message.pk,
        untracked=set(),
    )
    path = html.split('href="http://localhost:8000', 1)[1].split('"', 1)[0]

    # when
    response = client.get(path)

    # then
    assert "data-interest" not in html
    assert response["Location"] == "https://shop.example.com/e"
    assert sorted(
        ContactTag.objects.filter(contact=subscriber).values_list("name", flat=True)
    ) == ["interest:brewing", "interest:espresso"]


def test_click_links_keep_the_form_of_links_already_sent(settings):
    # given the signing secret links were sent with
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "signing_secret": "a fixed secret"}
    forget_settings()
    url = 'https://shop.example/kaffee/ü?a=1&b="x"'

    try:
        # when links to the same targets are made now
        with_interests = click_token(4711, url, ("espresso", "brewing"))
        plain = click_token(4711, "https://shop.example/p/1/")
    finally:
        forget_settings()

    # then they are exactly the ones mailed before, so both kinds still lead where they did
    assert with_interests == (
        "WzQ3MTEsImh0dHBzOi8vc2hvcC5leGFtcGxlL2thZmZlZS9cdTAwZmM_YT0xJmI9XCJ4XCIiLFsiZXNwcmVzc28iLCJi"
        "cmV3aW5nIl1d.z6DvzQNXtpxAbUR4p411eQ"
    )
    assert plain == "WzQ3MTEsImh0dHBzOi8vc2hvcC5leGFtcGxlL3AvMS8iXQ.vrFEiMAjOmZQvi1FHTHKtQ"
    assert read_click_token(with_interests) == (4711, url, ("espresso", "brewing"))
