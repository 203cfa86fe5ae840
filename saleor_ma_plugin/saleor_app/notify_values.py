"""Values of Saleor's webhook payloads written as its notify payloads write them.

Webhooks send money as JSON numbers and times in ISO 8601; the notify payload functions
(``saleor/order/notifications.py`` and friends) quantize money to the currency and write
times with ``str(datetime)``. The App's payload readers share ``pick``.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

from babel.numbers import get_currency_precision


def with_query(url: str, params: dict) -> str:
    """``url`` with ``params`` added to its query, as Saleor builds its links; "" for none."""
    if not url:
        return ""
    split = urlsplit(url)
    query = urlencode(params)
    return split._replace(query=f"{split.query}&{query}" if split.query else query).geturl()


def money(amount: Any, currency: str) -> Decimal | None:
    """A JSON number as Saleor's ``quantize_price`` renders it in a notify payload (to the
    currency's minor units, which Saleor takes from babel as well)."""
    if amount is None:
        return None
    places = get_currency_precision(currency.upper())
    return Decimal(str(amount)).quantize(Decimal(1).scaleb(-places))


def stored(amount: Any) -> Decimal | None:
    """A JSON number as Saleor stores money (three decimal places)."""
    return None if amount is None else Decimal(str(amount)).quantize(Decimal("0.001"))


def stamp(value: Any) -> str:
    """ISO 8601 as ``str(datetime)``, the way Saleor's notify payload writes times."""
    return str(datetime.fromisoformat(str(value))) if value else ""


def is_url(tracking: str) -> bool:
    """Whether a tracking number is a link (``scheme://...``), as Saleor checks it."""
    scheme, separator, _ = tracking.partition("://")
    return bool(separator) and bool(scheme) and all(c.isalnum() or c in "-_" for c in scheme)


def language(value: Any) -> str:
    """``EN_US`` (LanguageCodeEnum) -> ``en-us``, as Saleor stores it."""
    return str(value or "").lower().replace("_", "-")


def pick(data: Any, *path: str) -> Any:
    """The value at ``path`` in nested dicts, None where a step is missing or not a dict."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
