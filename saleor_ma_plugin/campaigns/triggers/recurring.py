"""``recurring``: a broadcast that goes out again on a schedule, a fresh issue each time.

    {"type": "recurring", "frequency": "monthly", "weekday": 0, "week": 1, "at_time": "09:00"}
    {"type": "recurring", "frequency": "monthly", "day": 15}
    {"type": "recurring", "frequency": "weekly", "weekday": 4, "interval": 2,
     "time_zone": "Europe/Berlin"}

"First Monday of the month at 09:00", "the 15th", "every other Friday". Occurrences are
``dateutil.rrule`` rules (counted from ``starts``, default the day the campaign was
created). The scheduled tick fires an occurrence in each contact's own time zone (or in
``time_zone`` for everyone) once its local time has passed, with the occurrence's date in
the run key: two ticks, or two workers, enrol nobody twice, and the next occurrence is a
new run. Each issue's messages resolve their content blocks when they are sent.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...core.errors import FieldError, FieldErrorCode
from ..audience import audience_contacts, gate_open, parse_audience
from ..enrolling import enroll_audience
from ..models import Enrollment
from ..timing import DEFAULT_SEND_TIME, parse_time_of_day
from .base import TriggerKind, active_campaigns
from .date import _zone

FREQUENCIES = {"weekly": WEEKLY, "monthly": MONTHLY}
#: "contact": each contact's own time zone (the shop's for contacts without one).
CONTACT_ZONE = "contact"


@dataclass(frozen=True)
class RecurringTrigger:
    frequency: str
    #: 0 = Monday ... 6 = Sunday; None with ``day``.
    weekday: int | None = None
    #: Which such weekday of the month: 1-4, or -1 for the last; 0 = every one (weekly).
    week: int = 0
    #: Day of the month (1-28, or -1 for the last day); 0 when ``weekday`` is used.
    day: int = 0
    interval: int = 1
    at_time: time = DEFAULT_SEND_TIME
    time_zone: str = CONTACT_ZONE
    starts: date | None = None

    def occurs_on(self, day: date, first: date) -> bool:
        """Whether ``day`` is an occurrence of the schedule counted from ``first``."""
        if self.day:
            rule = rrule(MONTHLY, dtstart=first, interval=self.interval, bymonthday=self.day)
        else:
            wanted = weekday(self.weekday, self.week or None)
            rule = rrule(
                FREQUENCIES[self.frequency],
                dtstart=first,
                interval=self.interval,
                byweekday=wanted,
            )
        midnight = datetime.combine(day, time.min)
        found = rule.after(midnight - timedelta(microseconds=1))
        return found is not None and found.date() == day


class RecurringTriggerKind(TriggerKind):
    type = "recurring"
    label = gettext_lazy("Recurring broadcast")
    description = gettext_lazy(
        "Send a fresh issue to the whole audience on a schedule, e.g. the first Monday of "
        "every month at 09:00 in each contact's time zone."
    )
    position = 10
    schema = {
        "type": "object",
        "properties": {
            "frequency": {"type": "string", "enum": list(FREQUENCIES)},
            "weekday": {"type": "integer", "minimum": 0, "maximum": 6, "title": "Weekday"},
            "week": {"type": "integer", "enum": [0, 1, 2, 3, 4, -1], "title": "Week of month"},
            "day": {"type": "integer", "minimum": -1, "maximum": 28, "title": "Day of month"},
            "interval": {"type": "integer", "minimum": 1, "maximum": 12},
            "at_time": {"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$"},
            "time_zone": {"type": "string", "title": "contact, or an IANA time zone"},
            "starts": {"type": "string", "format": "date"},
        },
        "required": ["frequency"],
    }

    def parse(self, data):
        frequency = data.get("frequency")
        if frequency not in FREQUENCIES:
            raise FieldError(
                "trigger.frequency", _("Use one of %(choices)s.") % {"choices": "weekly, monthly"}
            )
        day = _whole(data, "day", -1, 28)
        weekday_number = data.get("weekday")
        if day and (weekday_number is not None or frequency != "monthly"):
            raise FieldError(
                "trigger.day", _("A day of the month goes with monthly and no weekday.")
            )
        if not day and weekday_number is None:
            raise FieldError("trigger.weekday", _("Name the weekday."), FieldErrorCode.REQUIRED)
        week = _whole(data, "week", -1, 4)
        if week and frequency != "monthly":
            raise FieldError("trigger.week", _("A week of the month goes with monthly."))
        return RecurringTrigger(
            frequency=frequency,
            weekday=None if day else _whole(data, "weekday", 0, 6),
            week=week,
            day=day,
            interval=_whole(data, "interval", 1, 12, default=1),
            at_time=parse_time_of_day(data.get("at_time"), "trigger.at_time") or DEFAULT_SEND_TIME,
            time_zone=_time_zone(data.get("time_zone") or CONTACT_ZONE),
            starts=_starts(data.get("starts")),
        )

    def upgrade(self, data):
        return data

    def fire_due(self, now):
        started = 0
        for campaign in active_campaigns(self):
            with transaction.atomic():
                started += fire_recurring(campaign, self.parse(campaign.trigger), now)
        return started

    def entrants(self, campaign, config, now):
        return sum(
            contacts.count() for contacts, _ in occurrence_candidates(campaign, config, now)
        )


def _whole(data: dict, name: str, low: int, high: int, default: int = 0) -> int:
    value = data.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FieldError(
            f"trigger.{name}",
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
        )
    return value


def _time_zone(name: str) -> str:
    if name == CONTACT_ZONE:
        return name
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FieldError(
            "trigger.time_zone", _("Use contact or an IANA time zone such as Europe/Berlin.")
        ) from None
    return name


def _starts(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise FieldError("trigger.starts", _("Use YYYY-MM-DD.")) from None


def occurrence_candidates(campaign, trigger: RecurringTrigger, now: datetime):
    """(contacts, run key) per time zone where today is an occurrence and its time passed."""
    audience = audience_contacts(parse_audience(campaign.audience))
    first = trigger.starts or campaign.created_at.date()
    if trigger.time_zone == CONTACT_ZONE:
        zones = list(audience.values_list("timezone", flat=True).distinct())
    else:
        zones = [trigger.time_zone]
    for zone_name in zones:
        local = now.astimezone(_zone(zone_name))
        today = local.date()
        if local.time() < trigger.at_time or today < first or not trigger.occurs_on(today, first):
            continue
        key = f"recurring:{today.isoformat()}"
        contacts = (
            audience if trigger.time_zone != CONTACT_ZONE else audience.filter(timezone=zone_name)
        )
        # Skipped in SQL: the tick runs every minute of the occurrence day.
        done = Enrollment.objects.filter(
            campaign=campaign, contact=OuterRef("pk"), trigger_key=key
        )
        yield contacts.filter(~Exists(done)), key


def fire_recurring(campaign, trigger: RecurringTrigger, now: datetime) -> int:
    """Enrol the audience for today's occurrence, zone by zone, once its time has passed."""
    if not gate_open(campaign, parse_audience(campaign.audience)):
        return 0
    return sum(
        enroll_audience(campaign, contacts, key, now)
        for contacts, key in occurrence_candidates(campaign, trigger, now)
    )
