"""``inactivity``: customers whose last order is N days old (win-back).

The run key is the lapse itself (the time of the last order), so each lapse enrols once
and a new order followed by a new lapse enrols again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ..audience import audience_contacts, gate_open, parse_audience
from ..enrolling import bulk_enroll
from ..models import Enrollment
from .base import POSITIVE, TriggerKind, active_campaigns, positive_int

#: How many lapsed contacts one tick enrols per campaign; the rest follow next tick.
INACTIVITY_BATCH = 10_000


@dataclass(frozen=True)
class InactivityTrigger:
    days: int


class InactivityTriggerKind(TriggerKind):
    type = "inactivity"
    label = _("Inactivity")
    description = _("Start when a customer's last order is a number of days old.")
    position = 4
    schema = {"type": "object", "properties": {"days": POSITIVE}, "required": ["days"]}

    def parse(self, data):
        return InactivityTrigger(days=positive_int(data, "days"))

    def fire_due(self, now):
        started = 0
        for campaign in active_campaigns(self):
            with transaction.atomic():
                started += fire_inactivity_trigger(campaign, self.parse(campaign.trigger), now)
        return started

    def entrants(self, campaign, config, now):
        return lapsed_candidates(campaign, config, now).count()


def lapsed_candidates(campaign, trigger: InactivityTrigger, now: datetime):
    """Customers whose last order is ``days`` old and who were not enrolled since."""
    return (
        audience_contacts(parse_audience(campaign.audience))
        .filter(last_order_at__lte=now - timedelta(days=trigger.days))
        .exclude(
            Exists(
                Enrollment.objects.filter(
                    campaign=campaign,
                    contact=OuterRef("pk"),
                    started_at__gte=OuterRef("last_order_at"),
                )
            )
        )
    )


def fire_inactivity_trigger(campaign, trigger: InactivityTrigger, now: datetime) -> int:
    if not gate_open(campaign, parse_audience(campaign.audience)):
        return 0
    lapsed = lapsed_candidates(campaign, trigger, now).values_list("pk", "last_order_at")
    return bulk_enroll(
        campaign,
        (
            (pk, f"lapse:{last_order_at:%Y%m%dT%H%M%S}")
            for pk, last_order_at in lapsed[:INACTIVITY_BATCH]
        ),
        now,
    )
