"""The ``event_retention_days`` setting: how long processed events are kept as rows.

Older ones are removed by ``saleor_ma_plugin.retention`` and kept as daily summaries.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

#: Processed events older than this many days are removed, kept as daily summaries
#: (``saleor_ma_plugin.retention``): a year of history with a month to spare, so that
#: "this time last year" still has its events. 0 keeps every event.
DEFAULT_EVENT_RETENTION_DAYS = 400
#: Event rules with windows up to this many days only ever count stored events.
MIN_EVENT_RETENTION_DAYS = 90
MAX_EVENT_RETENTION_DAYS = 3650


def parse_event_retention(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, int]:
    """0 (keep every event) or whole days within the bounds; problems go into ``errors``."""
    raw = values.get("event_retention_days")
    raw = str(DEFAULT_EVENT_RETENTION_DAYS if raw is None or raw == "" else raw).strip()
    days = int(raw) if raw.isdigit() else -1
    if days and not MIN_EVENT_RETENTION_DAYS <= days <= MAX_EVENT_RETENTION_DAYS:
        errors["event_retention_days"] = _(
            "Enter 0 to keep every event, or a whole number of days from %(min)s to %(max)s."
        ) % {"min": MIN_EVENT_RETENTION_DAYS, "max": MAX_EVENT_RETENTION_DAYS}
        return {}
    return {"event_retention_days": days}
