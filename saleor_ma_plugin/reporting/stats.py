"""Aggregates for many campaigns (or steps) in a few queries, for lists and reports."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from ..campaigns import EnrollmentStatus
from ..campaigns.models import Enrollment
from ..events.models import Event
from ..messaging import MessageStatus
from ..messaging.models import Message


@dataclass(frozen=True)
class Figures:
    enrolled: int = 0
    sent: int = 0
    delivered: int = 0
    opened: int = 0
    clicked: int = 0
    unsubscribed: int = 0
    converted: int = 0
    revenue: Decimal = Decimal(0)


MESSAGE_COUNTS = {
    "sent": Count("pk", filter=Q(status=MessageStatus.SENT)),
    "delivered": Count("pk", filter=Q(delivered_at__isnull=False)),
    "opened": Count("pk", filter=Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)),
    "clicked": Count("pk", filter=Q(clicked_at__isnull=False)),
    "unsubscribed": Count("pk", filter=Q(unsubscribed_at__isnull=False)),
}


def _revenue(goal_event_ids: dict) -> dict:
    payloads = dict(
        Event.objects.filter(pk__in=set(goal_event_ids.values())).values_list("pk", "payload")
    )
    totals: dict = defaultdict(Decimal)
    for key, event_id in goal_event_ids.items():
        totals[key[0]] += Decimal(str((payloads.get(event_id) or {}).get("total_gross") or 0))
    return totals


def campaign_figures(campaign_ids) -> dict[int, Figures]:
    """Figures per campaign: three queries however many campaigns."""
    ids = list(campaign_ids)
    messages = {
        row.pop("campaign_id"): row
        for row in Message.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(**MESSAGE_COUNTS)
    }
    enrolled = dict(
        Enrollment.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    goals = {
        (campaign_id, pk): context.get("goal_event_id")
        for pk, campaign_id, context in Enrollment.objects.filter(
            campaign_id__in=ids, status=EnrollmentStatus.GOAL_REACHED
        ).values_list("pk", "campaign_id", "context")
    }
    converted: dict = defaultdict(int)
    for campaign_id, _ in goals:
        converted[campaign_id] += 1
    revenue = _revenue({key: value for key, value in goals.items() if value})
    return {
        campaign_id: Figures(
            enrolled=enrolled.get(campaign_id, 0),
            converted=converted[campaign_id],
            revenue=revenue.get(campaign_id, Decimal(0)),
            **messages.get(campaign_id, {}),
        )
        for campaign_id in ids
    }


def step_figures(campaign_id: int) -> dict[str, Figures]:
    """Message figures per send step of one campaign."""
    return {
        row.pop("step_key"): Figures(**row)
        for row in Message.objects.filter(campaign_id=campaign_id)
        .values("step_key")
        .annotate(**MESSAGE_COUNTS)
    }
