"""Our hooks inside a real Saleor: checkouts, orders and customers through Saleor's API."""

from decimal import Decimal

import pytest
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content
from saleor.order.models import Order
from saleor.plugins.manager import get_plugins_manager

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events.models import Event

pytestmark = pytest.mark.django_db

CHECKOUT_COMPLETE = """
mutation checkoutComplete($id: ID) {
  checkoutComplete(id: $id) {
    order { id number userEmail total { gross { amount currency } } }
    errors { field code message }
  }
}
"""
CHECKOUT_CREATE = """
mutation checkoutCreate($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token email }
    errors { field code message }
  }
}
"""


def complete(api_client, checkout):
    # Saleor's test client runs on-commit callbacks (its deferred hooks, our wake-ups) itself.
    response = api_client.post_graphql(CHECKOUT_COMPLETE, {"id": to_global_id_or_none(checkout)})
    data = get_graphql_content(response)["data"]["checkoutComplete"]
    assert data["errors"] == []
    return Order.objects.get()


def test_completed_checkout_gives_one_order_event_and_a_contact(
    marketing_plugin, api_client, completable_checkout
):
    # given
    checkout_token = str(completable_checkout.pk)

    # when
    order = complete(api_client, completable_checkout)

    # then
    created = Event.objects.get(type="order.created")
    assert created.dedupe_key == f"order.created:{order.pk}"
    assert created.processed_at is not None
    assert created.payload["checkout_token"] == checkout_token
    assert created.payload["number"] == str(order.number)
    assert Decimal(created.payload["total_gross"]) == order.total_gross_amount
    line = order.lines.get()
    assert created.payload["lines"] == [
        {
            "product_id": str(line.variant.product_id),
            "variant_id": str(line.variant_id),
            "category_id": str(line.variant.product.category_id),
            "product_name": line.product_name,
            "variant_name": line.variant_name,
            "sku": line.product_sku or "",
            "quantity": line.quantity,
            "unit_price_gross": str(line.unit_price_gross_amount),
        }
    ]
    contact = Contact.objects.get(email=order.user_email)
    assert created.contact == contact
    assert contact.orders_count == 1
    assert contact.last_order_at == order.created_at
    revenue = contact.revenues.get()
    assert (revenue.currency, revenue.total_gross) == (order.currency, order.total_gross_amount)


def test_the_same_order_hook_twice_adds_nothing(
    marketing_plugin, api_client, completable_checkout, django_capture_on_commit_callbacks
):
    # given
    order = complete(api_client, completable_checkout)
    events_before = list(Event.objects.order_by("pk").values_list("pk", "dedupe_key"))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        get_plugins_manager(allow_replica=False).order_created(order)

    # then
    assert list(Event.objects.order_by("pk").values_list("pk", "dedupe_key")) == events_before
    assert Contact.objects.get(email=order.user_email).orders_count == 1


def test_checkout_created_through_the_api_is_recorded_with_its_lines(
    marketing_plugin, api_client, product, channel_USD
):
    # given
    variant = product.variants.get()
    variables = {
        "input": {
            "channel": channel_USD.slug,
            "email": "Guest@Example.com",
            "lines": [{"quantity": 2, "variantId": to_global_id_or_none(variant)}],
        }
    }

    # when
    response = api_client.post_graphql(CHECKOUT_CREATE, variables)

    # then
    data = get_graphql_content(response)["data"]["checkoutCreate"]
    assert data["errors"] == []
    created = Event.objects.get(type="checkout.created")
    assert created.dedupe_key == f"checkout.created:{data['checkout']['token']}"
    assert created.payload["email"] == "guest@example.com"
    assert created.payload["channel"] == channel_USD.slug
    assert [(line["variant_id"], line["quantity"]) for line in created.payload["lines"]] == [
        (str(variant.pk), 2)
    ]
    assert Contact.objects.filter(email="guest@example.com").exists()


def test_inactive_plugin_records_nothing(marketing_plugin, api_client, completable_checkout):
    # given
    marketing_plugin.active = False
    marketing_plugin.save()

    # when
    complete(api_client, completable_checkout)

    # then
    assert not Event.objects.exists()
    assert not Contact.objects.exists()


def test_order_completes_with_the_broker_down_and_is_processed_later(
    marketing_plugin, api_client, completable_checkout, settings
):
    # given Celery pointed at a port where nothing listens
    from saleor_ma_plugin.pipeline import SWEEP_GRACE, sweep_unprocessed_events

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    # when
    order = complete(api_client, completable_checkout)

    # then the order exists and our event waits, unprocessed
    event = Event.objects.get(type="order.created")
    assert event.dedupe_key == f"order.created:{order.pk}"
    assert event.processed_at is None
    assert not Contact.objects.exists()

    # when the broker is back and the sweeper tick runs after the grace period
    settings.CELERY_TASK_ALWAYS_EAGER = True
    Event.objects.update(received_at=event.received_at - SWEEP_GRACE * 2)
    swept = sweep_unprocessed_events()

    # then
    assert swept == Event.objects.count()
    assert Contact.objects.get(email=order.user_email).orders_count == 1
