"""Subscription payloads as the same snapshots and normalized events the plugin hooks build.

Saleor's webhook payloads name objects by Relay global ids and money as JSON numbers;
snapshots hold database ids and Decimals, so both intakes produce equal events and equal
dedupe keys (``events.intake`` builds both).
"""

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..core.emails import normalize_email
from ..core.host import plugin_settings
from ..events import EventSource, EventType
from ..events.intake import NewEvent, checkout_event, customer_event, order_events
from ..events.snapshots import (
    CheckoutSnapshot,
    CustomerSnapshot,
    LineSnapshot,
    OrderSnapshot,
    metadata_dates,
)
from .notify import NOTIFICATION_KEY, NOTIFICATIONS, notification_events
from .notify_values import pick


class MalformedPayload(ValueError):
    """The payload lacks what the subscription query always returns."""


def db_id(global_id: Any) -> str:
    """``"T3JkZXI6MTI="`` (``Order:12``) -> ``"12"``; "" for none."""
    if not global_id:
        return ""
    try:
        decoded = base64.b64decode(str(global_id), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise MalformedPayload("id") from None
    _, _, pk = decoded.partition(":")
    if not pk:
        raise MalformedPayload("id")
    return pk


def _text(value: Any) -> str:
    return "" if value is None else str(value)


#: Saleor stores money with three decimal places; JSON numbers lose the trailing zeros.
MONEY_PLACES = Decimal("0.001")


def _amount(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(MONEY_PLACES)


def _required_amount(value: Any) -> Decimal:
    if value is None:
        raise MalformedPayload("amount")
    return _amount(value)


def _datetime(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise MalformedPayload("datetime") from None


def _language(value: Any) -> str:
    """``EN_US`` (LanguageCodeEnum) -> ``en-us``, as Saleor stores it."""
    return _text(value).lower().replace("_", "-")


def _line(line: dict, name: str, variant_name: str, sku: str, unit: Decimal | None):
    variant = line.get("variant") or {}
    return LineSnapshot(
        product_id=db_id(pick(variant, "product", "id")),
        variant_id=db_id(variant.get("id")),
        category_id=db_id(pick(variant, "product", "category", "id")),
        product_name=name or "",
        variant_name=variant_name or "",
        sku=sku or "",
        quantity=int(line["quantity"]),
        unit_price_gross=unit,
    )


def order_snapshot(order: dict) -> OrderSnapshot:
    billing = order.get("billingAddress") or {}
    method = order.get("shippingMethod") or {}
    days = tuple(
        value
        for value in (method.get("minimumDeliveryDays"), method.get("maximumDeliveryDays"))
        if value is not None
    )
    lines = tuple(
        _line(
            line,
            line.get("productName"),
            line.get("variantName"),
            line.get("productSku"),
            _amount(pick(line, "unitPrice", "gross", "amount")),
        )
        # The hook reads lines in primary-key order; a UUID's text sorts as its bytes.
        for line in sorted(order.get("lines") or [], key=lambda line: db_id(line.get("id")))
    )
    return OrderSnapshot(
        order_id=db_id(order["id"]),
        number=_text(order["number"]),
        status=_text(order.get("status")).lower(),
        email=normalize_email(order.get("userEmail") or ""),
        user_id=db_id(pick(order, "user", "id")),
        channel=_text(pick(order, "channel", "slug")),
        currency=_text(pick(order, "total", "gross", "currency")),
        total_gross=_required_amount(pick(order, "total", "gross", "amount")),
        total_net=_required_amount(pick(order, "total", "net", "amount")),
        subtotal_gross=_required_amount(pick(order, "subtotal", "gross", "amount")),
        shipping_gross=_required_amount(pick(order, "shippingPrice", "gross", "amount")),
        voucher_code=_text(order.get("voucherCode")),
        checkout_token=db_id(order.get("checkoutId")),
        language_code=_language(order.get("languageCodeEnum")),
        country=_text(pick(billing, "country", "code")),
        created_at=_datetime(order["created"]),
        updated_at=_datetime(order["updatedAt"]),
        lines=lines,
        first_name=_text(billing.get("firstName")),
        last_name=_text(billing.get("lastName")),
        phone=_text(billing.get("phone")),
        shipping_method_name=_text(order.get("shippingMethodName")),
        delivery_days=days,
        total_charged=_amount(pick(order, "totalCharged", "amount")),
    )


def checkout_snapshot(checkout: dict) -> CheckoutSnapshot:
    lines = []
    for line in checkout.get("lines") or []:
        variant = line.get("variant") or {}
        total = _amount(pick(line, "totalPrice", "gross", "amount"))
        quantity = line.get("quantity")
        unit = (total / quantity).quantize(MONEY_PLACES) if total and quantity else None
        lines.append(
            _line(
                line,
                pick(variant, "product", "name"),
                variant.get("name"),
                variant.get("sku"),
                unit,
            )
        )
    email = checkout.get("email") or pick(checkout, "user", "email") or ""
    return CheckoutSnapshot(
        token=db_id(checkout["id"]),
        email=normalize_email(email),
        user_id=db_id(pick(checkout, "user", "id")),
        channel=_text(pick(checkout, "channel", "slug")),
        currency=_text(pick(checkout, "totalPrice", "gross", "currency")),
        total_gross=_required_amount(pick(checkout, "totalPrice", "gross", "amount")),
        subtotal_gross=_required_amount(pick(checkout, "subtotalPrice", "gross", "amount")),
        voucher_code=_text(checkout.get("voucherCode")),
        language_code=_language(checkout.get("languageCode")),
        country=_text(pick(checkout, "billingAddress", "country", "code")),
        # Saleor's Checkout type does not expose redirectUrl: App mode has no recovery base.
        redirect_url="",
        created_at=_datetime(checkout["created"]),
        last_change=_datetime(checkout["updatedAt"]),
        lines=tuple(lines),
    )


def customer_snapshot(user: dict) -> CustomerSnapshot:
    billing = user.get("defaultBillingAddress") or {}
    shipping = user.get("defaultShippingAddress") or {}
    metadata = {item.get("key"): item.get("value") for item in user.get("metadata") or []}
    dates = metadata_dates(metadata, plugin_settings().profile_date_keys)
    return CustomerSnapshot(
        user_id=db_id(user.get("id")),
        email=normalize_email(user["email"]),
        first_name=_text(user.get("firstName")),
        last_name=_text(user.get("lastName")),
        language_code=_language(user.get("languageCode")),
        country=_text(pick(billing, "country", "code") or pick(shipping, "country", "code")),
        is_active=bool(user.get("isActive")),
        is_confirmed=bool(user.get("isConfirmed")),
        date_joined=_datetime(user["dateJoined"]),
        updated_at=_datetime(user["updatedAt"]),
        phone=_text(billing.get("phone") or shipping.get("phone")),
        birthday=dates.pop("birthday", ""),
        attributes=dates,
    )


def _orders(event_type: EventType) -> Callable[[dict], list[NewEvent]]:
    return lambda payload: order_events(
        event_type, order_snapshot(payload["order"]), EventSource.SALEOR
    )


def _checkout(event_type: EventType) -> Callable[[dict], list[NewEvent]]:
    return lambda payload: [checkout_event(event_type, checkout_snapshot(payload["checkout"]))]


def _customer(event_type: EventType, key: str = "user") -> Callable[[dict], list[NewEvent]]:
    return lambda payload: [
        customer_event(event_type, customer_snapshot(payload[key]), EventSource.SALEOR)
    ]


#: Saleor's async event (the ``Saleor-Event`` header) -> the events its payload becomes.
EVENT_MAPPERS: dict[str, Callable[[dict], list[NewEvent]]] = {
    "order_created": _orders(EventType.ORDER_CREATED),
    "order_confirmed": _orders(EventType.ORDER_CONFIRMED),
    "order_fully_paid": _orders(EventType.ORDER_FULLY_PAID),
    "order_cancelled": _orders(EventType.ORDER_CANCELLED),
    "order_fulfilled": _orders(EventType.ORDER_FULFILLED),
    "order_refunded": _orders(EventType.ORDER_REFUNDED),
    "checkout_created": _checkout(EventType.CHECKOUT_CREATED),
    "checkout_updated": _checkout(EventType.CHECKOUT_UPDATED),
    "customer_created": _customer(EventType.CUSTOMER_CREATED),
    "customer_updated": _customer(EventType.CUSTOMER_UPDATED),
    "customer_deleted": _customer(EventType.CUSTOMER_DELETED),
    "account_confirmed": _customer(EventType.ACCOUNT_CONFIRMED),
}


#: Saleor's back-in-stock event: who waits for the variant is in our tables, not the payload.
BACK_IN_STOCK = "product_variant_back_in_stock"


def back_in_stock_variant(payload: Any) -> str:
    """The database id of the variant a PRODUCT_VARIANT_BACK_IN_STOCK delivery names."""
    variant_id = db_id(pick(payload, "productVariant", "id")) if isinstance(payload, dict) else ""
    if not variant_id:
        raise MalformedPayload("productVariant")
    return variant_id


#: The field each event's subject is in (``null`` when it is gone: see below).
SUBJECT_FIELDS = ("order", "checkout", "user")


def _notification_mapper(saleor_event: str) -> Callable[[dict], list[NewEvent]] | None:
    if saleor_event.upper() not in NOTIFICATIONS:
        return None
    return lambda payload: notification_events(saleor_event, payload)


def events_from_payload(saleor_event: str, payload: Any) -> list[NewEvent]:
    """The normalized events of one delivery; ``MalformedPayload`` for a broken payload."""
    if isinstance(payload, dict) and payload.get(NOTIFICATION_KEY):
        mapper = _notification_mapper(saleor_event)
    else:
        mapper = EVENT_MAPPERS.get(saleor_event)
    if mapper is None:
        raise MalformedPayload("event")
    if not isinstance(payload, dict):
        raise MalformedPayload("payload")
    present = [field for field in SUBJECT_FIELDS if field in payload]
    if len(present) == 1 and payload[present[0]] is None:
        # Saleor renders some payloads later, in its worker (checkout_updated): a checkout
        # completed in the meantime is deleted and comes as null. Nothing to store, and a
        # refusal would only make Saleor send the same null again.
        return []
    try:
        return mapper(payload)
    except (KeyError, TypeError, AttributeError, ArithmeticError) as error:
        raise MalformedPayload(type(error).__name__) from None
