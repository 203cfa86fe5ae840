"""The rest of Saleor's customer notifications through our ``notify`` inside a real Saleor:
an email change, a cancelled order, an invoice and a gift card, each from Saleor's own
mutation. Saleor's user email plugin is not installed (``PLUGINS`` holds only ours)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content

from saleor_ma_plugin.core import host
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message

pytestmark = pytest.mark.django_db

REQUEST_EMAIL_CHANGE = """
mutation Request($new: String!, $password: String!, $url: String!, $channel: String) {
  requestEmailChange(newEmail: $new, password: $password, redirectUrl: $url, channel: $channel) {
    errors { field code message }
  }
}
"""
CONFIRM_EMAIL_CHANGE = """
mutation Confirm($token: String!, $channel: String) {
  confirmEmailChange(token: $token, channel: $channel) {
    errors { field code message }
    user { email }
  }
}
"""
ORDER_CANCEL = """
mutation Cancel($id: ID!) {
  orderCancel(id: $id) { errors { field code message } }
}
"""
INVOICE_CREATE = """
mutation Invoice($order: ID!, $number: String!, $url: String!) {
  invoiceCreate(orderId: $order, input: {number: $number, url: $url}) {
    invoice { id }
    errors { field code message }
  }
}
"""
INVOICE_SEND = """
mutation Send($id: ID!) {
  invoiceSendNotification(id: $id) { errors { field code message } }
}
"""
GIFT_CARD_CREATE = """
mutation Gift($email: String!, $channel: String!) {
  giftCardCreate(input: {
    balance: {amount: 25, currency: "USD"}, userEmail: $email, channel: $channel,
    isActive: true
  }) {
    giftCard { code }
    errors { field code message }
  }
}
"""


@pytest.fixture
def notifications(marketing_plugin):
    """Our plugin takes over every customer notification."""
    marketing_plugin.configuration.append({"name": "transactional_emails", "value": "all"})
    marketing_plugin.save(update_fields=["configuration"])
    host.forget_settings()
    mail.outbox.clear()
    yield marketing_plugin
    host.forget_settings()


def test_email_change_is_confirmed_at_the_new_address_with_a_token_saleor_accepts(
    notifications, user_api_client, customer_user, channel_USD
):
    # given
    old_email, new_email = customer_user.email, "new.address@example.com"

    # when the customer asks to change their address
    response = user_api_client.post_graphql(
        REQUEST_EMAIL_CHANGE,
        {
            "new": new_email,
            "password": "password",
            "url": "https://www.example.com/email-change/",
            "channel": channel_USD.slug,
        },
    )
    assert get_graphql_content(response)["data"]["requestEmailChange"]["errors"] == []
    deliver_due_messages()

    # then the new address got our mail with Saleor's link, and nothing of ours kept it
    (request,) = mail.outbox
    assert request.to == [new_email]
    link = next(word for word in request.body.split() if word.startswith("https://www.example"))
    token = parse_qs(urlsplit(link).query)["token"][0]
    event = Event.objects.get(type="notify.account_change_email_request")
    assert token not in str(event.payload) + event.dedupe_key
    assert token not in str(Message.objects.get().context)

    # when the customer follows it
    mail.outbox.clear()
    response = user_api_client.post_graphql(
        CONFIRM_EMAIL_CHANGE, {"token": token, "channel": channel_USD.slug}
    )

    # then Saleor accepted the token and our mail told the old address
    data = get_graphql_content(response)["data"]["confirmEmailChange"]
    assert (data["errors"], data["user"]["email"]) == ([], new_email)
    deliver_due_messages()
    (report,) = mail.outbox
    assert report.to == [old_email]
    assert new_email in report.body


def test_cancelled_order_mails_the_cancellation(
    notifications, staff_api_client, permission_group_manage_orders, order_with_lines
):
    # given
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order = order_with_lines

    # when staff cancel the order
    response = staff_api_client.post_graphql(ORDER_CANCEL, {"id": to_global_id_or_none(order)})
    assert get_graphql_content(response)["data"]["orderCancel"]["errors"] == []
    deliver_due_messages()

    # then
    (sent,) = [sent for sent in mail.outbox if "cancelled" in sent.subject]
    assert sent.to == [order.user_email]
    assert sent.subject == f"Your order #{order.number} has been cancelled"
    assert order.lines.first().product_name in sent.body
    assert Message.objects.filter(template="order_canceled").count() == 1


def test_invoice_notification_mails_the_download_link(
    notifications, staff_api_client, permission_group_manage_orders, order_with_lines
):
    # given an invoice made for the order
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    order = order_with_lines
    url = "https://cdn.example.com/invoices/INV-0042.pdf"
    response = staff_api_client.post_graphql(
        INVOICE_CREATE, {"order": to_global_id_or_none(order), "number": "INV-0042", "url": url}
    )
    created = get_graphql_content(response)["data"]["invoiceCreate"]
    assert created["errors"] == []

    # when staff send it to the customer
    response = staff_api_client.post_graphql(INVOICE_SEND, {"id": created["invoice"]["id"]})
    assert get_graphql_content(response)["data"]["invoiceSendNotification"]["errors"] == []
    deliver_due_messages()

    # then one mail with the number and the link as it is (untracked)
    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == ([order.get_customer_email()], "Your invoice INV-0042")
    assert url in sent.body
    assert f'href="{url}"' in sent.alternatives[0][0]


def test_gift_card_is_mailed_with_its_code_which_we_do_not_keep(
    notifications,
    staff_api_client,
    permission_manage_gift_card,
    permission_manage_users,
    channel_USD,
):
    # when staff create a gift card for a friend of the shop
    response = staff_api_client.post_graphql(
        GIFT_CARD_CREATE,
        {"email": "friend@example.com", "channel": channel_USD.slug},
        permissions=[permission_manage_gift_card, permission_manage_users],
    )
    created = get_graphql_content(response)["data"]["giftCardCreate"]
    assert created["errors"] == []
    deliver_due_messages()

    # then the friend got the code Saleor made, and no row of ours keeps it
    code = created["giftCard"]["code"]
    (sent,) = mail.outbox
    assert sent.to == ["friend@example.com"]
    assert f"Gift card code: {code}" in sent.body
    assert "Balance: 25.00 USD" in sent.body
    event, message = Event.objects.get(type="notify.send_gift_card"), Message.objects.get()
    assert code not in str(event.payload) + event.dedupe_key + str(message.context)


ACCOUNT_REGISTER = """
mutation Register($email: String!, $password: String!, $url: String!, $channel: String) {
  accountRegister(
    input: {email: $email, password: $password, redirectUrl: $url, channel: $channel}
  ) {
    requiresConfirmation
    errors { field code message }
  }
}
"""
CONFIRM_ACCOUNT = """
mutation Confirm($email: String!, $token: String!) {
  confirmAccount(email: $email, token: $token) {
    errors { field code message }
    user { email isConfirmed }
  }
}
"""


def test_new_account_is_confirmed_with_the_link_we_mailed(
    notifications, api_client, site_settings, channel_USD
):
    # given a shop that asks new customers to confirm their address
    site_settings.enable_account_confirmation_by_email = True
    site_settings.save(update_fields=["enable_account_confirmation_by_email"])
    email = "new.customer@example.com"

    # when someone registers
    response = api_client.post_graphql(
        ACCOUNT_REGISTER,
        {
            "email": email,
            "password": "Sup3r-secret!",
            "url": "https://www.example.com/confirm/",
            "channel": channel_USD.slug,
        },
    )
    data = get_graphql_content(response)["data"]["accountRegister"]
    assert (data["errors"], data["requiresConfirmation"]) == ([], True)
    deliver_due_messages()

    # then our mail carries Saleor's link, and Saleor accepts its token
    (sent,) = mail.outbox
    assert sent.to == [email]
    link = next(word for word in sent.body.split() if word.startswith("https://www.example"))
    token = parse_qs(urlsplit(link).query)["token"][0]
    assert token not in str(Message.objects.get(template="account_confirmation").context)
    response = api_client.post_graphql(CONFIRM_ACCOUNT, {"email": email, "token": token})
    confirmed = get_graphql_content(response)["data"]["confirmAccount"]
    assert confirmed["errors"] == []
    assert confirmed["user"] == {"email": email, "isConfirmed": True}
