"""``broadcast``: the whole audience once, now (``campaignLaunch``) or at ``send_at``."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...core.queue import Work, wake_after_commit
from .. import CampaignStatus
from ..audience import audience_contacts, gate_open, parse_audience
from ..enrolling import enroll_audience
from ..models import Campaign
from .base import TriggerKind, active_campaigns


@dataclass(frozen=True)
class BroadcastTrigger:
    send_at: datetime | None = None


class BroadcastTriggerKind(TriggerKind):
    type = "broadcast"
    label = _("Manual or scheduled broadcast")
    description = _("Send to the whole audience once: when launched, or at a set time.")
    position = 7
    schema = {
        "type": "object",
        "properties": {"send_at": {"type": ["string", "null"], "format": "date-time"}},
    }

    def parse(self, data):
        send_at = data.get("send_at")
        parsed = parse_datetime(send_at) if send_at else None
        if send_at and parsed is None:
            raise FieldError("trigger.send_at", "Use an ISO 8601 date and time.")
        return BroadcastTrigger(send_at=parsed)

    def fire_due(self, now):
        started = 0
        for campaign in active_campaigns(self):
            config = self.parse(campaign.trigger)
            if config.send_at and config.send_at <= now:
                started += launch_broadcast(campaign, now)
        return started

    def entrants(self, campaign, config, now):
        if campaign.launched_at:
            return 0
        return super().entrants(campaign, config, now)


def launch_broadcast(campaign: Campaign, now: datetime | None = None) -> int:
    """Enrol the whole audience of a broadcast once; a second launch enrols nobody."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.launched_at is not None or campaign.status != CampaignStatus.ACTIVE:
            return 0
        audience = parse_audience(campaign.audience)
        if not gate_open(campaign, audience):
            return 0
        started = enroll_audience(campaign, audience_contacts(audience), "broadcast", now)
        campaign.launched_at = now
        campaign.save(update_fields=["launched_at", "updated_at"])
        if started:
            # "Send now" means now, not at the runner's next tick.
            wake_after_commit(Work.RUN_ENROLLMENTS)
    return started
