"""How long a click or an open may come before an order and still earn it.

The plugin settings ``attribution_click_days`` and ``attribution_open_days`` set them
(defaults 5 and 1): shops that mail daily want shorter windows than shops that mail
monthly, and the admin sees the same numbers the reports are built on.
"""

from dataclasses import dataclass
from datetime import timedelta

from ..core.configuration import DEFAULT_CLICK_DAYS, DEFAULT_OPEN_DAYS
from ..core.host import plugin_settings


@dataclass(frozen=True)
class Windows:
    click: timedelta = timedelta(days=DEFAULT_CLICK_DAYS)
    open: timedelta = timedelta(days=DEFAULT_OPEN_DAYS)


def attribution_windows() -> Windows:
    settings = plugin_settings()
    return Windows(
        click=timedelta(days=settings.attribution_click_days),
        open=timedelta(days=settings.attribution_open_days),
    )
