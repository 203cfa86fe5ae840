"""App mode's transactional mails: Saleor's async webhooks as the plugin's notification events.

An App cannot subscribe to ``NOTIFY_USER``; Saleor 3.23 sends dedicated async events with
what the mails need instead (the ones saleor/apps' SMTP app mails from). Each delivery is
reshaped into the dict Saleor's own notify payload functions build
(``saleor/account/notifications.py`` and friends) and handed to the plugin path's
``notification_event``: the same event type, the same dedupe key (a shop moving from the
plugin to the App gets one mail per action), and the same secret handling (one-time links
and gift card codes go to the message, never into the event log).

The notification webhooks alias their root ``notification: __typename``, which tells them
apart from the marketing webhooks of the same Saleor event (ORDER_CREATED, ...).
"""

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode, urlsplit

from babel.numbers import get_currency_precision

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
    SEND_GIFT_CARD,
)
from ..events.intake import NewEvent
from ..events.notifications import (
    ACCOUNT_LINKS,
    global_id_pk,
    notification_event,
    wanted_notification,
)

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
    days = _delivery_days(payload.get("order")) if name == ORDER_CONFIRMATION else ()
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
        "language_code": _language(user.get("languageCode")),
    }


def _order_only(payload: dict, with_link: bool = True) -> dict:
    order = payload["order"]
    shaped = {"order": _order(order), "recipient_email": order.get("userEmail")}
    if not with_link:
        # Saleor builds these notify payloads without the order's redirect URL.
        shaped["order"]["order_details_url"] = ""
    return shaped


def _order_placed(payload: dict) -> dict | None:
    """Saleor confirms an order placed from a checkout; ORDER_CREATED also comes for a
    completed draft order or a reissue, which it does not mail."""
    if payload["order"].get("origin") != "CHECKOUT":
        return None
    return _order_only(payload)


def _order_unlinked(payload: dict) -> dict:
    return _order_only(payload, with_link=False)


def _payment(payload: dict) -> dict:
    shaped = _order_unlinked(payload)
    payments = payload["order"].get("payments") or []
    if payments:
        # Saleor's notify names the order's last payment (``get_last_payment``).
        payment = payments[-1]
        currency = pick(payment, "total", "currency") or ""
        shaped["payment"] = {
            "created": _stamp(payment.get("created")),
            "modified": _stamp(payment.get("modified")),
            "total": _money(pick(payment, "total", "amount"), currency),
            "captured_amount": _money(pick(payment, "capturedAmount", "amount"), currency),
            "currency": currency,
        }
    return shaped


def _fulfillment(payload: dict) -> dict | None:
    if payload.get("notifyCustomer") is False:
        return None
    fulfillment = payload.get("fulfillment") or {}
    currency = pick(payload, "order", "total", "gross", "currency") or ""
    tracking = str(fulfillment.get("trackingNumber") or "")
    return {
        **_order_only(payload),
        "fulfillment": {
            "tracking_number": tracking,
            "is_tracking_number_url": _is_url(tracking),
        },
        "physical_lines": [
            {
                "id": line.get("id"),
                "quantity": line.get("quantity"),
                "order_line": _line(line.get("orderLine") or {}, currency),
            }
            for line in fulfillment.get("lines") or []
        ],
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
            "balance": _money(pick(card, "currentBalance", "amount"), currency),
            "currency": currency,
        },
        "user": _user(buyer) if buyer else None,
        # Saleor's gift card payload names no channel; neither does this one.
        "recipient_email": payload.get("sentToEmail"),
        # Saleor names no resend in the webhook; the mail reads alike either way.
        "resending": False,
    }


def _order(order: dict) -> dict:
    currency = pick(order, "total", "gross", "currency") or ""
    billing = order.get("billingAddress") or {}
    redirect_url = order.get("redirectUrl") or ""
    order_pk = _pk(order.get("id"))
    return {
        "id": order.get("id"),
        "token": order_pk,
        "number": order.get("number"),
        "email": order.get("userEmail"),
        "channel_slug": pick(order, "channel", "slug"),
        "language_code": _language(order.get("languageCodeEnum")),
        "currency": currency,
        "total_gross_amount": _money(pick(order, "total", "gross", "amount"), currency),
        "subtotal_gross_amount": _money(pick(order, "subtotal", "gross", "amount"), currency),
        # Saleor's notify leaves the shipping price as stored: three decimal places.
        "shipping_price_gross_amount": _stored(pick(order, "shippingPrice", "gross", "amount")),
        "created": _stamp(order.get("created")),
        "shipping_method_name": order.get("shippingMethodName"),
        # Saleor's ``prepare_order_details_url``: the order's token on its redirect URL.
        "order_details_url": _with_query(redirect_url, {"token": order_pk}),
        "billing_address": {
            "first_name": billing.get("firstName"),
            "last_name": billing.get("lastName"),
        },
        "lines": [_line(line, currency) for line in order.get("lines") or []],
    }


def _line(line: dict, currency: str) -> dict:
    variant = line.get("variant") or {}
    product = variant.get("product") or {}
    return {
        "id": line.get("id"),
        "product": {"id": product.get("id"), **_images(product)} if variant else None,
        "variant": {"id": variant.get("id"), **_images(variant)} if variant else None,
        "product_name": line.get("productName"),
        "translated_product_name": line.get("translatedProductName"),
        "variant_name": line.get("variantName"),
        "translated_variant_name": line.get("translatedVariantName"),
        "product_sku": line.get("productSku"),
        "quantity": line.get("quantity"),
        "unit_price_gross_amount": _money(pick(line, "unitPrice", "gross", "amount"), currency),
    }


def _images(owner: dict) -> dict:
    media = owner.get("media") or []
    url = media[0].get("url") if media else None
    return {"first_image": {"original": {"256": url}} if url else None}


def _delivery_days(order: Any) -> tuple[int, ...]:
    method = pick(order, "shippingMethod") or {}
    days = (method.get("minimumDeliveryDays"), method.get("maximumDeliveryDays"))
    return tuple(value for value in days if value is not None)


def _with_query(url: str, params: dict) -> str:
    if not url:
        return ""
    split = urlsplit(url)
    query = urlencode(params)
    return split._replace(query=f"{split.query}&{query}" if split.query else query).geturl()


def _money(amount: Any, currency: str) -> Decimal | None:
    """A JSON number as Saleor's ``quantize_price`` renders it in a notify payload (to the
    currency's minor units, which Saleor takes from babel as well)."""
    if amount is None:
        return None
    places = get_currency_precision(currency.upper())
    return Decimal(str(amount)).quantize(Decimal(1).scaleb(-places))


def _stored(amount: Any) -> Decimal | None:
    return None if amount is None else Decimal(str(amount)).quantize(Decimal("0.001"))


def _stamp(value: Any) -> str:
    """ISO 8601 as ``str(datetime)``, the way Saleor's notify payload writes times."""
    return str(datetime.fromisoformat(str(value))) if value else ""


def _is_url(tracking: str) -> bool:
    scheme, separator, _ = tracking.partition("://")
    return bool(separator) and bool(scheme) and all(c.isalnum() or c in "-_" for c in scheme)


def _language(value: Any) -> str:
    return str(value or "").lower().replace("_", "-")


def _pk(global_id: Any) -> str:
    return global_id_pk(global_id)


def pick(data: Any, *path: str) -> Any:
    """The value at ``path`` in nested dicts, None where a step is missing or not a dict."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


SHAPERS: dict[str, Callable[[dict], dict | None]] = {
    ACCOUNT_CONFIRMATION: _account(ACCOUNT_CONFIRMATION),
    ACCOUNT_PASSWORD_RESET: _account(ACCOUNT_PASSWORD_RESET),
    ACCOUNT_CHANGE_EMAIL_REQUEST: _account(ACCOUNT_CHANGE_EMAIL_REQUEST),
    ACCOUNT_CHANGE_EMAIL_CONFIRM: _account(ACCOUNT_CHANGE_EMAIL_CONFIRM),
    ACCOUNT_DELETE: _account(ACCOUNT_DELETE),
    ORDER_CONFIRMATION: _order_placed,
    ORDER_CONFIRMED: _order_only,
    ORDER_PAYMENT_CONFIRMATION: _payment,
    ORDER_CANCELED: _order_unlinked,
    ORDER_FULFILLMENT_CONFIRMATION: _fulfillment,
    ORDER_FULFILLMENT_UPDATE: _fulfillment,
    INVOICE_READY: _invoice,
    SEND_GIFT_CARD: _gift_card,
}
