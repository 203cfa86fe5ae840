"""Snapshots of Saleor objects, taken with as few queries as the hook path allows."""

from decimal import Decimal

from saleor.account.models import Address, User
from saleor.checkout.models import Checkout, CheckoutLine
from saleor.order.models import Order, OrderLine

from ..core.emails import normalize_email
from ..core.host import plugin_settings
from ..events.snapshots import (
    CheckoutSnapshot,
    CustomerSnapshot,
    LineSnapshot,
    OrderSnapshot,
    metadata_dates,
)

ORDER_LINE_COLUMNS = (
    "variant_id",
    "variant__product_id",
    "variant__product__category_id",
    "product_name",
    "variant_name",
    "product_sku",
    "quantity",
    "unit_price_gross_amount",
    # Joined into every line row so one query also yields the delivery days and the
    # buyer's billing details.
    "order__shipping_method__minimum_delivery_days",
    "order__shipping_method__maximum_delivery_days",
    "order__billing_address__country",
    "order__billing_address__first_name",
    "order__billing_address__last_name",
    "order__billing_address__phone",
)
#: The billing details at the end of every order line row (BILLING_COLUMNS' order).
BILLING_COLUMNS = ("country", "first_name", "last_name", "phone")
CHECKOUT_LINE_COLUMNS = (
    "variant_id",
    "variant__product_id",
    "variant__product__category_id",
    "variant__product__name",
    "variant__name",
    "variant__sku",
    "quantity",
    "total_price_gross_amount",
    "checkout__billing_address__country",
)


def _text(value) -> str:
    return "" if value is None else str(value)


def _line(row: tuple, unit_price_gross: Decimal | None) -> LineSnapshot:
    """A line from a row of ORDER_LINE_COLUMNS or CHECKOUT_LINE_COLUMNS (same order)."""
    variant_id, product_id, category_id, product_name, variant_name, sku, quantity = row[:7]
    return LineSnapshot(
        product_id=_text(product_id),
        variant_id=_text(variant_id),
        category_id=_text(category_id),
        product_name=product_name or "",
        variant_name=variant_name or "",
        sku=sku or "",
        quantity=quantity,
        unit_price_gross=unit_price_gross,
    )


def _country(address_id) -> str:
    if not address_id:
        return ""
    return _text(Address.objects.filter(pk=address_id).values_list("country", flat=True).first())


def _billing(address_id) -> tuple:
    if not address_id:
        return ("", "", "", "")
    row = Address.objects.filter(pk=address_id).values_list(*BILLING_COLUMNS).first()
    return row or ("", "", "", "")


def order_line_rows(order_ids) -> dict:
    """Line rows of several orders in one query, keyed by order id."""
    rows_by_order: dict = {}
    for row in (
        OrderLine.objects.filter(order_id__in=order_ids)
        .order_by("pk")
        .values_list("order_id", *ORDER_LINE_COLUMNS)
    ):
        rows_by_order.setdefault(row[0], []).append(row[1:])
    return rows_by_order


def order_snapshot(order: Order, rows: list | None = None) -> OrderSnapshot:
    """Picture of an order: one query for its lines, delivery days and billing details."""
    if rows is None:
        rows = order_line_rows([order.pk]).get(order.pk, [])
    lines = tuple(_line(row, row[7]) for row in rows)
    country, first_name, last_name, phone = (
        (_text(value) for value in rows[0][-4:]) if rows else _billing(order.billing_address_id)
    )
    if rows:
        days = tuple(value for value in rows[0][8:10] if value is not None)
    else:
        days = delivery_days(order.pk) if order.shipping_method_id else ()
    return OrderSnapshot(
        order_id=str(order.pk),
        number=str(order.number),
        status=order.status,
        email=normalize_email(order.user_email),
        user_id=_text(order.user_id),
        channel=order.channel.slug,
        currency=order.currency,
        total_gross=order.total_gross_amount,
        total_net=order.total_net_amount,
        subtotal_gross=order.subtotal_gross_amount,
        shipping_gross=order.shipping_price_gross_amount,
        voucher_code=order.voucher_code or "",
        checkout_token=order.checkout_token or "",
        language_code=order.language_code or "",
        country=country,
        created_at=order.created_at,
        updated_at=order.updated_at,
        lines=lines,
        first_name=_text(first_name),
        last_name=_text(last_name),
        phone=_text(phone),
        shipping_method_name=_text(order.shipping_method_name),
        delivery_days=days,
        total_charged=order.total_charged_amount,
    )


def delivery_days(order_pk) -> tuple[int, ...]:
    """The order's shipping method's minimum and maximum days to deliver, those that are
    set: one indexed query (the order snapshot and the notification both read it)."""
    row = (
        Order.objects.filter(pk=order_pk)
        .values_list(
            "shipping_method__minimum_delivery_days", "shipping_method__maximum_delivery_days"
        )
        .first()
    )
    return tuple(days for days in row or () if days is not None)


def checkout_snapshot(checkout: Checkout) -> CheckoutSnapshot:
    """Picture of a checkout, kept because Saleor deletes abandoned checkouts."""
    rows = list(
        CheckoutLine.objects.filter(checkout_id=checkout.pk)
        .order_by("created_at")
        .values_list(*CHECKOUT_LINE_COLUMNS)
    )
    lines = tuple(_line(row, _unit_price(row[7], row[6])) for row in rows)
    country = _text(rows[0][-1]) if rows else _country(checkout.billing_address_id)
    return CheckoutSnapshot(
        token=str(checkout.pk),
        email=normalize_email(checkout.email or (checkout.user.email if checkout.user_id else "")),
        user_id=_text(checkout.user_id),
        channel=checkout.channel.slug,
        currency=checkout.currency,
        total_gross=checkout.total_gross_amount,
        subtotal_gross=checkout.subtotal_gross_amount,
        voucher_code=checkout.voucher_code or "",
        language_code=checkout.language_code or "",
        country=country,
        redirect_url=checkout.redirect_url or "",
        created_at=checkout.created_at,
        last_change=checkout.last_change,
        lines=lines,
    )


def _unit_price(line_total, quantity) -> Decimal | None:
    if not line_total or not quantity:
        return None
    return (line_total / quantity).quantize(Decimal("0.001"))


def customer_snapshot(user: User) -> CustomerSnapshot:
    """Picture of a customer: one query for the default addresses' country and phone."""
    addresses = {
        pk: (country, phone)
        for pk, country, phone in Address.objects.filter(
            pk__in=[user.default_billing_address_id, user.default_shipping_address_id]
        ).values_list("pk", "country", "phone")
    }
    billing = addresses.get(user.default_billing_address_id, ("", ""))
    shipping = addresses.get(user.default_shipping_address_id, ("", ""))
    dates = metadata_dates(user.metadata or {}, plugin_settings().profile_date_keys)
    return CustomerSnapshot(
        user_id=_text(user.pk),
        email=normalize_email(user.email),
        first_name=user.first_name or "",
        last_name=user.last_name or "",
        language_code=user.language_code or "",
        country=_text(billing[0] or shipping[0]),
        is_active=user.is_active,
        is_confirmed=user.is_confirmed,
        date_joined=user.date_joined,
        updated_at=user.updated_at,
        phone=_text(billing[1] or shipping[1]),
        birthday=dates.pop("birthday", ""),
        attributes=dates,
    )
