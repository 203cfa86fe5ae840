"""A contact's own time zone, for quiet hours, local-time sends and dates."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings


def contact_zone(contact) -> ZoneInfo:
    """The contact's time zone, or the shop's when unknown or invalid."""
    for name in (getattr(contact, "timezone", ""), settings.TIME_ZONE):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")
