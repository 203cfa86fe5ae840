"""Dates and local times a run waits for, in the contact's own time zone."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..core.errors import FieldError
from ..core.numbers import MAX_DAYS

DEFAULT_SEND_TIME = time(9, 0)


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


def parse_duration(config: dict, path: str) -> timedelta:
    try:
        duration = timedelta(
            days=int(config.get("days", 0)),
            hours=int(config.get("hours", 0)),
            minutes=int(config.get("minutes", 0)),
        )
    except (TypeError, ValueError):
        raise FieldError(path, "days, hours and minutes must be whole numbers.") from None
    except OverflowError:
        duration = timedelta.max
    if abs(duration) > timedelta(days=MAX_DAYS):
        raise FieldError(path, f"Use at most {MAX_DAYS} days.")
    return duration


def parse_time_of_day(value: Any, path: str) -> time | None:
    if not value:
        return None
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise FieldError(path, "Use HH:MM.") from None
