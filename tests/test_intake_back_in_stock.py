"""Back in stock through both intakes: the stock poll and Saleor's webhook make the same
events, keyed by the same "notify me" requests, so whichever comes second stores nothing.

The webhook payload is ``fixtures/saleor_webhooks/product_variant_back_in_stock.json``,
rendered by Saleor 3.23.28's ``create_deliveries_for_subscriptions`` from our manifest's
subscription (recorded as the other fixtures are; see ``test_intake_contract.py``).
"""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from saleor_ma_plugin.catalogue.models import CatalogueVariant, NotifyRequest
from saleor_ma_plugin.catalogue.notify import notify_back_in_stock
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.saleor_app.manifest import subscription_query
from tests.test_intake_contract import (  # noqa: F401 (fixtures)
    _deliver,
    _fixture,
    _rsa_key,
    _sign,
    saleor_api,
    served_keys,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("saleor_ma_plugin.standalone.urls"),
]
EVENT = "PRODUCT_VARIANT_BACK_IN_STOCK"
NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def waiting():
    """Two contacts waiting for the recorded variant, one for another variant."""
    recorded = _fixture("product_variant_back_in_stock")
    variant = recorded["variant_id"]
    for email, variant_id in (("a@example.com", variant), ("b@example.com", variant)):
        contact = Contact.objects.create(email=email)
        NotifyRequest.objects.create(contact=contact, variant_id=variant_id, channel="eu")
    other = Contact.objects.create(email="c@example.com")
    NotifyRequest.objects.create(contact=other, variant_id="999", channel="eu")
    CatalogueVariant.objects.create(
        variant_id=variant, product_id="1", name="Beans", stock_quantity=5
    )
    return recorded


@pytest.fixture
def signing_key(served_keys):  # noqa: F811
    private, public = _rsa_key("k1")
    served_keys["keys"] = [public]
    return private


def _deliver_back_in_stock(client, private, payload: dict):
    body = json.dumps(payload).encode()
    return _deliver(client, body, _sign(body, private, "k1"), EVENT)


def _events() -> list[tuple]:
    return list(
        Event.objects.order_by("dedupe_key").values_list(
            "type", "dedupe_key", "occurred_at", "payload", "source"
        )
    )


def test_the_subscription_asks_only_for_the_variant():
    assert subscription_query(EVENT) == (
        "subscription { event { ... on ProductVariantBackInStock { productVariant "
        "{ ...MarketingVariant } } } }\nfragment MarketingVariant on ProductVariant {\n  id\n}\n"
    )


def test_the_webhook_gives_the_stock_polls_events(client, waiting, signing_key):
    # given the events the stock poll makes for the waiting contacts
    with time_machine.travel(NOW, tick=False):
        assert notify_back_in_stock(NOW) == 2
    from_poll = _events()
    Event.objects.all().delete()
    NotifyRequest.objects.update(notified_at=None)

    # when Saleor says the variant is back instead
    with time_machine.travel(NOW, tick=False):
        response = _deliver_back_in_stock(client, signing_key, waiting["payload"])

    # then
    assert response.status_code == 200
    assert response.json() == {"stored": 2}
    assert _events() == from_poll
    assert [key for _, key, *_ in from_poll] == sorted(
        f"product.back_in_stock:{pk}"
        for pk in NotifyRequest.objects.filter(variant_id=waiting["variant_id"]).values_list(
            "pk", flat=True
        )
    )
    assert NotifyRequest.objects.filter(notified_at=NOW).count() == 2
    assert NotifyRequest.objects.get(variant_id="999").notified_at is None


def test_the_stock_poll_after_the_webhook_stores_nothing_new(client, waiting, signing_key):
    # given
    _deliver_back_in_stock(client, signing_key, waiting["payload"])
    stored = _events()

    # when
    polled = notify_back_in_stock(timezone.now())

    # then
    assert polled == 0
    assert _events() == stored


def test_the_webhook_after_the_stock_poll_stores_nothing_new(client, waiting, signing_key):
    # given
    notify_back_in_stock(timezone.now())
    stored = _events()

    # when
    response = _deliver_back_in_stock(client, signing_key, waiting["payload"])

    # then
    assert response.status_code == 200
    assert response.json() == {"stored": 0}
    assert _events() == stored


def test_a_variant_nobody_waits_for_stores_nothing(client, signing_key):
    # when
    response = _deliver_back_in_stock(
        client, signing_key, {"productVariant": {"id": "UHJvZHVjdFZhcmlhbnQ6NDI="}}
    )

    # then
    assert response.status_code == 200
    assert response.json() == {"stored": 0}
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"productVariant": None}, {"productVariant": {"id": "not base64!"}}, []],
)
def test_a_malformed_back_in_stock_payload_is_refused(client, waiting, signing_key, payload):
    # when
    response = _deliver_back_in_stock(client, signing_key, payload)

    # then
    assert response.status_code == 400
    assert not Event.objects.exists()
    assert not NotifyRequest.objects.filter(notified_at__isnull=False).exists()
