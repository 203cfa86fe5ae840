"""Aggregates for many campaigns (or steps) in a few queries, for lists and reports.

Credit has one definition: an order counts for a campaign only through its attributed
conversion (last touch: one order, at most one campaign step), per currency, never
summed across currencies. A run reaching the campaign's goal is counted on its own and
earns no revenue: overlapping campaigns would otherwise each claim the same order.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from ..attribution import AttributionModel
from ..attribution.conversions import amount
from ..attribution.models import Conversion
from ..campaigns import EnrollmentStatus
from ..campaigns.models import Enrollment
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
    #: Runs that reached the campaign's goal (no revenue: see the module's docstring).
    goals_reached: int = 0
    #: Orders credited to the campaign, and their revenue per currency, largest first.
    converted: int = 0
    revenues: tuple[tuple[str, Decimal], ...] = ()

    @property
    def revenue(self) -> Decimal:
        """Credited revenue in the campaign's main currency (the one it earned most in)."""
        return self.revenues[0][1] if self.revenues else Decimal(0)


MESSAGE_COUNTS = {
    "sent": Count("pk", filter=Q(status=MessageStatus.SENT)),
    "delivered": Count("pk", filter=Q(delivered_at__isnull=False)),
    "opened": Count("pk", filter=Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)),
    "clicked": Count("pk", filter=Q(clicked_at__isnull=False)),
    "unsubscribed": Count("pk", filter=Q(unsubscribed_at__isnull=False)),
}


def credited(campaign_ids: list[int]) -> dict[int, tuple[int, tuple]]:
    """(orders credited, ((currency, revenue), ...) largest first) per campaign."""
    orders: dict = defaultdict(int)
    revenues: dict = defaultdict(list)
    for campaign_id, currency, n, total in (
        Conversion.objects.filter(campaign_id__in=campaign_ids, model=AttributionModel.LAST_TOUCH)
        .values("campaign_id", "currency")
        .annotate(n=Count("pk"), total=Sum("revenue"))
        .values_list("campaign_id", "currency", "n", "total")
    ):
        orders[campaign_id] += n
        revenues[campaign_id].append((currency, amount(total)))
    return {
        campaign_id: (orders[campaign_id], tuple(sorted(rows, key=lambda row: -row[1])))
        for campaign_id, rows in revenues.items()
    }


def campaign_figures(campaign_ids) -> dict[int, Figures]:
    """Figures per campaign: four queries however many campaigns."""
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
    goals = dict(
        Enrollment.objects.filter(campaign_id__in=ids, status=EnrollmentStatus.GOAL_REACHED)
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
    )
    credits = credited(ids)
    return {
        campaign_id: Figures(
            enrolled=enrolled.get(campaign_id, 0),
            goals_reached=goals.get(campaign_id, 0),
            converted=credits.get(campaign_id, (0, ()))[0],
            revenues=credits.get(campaign_id, (0, ()))[1],
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
