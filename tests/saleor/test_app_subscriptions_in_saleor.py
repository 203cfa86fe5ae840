"""App mode's manifest against Saleor 3.23's own webhook validation: every subscription query
it registers (marketing and transactional mails) is valid, subscribes to exactly its event,
and the manifest asks for the permission Saleor requires for that event. Real refunds
(transactions and payments API) delivered to the refund mail's webhook give the event our
plugin makes of Saleor's ``notify`` for them."""

import json
from decimal import Decimal
from unittest import mock

import pytest
from freezegun import freeze_time
from graphene import Node
from saleor.app.models import App
from saleor.core.models import EventDelivery
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.fixtures import ApiClient
from saleor.graphql.tests.utils import get_graphql_content
from saleor.graphql.webhook.subscription_query import SubscriptionQuery
from saleor.order.utils import updates_amounts_for_order
from saleor.webhook.event_types import WebhookEventAsyncType
from saleor.webhook.models import Webhook

from saleor_ma_plugin.core import host
from saleor_ma_plugin.core.transactional import ORDER_REFUND_CONFIRMATION
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.saleor_app.manifest import (
    SHOP_DATA_PERMISSIONS,
    WEBHOOK_PERMISSIONS,
    webhooks,
)
from saleor_ma_plugin.saleor_app.notify import NOTIFICATION_KEY, NOTIFICATION_PERMISSIONS
from saleor_ma_plugin.saleor_app.payloads import events_from_payload

from .conftest import PLUGIN_PATH

pytestmark = pytest.mark.django_db

HOOKS = webhooks("https://marketing.example.com/app/webhook/")
REFUND_EVENT = f"notify.{ORDER_REFUND_CONFIRMATION}"


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["name"])
def test_each_manifest_subscription_is_valid_for_saleor(hook):
    # when Saleor validates the query as it does when the App is installed
    query = SubscriptionQuery(hook["query"])

    # then it is valid and subscribes to the one event the webhook declares
    assert query.is_valid, query.errors
    [event] = hook["asyncEvents"]
    assert query.events == [getattr(WebhookEventAsyncType, event)]


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["name"])
def test_the_manifest_asks_for_the_permission_each_event_needs(hook):
    # when
    [event] = hook["asyncEvents"]
    needed = WebhookEventAsyncType.PERMISSIONS[getattr(WebhookEventAsyncType, event)]

    # then
    assert needed is not None
    assert needed.name in {*WEBHOOK_PERMISSIONS, *SHOP_DATA_PERMISSIONS, *NOTIFICATION_PERMISSIONS}


# A real refund, as the App's refund mail webhook receives it beside the plugin's notify.

WEBHOOK_PLUGIN = "saleor.plugins.webhook.plugin.WebhookPlugin"
DUMMY_GATEWAY = "saleor.payment.gateways.dummy.plugin.DeprecatedDummyGatewayPlugin"
REFUND_MAIL = next(
    hook
    for hook in HOOKS
    if hook["asyncEvents"] == ["ORDER_REFUNDED"]
    and f"{NOTIFICATION_KEY}: __typename" in hook["query"]
)
TRANSACTION_EVENT_REPORT = """
mutation report($id: ID, $amount: PositiveDecimal, $psp: String!) {
  transactionEventReport(id: $id, type: REFUND_SUCCESS, amount: $amount, pspReference: $psp) {
    alreadyProcessed
    errors { field code message }
  }
}
"""
ORDER_REFUND = """
mutation refund($id: ID!, $amount: PositiveDecimal!) {
  orderRefund(id: $id, amount: $amount) { errors { field code message } }
}
"""


@pytest.fixture
def refund_mail_hook(settings, marketing_plugin, app, permission_manage_orders):
    """The App's refund mail webhook installed in Saleor (its App holding MANAGE_ORDERS
    only), beside our plugin taking the same mail from ``notify``."""
    settings.PLUGINS = [WEBHOOK_PLUGIN, PLUGIN_PATH]
    marketing_plugin.configuration.append(
        {"name": "transactional_emails", "value": ORDER_REFUND_CONFIRMATION}
    )
    marketing_plugin.save(update_fields=["configuration"])
    host.forget_settings()
    app.permissions.add(permission_manage_orders)
    webhook = Webhook.objects.create(
        app=app,
        name=REFUND_MAIL["name"],
        target_url=REFUND_MAIL["targetUrl"],
        subscription_query=REFUND_MAIL["query"],
        is_active=True,
    )
    webhook.events.create(event_type=WebhookEventAsyncType.ORDER_REFUNDED)
    yield webhook
    host.forget_settings()


@pytest.fixture
def payment_app_client(permission_manage_payments):
    """The API client of a payment App (another App than ours)."""
    payment_app = App.objects.create(
        name="Payments", is_active=True, identifier="payments.example"
    )
    payment_app.permissions.add(permission_manage_payments)
    return ApiClient(app=payment_app)


@pytest.fixture
def charged_order(order_with_lines, payment_app_client, transaction_item_generator):
    """An order its payment App charged in full through the transactions API."""
    transaction_item_generator(
        order_id=order_with_lines.pk,
        app=payment_app_client.app,
        psp_reference="psp-charge",
        charged_value=order_with_lines.total.gross.amount,
    )
    updates_amounts_for_order(order_with_lines)
    return order_with_lines


def refund_deliveries(webhook, refund) -> list[dict]:
    """Run the request ``refund`` (Saleor's test client runs its on-commit work, Celery is
    eager) and return the payloads Saleor rendered for the webhook, sent nowhere."""
    seen = set(EventDelivery.objects.filter(webhook=webhook).values_list("pk", flat=True))
    with mock.patch(
        "saleor.webhook.transport.asynchronous.transport.send_webhook_request_async.apply_async"
    ):
        refund()
    deliveries = EventDelivery.objects.filter(webhook=webhook).exclude(pk__in=seen)
    return [json.loads(delivery.payload.get_payload()) for delivery in deliveries.order_by("pk")]


def report_refund(payment_app_client, transaction, amount: str, psp: str) -> None:
    response = payment_app_client.post_graphql(
        TRANSACTION_EVENT_REPORT,
        {
            "id": Node.to_global_id("TransactionItem", transaction.token),
            "amount": amount,
            "psp": psp,
        },
    )
    data = get_graphql_content(response)["data"]["transactionEventReport"]
    assert data == {"alreadyProcessed": False, "errors": []}


def app_event_of(delivered: dict, plugin_event: Event):
    """What the App makes of a delivery, at the time the plugin took the same refund."""
    with freeze_time(plugin_event.occurred_at):
        (event,) = events_from_payload("order_refunded", delivered)
    return event


def test_each_transaction_refund_is_delivered_with_its_own_amount(
    refund_mail_hook, payment_app_client, charged_order
):
    # given an order charged through its payment App
    transaction = charged_order.payment_transactions.get()

    # when the App reports two refunds, one after the other
    first = refund_deliveries(
        refund_mail_hook, lambda: report_refund(payment_app_client, transaction, "5.00", "psp-r1")
    )
    second = refund_deliveries(
        refund_mail_hook, lambda: report_refund(payment_app_client, transaction, "7.50", "psp-r2")
    )

    # then each ORDER_REFUNDED delivery is the mail's notification, naming its own refund
    assert [payload["notification"] for payload in first + second] == ["OrderRefunded"] * 2
    hook_events = list(Event.objects.filter(type=REFUND_EVENT).order_by("pk"))
    assert [event.payload["refund"] for event in hook_events] == [
        {"amount": "5.00", "currency": "USD"},
        {"amount": "7.50", "currency": "USD"},
    ]
    # and the App makes of each the event the plugin made of Saleor's notify
    for delivered, hook_event in zip(first + second, hook_events, strict=True):
        event = app_event_of(delivered, hook_event)
        assert (event.type, event.dedupe_key) == (hook_event.type, hook_event.dedupe_key)
        assert json.loads(json.dumps(event.payload, default=str)) == hook_event.payload
    # though the order's refunded amount by then counts both
    transaction.refresh_from_db()
    assert transaction.refunded_value == Decimal("12.50")


def test_a_payment_refund_is_delivered_with_its_amount(
    refund_mail_hook,
    settings,
    staff_api_client,
    permission_group_manage_orders,
    payment_txn_captured,
):
    # given an order paid through the payments API (Saleor's dummy gateway)
    settings.PLUGINS = [*settings.PLUGINS, DUMMY_GATEWAY]
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order = payment_txn_captured.order

    # when staff refund part of it
    (delivered,) = refund_deliveries(
        refund_mail_hook,
        lambda: get_graphql_content(
            staff_api_client.post_graphql(
                ORDER_REFUND, {"id": to_global_id_or_none(order), "amount": "10.00"}
            )
        ),
    )

    # then the delivery gives the plugin's event, with the refunded amount
    hook_event = Event.objects.get(type=REFUND_EVENT)
    assert hook_event.payload["refund"] == {"amount": "10.00", "currency": "USD"}
    event = app_event_of(delivered, hook_event)
    assert (event.type, event.dedupe_key) == (hook_event.type, hook_event.dedupe_key)
    assert json.loads(json.dumps(event.payload, default=str)) == hook_event.payload
