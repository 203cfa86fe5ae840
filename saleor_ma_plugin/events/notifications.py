"""Saleor's customer notifications (``notify``) as normalized events.

Saleor hands ``notify`` a payload built by its own payload functions
(``saleor/order/notifications.py``, ``saleor/account/notifications.py``,
``saleor/invoice/notifications.py``, ``saleor/giftcard/notifications.py``); the same dicts
reach Apps as ``NOTIFY_USER`` webhooks. Only what a mail needs is kept, in the shape of our
order snapshots, so the messaging context reads both alike. A one-time token is kept only
inside its link (a secret the message takes away from the event), and the event's dedupe
key holds a hash of it.
"""

import base64
import binascii
import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from ..core.emails import normalize_email
from ..core.transactional import (
    ACCOUNT_CHANGE_EMAIL_REQUEST,
    ACCOUNT_CONFIRMATION,
    ACCOUNT_DELETE,
    ACCOUNT_NOTIFICATIONS,
    ACCOUNT_PASSWORD_RESET,
    ACCOUNT_SET_CUSTOMER_PASSWORD,
    CUSTOMER_NOTIFICATIONS,
    INVOICE_READY,
    ORDER_FULFILLMENT_CONFIRMATION,
    ORDER_FULFILLMENT_UPDATE,
    ORDER_PAYMENT_CONFIRMATION,
    ORDER_REFUND_CONFIRMATION,
    SEND_GIFT_CARD,
    STAFF_NOTIFICATIONS,
)
from . import EventSource
from .intake import NewEvent

logger = logging.getLogger(__name__)

#: Event types of notifications: ``notify.order_confirmation`` and so on.
NOTIFICATION_PREFIX = "notify."
#: Account mails with a link: Saleor's payload key of its one-time link, and ours.
ACCOUNT_LINKS = {
    ACCOUNT_CONFIRMATION: ("confirm_url", "account_confirm_url"),
    ACCOUNT_PASSWORD_RESET: ("reset_url", "reset_url"),
    ACCOUNT_CHANGE_EMAIL_REQUEST: ("redirect_url", "change_email_url"),
    ACCOUNT_DELETE: ("delete_url", "delete_url"),
    ACCOUNT_SET_CUSTOMER_PASSWORD: ("password_set_url", "password_set_url"),
}
#: Normalized keys whose value is a one-time secret or a private link: kept only in the
#: message that mails it (never in the event log, never click-tracked), dropped once sent.
SECRET_KEYS = (*(ours for _, ours in ACCOUNT_LINKS.values()), "gift_card_code", "invoice_url")
#: Order notifications whose payload carries a fulfillment (shipped lines, tracking).
FULFILLMENT_NOTIFICATIONS = (ORDER_FULFILLMENT_CONFIRMATION, ORDER_FULFILLMENT_UPDATE)
#: The thumbnail size (Saleor's THUMBNAIL_SIZES) a mail shows next to an order line.
IMAGE_SIZE = "256"

_unknown_logged: set[str] = set()


def notification_type(name: str) -> str:
    return f"{NOTIFICATION_PREFIX}{name}"


def notification_name(event_type: str) -> str:
    """``notify.order_confirmation`` -> ``order_confirmation``; "" for other events."""
    return (
        event_type[len(NOTIFICATION_PREFIX) :]
        if event_type.startswith(NOTIFICATION_PREFIX)
        else ""
    )


def wanted_notification(name: str, enabled: Iterable[str]) -> bool:
    """Whether to take this notification; an unknown name is logged once per process."""
    if name in enabled:
        return True
    known = name in CUSTOMER_NOTIFICATIONS or name in STAFF_NOTIFICATIONS
    if not known and name not in _unknown_logged:
        _unknown_logged.add(name)
        logger.warning("Ignoring unknown Saleor notification %r", name[:64])
    return False


def notification_event(name: str, payload: dict, delivery_days: tuple[int, ...] = ()) -> NewEvent:
    """The event for one Saleor notification payload (of a supported notification).

    Its dedupe key holds what tells one occurrence from another: a hash of the one-time
    token, the order (and fulfillment or payment), or, where Saleor names nothing unique
    (a refund, a gift card or invoice sent again), the minute it happened.
    """
    if name in ACCOUNT_NOTIFICATIONS:
        normalized = _account(payload)
        theirs, ours = ACCOUNT_LINKS.get(name, ("", ""))
        if ours:
            normalized[ours] = str(payload.get(theirs) or "")
        secret = str(payload.get("token") or payload.get(theirs) or "")
        identity = _digest(secret) if secret else _digest(normalized["user_id"], _minute())
    elif name == SEND_GIFT_CARD:
        normalized, identity = _gift_card(payload)
    elif name == INVOICE_READY:
        normalized, identity = _invoice(payload)
    else:
        normalized = _order(payload, delivery_days)
        identity = normalized["order_id"]
        if name in FULFILLMENT_NOTIFICATIONS:
            normalized.update(_fulfillment(payload))
            identity += ":" + _fulfillment_key(payload)
        elif name == ORDER_PAYMENT_CONFIRMATION:
            normalized["payment"] = _payment(payload)
            identity += ":" + _digest(*normalized["payment"].values())
        elif name == ORDER_REFUND_CONFIRMATION:
            normalized["refund"] = _amount(payload.get("amount"), payload.get("currency"))
            identity += ":" + _digest(*normalized["refund"].values(), _minute())
    normalized["notification"] = name
    event_type = notification_type(name)
    return NewEvent(
        event_type, timezone.now(), f"{event_type}:{identity}", normalized, EventSource.SALEOR
    )


def _account(payload: dict) -> dict[str, Any]:
    """The account's owner is the contact; the mail goes to ``recipient`` (for an email
    change, the new address or the old one, not the account's current address)."""
    user = payload.get("user") or {}
    recipient = normalize_email(payload.get("recipient_email") or "")
    email = normalize_email(user.get("email") or "") or recipient
    return {
        "email": email,
        "recipient": recipient or email,
        "user_id": global_id_pk(user.get("id")),
        "first_name": str(user.get("first_name") or ""),
        "last_name": str(user.get("last_name") or ""),
        "language_code": str(user.get("language_code") or "").lower(),
        "channel": str(payload.get("channel_slug") or ""),
        "old_email": normalize_email(payload.get("old_email") or ""),
        "new_email": normalize_email(payload.get("new_email") or ""),
    }


def _gift_card(payload: dict) -> tuple[dict[str, Any], str]:
    """A gift card goes to whoever Saleor names; the buyer's account only if it is theirs."""
    card = payload.get("gift_card") or {}
    recipient = normalize_email(payload.get("recipient_email") or "")
    normalized = _account(payload) if payload.get("user") else {"channel": ""}
    if normalized.get("email") != recipient:
        normalized.update(email=recipient, user_id="", first_name="", last_name="")
    normalized.update(
        recipient=recipient,
        channel=str(payload.get("channel_slug") or normalized.get("channel") or ""),
        gift_card_code=str(card.get("code") or ""),
        gift_card=_amount(card.get("balance"), card.get("currency")),
        resending=bool(payload.get("resending")),
    )
    identity = _digest(global_id_pk(card.get("id")), recipient, _minute())
    return normalized, identity


def _invoice(payload: dict) -> tuple[dict[str, Any], str]:
    invoice = payload.get("invoice") or {}
    recipient = normalize_email(payload.get("recipient_email") or "")
    normalized = {
        "email": recipient,
        "recipient": recipient,
        "channel": str(payload.get("channel_slug") or ""),
        "invoice_number": str(invoice.get("number") or ""),
        "invoice_order_id": global_id_pk(invoice.get("order_id")),
        "invoice_url": str(invoice.get("download_url") or ""),
    }
    return normalized, _digest(global_id_pk(invoice.get("id")), _minute())


def _payment(payload: dict) -> dict[str, str]:
    payment = payload.get("payment") or {}
    order = payload.get("order") or {}
    # Without a payment (transactions API), the order's total is what was paid.
    amount = payment.get("captured_amount") or payment.get("total")
    amount = amount or order.get("total_gross_amount")
    return {
        **_amount(amount, payment.get("currency") or order.get("currency")),
        "paid_at": _text(payment.get("modified") or payment.get("created")),
    }


def _amount(amount, currency) -> dict[str, str]:
    return {"amount": _text(amount), "currency": str(currency or "")}


def _order(payload: dict, delivery_days: tuple[int, ...]) -> dict[str, Any]:
    order = payload.get("order") or {}
    recipient = normalize_email(payload.get("recipient_email") or order.get("email") or "")
    currency = str(order.get("currency") or "")
    address = order.get("billing_address") or {}
    return {
        "order_id": global_id_pk(order.get("id")) or str(order.get("token") or ""),
        "number": str(order.get("number") or ""),
        "email": recipient,
        "recipient": recipient,
        "user_id": _text(order.get("user_id")),
        "channel": str(order.get("channel_slug") or ""),
        "language_code": str(order.get("language_code") or "").lower(),
        "first_name": str(address.get("first_name") or ""),
        "last_name": str(address.get("last_name") or ""),
        "currency": currency,
        "total_gross": _text(order.get("total_gross_amount")),
        "subtotal_gross": _text(order.get("subtotal_gross_amount")),
        "shipping_gross": _text(order.get("shipping_price_gross_amount")),
        "created_at": str(order.get("created") or ""),
        "shipping_method_name": str(order.get("shipping_method_name") or ""),
        "delivery_days": list(delivery_days),
        "order_url": str(order.get("order_details_url") or ""),
        "lines": [_line(line) for line in order.get("lines") or []],
    }


def _fulfillment(payload: dict) -> dict[str, Any]:
    fulfillment = payload.get("fulfillment") or {}
    number = str(fulfillment.get("tracking_number") or "")
    is_url = bool(fulfillment.get("is_tracking_number_url")) and number.startswith("http")
    shipped = [
        {**_line(line.get("order_line") or {}), "quantity": line.get("quantity") or 0}
        for line in payload.get("physical_lines") or []
    ]
    return {
        "tracking_number": "" if is_url else number,
        "tracking_url": number if is_url else "",
        **({"lines": shipped} if shipped else {}),
    }


def _fulfillment_key(payload: dict) -> str:
    """Saleor names no fulfillment in the payload; its lines' ids are unique to it."""
    ids = sorted(str(line.get("id") or "") for line in payload.get("physical_lines") or [])
    tracking = str((payload.get("fulfillment") or {}).get("tracking_number") or "")
    return hashlib.sha256("|".join([*ids, tracking]).encode()).hexdigest()[:24]


def _line(line: dict) -> dict[str, Any]:
    product = line.get("product") or {}
    variant = line.get("variant") or {}
    image = (variant.get("first_image") or product.get("first_image") or {}).get("original") or {}
    return {
        "product_id": global_id_pk(product.get("id")),
        "variant_id": global_id_pk(variant.get("id"))
        or global_id_pk(line.get("product_variant_id")),
        "product_name": str(line.get("translated_product_name") or line.get("product_name") or ""),
        "variant_name": str(line.get("translated_variant_name") or line.get("variant_name") or ""),
        "sku": str(line.get("product_sku") or ""),
        "quantity": line.get("quantity") or 0,
        "unit_price_gross": _text(line.get("unit_price_gross_amount")),
        "image_url": str(image.get(IMAGE_SIZE) or next(iter(image.values()), "")),
    }


def global_id_pk(global_id) -> str:
    """The primary key inside a Relay global id (``base64("Order:<uuid>")``); "" if none."""
    if not global_id:
        return ""
    try:
        decoded = base64.b64decode(str(global_id), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
    return decoded.partition(":")[2]


def _text(value) -> str:
    return "" if value is None else str(value)


def _digest(*parts) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]


def _minute() -> str:
    return timezone.now().strftime("%Y%m%d%H%M")
