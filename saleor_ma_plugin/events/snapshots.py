"""Frozen, host-independent pictures of shop objects, taken when an event happens.

Saleor deletes checkouts after weeks, and an order may change later: a snapshot keeps
what flows need (lines, totals, storefront link) without copying addresses.
Ids are the shop's database ids as strings, so every source produces the same shape.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class LineSnapshot:
    """One product line of an order or checkout."""

    product_id: str
    variant_id: str
    category_id: str
    product_name: str
    variant_name: str
    sku: str
    quantity: int
    unit_price_gross: Decimal | None


@dataclass(frozen=True)
class OrderSnapshot:
    order_id: str
    number: str
    status: str
    email: str
    user_id: str
    channel: str
    currency: str
    total_gross: Decimal
    total_net: Decimal
    subtotal_gross: Decimal
    shipping_gross: Decimal
    voucher_code: str
    checkout_token: str
    language_code: str
    country: str
    created_at: datetime
    updated_at: datetime
    lines: tuple[LineSnapshot, ...]
    #: From the billing address: a guest's only name and number (scrubbed on erasure).
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    #: The shipping method's name and its minimum and maximum days to deliver (when set):
    #: the delivery forecast.
    shipping_method_name: str = ""
    delivery_days: tuple[int, ...] = ()
    #: What the shop holds of the payment (charged less refunded): a refund's credit limit.
    total_charged: Decimal | None = None


@dataclass(frozen=True)
class CheckoutSnapshot:
    token: str
    email: str
    user_id: str
    channel: str
    currency: str
    total_gross: Decimal
    subtotal_gross: Decimal
    voucher_code: str
    language_code: str
    country: str
    #: Where the storefront asked Saleor to send the buyer back: the recovery link base.
    redirect_url: str
    created_at: datetime
    last_change: datetime
    lines: tuple[LineSnapshot, ...]


@dataclass(frozen=True)
class CustomerSnapshot:
    user_id: str
    email: str
    first_name: str
    last_name: str
    language_code: str
    country: str
    is_active: bool
    is_confirmed: bool
    date_joined: datetime
    updated_at: datetime
    #: The default billing (else shipping) address's number, E.164.
    phone: str = ""
    #: ISO date from the user's metadata key the settings name for it.
    birthday: str = ""
    #: Other dates from metadata (``profile_date_keys``), by attribute name, ISO.
    attributes: dict = field(default_factory=dict)


def to_payload(snapshot: Any) -> dict[str, Any]:
    """The JSON-ready event payload of a snapshot (Decimal and datetime become strings)."""
    return asdict(snapshot)


def metadata_dates(metadata: dict, keys: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """{attribute: ISO date} for the (attribute, metadata key) pairs holding a valid date."""
    dates = {}
    for attribute, key in keys:
        try:
            dates[attribute] = date.fromisoformat(str(metadata.get(key, ""))[:10]).isoformat()
        except ValueError:
            continue  # absent, or not a date: the profile keeps what it had
    return dates
