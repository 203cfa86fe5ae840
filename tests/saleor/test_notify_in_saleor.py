"""Saleor's customer notifications through our ``notify`` inside a real Saleor.

Saleor's user email plugin is not installed here (``PLUGINS`` holds only ours), so every
mail in the outbox was sent by our engine.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content
from saleor.order.models import Order

from saleor_ma_plugin.core import host
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message

pytestmark = pytest.mark.django_db

REQUEST_PASSWORD_RESET = """
mutation RequestPasswordReset($email: String!, $redirectUrl: String!, $channel: String) {
  requestPasswordReset(email: $email, redirectUrl: $redirectUrl, channel: $channel) {
    errors { field code message }
  }
}
"""
SET_PASSWORD = """
mutation SetPassword($email: String!, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    errors { field code message }
    user { email }
    token
  }
}
"""
CHECKOUT_COMPLETE = """
mutation checkoutComplete($id: ID) {
  checkoutComplete(id: $id) {
    order { id number }
    errors { field code message }
  }
}
"""
ENABLED = "account_password_reset, order_confirmation, order_fulfillment_confirmation"


@pytest.fixture
def notifications(marketing_plugin):
    """Our plugin takes over the three notifications it has templates for."""
    marketing_plugin.configuration.append({"name": "transactional_emails", "value": ENABLED})
    marketing_plugin.save(update_fields=["configuration"])
    host.forget_settings()
    yield marketing_plugin
    host.forget_settings()


def test_password_reset_mail_carries_a_token_set_password_accepts(
    notifications, api_client, customer_user, channel_USD, caplog
):
    # given
    mail.outbox.clear()

    # when the customer asks Saleor for a reset link
    response = api_client.post_graphql(
        REQUEST_PASSWORD_RESET,
        {
            "email": customer_user.email,
            "redirectUrl": "https://www.example.com/reset/",
            "channel": channel_USD.slug,
        },
    )
    assert get_graphql_content(response)["data"]["requestPasswordReset"]["errors"] == []
    deliver_due_messages()

    # then our engine mailed Saleor's link, once
    (sent,) = mail.outbox
    assert sent.to == [customer_user.email]
    link = next(word for word in sent.body.split() if word.startswith("https://www.example.com"))
    query = parse_qs(urlsplit(link).query)
    token = query["token"][0]
    assert query["email"] == [customer_user.email]
    assert Message.objects.get().template == "password_reset"
    # and nothing of ours kept the token once the mail was sent
    event = Event.objects.get(type="notify.account_password_reset")
    assert token not in str(event.payload) + event.dedupe_key
    assert token not in str(Message.objects.get().context)
    assert token not in caplog.text

    # when the customer sets a new password with it
    response = api_client.post_graphql(
        SET_PASSWORD, {"email": customer_user.email, "token": token, "password": "N3w-pa55word!"}
    )

    # then Saleor accepts the token
    data = get_graphql_content(response)["data"]["setPassword"]
    assert data["errors"] == []
    assert data["user"]["email"] == customer_user.email
    customer_user.refresh_from_db()
    assert customer_user.check_password("N3w-pa55word!")


def test_checkout_complete_sends_exactly_one_order_confirmation(
    notifications, api_client, completable_checkout
):
    # given
    mail.outbox.clear()

    # when the buyer completes the checkout
    response = api_client.post_graphql(
        CHECKOUT_COMPLETE, {"id": to_global_id_or_none(completable_checkout)}
    )
    assert get_graphql_content(response)["data"]["checkoutComplete"]["errors"] == []
    deliver_due_messages()
    deliver_due_messages()

    # then one order confirmation went out through our engine
    order = Order.objects.get()
    (sent,) = mail.outbox
    assert sent.to == [order.user_email]
    assert sent.subject.startswith(f"Order confirmation #{order.number}")
    line = order.lines.get()
    assert line.product_name in sent.body
    assert f"{order.total_gross_amount:.2f} {order.currency}" in sent.body
    (message,) = Message.objects.filter(template="order_confirmation")
    assert message.transactional is True
    event = Event.objects.get(type="notify.order_confirmation")
    assert event.payload["order_id"] == str(order.pk)
    assert event.processed_at is not None


ORDER_FULFILL = """
mutation fulfillOrder($order: ID, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) {
    fulfillments { id trackingNumber }
    errors { field code message }
  }
}
"""


def test_fulfillment_with_tracking_number_sends_the_shipping_mail(
    notifications, staff_api_client, permission_group_manage_orders, order_with_lines, warehouse
):
    # given
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order = order_with_lines
    mail.outbox.clear()

    # when staff fulfil the order with a tracking number and notify the customer
    response = staff_api_client.post_graphql(
        ORDER_FULFILL,
        {
            "order": to_global_id_or_none(order),
            "input": {
                "notifyCustomer": True,
                "trackingNumber": "00340434161094042557",
                "lines": [
                    {
                        "orderLineId": to_global_id_or_none(line),
                        "stocks": [
                            {
                                "quantity": line.quantity,
                                "warehouse": to_global_id_or_none(warehouse),
                            }
                        ],
                    }
                    for line in order.lines.all()
                ],
            },
        },
    )
    assert get_graphql_content(response)["data"]["orderFulfill"]["errors"] == []
    deliver_due_messages()

    # then our engine sent one shipping mail naming the tracking number
    shipped = [sent for sent in mail.outbox if "on its way" in sent.subject]
    assert len(shipped) == 1
    assert shipped[0].to == [order.user_email]
    assert "Tracking number: 00340434161094042557" in shipped[0].body
    assert Message.objects.filter(template="order_shipped").count() == 1
