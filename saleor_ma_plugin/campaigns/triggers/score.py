"""``score``: the contact's lead score reached a threshold (from below)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ...core.numbers import MAX_INT
from ...events import EventType
from ..enrolling import enroll
from .base import POSITIVE, TriggerKind, positive_int
from .event import run_context


@dataclass(frozen=True)
class ScoreTrigger:
    threshold: int


class ScoreTriggerKind(TriggerKind):
    type = "score"
    label = _("Score reached")
    description = _("Start when the contact's lead score reaches a threshold.")
    position = 6
    schema = {"type": "object", "properties": {"threshold": POSITIVE}, "required": ["threshold"]}

    def parse(self, data):
        return ScoreTrigger(threshold=positive_int(data, "threshold", MAX_INT))

    def event_type(self, config):
        return EventType.SCORE_CHANGED

    def start(self, campaign, config, event, contact, now):
        before, after = event.payload.get("before", 0), event.payload.get("after", 0)
        if not before < config.threshold <= after:
            return None
        return enroll(
            campaign,
            contact,
            f"score:{config.threshold}",
            now=now,
            context=run_context(event),
            trigger_event_id=event.pk,
        )
