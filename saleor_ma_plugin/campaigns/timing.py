"""When a wait ends, in the contact's own time zone."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from .steps import WaitConfig

DEFAULT_SEND_TIME = time(9, 0)


def contact_zone(contact) -> ZoneInfo:
    """The contact's time zone, or the shop's when unknown or invalid."""
    for name in (getattr(contact, "timezone", ""), settings.TIME_ZONE):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def next_local_time(
    after: datetime, at: time, weekdays: tuple[int, ...], zone: ZoneInfo
) -> datetime:
    """The first moment at or after ``after`` that is ``at`` local time on an allowed weekday."""
    local = after.astimezone(zone)
    for day_offset in range(8):
        day = local.date() + timedelta(days=day_offset)
        candidate = datetime.combine(day, at, tzinfo=zone)
        if candidate >= local and (not weekdays or day.weekday() in weekdays):
            return candidate
    raise AssertionError("a week always contains an allowed weekday")


def attribute_date(contact, attribute: str) -> date | None:
    """A date stored on the contact: ``birthday`` or ``attributes.<name>`` (ISO date)."""
    if attribute == "birthday":
        return contact.birthday
    if attribute.startswith("attributes."):
        raw = (contact.attributes or {}).get(attribute.removeprefix("attributes."))
        try:
            return date.fromisoformat(str(raw)[:10]) if raw else None
        except ValueError:
            return None
    return None


def wait_until(wait: WaitConfig, contact, now: datetime) -> datetime:
    """The end of a wait step entered at ``now``."""
    zone = contact_zone(contact)
    if wait.until_attribute:
        target = attribute_date(contact, wait.until_attribute)
        if target is None:
            return now
        if wait.until_attribute == "birthday":
            target = next_anniversary(target, now.astimezone(zone).date())
        day = target + timedelta(days=wait.offset_days)
        moment = datetime.combine(day, wait.until_time or DEFAULT_SEND_TIME, tzinfo=zone)
        return max(moment, now)
    moment = now + wait.delay
    if wait.until_time:
        moment = next_local_time(moment, wait.until_time, wait.weekdays, zone)
    return moment


def next_anniversary(original: date, today: date) -> date:
    """This year's or next year's return of a date (29 February falls on 28 February)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = original.replace(year=year)
        except ValueError:
            candidate = date(year, 2, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")
