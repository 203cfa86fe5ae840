"""Saleor's customer notifications (``notify``) as normalized events.

Saleor hands ``notify`` a payload built by its own payload functions
(``saleor/order/notifications.py``, ``saleor/account/notifications.py``); the same dicts
reach Apps as ``NOTIFY_USER`` webhooks. Only what a mail needs is kept, in the shape of our
order snapshots, so the messaging context reads both alike. A one-time token (password
reset) is kept only inside its link, and the event's dedupe key holds a hash of it.
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
    ACCOUNT_PASSWORD_RESET,
    CUSTOMER_NOTIFICATIONS,
    ORDER_FULFILLMENT_CONFIRMATION,
    STAFF_NOTIFICATIONS,
)
from . import EventSource
from .intake import NewEvent

logger = logging.getLogger(__name__)

#: Event types of notifications: ``notify.order_confirmation`` and so on.
NOTIFICATION_PREFIX = "notify."
#: Payload keys whose value carries a one-time secret (kept out of logs and dropped once used).
SECRET_KEYS = ("reset_url",)
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
    """The event for one Saleor notification payload (of a supported notification)."""
    if name == ACCOUNT_PASSWORD_RESET:
        normalized = _account(payload)
        normalized["reset_url"] = str(payload.get("reset_url") or "")
        secret = str(payload.get("token") or normalized["reset_url"])
        identity = hashlib.sha256(secret.encode()).hexdigest()[:32]
    else:
        normalized = _order(payload, delivery_days)
        identity = normalized["order_id"]
        if name == ORDER_FULFILLMENT_CONFIRMATION:
            normalized.update(_fulfillment(payload))
            identity += ":" + _fulfillment_key(payload)
    normalized["notification"] = name
    event_type = notification_type(name)
    return NewEvent(
        event_type, timezone.now(), f"{event_type}:{identity}", normalized, EventSource.SALEOR
    )


def _account(payload: dict) -> dict[str, Any]:
    user = payload.get("user") or {}
    return {
        "email": normalize_email(payload.get("recipient_email") or user.get("email") or ""),
        "user_id": global_id_pk(user.get("id")),
        "first_name": str(user.get("first_name") or ""),
        "last_name": str(user.get("last_name") or ""),
        "language_code": str(user.get("language_code") or "").lower(),
        "channel": str(payload.get("channel_slug") or ""),
    }


def _order(payload: dict, delivery_days: tuple[int, ...]) -> dict[str, Any]:
    order = payload.get("order") or {}
    currency = str(order.get("currency") or "")
    address = order.get("billing_address") or {}
    return {
        "order_id": global_id_pk(order.get("id")) or str(order.get("token") or ""),
        "number": str(order.get("number") or ""),
        "email": normalize_email(payload.get("recipient_email") or order.get("email") or ""),
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
