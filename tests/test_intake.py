from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import (
    checkout_event,
    customer_event,
    order_events,
    record_events,
    store_events,
)
from saleor_ma_plugin.events.models import Event
from tests import factories

pytestmark = pytest.mark.django_db


def test_order_created_is_stored_once_however_often_the_hook_fires():
    # given
    order = factories.order()
    events = order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)

    # when
    first_ids = store_events(events)
    second_ids = store_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))

    # then
    assert len(first_ids) == 1
    assert second_ids == []
    stored = Event.objects.get()
    assert stored.type == "order.created"
    assert stored.dedupe_key == f"order.created:{order.order_id}"
    assert stored.occurred_at == order.created_at
    assert stored.processed_at is None


def test_order_payload_is_normalized_without_addresses():
    # given
    order = factories.order(voucher_code="", email="anna@example.com")

    # when
    store_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))

    # then
    payload = Event.objects.get().payload
    assert payload["total_gross"] == "44.800"
    assert payload["currency"] == "EUR"
    assert payload["checkout_token"] == order.checkout_token
    assert payload["lines"] == [
        {
            "product_id": "72",
            "variant_id": "301",
            "category_id": "9",
            "product_name": "Espresso beans 1 kg",
            "variant_name": "Whole bean",
            "sku": "BEAN-1KG",
            "quantity": 2,
            "unit_price_gross": "19.900",
        }
    ]
    assert not {"billing_address", "shipping_address", "street_address_1"} & payload.keys()


def test_order_with_voucher_code_also_yields_voucher_redeemed():
    # given
    order = factories.order(voucher_code="SAVE-1234-ABCD")

    # when
    store_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))

    # then
    redeemed = Event.objects.get(type=EventType.VOUCHER_REDEEMED)
    assert redeemed.dedupe_key == f"voucher.redeemed:{order.order_id}:SAVE-1234-ABCD"
    assert redeemed.payload["voucher_code"] == "SAVE-1234-ABCD"
    assert Decimal(redeemed.payload["total_gross"]) == Decimal("44.800")


def test_order_without_voucher_code_yields_no_redemption():
    # when
    store_events(order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR))

    # then
    assert not Event.objects.filter(type=EventType.VOUCHER_REDEEMED).exists()


def test_checkout_updates_collapse_per_saleor_change_time():
    # given
    checkout = factories.checkout()
    later = factories.checkout(
        token=checkout.token, last_change=checkout.last_change + timedelta(minutes=5)
    )

    # when
    store_events([checkout_event(EventType.CHECKOUT_UPDATED, checkout)])
    store_events([checkout_event(EventType.CHECKOUT_UPDATED, checkout)])
    store_events([checkout_event(EventType.CHECKOUT_UPDATED, later)])

    # then
    assert Event.objects.filter(type="checkout.updated").count() == 2


def test_abandoned_checkout_keeps_lines_and_recovery_link():
    # when
    store_events([checkout_event(EventType.CHECKOUT_UPDATED, factories.checkout())])

    # then
    payload = Event.objects.get().payload
    assert payload["redirect_url"] == "https://shop.example.com/checkout"
    assert payload["lines"][0]["sku"] == "BEAN-1KG"
    assert payload["total_gross"] == "39.800"


def test_refunds_of_the_same_order_are_distinct_events():
    # given
    order = factories.order()
    refunded_later = factories.order(
        order_id=order.order_id, updated_at=order.updated_at + timedelta(days=1)
    )

    # when
    store_events(order_events(EventType.ORDER_REFUNDED, order, EventSource.SALEOR))
    store_events(order_events(EventType.ORDER_REFUNDED, refunded_later, EventSource.SALEOR))
    store_events(order_events(EventType.ORDER_REFUNDED, order, EventSource.SALEOR))

    # then
    assert Event.objects.filter(type="order.refunded").count() == 2


def test_deleted_customer_without_primary_key_is_keyed_by_email():
    # given
    deleted = factories.customer(user_id="", email="gone@example.com")

    # when
    store_events([customer_event(EventType.CUSTOMER_DELETED, deleted, EventSource.SALEOR)])

    # then
    assert Event.objects.get().dedupe_key == "customer.deleted:gone@example.com"


def test_events_are_processed_only_after_the_shop_transaction_commits(
    django_capture_on_commit_callbacks,
):
    # given
    events = order_events(EventType.ORDER_CREATED, factories.order(), EventSource.SALEOR)

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        record_events(events)
        processed_inside = Event.objects.filter(processed_at__isnull=False).count()

    # then
    assert processed_inside == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert Event.objects.get().processed_at is not None


def test_a_repeated_hook_enqueues_nothing(django_capture_on_commit_callbacks):
    # given
    order = factories.order()
    store_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = record_events(order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))

    # then
    assert ids == []
    assert callbacks == []
