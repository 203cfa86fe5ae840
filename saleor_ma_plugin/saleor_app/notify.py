"""App mode's transactional mails: Saleor's async webhooks as the plugin's notification events.

An App cannot subscribe to ``NOTIFY_USER``; Saleor 3.23 sends dedicated async events with
what the mails need instead (the ones saleor/apps' SMTP app mails from). Each delivery is
reshaped into the dict Saleor's own notify payload functions build
(``saleor/account/notifications.py`` and friends) and handed to the plugin path's
``notification_event``: the same event type, the same dedupe key (a shop moving from the
plugin to the App gets one mail per action), and the same secret handling (one-time links
and gift card codes go to the message, never into the event log).

The notification webhooks alias their root ``notification: __typename``, which tells them
apart from the marketing webhooks of the same Saleor event (ORDER_CREATED, ...). The order
mails' payloads are shaped in ``notify_orders``.
"""

import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any

from ..core.host import plugin_settings
from ..core.transactional import (
    ACCOUNT_CHANGE_EMAIL_CONFIRM,
    ACCOUNT_CHANGE_EMAIL_REQUEST,
    ACCOUNT_CONFIRMATION,
    ACCOUNT_DELETE,
    ACCOUNT_PASSWORD_RESET,
    INVOICE_READY,
    ORDER_CANCELED,
    ORDER_CONFIRMATION,
    ORDER_CONFIRMED,
    ORDER_FULFILLMENT_CONFIRMATION,
    ORDER_FULFILLMENT_UPDATE,
    ORDER_PAYMENT_CONFIRMATION,
    ORDER_REFUND_CONFIRMATION,
    SEND_GIFT_CARD,
)
from ..events.intake import NewEvent
from ..events.notifications import ACCOUNT_LINKS, notification_event, wanted_notification
from .notify_orders import (
    delivery_days,
    fulfillment_payload,
    order_payload,
    payment_payload,
    placed_order_payload,
    refund_payload,
    unlinked_order_payload,
)
from .notify_values import language, money, pick

#: The key every notification subscription selects (``notification: __typename``).
NOTIFICATION_KEY = "notification"
#: Saleor async event -> (subscription type, the notification it mails).
#: ACCOUNT_SET_PASSWORD_REQUESTED serves both a password reset and a staff-created
#: customer's first password; the payload cannot tell them apart, so it is the reset mail.
NOTIFICATIONS = {
    "ACCOUNT_CONFIRMATION_REQUESTED": ("AccountConfirmationRequested", ACCOUNT_CONFIRMATION),
    "ACCOUNT_SET_PASSWORD_REQUESTED": ("AccountSetPasswordRequested", ACCOUNT_PASSWORD_RESET),
    "ACCOUNT_CHANGE_EMAIL_REQUESTED": (
        "AccountChangeEmailRequested",
        ACCOUNT_CHANGE_EMAIL_REQUEST,
    ),
    "ACCOUNT_EMAIL_CHANGED": ("AccountEmailChanged", ACCOUNT_CHANGE_EMAIL_CONFIRM),
    "ACCOUNT_DELETE_REQUESTED": ("AccountDeleteRequested", ACCOUNT_DELETE),
    "ORDER_CREATED": ("OrderCreated", ORDER_CONFIRMATION),
    "ORDER_CONFIRMED": ("OrderConfirmed", ORDER_CONFIRMED),
    "ORDER_FULLY_PAID": ("OrderFullyPaid", ORDER_PAYMENT_CONFIRMATION),
    "ORDER_CANCELLED": ("OrderCancelled", ORDER_CANCELED),
    "ORDER_REFUNDED": ("OrderRefunded", ORDER_REFUND_CONFIRMATION),
    "FULFILLMENT_CREATED": ("FulfillmentCreated", ORDER_FULFILLMENT_CONFIRMATION),
    "FULFILLMENT_TRACKING_NUMBER_UPDATED": (
        "FulfillmentTrackingNumberUpdated",
        ORDER_FULFILLMENT_UPDATE,
    ),
    "INVOICE_SENT": ("InvoiceSent", INVOICE_READY),
    "GIFT_CARD_SENT": ("GiftCardSent", SEND_GIFT_CARD),
}
#: What each subscription selects under its event (fragments in ``notify.graphql``).
_ACCOUNT = "redirectUrl token channel { slug } user { ...NotifyUser }"
_ORDER = "order { ...NotifyOrder }"
_FULFILLMENT = "notifyCustomer fulfillment { ...NotifyFulfillment } order { ...NotifyOrder }"
SELECTIONS = {
    "ACCOUNT_CONFIRMATION_REQUESTED": _ACCOUNT,
    "ACCOUNT_SET_PASSWORD_REQUESTED": _ACCOUNT,
    "ACCOUNT_CHANGE_EMAIL_REQUESTED": f"{_ACCOUNT} newEmail",
    "ACCOUNT_EMAIL_CHANGED": "channel { slug } user { ...NotifyUser } newEmail",
    "ACCOUNT_DELETE_REQUESTED": _ACCOUNT,
    "ORDER_CREATED": _ORDER,
    "ORDER_CONFIRMED": _ORDER,
    "ORDER_FULLY_PAID": _ORDER,
    "ORDER_CANCELLED": _ORDER,
    "ORDER_REFUNDED": "order { ...NotifyOrder ...NotifyRefunds }",
    "FULFILLMENT_CREATED": _FULFILLMENT,
    "FULFILLMENT_TRACKING_NUMBER_UPDATED": _FULFILLMENT.replace("notifyCustomer ", ""),
    "INVOICE_SENT": "invoice { id number url } order { id userEmail }",
    "GIFT_CARD_SENT": (
        "sentToEmail giftCard { id code currentBalance { amount currency } "
        "createdBy { ...NotifyUser } }"
    ),
}
#: Gift card codes and invoices need more than the marketing webhooks read.
NOTIFICATION_PERMISSIONS = ["MANAGE_GIFT_CARD"]


@cache
def _fragments() -> dict[str, str]:
    text = files(__package__).joinpath("subscriptions", "notify.graphql").read_text()
    return {
        re.match(r"(\w+)", block).group(1): f"fragment {block.strip()}\n"
        for block in text.split("fragment ")
        if block.strip()
    }


def notification_query(event: str) -> str:
    """The subscription for one notification event, with exactly the fragments it spreads
    (GraphQL refuses a document with an unused fragment)."""
    type_name, _ = NOTIFICATIONS[event]
    query = (
        f"subscription {{ event {{ {NOTIFICATION_KEY}: __typename "
        f"... on {type_name} {{ {SELECTIONS[event]} }} }} }}\n"
    )
    fragments = _fragments()
    used: list[str] = []
    pending = re.findall(r"\.\.\.(\w+)", query)
    while pending:
        name = pending.pop(0)
        if name not in used:
            used.append(name)
            pending += re.findall(r"\.\.\.(\w+)", fragments[name])
    return query + "".join(fragments[name] for name in used)


def notification_events(saleor_event: str, payload: dict) -> list[NewEvent]:
    """The notification event of one delivery; [] when the admin left the mail to Saleor."""
    _, name = NOTIFICATIONS[saleor_event.upper()]
    if not wanted_notification(name, plugin_settings().transactional_emails):
        return []
    shaped = SHAPERS[name](payload)
    if shaped is None:
        return []
    days = delivery_days(payload.get("order")) if name == ORDER_CONFIRMATION else ()
    return [notification_event(name, shaped, days)]


def _account(name: str) -> Callable[[dict], dict]:
    def shape(payload: dict) -> dict:
        # The query always returns the account's owner: without one the payload is broken.
        user = _user(payload["user"])
        if not user["email"]:
            raise KeyError("email")
        shaped = {
            "user": user,
            "recipient_email": user["email"],
            "token": payload.get("token"),
            "channel_slug": pick(payload, "channel", "slug"),
        }
        # Saleor sends the link it built for its own notify payload (``prepare_url``).
        theirs, _ = ACCOUNT_LINKS.get(name, ("", ""))
        if theirs:
            shaped[theirs] = payload.get("redirectUrl") or ""
        if name == ACCOUNT_CHANGE_EMAIL_REQUEST:
            shaped.update(
                recipient_email=payload.get("newEmail"),
                old_email=user["email"],
                new_email=payload.get("newEmail"),
            )
        elif name == ACCOUNT_CHANGE_EMAIL_CONFIRM:
            # The webhook names no old address: the notice goes to the new one.
            shaped.update(new_email=user["email"], token=None)
        return shaped

    return shape


def _user(user: Any) -> dict:
    user = user or {}
    return {
        "id": user.get("id"),
        "email": user.get("email") or "",
        "first_name": user.get("firstName") or "",
        "last_name": user.get("lastName") or "",
        "language_code": language(user.get("languageCode")),
    }


def _invoice(payload: dict) -> dict:
    invoice, order = payload["invoice"], payload["order"]
    return {
        "invoice": {
            "id": invoice.get("id"),
            "number": invoice.get("number"),
            "download_url": invoice.get("url"),
            "order_id": order.get("id"),
        },
        # Saleor's invoice payload names no channel; neither does this one.
        "recipient_email": order.get("userEmail"),
    }


def _gift_card(payload: dict) -> dict:
    card = payload["giftCard"]
    currency = pick(card, "currentBalance", "currency") or ""
    buyer = card.get("createdBy")
    return {
        "gift_card": {
            "id": card.get("id"),
            "code": card.get("code"),
            "balance": money(pick(card, "currentBalance", "amount"), currency),
            "currency": currency,
        },
        "user": _user(buyer) if buyer else None,
        # Saleor's gift card payload names no channel; neither does this one.
        "recipient_email": payload.get("sentToEmail"),
        # Saleor names no resend in the webhook; the mail reads alike either way.
        "resending": False,
    }


SHAPERS: dict[str, Callable[[dict], dict | None]] = {
    ACCOUNT_CONFIRMATION: _account(ACCOUNT_CONFIRMATION),
    ACCOUNT_PASSWORD_RESET: _account(ACCOUNT_PASSWORD_RESET),
    ACCOUNT_CHANGE_EMAIL_REQUEST: _account(ACCOUNT_CHANGE_EMAIL_REQUEST),
    ACCOUNT_CHANGE_EMAIL_CONFIRM: _account(ACCOUNT_CHANGE_EMAIL_CONFIRM),
    ACCOUNT_DELETE: _account(ACCOUNT_DELETE),
    ORDER_CONFIRMATION: placed_order_payload,
    ORDER_CONFIRMED: order_payload,
    ORDER_PAYMENT_CONFIRMATION: payment_payload,
    ORDER_CANCELED: unlinked_order_payload,
    ORDER_REFUND_CONFIRMATION: refund_payload,
    ORDER_FULFILLMENT_CONFIRMATION: fulfillment_payload,
    ORDER_FULFILLMENT_UPDATE: fulfillment_payload,
    INVOICE_READY: _invoice,
    SEND_GIFT_CARD: _gift_card,
}
