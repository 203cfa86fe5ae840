"""Snapshot builders for tests: plain data, no database."""

from datetime import UTC, datetime
from decimal import Decimal
from itertools import count

from saleor_ma_plugin.events.snapshots import (
    CheckoutSnapshot,
    CustomerSnapshot,
    LineSnapshot,
    OrderSnapshot,
)

_sequence = count(1)
PLACED_AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def line(**overrides) -> LineSnapshot:
    values = {
        "product_id": "72",
        "variant_id": "301",
        "category_id": "9",
        "product_name": "Espresso beans 1 kg",
        "variant_name": "Whole bean",
        "sku": "BEAN-1KG",
        "quantity": 2,
        "unit_price_gross": Decimal("19.900"),
    }
    return LineSnapshot(**{**values, **overrides})


def order(**overrides) -> OrderSnapshot:
    number = next(_sequence)
    values = {
        "order_id": f"00000000-0000-4000-8000-{number:012d}",
        "number": str(number),
        "status": "unfulfilled",
        "email": "anna@example.com",
        "user_id": "",
        "channel": "default-channel",
        "currency": "EUR",
        "total_gross": Decimal("44.800"),
        "total_net": Decimal("37.650"),
        "subtotal_gross": Decimal("39.800"),
        "shipping_gross": Decimal("5.000"),
        "voucher_code": "",
        "checkout_token": f"c0000000-0000-4000-8000-{number:012d}",
        "language_code": "de",
        "country": "DE",
        "created_at": PLACED_AT,
        "updated_at": PLACED_AT,
        "lines": (line(),),
    }
    return OrderSnapshot(**{**values, **overrides})


def checkout(**overrides) -> CheckoutSnapshot:
    number = next(_sequence)
    values = {
        "token": f"c0000000-0000-4000-8000-{number:012d}",
        "email": "anna@example.com",
        "user_id": "",
        "channel": "default-channel",
        "currency": "EUR",
        "total_gross": Decimal("39.800"),
        "subtotal_gross": Decimal("39.800"),
        "voucher_code": "",
        "language_code": "de",
        "country": "DE",
        "redirect_url": "https://shop.example.com/checkout",
        "created_at": PLACED_AT,
        "last_change": PLACED_AT,
        "lines": (line(),),
    }
    return CheckoutSnapshot(**{**values, **overrides})


def customer(**overrides) -> CustomerSnapshot:
    values = {
        "user_id": "17",
        "email": "anna@example.com",
        "first_name": "Anna",
        "last_name": "Berg",
        "language_code": "de",
        "country": "DE",
        "is_active": True,
        "is_confirmed": True,
        "date_joined": PLACED_AT,
        "updated_at": PLACED_AT,
    }
    return CustomerSnapshot(**{**values, **overrides})
