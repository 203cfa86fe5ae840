"""``event``: a run starts for every event of a type that passes the filter."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..enrolling import enroll
from .base import EVENT_TYPE, WHERE, TriggerKind, event_filter, event_type_of, filter_passes


@dataclass(frozen=True)
class EventTrigger:
    event_type: str
    where: Any


def run_context(event) -> dict:
    """What every run started by an event remembers of it."""
    return {"trigger_event_id": event.pk, "trigger_type": event.type}


class EventTriggerKind(TriggerKind):
    type = "event"
    label = _("Event")
    description = _(
        "Start a run for every event of a type (e.g. order placed) that passes a filter."
    )
    position = 1
    schema = {
        "type": "object",
        "properties": {"event": EVENT_TYPE, "where": WHERE},
        "required": ["event"],
    }

    def parse(self, data):
        return EventTrigger(event_type_of(data), event_filter(data))

    def event_type(self, config):
        return config.event_type

    def start(self, campaign, config, event, contact, now):
        if not filter_passes(config.where, event, contact, now):
            return None
        return enroll(
            campaign,
            contact,
            event.dedupe_key,
            now=now,
            context=run_context(event),
            trigger_event_id=event.pk,
        )
