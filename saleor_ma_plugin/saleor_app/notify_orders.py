"""The order mails' deliveries (ORDER_* and FULFILLMENT_*) as Saleor's order notify payloads.

Each shaper builds the dict ``saleor/order/notifications.py`` builds for the same mail:
``get_default_order_payload`` for the order, and what the mail adds (payment, refund_payload,
fulfillment).
"""

from datetime import datetime
from typing import Any

from ..events.notifications import global_id_pk
from .notify_values import is_url, language, money, pick, stamp, stored, with_query


def order_payload(payload: dict, with_link: bool = True) -> dict:
    """``get_default_order_payload`` and the recipient, as most order mails send them."""
    order = payload["order"]
    shaped = {"order": _order(order), "recipient_email": order.get("userEmail")}
    if not with_link:
        # Saleor builds these notify payloads without the order's redirect URL.
        shaped["order"]["order_details_url"] = ""
    return shaped


def placed_order_payload(payload: dict) -> dict | None:
    """Saleor confirms an order placed from a checkout; ORDER_CREATED also comes for a
    completed draft order or a reissue, which it does not mail."""
    if payload["order"].get("origin") != "CHECKOUT":
        return None
    return order_payload(payload)


def unlinked_order_payload(payload: dict) -> dict:
    """An order mail Saleor builds without the order's link (payment, cancel, refund)."""
    return order_payload(payload, with_link=False)


def payment_payload(payload: dict) -> dict:
    """The payment confirmation: the order and its last payment."""
    shaped = unlinked_order_payload(payload)
    payments = payload["order"].get("payments") or []
    if payments:
        # Saleor's notify names the order's last payment (``get_last_payment``).
        payment = payments[-1]
        currency = pick(payment, "total", "currency") or ""
        shaped["payment"] = {
            "created": stamp(payment.get("created")),
            "modified": stamp(payment.get("modified")),
            "total": money(pick(payment, "total", "amount"), currency),
            "captured_amount": money(pick(payment, "capturedAmount", "amount"), currency),
            "currency": currency,
        }
    return shaped


def refund_payload(payload: dict) -> dict:
    """Saleor's notify names the amount ``order_refunded`` was given; ORDER_REFUNDED names
    only the order. That amount is the order's newest refund record: a successful REFUND
    transaction of a payment (payments API) or a REFUND_SUCCESS event of a transaction
    (transactions API, the rise of its refunded amount). Without one, the mail names no
    amount rather than the order's total refunded, which counts earlier refunds too."""
    shaped = unlinked_order_payload(payload)
    currency = shaped["order"]["currency"]
    # Saleor's notify names the order's currency (``order.currency``).
    shaped.update(amount=money(_newest_refund(payload["order"]), currency), currency=currency)
    return shaped


def _newest_refund(order: dict) -> Any:
    """The amount of the order's newest refund record, None without one.

    Within one API the newest record is the one stored last (the highest id: an App may
    report a refund with the payment provider's older time); between a payment's and a
    transaction's, the later time.
    """
    payments = [
        (record.get("created"), record)
        for payment in order.get("payments") or []
        for record in payment.get("transactions") or []
        if record.get("kind") == "REFUND" and record.get("isSuccess")
    ]
    transactions = [
        (event.get("createdAt"), event)
        for transaction in order.get("transactions") or []
        for event in transaction.get("events") or []
        if event.get("type") == "REFUND_SUCCESS"
    ]
    newest = [
        max(records, key=lambda record: _record_pk(record[1]))
        for records in (payments, transactions)
        if records
    ]
    if not newest:
        return None
    if len(newest) > 1:
        newest.sort(key=lambda record: datetime.fromisoformat(str(record[0])))
    _, record = newest[-1]
    return pick(record, "amount", "amount")


def _record_pk(record: dict) -> int:
    pk = global_id_pk(record.get("id"))
    return int(pk) if pk.isdigit() else -1


def fulfillment_payload(payload: dict) -> dict | None:
    """A shipment: the order, its tracking number and shipped lines; None when staff told
    Saleor not to notify the customer."""
    if payload.get("notifyCustomer") is False:
        return None
    fulfillment = payload.get("fulfillment") or {}
    currency = pick(payload, "order", "total", "gross", "currency") or ""
    tracking = str(fulfillment.get("trackingNumber") or "")
    return {
        **order_payload(payload),
        "fulfillment": {
            "tracking_number": tracking,
            "is_tracking_number_url": is_url(tracking),
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


def _order(order: dict) -> dict:
    currency = pick(order, "total", "gross", "currency") or ""
    billing = order.get("billingAddress") or {}
    redirect_url = order.get("redirectUrl") or ""
    order_pk = global_id_pk(order.get("id"))
    return {
        "id": order.get("id"),
        "token": order_pk,
        "number": order.get("number"),
        "email": order.get("userEmail"),
        "channel_slug": pick(order, "channel", "slug"),
        "language_code": language(order.get("languageCodeEnum")),
        "currency": currency,
        "total_gross_amount": money(pick(order, "total", "gross", "amount"), currency),
        "subtotal_gross_amount": money(pick(order, "subtotal", "gross", "amount"), currency),
        # Saleor's notify leaves the shipping price as stored: three decimal places.
        "shipping_price_gross_amount": stored(pick(order, "shippingPrice", "gross", "amount")),
        "created": stamp(order.get("created")),
        "shipping_method_name": order.get("shippingMethodName"),
        # Saleor's ``prepare_order_details_url``: the order's token on its redirect URL.
        "order_details_url": with_query(redirect_url, {"token": order_pk}),
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
        "unit_price_gross_amount": money(pick(line, "unitPrice", "gross", "amount"), currency),
    }


def _images(owner: dict) -> dict:
    media = owner.get("media") or []
    url = media[0].get("url") if media else None
    return {"first_image": {"original": {"256": url}} if url else None}


def delivery_days(order: Any) -> tuple[int, ...]:
    """The order's shipping method's delivery days (its forecast in the confirmation)."""
    method = pick(order, "shippingMethod") or {}
    days = (method.get("minimumDeliveryDays"), method.get("maximumDeliveryDays"))
    return tuple(value for value in days if value is not None)
