"""The storefront API through real HTTP requests: sign-up, links, consent, tracking, push."""

import json
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns import ReentryPolicy
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.catalogue.models import NotifyRequest
from saleor_ma_plugin.contacts import ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import has_consent
from saleor_ma_plugin.contacts.erasure import erase_contact
from saleor_ma_plugin.contacts.models import Consent, ConsentEvent, Contact
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.graphql_api.storefront import rate_limit
from saleor_ma_plugin.messaging.channels.push import vapid_keys
from saleor_ma_plugin.messaging.links import contact_token
from saleor_ma_plugin.messaging.models import Message, NewsletterTopic
from saleor_ma_plugin.messaging.push_models import PushSubscription
from tests.api_helpers import staff
from tests.campaign_helpers import campaign
from tests.campaign_helpers import subscribe as give_consent
from tests.fake_providers import Subscriber
from tests.messaging_helpers import queue, template

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
OPERATIONS_DIR = Path(__file__).resolve().parent.parent / "graphql" / "operations" / "storefront"
OPERATIONS = {path.stem: path.read_text() for path in OPERATIONS_DIR.glob("*.graphql")}
NO_ERRORS = {"errors": []}
ENDPOINT = "https://fcm.googleapis.com/fcm/send/device-1"


def _delete_our_keys(client: redis.Redis) -> None:
    for pattern in ("saleor_ma:rl:*", "saleor_ma:anon:*"):
        keys = list(client.scan_iter(match=pattern, count=500))
        if keys:
            client.delete(*keys)


def _redis() -> redis.Redis | None:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        client.close()
        return None
    return client


@pytest.fixture(autouse=True)
def storefront(settings, client):
    """Our Redis database without our keys, a client IP of this test's own, frozen time."""
    settings.SALEOR_MA_REDIS_URL = REDIS_URL
    rate_limit.reset()
    server = _redis()
    if server is not None:
        _delete_our_keys(server)
    # Concurrent runs against the same Redis must not share per-IP counters.
    client.defaults["REMOTE_ADDR"] = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.9"
    forget_settings()
    template(
        "double_opt_in_confirmation",
        "{% block subject %}Confirm{% endblock %}{% block text_body %}{{ confirm_url }}"
        "{% endblock %}",
    )
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
    forget_settings()
    rate_limit.reset()
    if server is not None:
        server.close()


@pytest.fixture
def redis_server():
    server = _redis()
    if server is None:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; rate limits need it")
    yield server
    server.close()


@pytest.fixture
def topics():
    NewsletterTopic.objects.create(
        slug="deals", names={"en": "Deals", "de": "Angebote"}, position=0
    )
    NewsletterTopic.objects.create(
        slug="recipes", names={"en": "Recipes", "de": "Rezepte"}, position=1
    )


@pytest.fixture
def subscriber():
    contact = Contact.objects.create(email="anna@example.com", language_code="de")
    give_consent(contact)
    return contact


@pytest.fixture
def customer(client):
    user = User.objects.create_user("ben", "Ben@Example.com", "x", is_staff=False)
    client.force_login(user)
    return user


def run(client, operation: str, variables: dict | None = None, **headers) -> dict:
    """Post one of the example operations in graphql/operations/storefront/."""
    response = client.post(
        "/graphql/",
        json.dumps({"query": OPERATIONS[operation], "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    return response.json()


def result(client, operation: str, variables: dict | None = None, **headers) -> dict:
    payload = run(client, operation, variables, **headers)
    assert "errors" not in payload, payload
    return payload["data"][operation]


def counts() -> dict[str, int]:
    return {
        "contacts": Contact.objects.count(),
        "consents": Consent.objects.count(),
        "consent_log": ConsentEvent.objects.count(),
        "events": Event.objects.count(),
        "messages": Message.objects.count(),
        "notify_requests": NotifyRequest.objects.count(),
        "push_subscriptions": PushSubscription.objects.count(),
    }


def confirmation_token(contact: Contact) -> str:
    url = Message.objects.filter(contact=contact).latest("pk").context["confirm_url"]
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def error(field, code, message) -> dict:
    return {"errors": [{"field": field, "code": code, "message": message}]}


# --------------------------------------------------------------------- newsletterSubscribe


def test_newsletter_subscribe_starts_double_opt_in_with_proof(
    client, topics, django_capture_on_commit_callbacks, settings
):
    # given a shop behind two proxies of its own, and a sign-up
    settings.SALEOR_MA_TRUSTED_PROXIES = 2
    variables = {
        "input": {
            "email": " Anna@Example.com ",
            "topics": ["deals"],
            "language": "de",
            "consentText": "Yes, send me the newsletter.",
            "sourceUrl": "https://shop.example.com/newsletter",
        }
    }

    # when
    with django_capture_on_commit_callbacks(execute=True):
        data = result(
            client,
            "newsletterSubscribe",
            variables,
            HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1",
            HTTP_USER_AGENT="Firefox",
        )

    # then
    assert data == NO_ERRORS
    contact = Contact.objects.get()
    assert (contact.email, contact.language_code) == ("anna@example.com", "de")
    assert sorted(Consent.objects.values_list("topic", "status")) == [
        ("", ConsentStatus.PENDING),
        ("deals", ConsentStatus.PENDING),
    ]
    proof = ConsentEvent.objects.get(topic="deals")
    assert (
        proof.method,
        proof.ip_address,
        proof.user_agent,
        proof.wording,
        proof.source_url,
        proof.language_code,
    ) == (
        ConsentMethod.FORM,
        "203.0.113.7",
        "Firefox",
        "Yes, send me the newsletter.",
        "https://shop.example.com/newsletter",
        "de",
    )
    assert [message.to for message in mail.outbox] == [["anna@example.com"]]
    assert Message.objects.get().context["confirm_url"] in mail.outbox[0].body


def test_newsletter_subscribe_answers_identically_whoever_the_address_belongs_to(
    client, subscriber
):
    # given a known contact without consent, a subscribed one, a pending one
    Contact.objects.create(email="known@example.com")
    result(client, "newsletterSubscribe", {"input": {"email": "pending@example.com"}})
    addresses = [
        "new@example.com",
        "known@example.com",
        "anna@example.com",
        "pending@example.com",
        "nobody@unknown-domain.example",
    ]

    # when
    responses = [
        client.post(
            "/graphql/",
            json.dumps(
                {"query": OPERATIONS["newsletterSubscribe"], "variables": {"input": {"email": e}}}
            ),
            content_type="application/json",
        )
        for e in addresses
    ]

    # then every answer is byte for byte the same
    assert {response.status_code for response in responses} == {200}
    assert {response.content for response in responses} == {
        b'{"data": {"newsletterSubscribe": {"errors": []}}}'
    }
    assert has_consent(subscriber, "email") is True
    assert Consent.objects.get(contact__email="new@example.com").status == ConsentStatus.PENDING


@pytest.mark.parametrize("email", ["anna@example", "anna@", "ERASED"])
def test_invalid_email_is_refused_and_nothing_is_stored(client, email):
    # given an erased contact, whose placeholder address must not be signed up either
    erased = erase_contact(Contact.objects.create(email="someone@example.com"))
    email = erased.email if email == "ERASED" else email
    before = counts()

    # when
    data = result(client, "newsletterSubscribe", {"input": {"email": email}})

    # then
    assert data == error("email", "INVALID", "Enter a valid email address.")
    assert counts() == before


@pytest.mark.parametrize(
    ("field_input", "expected"),
    [
        ({"topics": ["deals", "gossip"]}, ("topics", "Unknown newsletter topic: gossip.")),
        ({"sourceUrl": "javascript:alert(1)"}, ("sourceUrl", "Enter a valid http(s) URL.")),
        ({"language": "deutsch!"}, ("language", "Give a language code such as en or pt-BR.")),
    ],
)
def test_invalid_sign_up_input_changes_nothing(client, topics, field_input, expected):
    # given
    before = counts()

    # when
    data = result(
        client, "newsletterSubscribe", {"input": {"email": "anna@example.com", **field_input}}
    )

    # then
    assert data == error(expected[0], "INVALID", expected[1])
    assert counts() == before


def test_a_forged_forwarded_for_header_is_not_stored_as_the_ip(client):
    # when
    result(
        client,
        "newsletterSubscribe",
        {"input": {"email": "anna@example.com"}},
        HTTP_X_FORWARDED_FOR="not-an-ip",
        REMOTE_ADDR="198.51.100.4",
    )

    # then
    assert ConsentEvent.objects.get().ip_address == "198.51.100.4"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "stored"),
    [
        (0, "203.0.113.9", "198.51.100.4"),
        (1, "192.0.2.66, 203.0.113.9", "203.0.113.9"),
        (2, "192.0.2.66, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),
    ],
)
def test_only_the_hops_of_trusted_proxies_are_believed(
    client, settings, proxies, forwarded_for, stored
):
    # given as many proxies of the shop's own as configured; the client may prepend anything
    settings.SALEOR_MA_TRUSTED_PROXIES = proxies

    # when
    result(
        client,
        "newsletterSubscribe",
        {"input": {"email": "anna@example.com"}},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="198.51.100.4",
    )

    # then the stored address is the one the outermost trusted proxy saw
    assert ConsentEvent.objects.get().ip_address == stored


# --------------------------------------------------------------------- newsletterConfirm


def test_newsletter_confirm_subscribes_what_the_sign_up_asked_for(client, topics):
    # given
    result(
        client,
        "newsletterSubscribe",
        {"input": {"email": "anna@example.com", "topics": ["deals"]}},
    )
    contact = Contact.objects.get()

    # when
    data = result(client, "newsletterConfirm", {"token": confirmation_token(contact)})

    # then
    assert data == NO_ERRORS
    assert has_consent(contact, "email", topic="deals") is True
    assert sorted(
        ConsentEvent.objects.filter(new_status=ConsentStatus.SUBSCRIBED).values_list(
            "topic", "method"
        )
    ) == [("", ConsentMethod.DOUBLE_OPT_IN), ("deals", ConsentMethod.DOUBLE_OPT_IN)]
    assert Event.objects.get(type="newsletter.confirmed").payload["topics"] == ["deals"]


@pytest.mark.parametrize("days_later", [0, 8])
def test_a_wrong_or_expired_confirmation_token_confirms_nothing(client, storefront, days_later):
    # given
    result(client, "newsletterSubscribe", {"input": {"email": "anna@example.com"}})
    contact = Contact.objects.get()
    token = confirmation_token(contact) if days_later else "not-a-token"
    before = counts()

    # when
    storefront.move_to(NOW + timedelta(days=days_later))
    data = result(client, "newsletterConfirm", {"token": token})

    # then
    assert data == error("token", "INVALID", "The confirmation link is invalid or has expired.")
    assert Consent.objects.get().status == ConsentStatus.PENDING
    assert counts() == before


# --------------------------------------------------------------------- unsubscribe


def test_unsubscribe_from_the_links_topic_keeps_the_rest(client, subscriber, topics):
    # given
    give_consent(subscriber, "deals")
    give_consent(subscriber, "recipes")
    message = queue(subscriber, topic="deals")

    # when
    data = result(
        client, "unsubscribe", {"token": contact_token(subscriber.pk, message.pk, "deals")}
    )

    # then
    assert data == NO_ERRORS
    assert has_consent(subscriber, "email") is True
    assert has_consent(subscriber, "email", topic="deals") is False
    assert has_consent(subscriber, "email", topic="recipes") is True
    message.refresh_from_db()
    assert message.unsubscribed_at == NOW
    log = ConsentEvent.objects.latest("pk")
    assert (log.topic, log.method, log.new_status) == (
        "deals",
        ConsentMethod.UNSUBSCRIBE_LINK,
        ConsentStatus.UNSUBSCRIBED,
    )
    assert Event.objects.get(type="email.unsubscribed").payload == {
        "contact_id": subscriber.pk,
        "topic": "deals",
        "message_id": message.pk,
    }


def test_unsubscribe_with_an_empty_topic_stops_all_marketing_email(client, subscriber, topics):
    # given
    give_consent(subscriber, "deals")

    # when
    data = result(
        client, "unsubscribe", {"token": contact_token(subscriber.pk, None, "deals"), "topic": ""}
    )

    # then
    assert data == NO_ERRORS
    assert has_consent(subscriber, "email") is False
    assert Consent.objects.get(contact=subscriber, topic="deals").status == "subscribed"


def test_unsubscribe_with_a_bad_token_changes_nothing(client, subscriber):
    # given
    token = contact_token(subscriber.pk)
    other = Contact.objects.create(email="other@example.com")
    give_consent(other)
    erased = erase_contact(other)
    before = counts()

    # when
    tampered = result(client, "unsubscribe", {"token": token[:-2] + "xx"})
    of_erased = result(client, "unsubscribe", {"token": contact_token(erased.pk)})

    # then
    assert tampered == of_erased == error("token", "INVALID", "The link is invalid.")
    assert has_consent(subscriber, "email") is True
    assert counts() == before


def test_unsubscribe_from_an_unknown_topic_is_refused(client, subscriber):
    # given
    before = counts()

    # when
    data = result(client, "unsubscribe", {"token": contact_token(subscriber.pk), "topic": "x"})

    # then
    assert data == error("topic", "INVALID", "Unknown newsletter topic: x.")
    assert counts() == before


# --------------------------------------------------------------------- preferences


def test_preferences_show_a_masked_email_and_topic_names_in_the_contacts_language(
    client, subscriber, topics
):
    # given
    give_consent(subscriber, "recipes")

    # when
    data = result(client, "preferences", {"token": contact_token(subscriber.pk)})

    # then
    assert data == {
        "email": "a***@example.com",
        "marketingEmail": True,
        "topics": [
            {"slug": "deals", "name": "Angebote", "subscribed": False},
            {"slug": "recipes", "name": "Rezepte", "subscribed": True},
        ],
        "pausedUntil": None,
    }


def test_preferences_of_a_bad_token_are_null(client, subscriber):
    # when
    payload = run(client, "preferences", {"token": contact_token(subscriber.pk) + "x"})

    # then
    assert payload == {"data": {"preferences": None}}


def test_preferences_update_changes_email_topics_and_pause_with_proof(client, topics):
    # given
    contact = Contact.objects.create(email="anna@example.com", language_code="en")
    give_consent(contact, "recipes")

    # when
    data = result(
        client,
        "preferencesUpdate",
        {
            "token": contact_token(contact.pk),
            "input": {
                "email": True,
                "topics": [
                    {"slug": "deals", "subscribed": True},
                    {"slug": "recipes", "subscribed": False},
                ],
                "pauseDays": 30,
            },
        },
        HTTP_USER_AGENT="Safari",
    )

    # then
    assert data == {
        "errors": [],
        "preferences": {
            "email": "a***@example.com",
            "marketingEmail": True,
            "topics": [
                {"slug": "deals", "name": "Deals", "subscribed": True},
                {"slug": "recipes", "name": "Recipes", "subscribed": False},
            ],
            "pausedUntil": (NOW + timedelta(days=30)).isoformat(),
        },
    }
    contact.refresh_from_db()
    assert contact.marketing_paused_until == NOW + timedelta(days=30)
    assert sorted(
        ConsentEvent.objects.filter(method=ConsentMethod.PREFERENCE_CENTRE).values_list(
            "topic", "new_status", "user_agent"
        )
    ) == [
        ("", "subscribed", "Safari"),
        ("deals", "subscribed", "Safari"),
        ("recipes", "unsubscribed", "Safari"),
    ]


def test_preferences_update_keeps_what_is_not_given(client, subscriber, topics):
    # given
    paused_until = NOW + timedelta(days=10)
    Contact.objects.filter(pk=subscriber.pk).update(marketing_paused_until=paused_until)

    # when
    data = result(
        client,
        "preferencesUpdate",
        {
            "token": contact_token(subscriber.pk),
            "input": {"topics": [{"slug": "deals", "subscribed": True}]},
        },
    )

    # then
    assert data["errors"] == []
    assert data["preferences"]["marketingEmail"] is True
    assert data["preferences"]["pausedUntil"] == paused_until.isoformat()
    subscriber.refresh_from_db()
    assert subscriber.marketing_paused_until == paused_until
    assert has_consent(subscriber, "email", topic="deals") is True


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {"input": {"topics": [{"slug": "deals", "subscribed": False}, {"slug": "x"}]}},
            None,
        ),
        (
            {
                "input": {
                    "email": False,
                    "topics": [
                        {"slug": "deals", "subscribed": False},
                        {"slug": "gossip", "subscribed": False},
                    ],
                }
            },
            error("topics[1].slug", "INVALID", "Unknown newsletter topic: gossip."),
        ),
        (
            {
                "input": {
                    "topics": [
                        {"slug": "deals", "subscribed": False},
                        {"slug": "deals", "subscribed": True},
                    ]
                }
            },
            error("topics[1].slug", "INVALID", "The topic deals is given twice."),
        ),
        (
            {"input": {"email": False, "pauseDays": 366}},
            error("pauseDays", "INVALID", "Give 0 to 365 days."),
        ),
    ],
)
def test_invalid_preferences_change_nothing(client, subscriber, topics, variables, expected):
    # given
    give_consent(subscriber, "deals")
    before = counts()

    # when
    payload = run(
        client, "preferencesUpdate", {"token": contact_token(subscriber.pk), **variables}
    )

    # then
    if expected is None:  # a missing required field is GraphQL's own validation error
        assert payload["data"] is None
        assert "subscribed" in payload["errors"][0]["message"]
    else:
        assert payload == {"data": {"preferencesUpdate": {**expected, "preferences": None}}}
    assert counts() == before
    assert has_consent(subscriber, "email", topic="deals") is True


def test_preferences_update_with_a_bad_token_changes_nothing(client, subscriber):
    # given
    before = counts()

    # when
    data = result(client, "preferencesUpdate", {"token": "forged", "input": {"email": False}})

    # then
    assert data == {**error("token", "INVALID", "The link is invalid."), "preferences": None}
    assert has_consent(subscriber, "email") is True
    assert counts() == before


# --------------------------------------------------------------------- consentUpdate


def test_consent_update_needs_a_customer(client):
    # given
    before = counts()
    variables = {"input": {"subscribed": True}}

    # when
    anonymous = result(client, "consentUpdate", variables)
    staff(client, "manage_marketing")
    as_staff = result(client, "consentUpdate", variables)

    # then
    expected = {
        **error(None, "PERMISSION_DENIED", "Log in as a customer to change your consent."),
        "consent": None,
    }
    assert anonymous == as_staff == expected
    assert counts() == before


def test_customer_subscribing_with_double_opt_in_gets_a_confirmation(client, customer, topics):
    # when
    data = result(
        client,
        "consentUpdate",
        {"input": {"channel": "EMAIL", "topic": "deals", "subscribed": True}},
    )

    # then
    assert data == {
        "errors": [],
        "consent": {"channel": "EMAIL", "topic": "deals", "status": "PENDING"},
    }
    contact = Contact.objects.get()
    assert (contact.email, contact.saleor_user_id) == ("ben@example.com", str(customer.pk))
    assert sorted(Consent.objects.values_list("topic", "status")) == [
        ("", "pending"),
        ("deals", "pending"),
    ]
    assert set(ConsentEvent.objects.values_list("method", flat=True)) == {ConsentMethod.ACCOUNT}
    assert Message.objects.get().template == "double_opt_in_confirmation"


def test_customer_subscribes_directly_without_double_opt_in(client, customer, settings):
    # given
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "double_opt_in": False}
    forget_settings()

    # when
    data = result(client, "consentUpdate", {"input": {"subscribed": True}})

    # then
    assert data == {
        "errors": [],
        "consent": {"channel": "EMAIL", "topic": "", "status": "SUBSCRIBED"},
    }
    assert has_consent(Contact.objects.get(), "email") is True
    assert not Message.objects.exists()


def test_customer_unsubscribes_and_changes_push_consent(client, customer):
    # given
    contact = Contact.objects.create(email="ben@example.com")
    give_consent(contact)

    # when
    email = result(client, "consentUpdate", {"input": {"subscribed": False}})
    push = result(client, "consentUpdate", {"input": {"channel": "PUSH", "subscribed": True}})

    # then
    assert email["consent"] == {"channel": "EMAIL", "topic": "", "status": "UNSUBSCRIBED"}
    assert push["consent"] == {"channel": "PUSH", "topic": "", "status": "SUBSCRIBED"}
    assert has_consent(contact, "email") is False
    assert has_consent(contact, "push") is True
    assert Event.objects.get(type="email.unsubscribed").payload["contact_id"] == contact.pk


# --------------------------------------------------------------------- trackEvent


def test_anonymous_product_view_is_stored_with_the_decoded_product_id(client):
    # when
    data = result(
        client,
        "trackEvent",
        {
            "input": {
                "type": "PRODUCT_VIEWED",
                "productId": to_global_id("Product", 72),
                "categoryId": "coffee",
                "properties": {"price": "12.50"},
                "anonymousId": "anon-1",
                "eventId": "view-1",
            }
        },
    )

    # then
    assert data == NO_ERRORS
    event = Event.objects.get()
    assert (event.type, event.source, event.dedupe_key, event.contact) == (
        "product.viewed",
        "storefront",
        "product.viewed:aanon-1:view-1",
        None,
    )
    assert event.payload == {
        "product_id": "72",
        "category_id": "coffee",
        "properties": {"price": "12.50"},
        "anonymous_id": "anon-1",
    }


def test_a_repeated_event_id_is_stored_once(client):
    # given
    variables = {
        "input": {"type": "SEARCH_PERFORMED", "query": "decaf", "anonymousId": "a", "eventId": "e"}
    }

    # when
    first = result(client, "trackEvent", variables)
    second = result(client, "trackEvent", variables)

    # then
    assert first == second == NO_ERRORS
    assert list(Event.objects.values_list("type", "payload")) == [
        ("search.performed", {"query": "decaf", "anonymous_id": "a"})
    ]


def test_customer_events_carry_the_customers_identity(
    client, customer, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        data = result(
            client, "trackEvent", {"input": {"type": "CATEGORY_VIEWED", "categoryId": "7"}}
        )

    # then
    assert data == NO_ERRORS
    event = Event.objects.get()
    assert event.payload == {
        "category_id": "7",
        "email": "ben@example.com",
        "user_id": str(customer.pk),
    }
    assert event.dedupe_key.startswith(f"category.viewed:u{customer.pk}:")
    assert event.contact == Contact.objects.get(email="ben@example.com")


def test_email_token_identifies_a_custom_event(client, subscriber):
    # when
    data = result(
        client,
        "trackEvent",
        {
            "input": {
                "type": "CUSTOM",
                "customType": "wishlist_added",
                "productId": "espresso",
                "emailToken": contact_token(subscriber.pk),
                "eventId": "w1",
            }
        },
    )

    # then
    assert data == NO_ERRORS
    event = Event.objects.get()
    assert (event.type, event.dedupe_key, event.payload) == (
        "custom.wishlist_added",
        f"custom.wishlist_added:c{subscriber.pk}:w1",
        {"product_id": "espresso", "email": "anna@example.com"},
    )


@pytest.mark.parametrize(
    ("event_input", "expected"),
    [
        (
            {"type": "CUSTOM", "anonymousId": "a"},
            ("customType", "REQUIRED", "This field is required."),
        ),
        (
            {"type": "CUSTOM", "customType": "Wish List", "anonymousId": "a"},
            ("customType", "INVALID", 'Use lower-case letters, digits, "-" and "_" (at most 50).'),
        ),
        (
            {"type": "SEARCH_PERFORMED", "customType": "x", "query": "q", "anonymousId": "a"},
            ("customType", "INVALID", "customType is only for CUSTOM events."),
        ),
        (
            {"type": "PRODUCT_VIEWED", "anonymousId": "a"},
            ("productId", "REQUIRED", "This field is required."),
        ),
        (
            {
                "type": "PRODUCT_VIEWED",
                "productId": to_global_id("Category", 3),
                "anonymousId": "a",
            },
            ("productId", "INVALID", "Not a Product id."),
        ),
        (
            {"type": "SEARCH_PERFORMED", "anonymousId": "a"},
            ("query", "REQUIRED", "This field is required."),
        ),
        (
            {
                "type": "SEARCH_PERFORMED",
                "query": "q",
                "properties": {"x": "y" * 2100},
                "anonymousId": "a",
            },
            ("properties", "INVALID", "At most 2048 bytes of JSON."),
        ),
        (
            {"type": "SEARCH_PERFORMED", "query": "q", "properties": [1, 2], "anonymousId": "a"},
            ("properties", "INVALID", "Give a JSON object."),
        ),
        (
            {"type": "SEARCH_PERFORMED", "query": "q"},
            ("anonymousId", "REQUIRED", "Give an anonymousId for visitors not logged in."),
        ),
        (
            {"type": "SEARCH_PERFORMED", "query": "q", "anonymousId": "a b"},
            ("anonymousId", "INVALID", "Use letters, digits, - and _ (at most 64)."),
        ),
        (
            {"type": "SEARCH_PERFORMED", "query": "q", "emailToken": "forged", "anonymousId": "a"},
            ("emailToken", "INVALID", "The link is invalid."),
        ),
    ],
)
def test_invalid_events_are_not_stored(client, event_input, expected):
    # given
    before = counts()

    # when
    data = result(client, "trackEvent", {"input": event_input})

    # then
    assert data == error(*expected)
    assert counts() == before


def test_anonymous_events_are_attached_when_the_visitor_logs_in(
    client, storefront, django_capture_on_commit_callbacks
):
    # given a campaign on product views, and views before the visitor is known
    run_ = campaign(
        {"type": "event", "event": "product.viewed"}, reentry_policy=ReentryPolicy.EVERY_TIME
    )
    storefront.move_to(NOW - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        result(
            client,
            "trackEvent",
            {"input": {"type": "PRODUCT_VIEWED", "productId": "1", "anonymousId": "visitor-1"}},
        )
    storefront.move_to(NOW - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        result(
            client,
            "trackEvent",
            {"input": {"type": "PRODUCT_VIEWED", "productId": "2", "anonymousId": "visitor-1"}},
        )
        result(
            client,
            "trackEvent",
            {"input": {"type": "PRODUCT_VIEWED", "productId": "3", "anonymousId": "visitor-2"}},
        )
    storefront.move_to(NOW)
    assert not Enrollment.objects.exists()
    user = User.objects.create_user("ben", "ben@example.com", "x")
    client.force_login(user)

    # when the same browser sends its first identified event
    with django_capture_on_commit_callbacks(execute=True):
        data = result(
            client,
            "trackEvent",
            {"input": {"type": "CATEGORY_VIEWED", "categoryId": "9", "anonymousId": "visitor-1"}},
        )

    # then
    assert data == NO_ERRORS
    contact = Contact.objects.get(email="ben@example.com")
    views = {
        event.payload["product_id"]: event for event in Event.objects.filter(type="product.viewed")
    }
    for product_id in ("1", "2"):
        assert views[product_id].contact == contact
        assert views[product_id].payload == {
            "product_id": product_id,
            "anonymous_id": "visitor-1",
            "email": "ben@example.com",
            "user_id": str(user.pk),
        }
        assert views[product_id].processed_at is not None
    assert (views["3"].contact, "email" in views["3"].payload) == (None, False)
    # only the recent view was processed again, so only it started the campaign
    enrollment = Enrollment.objects.get()
    assert (enrollment.campaign, enrollment.contact, enrollment.trigger_event) == (
        run_,
        contact,
        views["2"],
    )


def test_anonymous_events_are_attached_without_redis_too(
    client, subscriber, settings, django_capture_on_commit_callbacks
):
    # given
    settings.SALEOR_MA_REDIS_URL = UNREACHABLE_REDIS
    result(
        client,
        "trackEvent",
        {"input": {"type": "SEARCH_PERFORMED", "query": "beans", "anonymousId": "v"}},
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        data = result(
            client,
            "trackEvent",
            {
                "input": {
                    "type": "SEARCH_PERFORMED",
                    "query": "decaf",
                    "anonymousId": "v",
                    "emailToken": contact_token(subscriber.pk),
                }
            },
        )

    # then
    assert data == NO_ERRORS
    assert sorted(Event.objects.values_list("payload__query", "contact")) == [
        ("beans", subscriber.pk),
        ("decaf", subscriber.pk),
    ]


# --------------------------------------------------------------------- web push


def test_web_push_public_key_is_the_shops_vapid_key(client):
    # when
    first = result(client, "webPushPublicKey")
    second = result(client, "webPushPublicKey")

    # then
    assert first == second == vapid_keys().public_key
    assert len(first) == 87


def test_customer_subscribes_a_browser_to_web_push(client, customer):
    # given
    keys = Subscriber.new().keys

    # when
    data = result(
        client,
        "webPushSubscribe",
        {"input": {"endpoint": ENDPOINT, **keys}},
        HTTP_USER_AGENT="Chrome",
    )

    # then
    assert data == NO_ERRORS
    subscription = PushSubscription.objects.get()
    assert (
        subscription.contact.email,
        subscription.endpoint,
        subscription.p256dh,
        subscription.auth,
        subscription.user_agent,
    ) == ("ben@example.com", ENDPOINT, keys["p256dh"], keys["auth"], "Chrome")


def test_a_known_endpoint_moves_to_the_email_tokens_contact(client, subscriber):
    # given an expired subscription of someone else on this browser
    previous = Contact.objects.create(email="previous@example.com")
    PushSubscription.objects.create(
        contact=previous, endpoint=ENDPOINT, p256dh="old", auth="old", expired_at=NOW
    )
    keys = Subscriber.new().keys

    # when
    data = result(
        client,
        "webPushSubscribe",
        {
            "input": {
                "endpoint": ENDPOINT,
                "userAgent": "Edge",
                "emailToken": contact_token(subscriber.pk),
                **keys,
            }
        },
    )

    # then
    assert data == NO_ERRORS
    subscription = PushSubscription.objects.get()
    assert (
        subscription.contact,
        subscription.p256dh,
        subscription.user_agent,
        subscription.expired_at,
    ) == (subscriber, keys["p256dh"], "Edge", None)


@pytest.mark.parametrize(
    ("push_input", "expected"),
    [
        (
            {},
            (
                None,
                "PERMISSION_DENIED",
                "Log in, or open a link from one of our emails, to subscribe.",
            ),
        ),
        (
            {"emailToken": "SIGNED", "endpoint": "https://127.0.0.1/push/1"},
            ("endpoint", "INVALID", "The endpoint is not a known browser push service."),
        ),
        (
            {"emailToken": "SIGNED", "endpoint": "http://fcm.googleapis.com/fcm/send/1"},
            ("endpoint", "INVALID", "Give the subscription's https endpoint."),
        ),
        (
            {"emailToken": "SIGNED", "endpoint": "https://fcm.googleapis.com.evil.example/x"},
            ("endpoint", "INVALID", "The endpoint is not a known browser push service."),
        ),
        (
            {"emailToken": "SIGNED", "p256dh": "AAAA"},
            ("p256dh", "INVALID", "Give the subscription's p256dh key (base64url)."),
        ),
        (
            {"emailToken": "SIGNED", "auth": "c2hvcnQ"},
            ("auth", "INVALID", "Give the subscription's 16-byte auth secret (base64url)."),
        ),
    ],
)
def test_invalid_push_subscriptions_are_not_stored(client, subscriber, push_input, expected):
    # given
    before = counts()
    fields = {"endpoint": ENDPOINT, **Subscriber.new().keys, **push_input}
    if fields.get("emailToken") == "SIGNED":
        fields["emailToken"] = contact_token(subscriber.pk)

    # when
    data = result(client, "webPushSubscribe", {"input": fields})

    # then
    assert data == error(*expected)
    assert counts() == before


# --------------------------------------------------------------------- notifyMeWhenInStock


def test_notify_me_stores_one_pending_request(client):
    # given
    variables = {
        "input": {
            "variantId": to_global_id("ProductVariant", 207),
            "email": "Anna@Example.com",
            "channel": "default-channel",
        }
    }

    # when
    first = result(client, "notifyMeWhenInStock", variables)
    second = result(client, "notifyMeWhenInStock", variables)

    # then
    assert first == second == NO_ERRORS
    assert list(NotifyRequest.objects.values_list("contact__email", "variant_id", "channel")) == [
        ("anna@example.com", "207", "default-channel")
    ]


def test_notify_me_answers_the_same_for_known_and_unknown_addresses(client, subscriber):
    # when
    responses = [
        client.post(
            "/graphql/",
            json.dumps(
                {
                    "query": OPERATIONS["notifyMeWhenInStock"],
                    "variables": {"input": {"variantId": "grinder-1", "email": email}},
                }
            ),
            content_type="application/json",
        ).content
        for email in ("anna@example.com", "new@example.com")
    ]

    # then
    assert responses == [b'{"data": {"notifyMeWhenInStock": {"errors": []}}}'] * 2
    assert sorted(NotifyRequest.objects.values_list("contact__email", flat=True)) == [
        "anna@example.com",
        "new@example.com",
    ]


def test_notify_me_for_a_customer_uses_the_account(client, customer):
    # when
    data = result(
        client,
        "notifyMeWhenInStock",
        {"input": {"variantId": "grinder-1", "email": "someone-else@example.com"}},
    )

    # then
    assert data == NO_ERRORS
    request = NotifyRequest.objects.get()
    assert (request.contact.email, request.contact.saleor_user_id) == (
        "ben@example.com",
        str(customer.pk),
    )


@pytest.mark.parametrize(
    ("notify_input", "expected"),
    [
        ({"variantId": "grinder-1"}, ("email", "REQUIRED", "This field is required.")),
        (
            {"variantId": "grinder-1", "email": "anna"},
            ("email", "INVALID", "Enter a valid email address."),
        ),
        (
            {"variantId": to_global_id("Product", 5), "email": "anna@example.com"},
            ("variantId", "INVALID", "Not a ProductVariant id."),
        ),
        (
            {"variantId": "grinder-1", "email": "anna@example.com", "channel": "a b"},
            ("channel", "INVALID", "Give the channel's slug."),
        ),
    ],
)
def test_invalid_notify_requests_change_nothing(client, notify_input, expected):
    # given
    before = counts()

    # when
    data = result(client, "notifyMeWhenInStock", {"input": notify_input})

    # then
    assert data == error(*expected)
    assert counts() == before


# --------------------------------------------------------------------- rate limits

RATE_LIMITED = error(None, "RATE_LIMITED", "Too many requests. Please try again later.")


def test_newsletter_sign_ups_are_limited_per_ip(client, redis_server):
    # given ten sign-ups from one address within a minute
    for number in range(10):
        assert (
            result(client, "newsletterSubscribe", {"input": {"email": f"p{number}@example.com"}})
            == NO_ERRORS
        )
    before = counts()

    # when
    limited = result(client, "newsletterSubscribe", {"input": {"email": "p10@example.com"}})
    elsewhere = result(
        client,
        "newsletterSubscribe",
        {"input": {"email": "p11@example.com"}},
        REMOTE_ADDR="192.0.2.200",
    )

    # then
    assert limited == RATE_LIMITED
    assert elsewhere == NO_ERRORS
    assert not Contact.objects.filter(email="p10@example.com").exists()
    assert Contact.objects.count() == before["contacts"] + 1


def test_newsletter_sign_ups_are_limited_per_email(client, redis_server):
    # given three sign-ups of one address within an hour, from different IPs
    email = f"limit-{random.getrandbits(32)}@example.com"
    for number in range(3):
        result(
            client,
            "newsletterSubscribe",
            {"input": {"email": email}},
            REMOTE_ADDR=f"192.0.2.{number + 1}",
        )
    before = counts()

    # when
    data = result(
        client, "newsletterSubscribe", {"input": {"email": email}}, REMOTE_ADDR="192.0.2.99"
    )

    # then
    assert data == RATE_LIMITED
    assert counts() == before


def test_notify_me_is_limited_per_email(client, redis_server):
    # given
    email = f"limit-{random.getrandbits(32)}@example.com"
    for variant in ("v1", "v2", "v3"):
        result(client, "notifyMeWhenInStock", {"input": {"variantId": variant, "email": email}})
    before = counts()

    # when
    data = result(client, "notifyMeWhenInStock", {"input": {"variantId": "v4", "email": email}})

    # then
    assert data == RATE_LIMITED
    assert counts() == before


def test_tracking_is_limited_per_ip(client, redis_server):
    # given
    event = {"input": {"type": "SEARCH_PERFORMED", "query": "q", "anonymousId": "a"}}
    for _ in range(120):
        result(client, "trackEvent", event)
    before = counts()

    # when
    data = result(client, "trackEvent", event)

    # then
    assert data == RATE_LIMITED
    assert counts() == before
    assert before["events"] == 120


def test_rate_limit_keys_are_namespaced_and_name_nobody(client, redis_server):
    # when
    result(client, "newsletterSubscribe", {"input": {"email": "anna@example.com"}})

    # then
    keys = sorted(key.decode() for key in redis_server.scan_iter(match="saleor_ma:rl:*"))
    assert [key.split(":")[2:4] for key in keys] == [["newsletter", "email"], ["newsletter", "ip"]]
    assert not any("anna" in key or client.defaults["REMOTE_ADDR"] in key for key in keys)
    assert {redis_server.get(key) for key in keys} == {b"1"}
    assert all(0 < redis_server.ttl(key) <= 3600 for key in keys)


def test_without_redis_requests_pass_and_a_warning_is_logged(client, settings, caplog):
    # given
    settings.SALEOR_MA_REDIS_URL = UNREACHABLE_REDIS

    # when
    data = result(client, "newsletterSubscribe", {"input": {"email": "anna@example.com"}})

    # then
    assert data == NO_ERRORS
    assert Contact.objects.get().email == "anna@example.com"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "Redis at redis://127.0.0.1:1/0 is unreachable while rate limiting (ConnectionError"
    )
