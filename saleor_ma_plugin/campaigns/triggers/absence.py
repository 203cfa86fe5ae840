"""``absence``: event A, then no event B with the same key within a time (abandonment).

A run starts waiting when A arrives (a newer A restarts the clock and refreshes the
content) and goes on when the time is up; a B carrying the same key (the checkout's token
on the order, say) ends it first. Without a key the contact is the key: browsing, searches.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...events.models import Event
from .. import EnrollmentStatus
from ..enrolling import enroll, run_key
from ..models import Enrollment
from ..timing import parse_duration
from .base import (
    EVENT_TYPE,
    WHERE,
    TriggerKind,
    event_filter,
    event_type_of,
    filter_passes,
)
from .event import run_context


@dataclass(frozen=True)
class AbsenceTrigger:
    event_type: str
    absent_event_type: str
    within: timedelta
    #: Payload field of A identifying the thing (e.g. checkout "token"); "" = the contact.
    key_field: str = ""
    #: Payload field of B holding the same value (e.g. order "checkout_token").
    absent_key_field: str = ""
    where: Any = None


class AbsenceTriggerKind(TriggerKind):
    type = "absence"
    label = _("Absence after event")
    description = _(
        "Start when an event is not followed by another within a time "
        "(abandoned checkout, browse or search abandonment)."
    )
    position = 2
    schema = {
        "type": "object",
        "properties": {
            "event": EVENT_TYPE,
            "absent_event": EVENT_TYPE,
            "within": {
                "type": "object",
                "properties": {
                    "days": {"type": "integer", "minimum": 0},
                    "hours": {"type": "integer", "minimum": 0},
                    "minutes": {"type": "integer", "minimum": 0},
                },
            },
            "key_field": {"type": "string"},
            "absent_key_field": {"type": "string"},
            "where": WHERE,
        },
        "required": ["event", "absent_event", "within"],
    }

    def parse(self, data):
        within = parse_duration(data.get("within") or {}, "trigger.within")
        if within <= timedelta(0):
            raise FieldError("trigger.within", "The time window must be positive.")
        return AbsenceTrigger(
            event_type=event_type_of(data),
            absent_event_type=event_type_of(data, "absent_event"),
            within=within,
            key_field=str(data.get("key_field", "")),
            absent_key_field=str(data.get("absent_key_field", data.get("key_field", ""))),
            where=event_filter(data),
        )

    def event_type(self, config):
        return config.event_type

    def start(self, campaign, config, event, contact, now):
        if not filter_passes(config.where, event, contact, now):
            return None
        return _start_or_extend(campaign, config, event, contact, now)


def _start_or_extend(campaign, trigger: AbsenceTrigger, event, contact, now):
    value = str(event.payload.get(trigger.key_field, "")) if trigger.key_field else ""
    if trigger.key_field and not value:
        return None
    # Contact-level absences (browsing) get one run per day; keyed ones one per thing.
    trigger_key = f"absence:{value}" if value else f"absence:{event.occurred_at.date()}"
    awaiting = {
        "event_type": trigger.absent_event_type,
        "key_field": trigger.absent_key_field if value else "",
        "value": value,
        "since": event.occurred_at.isoformat(),
    }
    deadline = event.occurred_at + trigger.within
    context = run_context(event)
    existing = (
        Enrollment.objects.select_for_update()
        .filter(campaign=campaign, contact=contact, trigger_key=run_key(campaign, trigger_key))
        .first()
    )
    if existing is not None:
        if existing.status == EnrollmentStatus.ACTIVE and "awaiting" in existing.context:
            # A newer A (the cart changed) restarts the clock and refreshes the content.
            existing.next_run_at = deadline
            existing.trigger_event = event
            existing.context = {**existing.context, **context, "awaiting": awaiting}
            existing.save(update_fields=["next_run_at", "trigger_event", "context"])
        return None
    return enroll(
        campaign,
        contact,
        trigger_key,
        now=now,
        start_at=deadline,
        context={**context, "awaiting": awaiting},
        trigger_event_id=event.pk,
    )


def absence_broken(awaiting: dict, event_type: str, payload: dict) -> bool:
    """Does an event of type/payload satisfy what an absence run is waiting to not see?"""
    if awaiting.get("event_type") != event_type:
        return False
    key_field = awaiting.get("key_field")
    return not key_field or str(payload.get(key_field, "")) == awaiting.get("value")


def absence_was_broken(enrollment: Enrollment, awaiting: dict) -> bool:
    """Did a B arrive while the run waited (checked when the run wakes up)?"""
    events = Event.objects.filter(type=awaiting["event_type"], occurred_at__gte=awaiting["since"])
    if awaiting.get("key_field"):
        events = events.filter(**{f"payload__{awaiting['key_field']}": awaiting["value"]})
    else:
        events = events.filter(contact_id=enrollment.contact_id)
    return any(
        absence_broken(awaiting, awaiting["event_type"], payload)
        for payload in events.values_list("payload", flat=True)[:20]
    )
