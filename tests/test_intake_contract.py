"""One contract for both intakes: a Saleor event gives the same normalized events and the
same contact whether it arrives through the plugin hook or as an App webhook.

The fixtures in ``fixtures/saleor_webhooks/`` were recorded in a real Saleor 3.23.28: for
each event, Saleor's own ``create_deliveries_for_subscriptions`` rendered the subscription
query our manifest registers (``payload``), and the plugin adapter's snapshot of the same
objects gave the hook's events (``hook_events``); ``signed_delivery.json`` is one body
signed by Saleor's ``jws_encode`` with the key set its JWKS endpoint serves. They are
regenerated from a Saleor checkout with the recorder kept outside this repository (a pytest
module that loads ``tests/saleor/conftest.py`` and Saleor's fixtures), run from its folder:
``PYTEST_DB_URL=postgres://.../saleor_test_copy DATABASE_URL=... SECRET_KEY=dev
<saleor venv>/bin/python -m pytest test_record_webhooks.py -n 0 --reuse-db``.
"""

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.cache import cache
from django.db import DatabaseError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core import host
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.intake import NewEvent, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.pipeline import SWEEP_GRACE, process_fresh_events
from saleor_ma_plugin.saleor_app import signatures
from saleor_ma_plugin.saleor_app.manifest import SUBSCRIPTIONS, app_mode_manifest
from saleor_ma_plugin.saleor_app.models import SaleorInstallation
from saleor_ma_plugin.saleor_app.notify import NOTIFICATIONS
from saleor_ma_plugin.saleor_app.payloads import events_from_payload
from saleor_ma_plugin.saleor_app.signatures import KeySet, jwks_url
from saleor_ma_plugin.tasks import sweep_events
from tests.test_broker import UNREACHABLE_BROKER

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("saleor_ma_plugin.standalone.urls"),
]

FIXTURES = Path(__file__).parent / "fixtures" / "saleor_webhooks"
RECORDED = sorted(
    path.stem
    for path in FIXTURES.glob("*.json")
    if path.stem in {event.lower() for event in SUBSCRIPTIONS}
)
#: Saleor events a plugin hook also covers; back in stock has no hook in 3.23 (the plugin
#: polls stock instead: ``test_intake_back_in_stock.py`` holds that contract).
HOOKED = [name for name in RECORDED if name != "product_variant_back_in_stock"]
API_URL = "https://shop.example.com/graphql/"
OTHER_API_URL = "https://other-shop.example.com/graphql/"
CONTACT_COLUMNS_OUTSIDE_THE_CONTRACT = {"id", "created_at", "updated_at"}
#: Saleor's objects carry no time for these: both intakes stamp them when they arrive.
TIMED_ON_ARRIVAL = {"account.confirmed", "customer.deleted"}


def _fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _normalized(events: list[NewEvent] | list[dict]) -> list[dict]:
    """Events as stored (JSON payload, ISO time), without the times stamped on arrival."""
    normalized = []
    for event in events:
        item = (
            event
            if isinstance(event, dict)
            else {
                "type": str(event.type),
                "dedupe_key": event.dedupe_key,
                "occurred_at": event.occurred_at.isoformat(),
                "payload": json.loads(json.dumps(event.payload, default=str)),
            }
        )
        if item["type"] in TIMED_ON_ARRIVAL:
            item = {key: value for key, value in item.items() if key != "occurred_at"}
        normalized.append(item)
    return normalized


def _hook_events(recorded: list[dict]) -> list[NewEvent]:
    return [
        NewEvent(
            item["type"],
            datetime.fromisoformat(item["occurred_at"]),
            item["dedupe_key"],
            item["payload"],
            EventSource.SALEOR,
        )
        for item in recorded
    ]


def _contact_after(events: list[NewEvent], known: list[NewEvent]) -> dict | None:
    """The contact once ``known`` (what came before) and then ``events`` are processed."""
    Contact.objects.all().delete()
    Event.objects.all().delete()
    for batch in (known, events):
        store_events(batch)
        process_fresh_events()
    contact = Contact.objects.first()
    if contact is None:
        return None
    fields = {
        name: value
        for name, value in model_to_dict(contact).items()
        if name not in CONTACT_COLUMNS_OUTSIDE_THE_CONTRACT
    }
    if contact.erased_at:
        # An erased contact's placeholder address and erasure time are its own.
        fields.update(email="(erased)", erased_at=True)
    return fields


def test_every_subscribed_event_has_a_recorded_saleor_payload():
    assert sorted(event.lower() for event in SUBSCRIPTIONS) == RECORDED


@pytest.mark.parametrize("name", HOOKED)
def test_hook_and_webhook_give_the_same_normalized_events(name):
    # given
    recorded = _fixture(name)

    # when
    from_webhook = events_from_payload(recorded["saleor_event"], recorded["payload"])

    # then
    assert recorded["hook_events"]
    assert _normalized(from_webhook) == _normalized(recorded["hook_events"])


@pytest.mark.parametrize("name", HOOKED)
def test_hook_and_webhook_give_the_same_contact(name):
    # given
    recorded = _fixture(name)
    # A deletion acts on a known customer: the same customer's creation came first.
    known = _hook_events(_fixture("customer_created")["hook_events"]) if "deleted" in name else []

    # when
    from_hook = _contact_after(_hook_events(recorded["hook_events"]), known)
    from_webhook = _contact_after(
        events_from_payload(recorded["saleor_event"], recorded["payload"]), known
    )

    # then
    assert from_webhook == from_hook
    assert from_webhook is None or from_webhook["email"]


# Webhook endpoint: signatures, retries, failures


@pytest.fixture
def saleor_api(settings):
    settings.SALEOR_MA_APP_SALEOR_API_URL = API_URL
    _forget_keys()
    yield
    _forget_keys()


def _forget_keys():
    cache_key = KeySet(API_URL).cache_key
    cache.delete_many([cache_key, f"{cache_key}:refetched"])
    signatures._LOCAL.clear()
    signatures._LOCAL_REFETCHED.clear()


@pytest.fixture
def served_keys(monkeypatch, saleor_api):
    """The key set our Saleor serves, and how often it was fetched."""
    served = {"keys": [], "fetches": []}

    def fetch(url):
        served["fetches"].append(url)
        return {"keys": served["keys"]}

    monkeypatch.setattr(signatures, "fetch_jwks", fetch)
    return served


def _rsa_key(kid: str):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    return private, {**public, "kid": kid, "use": "sig", "alg": "RS256"}


def _sign(body: bytes, private, kid: str) -> str:
    """Sign as Saleor does (``jwt_manager.jws_encode``): detached, unencoded payload."""
    return jwt.api_jws.encode(
        body,
        key=private,
        algorithm="RS256",
        headers={"kid": kid, "crit": ["b64"]},
        is_payload_detached=True,
    )


def _deliver(client, body: bytes, signature: str | None, event: str, api_url: str = API_URL):
    headers = {"HTTP_SALEOR_EVENT": event, "HTTP_SALEOR_API_URL": api_url}
    if signature is not None:
        headers["HTTP_SALEOR_SIGNATURE"] = signature
    return client.post(reverse("ma-app-webhook"), body, content_type="application/json", **headers)


def test_a_delivery_signed_by_saleor_is_stored(client, served_keys):
    # given Saleor's own signature and key set
    signed = _fixture("signed_delivery")
    served_keys["keys"] = signed["jwks"]["keys"]

    # when
    response = _deliver(client, signed["body"].encode(), signed["signature"], "ACCOUNT_CONFIRMED")

    # then
    assert response.status_code == 200
    assert Event.objects.get().type == "account.confirmed"
    assert served_keys["fetches"] == [jwks_url(API_URL)]


def test_a_retried_delivery_is_accepted_and_stores_nothing_new(client, served_keys):
    # given
    signed = _fixture("signed_delivery")
    served_keys["keys"] = signed["jwks"]["keys"]
    body = signed["body"].encode()
    _deliver(client, body, signed["signature"], "ACCOUNT_CONFIRMED")
    stored = list(Event.objects.values_list("pk", "dedupe_key"))

    # when Saleor retries the same delivery
    response = _deliver(client, body, signed["signature"], "ACCOUNT_CONFIRMED")

    # then
    assert response.status_code == 200
    assert response.json() == {"stored": 0}
    assert list(Event.objects.values_list("pk", "dedupe_key")) == stored
    assert len(served_keys["fetches"]) == 1, "the key set is cached"


def test_a_signature_replayed_on_another_body_is_refused(client, served_keys):
    # given a valid signature taken from one delivery
    signed = _fixture("signed_delivery")
    served_keys["keys"] = signed["jwks"]["keys"]
    other = json.dumps(_fixture("order_created")["payload"]).encode()

    # when
    response = _deliver(client, other, signed["signature"], "ORDER_CREATED")

    # then
    assert response.status_code == 401
    assert not Event.objects.exists()


@pytest.mark.parametrize("signature", [None, "", "not-a-jws", "a..b"])
def test_a_missing_or_garbled_signature_is_refused(client, served_keys, signature):
    # given
    _, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()

    # when
    response = _deliver(client, body, signature, "CUSTOMER_CREATED")

    # then
    assert response.status_code == 401
    assert not Event.objects.exists()


def test_a_signature_by_a_key_saleor_does_not_publish_is_refused(client, served_keys):
    # given an attacker's key that claims the published key's id
    _, public = _rsa_key("k1")
    attacker, _ = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()

    # when
    response = _deliver(client, body, _sign(body, attacker, "k1"), "CUSTOMER_CREATED")

    # then
    assert response.status_code == 401
    assert not Event.objects.exists()


def test_a_rotated_key_is_fetched_once_and_then_accepted(client, served_keys):
    # given a cached key set that predates Saleor's rotation
    old_private, old_public = _rsa_key("old")
    served_keys["keys"] = [old_public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()
    first = _deliver(client, body, _sign(body, old_private, "old"), "CUSTOMER_CREATED")
    assert first.status_code == 200
    new_private, new_public = _rsa_key("new")
    served_keys["keys"] = [new_public]
    update = json.dumps(_fixture("customer_updated")["payload"]).encode()

    # when
    response = _deliver(client, update, _sign(update, new_private, "new"), "CUSTOMER_UPDATED")

    # then
    assert response.status_code == 200
    assert len(served_keys["fetches"]) == 2
    assert Event.objects.count() == 2


def test_an_unknown_key_is_refused_after_one_refetch(client, served_keys):
    # given
    private, _ = _rsa_key("ghost")
    body = json.dumps(_fixture("customer_created")["payload"]).encode()

    # when
    response = _deliver(client, body, _sign(body, private, "ghost"), "CUSTOMER_CREATED")

    # then
    assert response.status_code == 401
    assert len(served_keys["fetches"]) == 1
    assert not Event.objects.exists()


def test_made_up_key_ids_make_one_refetch_in_a_while(client, served_keys):
    # given a cached key set
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()
    assert (
        _deliver(client, body, _sign(body, private, "k1"), "CUSTOMER_CREATED").status_code == 200
    )

    # when deliveries name key ids Saleor never published
    answers = [
        _deliver(client, body, _sign(body, private, f"made-up-{n}"), "CUSTOMER_CREATED")
        for n in range(5)
    ]

    # then one refetch for all of them, and each is refused
    assert [answer.status_code for answer in answers] == [401] * 5
    assert len(served_keys["fetches"]) == 2


def test_a_delivery_from_another_saleor_is_refused(client, served_keys):
    # given
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()

    # when
    response = _deliver(
        client, body, _sign(body, private, "k1"), "CUSTOMER_CREATED", api_url=OTHER_API_URL
    )

    # then
    assert response.status_code == 401
    assert served_keys["fetches"] == []
    assert not Event.objects.exists()


def test_a_malformed_payload_is_refused_and_logged_without_personal_data(
    client, served_keys, caplog
):
    # given a signed order whose totals are missing
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    payload = _fixture("order_created")["payload"]
    del payload["order"]["total"]
    body = json.dumps(payload).encode()

    # when
    with caplog.at_level(logging.DEBUG):
        response = _deliver(client, body, _sign(body, private, "k1"), "ORDER_CREATED")

    # then
    assert response.status_code == 400
    assert not Event.objects.exists()
    assert "malformed" in caplog.text
    order = payload["order"]
    for personal in (order["userEmail"], order["billingAddress"]["lastName"], order["id"]):
        assert personal not in caplog.text


def test_a_checkout_gone_before_saleor_rendered_its_payload_is_accepted_and_stores_nothing(
    client, served_keys
):
    # given a signed checkout_updated whose checkout was completed (deleted) before Saleor's
    # worker rendered the payload, as Saleor then sends it
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps({"checkout": None}).encode()

    # when
    response = _deliver(client, body, _sign(body, private, "k1"), "CHECKOUT_UPDATED")

    # then Saleor is told it arrived (no retries of the same null), and nothing is stored
    assert response.status_code == 200
    assert response.json() == {"stored": 0}
    assert not Event.objects.exists()


def test_a_payload_missing_optional_fields_is_processed(client, served_keys):
    # given
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    payload = _fixture("order_created")["payload"]
    for optional in ("billingAddress", "shippingMethod", "user", "voucherCode", "totalCharged"):
        payload["order"].pop(optional)
    body = json.dumps(payload).encode()

    # when
    response = _deliver(client, body, _sign(body, private, "k1"), "ORDER_CREATED")

    # then
    assert response.status_code == 200
    event = Event.objects.get()
    assert event.payload["country"] == ""
    assert event.payload["total_charged"] is None


def test_a_delivery_while_the_database_is_down_gets_503(client, served_keys, monkeypatch):
    # given
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()

    def database_down(events):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("saleor_ma_plugin.saleor_app.views.record_events", database_down)

    # when
    response = _deliver(client, body, _sign(body, private, "k1"), "CUSTOMER_CREATED")

    # then
    assert response.status_code == 503
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_while_the_broker_is_down_is_stored_and_swept(client, served_keys, broker_app):
    # given
    broker_app(UNREACHABLE_BROKER)
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()

    # when
    response = _deliver(client, body, _sign(body, private, "k1"), "CUSTOMER_CREATED")

    # then
    assert response.status_code == 200
    assert Event.objects.get().processed_at is None

    # when the sweeper tick runs after the grace period
    with time_machine.travel(timezone.now() + SWEEP_GRACE + timedelta(seconds=1)):
        swept = sweep_events.apply().result

    # then
    assert swept == 1
    assert Event.objects.get().contact.email == "test@example.com"


def test_a_delivery_is_verified_while_the_shared_cache_is_down(client, served_keys, monkeypatch):
    # given a cache (Redis) that refuses every call
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    body = json.dumps(_fixture("customer_created")["payload"]).encode()

    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(signatures.cache, "get", unreachable)
    monkeypatch.setattr(signatures.cache, "set", unreachable)

    # when
    response = _deliver(client, body, _sign(body, private, "k1"), "CUSTOMER_CREATED")

    # then
    assert response.status_code == 200
    assert Event.objects.count() == 1


# Registration


def _register(client, token: str = "app-token-123", api_url: str = API_URL):
    return client.post(
        reverse("ma-app-register"),
        json.dumps({"auth_token": token}),
        content_type="application/json",
        HTTP_SALEOR_API_URL=api_url,
        HTTP_SALEOR_DOMAIN="shop.example.com",
    )


def test_the_configured_saleor_registers_and_its_token_is_stored_encrypted(client, saleor_api):
    # when
    response = _register(client, "app-token-123")

    # then
    assert response.status_code == 200
    installation = SaleorInstallation.objects.get()
    assert installation.api_url == API_URL
    assert installation.token == "app-token-123"
    row = SaleorInstallation.objects.filter(pk=installation.pk).values().get()
    assert not any("app-token-123" in str(value) for value in row.values())


def test_registering_again_replaces_the_token(client, saleor_api):
    # given
    _register(client, "first")

    # when
    _register(client, "second")

    # then
    assert SaleorInstallation.objects.get().token == "second"


def test_another_saleor_is_refused_with_a_clear_error(client, saleor_api):
    # when
    response = _register(client, api_url=OTHER_API_URL)

    # then
    assert response.status_code == 403
    assert API_URL in response.json()["error"]
    assert OTHER_API_URL in response.json()["error"]
    assert not SaleorInstallation.objects.exists()


def test_a_registration_without_a_token_is_refused(client, saleor_api):
    # when
    response = _register(client, token="")

    # then
    assert response.status_code == 400
    assert not SaleorInstallation.objects.exists()


# Manifest


def test_the_standalone_host_serves_the_app_manifest(client, saleor_api):
    # when
    response = client.get(reverse("ma-app-manifest"))

    # then
    assert response.status_code == 200
    assert len(response.json()["webhooks"]) == len(SUBSCRIPTIONS) + len(NOTIFICATIONS)


def test_the_manifest_sends_saleor_to_the_public_base_url_not_the_host_header(
    rf, settings, saleor_api
):
    # given the App's public address on a port of its own, and a manifest request whose Host
    # header has no port, as Saleor's HTTP client sends it with its IP filter on
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "public_base_url": "http://127.0.0.1:8123",
    }
    host.forget_settings()

    # when
    manifest = app_mode_manifest(rf.get("/app/manifest/", HTTP_HOST="127.0.0.1"))

    # then
    host.forget_settings()
    assert manifest["tokenTargetUrl"] == "http://127.0.0.1:8123/app/register/"
    assert {hook["targetUrl"] for hook in manifest["webhooks"]} == {
        "http://127.0.0.1:8123/app/webhook/"
    }


def test_the_manifest_subscribes_each_event_with_its_query(rf, saleor_api):
    # when
    manifest = app_mode_manifest(rf.get("/app/manifest/"))

    # then
    assert manifest["tokenTargetUrl"].endswith(reverse("ma-app-register"))
    assert {"MANAGE_ORDERS", "MANAGE_CHECKOUTS", "MANAGE_USERS"} <= set(manifest["permissions"])
    events = [
        hook["asyncEvents"]
        for hook in manifest["webhooks"]
        if not hook["name"].startswith("Marketing automation mail:")
    ]
    assert sorted(event for [event] in events) == sorted(SUBSCRIPTIONS)
    for hook in manifest["webhooks"]:
        assert hook["targetUrl"].endswith(reverse("ma-app-webhook"))
        assert hook["isActive"] is True
        assert hook["query"].startswith("subscription {")
