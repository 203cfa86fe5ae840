"""How long a click or an open may come before an order and still earn it.

Read from the optional Django setting ``SALEOR_MA_ATTRIBUTION``, e.g.
``{"click_days": 5, "open_days": 1}``; missing keys take these defaults. (It belongs
among the plugin's settings; until they have it, the Django setting configures the shop.)
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_CLICK_DAYS = 5
DEFAULT_OPEN_DAYS = 1


@dataclass(frozen=True)
class Windows:
    click: timedelta = timedelta(days=DEFAULT_CLICK_DAYS)
    open: timedelta = timedelta(days=DEFAULT_OPEN_DAYS)


def parse_windows(raw) -> Windows:
    """Validate the setting: a mapping with whole, non-negative ``click_days``/``open_days``."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("SALEOR_MA_ATTRIBUTION must be a dict.")
    unknown = set(raw) - {"click_days", "open_days"}
    if unknown:
        raise ImproperlyConfigured(f"SALEOR_MA_ATTRIBUTION: unknown key {sorted(unknown)[0]!r}.")
    days = {}
    for name, default in (("click_days", DEFAULT_CLICK_DAYS), ("open_days", DEFAULT_OPEN_DAYS)):
        value = raw.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ImproperlyConfigured(f"SALEOR_MA_ATTRIBUTION[{name!r}] must be days >= 0.")
        days[name] = value
    return Windows(
        click=timedelta(days=days["click_days"]), open=timedelta(days=days["open_days"])
    )


def attribution_windows() -> Windows:
    return parse_windows(getattr(settings, "SALEOR_MA_ATTRIBUTION", None))
