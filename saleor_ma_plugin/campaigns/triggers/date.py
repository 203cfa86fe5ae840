"""``date``: birthdays, first-order anniversaries, a date attribute or a fixed day.

Fired by the scheduled tick in each contact's own time zone, once the send time has
passed there; the run key is the year (or the fixed date), so a tick that runs twice, or
on two workers, enrols nobody twice.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError, FieldErrorCode
from ..audience import audience_contacts, gate_open, parse_audience
from ..enrolling import enroll_audience
from ..timing import parse_time_of_day
from .base import TriggerKind, active_campaigns

SOURCES = ("birthday", "first_order_anniversary", "attribute", "fixed")


@dataclass(frozen=True)
class DateTrigger:
    source: str
    attribute: str = ""
    fixed_date: date | None = None
    at_time: time = time(9, 0)


class DateTriggerKind(TriggerKind):
    type = "date"
    label = _("Date")
    description = _(
        "Start on a date of the contact (birthday, anniversary, attribute) or a fixed day."
    )
    position = 3
    schema = {
        "type": "object",
        "properties": {
            "source": {"type": "string", "enum": list(SOURCES)},
            "attribute": {"type": "string"},
            "date": {"type": "string", "format": "date"},
            "at_time": {"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$"},
        },
        "required": ["source"],
    }

    def parse(self, data):
        source = data.get("source")
        if source not in SOURCES:
            raise FieldError("trigger.source", f"Use one of {', '.join(SOURCES)}.")
        fixed = None
        if source == "fixed":
            try:
                fixed = date.fromisoformat(str(data.get("date")))
            except ValueError:
                raise FieldError("trigger.date", "Use YYYY-MM-DD.") from None
        if source == "attribute" and not data.get("attribute"):
            raise FieldError("trigger.attribute", "Name the attribute.", FieldErrorCode.REQUIRED)
        return DateTrigger(
            source=source,
            attribute=str(data.get("attribute", "")),
            fixed_date=fixed,
            at_time=parse_time_of_day(data.get("at_time"), "trigger.at_time") or time(9, 0),
        )

    def fire_due(self, now):
        started = 0
        for campaign in active_campaigns(self):
            with transaction.atomic():
                started += fire_date_trigger(campaign, self.parse(campaign.trigger), now)
        return started

    def entrants(self, campaign, config, now):
        return sum(contacts.count() for contacts, _ in date_candidates(campaign, config, now))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _month_day(field: str, day) -> Q:
    match = Q(**{f"{field}__month": day.month, f"{field}__day": day.day})
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        match |= Q(**{f"{field}__month": 2, f"{field}__day": 29})  # leap-day people celebrate too
    return match


def date_candidates(campaign, trigger: DateTrigger, now: datetime):
    """(contacts, run key) per time zone whose date is today and whose send time has passed."""
    audience = audience_contacts(parse_audience(campaign.audience))
    for zone_name in audience.values_list("timezone", flat=True).distinct():
        local = now.astimezone(_zone(zone_name))
        if local.time() < trigger.at_time:
            continue
        today = local.date()
        contacts = audience.filter(timezone=zone_name)
        key = f"date:{today.year}"
        match trigger.source:
            case "birthday":
                contacts = contacts.filter(_month_day("birthday", today))
            case "first_order_anniversary":
                contacts = contacts.filter(
                    _month_day("first_order_at", today), first_order_at__year__lt=today.year
                )
            case "attribute":
                contacts = contacts.filter(
                    **{f"attributes__{trigger.attribute}__endswith": today.strftime("-%m-%d")}
                )
            case "fixed":
                if today != trigger.fixed_date:
                    continue
                key = f"date:{today.isoformat()}"
        yield contacts, key


def fire_date_trigger(campaign, trigger: DateTrigger, now: datetime) -> int:
    """Enrol contacts whose date is today in their own time zone, once the send time passed."""
    if not gate_open(campaign, parse_audience(campaign.audience)):
        return 0
    return sum(
        enroll_audience(campaign, contacts, key, now)
        for contacts, key in date_candidates(campaign, trigger, now)
    )
