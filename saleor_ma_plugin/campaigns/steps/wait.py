"""``wait``: a delay, until a local time of day, or until a date on the contact."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from ...contacts.zones import contact_zone
from ...core.errors import FieldError
from ...core.numbers import MAX_DAYS, whole_number
from ..timing import (
    DEFAULT_SEND_TIME,
    attribute_date,
    next_anniversary,
    next_local_time,
    parse_duration,
    parse_time_of_day,
)
from .base import (
    DURATION_PROPERTIES,
    TIME_OF_DAY,
    PlannedOutcome,
    StepKind,
    Transition,
    object_schema,
)


@dataclass(frozen=True)
class WaitConfig:
    delay: timedelta = timedelta(0)
    #: Then wait on until this local time of day (contact's time zone), if set.
    until_time: time | None = None
    #: Allowed weekdays for ``until_time`` (0 = Monday); empty = every day.
    weekdays: tuple[int, ...] = ()
    #: Or: until a date on the contact ("birthday", "attributes.renewal_date"), plus days.
    until_attribute: str = ""
    offset_days: int = 0


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


def _weekdays(value, path: str) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise FieldError(path, "Weekdays are 0 (Monday) to 6 (Sunday).")
    return tuple(whole_number(day, path, -1, 7) for day in value)


class WaitStep(StepKind):
    type = "wait"
    label = _("Wait")
    description = _("Wait a while, until a local time of day, or until a date on the contact.")
    position = 2
    schema = object_schema(
        {
            **DURATION_PROPERTIES,
            "until_time": TIME_OF_DAY,
            "weekdays": {
                "type": "array",
                "items": {"type": "integer", "minimum": 0, "maximum": 6},
            },
            "until_attribute": {"type": "string"},
            "offset_days": {"type": "integer"},
        }
    )

    def parse(self, config, path):
        wait = WaitConfig(
            delay=parse_duration(config, path),
            until_time=parse_time_of_day(config.get("until_time"), f"{path}.until_time"),
            weekdays=_weekdays(config.get("weekdays", []), f"{path}.weekdays"),
            until_attribute=str(config.get("until_attribute", "")),
            offset_days=whole_number(
                config.get("offset_days", 0), f"{path}.offset_days", -MAX_DAYS, MAX_DAYS
            ),
        )
        if any(day not in range(7) for day in wait.weekdays):
            raise FieldError(f"{path}.weekdays", "Weekdays are 0 (Monday) to 6 (Sunday).")
        if wait.delay < timedelta(0):
            raise FieldError(path, "A wait cannot be negative.")
        return wait

    def execute(self, step, run):
        context = run.enrollment.context
        if context.pop("waiting_at", None) == step.key:
            return Transition(next_key=step.next_key)  # the wait has elapsed
        until = wait_until(step.config, run.contact, run.now)
        if until <= run.now:
            return Transition(next_key=step.next_key)
        context["waiting_at"] = step.key
        return Transition(wait_until=until)

    def plan(self, step, contact, moment, context):
        until = wait_until(step.config, contact, moment)
        return PlannedOutcome(f"wait until {until.isoformat()}", step.next_key, until)
