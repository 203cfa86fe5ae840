"""``segment_entry``: a contact entered a segment (found by the segment's refresh).

A refresh announces its newcomers (``segments.signals.contacts_entered``) inside its
transaction; ``enrol_entrants`` enrols them here, in the same transaction, so an entry
starts its runs exactly once. The scheduled tick refreshes the segments these campaigns
watch, and what those segments test.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ...core.numbers import MAX_ID
from ...core.queue import Work, wake_after_commit
from ...segments.membership import refresh_with_dependencies
from ...segments.models import SegmentMembership
from ...segments.rules import referenced_segments
from ...segments.signals import contacts_entered, usage_requested
from .. import CampaignStatus, ReentryPolicy
from ..audience import audience_contacts, gate_open, parse_audience
from ..enrolling import enroll_audience
from ..models import Campaign, Enrollment
from .base import POSITIVE, TriggerKind, active_campaigns, positive_int


@dataclass(frozen=True)
class SegmentEntryTrigger:
    segment_id: int


class SegmentEntryTriggerKind(TriggerKind):
    type = "segment_entry"
    label = _("Segment entry")
    description = _("Start when a contact enters a segment.")
    position = 9
    schema = {"type": "object", "properties": {"segment": POSITIVE}, "required": ["segment"]}

    def parse(self, data):
        return SegmentEntryTrigger(segment_id=positive_int(data, "segment", MAX_ID))

    def fire_due(self, now):
        wanted = {self.parse(campaign.trigger).segment_id for campaign in active_campaigns(self)}
        return refresh_with_dependencies(wanted, now) if wanted else 0


def entry_key(segment_id: int, entered_at: datetime) -> str:
    """The trigger key of one entry into a segment (a later re-entry gets another)."""
    return f"segment:{segment_id}:{entered_at:%Y%m%d%H%M%S}"


def entry_campaigns(segment_id: int) -> list[Campaign]:
    """Active campaigns whose trigger is entering this segment, highest priority first."""
    kind = TriggerKind.registry[SegmentEntryTriggerKind.type]
    return [
        campaign
        for campaign in active_campaigns(kind)
        if kind.parse(campaign.trigger).segment_id == segment_id
    ]


def enrol_entrants(segment_id: int, entered_at: datetime, now: datetime, **_signal) -> int:
    """Enrol the contacts who entered at ``entered_at`` into segment-entry campaigns.

    The campaign's audience, its "at least N contacts" gate and its re-entry policy apply;
    the candidates are one query per campaign.
    """
    started = 0
    key = entry_key(segment_id, entered_at)
    for campaign in entry_campaigns(segment_id):
        audience = parse_audience(campaign.audience)
        if not gate_open(campaign, audience):
            continue
        entrants = audience_contacts(audience).filter(
            Exists(
                SegmentMembership.objects.filter(
                    segment_id=segment_id, contact=OuterRef("pk"), entered_at=entered_at
                )
            )
        )
        if campaign.reentry_policy == ReentryPolicy.ONCE_PER_PERIOD:
            since = now - timedelta(days=campaign.reentry_period_days)
            entrants = entrants.exclude(
                Exists(
                    Enrollment.objects.filter(
                        campaign=campaign, contact=OuterRef("pk"), started_at__gte=since
                    )
                )
            )
        started += enroll_audience(campaign, entrants, key, now)
    if started:
        wake_after_commit(Work.RUN_ENROLLMENTS)
    return started


def campaigns_using_segment(segment_id: int, **_signal) -> list[str]:
    """Names of the campaigns (not archived) whose trigger or audience test the segment."""
    names = []
    for campaign in Campaign.objects.exclude(status=CampaignStatus.ARCHIVED).order_by("name"):
        try:
            audience = parse_audience(campaign.audience)
            watched = campaign.trigger.get("type") == SegmentEntryTriggerKind.type and (
                TriggerKind.registry[SegmentEntryTriggerKind.type].parse(campaign.trigger)
            )
        except ValueError:
            continue
        if segment_id in referenced_segments(audience) or (
            watched and watched.segment_id == segment_id
        ):
            names.append(f"campaign {campaign.name!r}")
    return names


def connect() -> None:
    """Let segment refreshes enrol, and segment deletion ask (called as the app starts)."""
    contacts_entered.connect(enrol_entrants, dispatch_uid="saleor_ma_plugin.segment_entry")
    usage_requested.connect(campaigns_using_segment, dispatch_uid="saleor_ma_plugin.segment_usage")
