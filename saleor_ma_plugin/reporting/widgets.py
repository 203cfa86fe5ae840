"""Figures the Dashboard's widgets show: an order's attribution, automation revenue.

Last-touch conversions only (one per order): they are what the campaign reports add up.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDay

from ..attribution import AttributionModel
from ..attribution.conversions import amount
from ..attribution.models import Conversion
from ..campaigns.models import Campaign, Step
from ..contacts.models import Contact

#: Campaigns listed on the revenue widget, by revenue.
TOP_CAMPAIGNS = 5


@dataclass(frozen=True)
class MoneyTotal:
    currency: str
    amount: Decimal
    conversions: int


@dataclass(frozen=True)
class RevenuePoint:
    date: date
    currency: str
    amount: Decimal
    conversions: int


@dataclass(frozen=True)
class CampaignTotals:
    campaign: Campaign
    totals: tuple[MoneyTotal, ...]


@dataclass(frozen=True)
class AutomationRevenue:
    start: datetime
    end: datetime
    totals: tuple[MoneyTotal, ...]
    series: tuple[RevenuePoint, ...]
    campaigns: tuple[CampaignTotals, ...]


@dataclass(frozen=True)
class OrderAttribution:
    conversion: Conversion
    step: Step | None


def _last_touch():
    return Conversion.objects.filter(model=AttributionModel.LAST_TOUCH)


def _totals(rows) -> tuple[MoneyTotal, ...]:
    """Rows with currency, total and n as money totals, largest first."""
    totals = [MoneyTotal(row["currency"], amount(row["total"]), row["n"]) for row in rows]
    return tuple(sorted(totals, key=lambda total: (-total.amount, total.currency)))


def order_attribution(order_id: str) -> OrderAttribution | None:
    """The campaign step credited with an order, or None when no campaign earned it."""
    conversion = _last_touch().select_related("campaign").filter(order_id=order_id).first()
    if conversion is None:
        return None
    step = Step.objects.filter(campaign_id=conversion.campaign_id, key=conversion.step_key).first()
    return OrderAttribution(conversion, step)


def contact_of_customer(user_id: str) -> Contact | None:
    """The contact linked to a shop customer (Saleor user id), if there is one."""
    return Contact.objects.filter(saleor_user_id=user_id).first()


def campaign_totals(campaign_ids) -> dict[int, tuple[MoneyTotal, ...]]:
    """Attributed revenue per currency of each campaign, all time: one query."""
    rows: dict[int, list[dict]] = {campaign_id: [] for campaign_id in campaign_ids}
    for row in (
        _last_touch()
        .filter(campaign_id__in=list(rows))
        .values("campaign_id", "currency")
        .annotate(total=Sum("revenue"), n=Count("pk"))
    ):
        rows[row["campaign_id"]].append(row)
    return {campaign_id: _totals(found) for campaign_id, found in rows.items()}


def automation_revenue(start: datetime, end: datetime) -> AutomationRevenue:
    """Revenue every campaign earned in [start, end): per currency, per day, top campaigns."""
    window = _last_touch().filter(occurred_at__gte=start, occurred_at__lt=end)
    totals = _totals(window.values("currency").annotate(total=Sum("revenue"), n=Count("pk")))
    series = tuple(
        RevenuePoint(row["day"].date(), row["currency"], amount(row["total"]), row["n"])
        for row in window.annotate(day=TruncDay("occurred_at"))
        .values("day", "currency")
        .annotate(total=Sum("revenue"), n=Count("pk"))
        .order_by("day", "currency")
    )
    by_campaign: dict[int, list[dict]] = {}
    for row in window.values("campaign_id", "currency").annotate(
        total=Sum("revenue"), n=Count("pk")
    ):
        by_campaign.setdefault(row["campaign_id"], []).append(row)
    ranked = sorted(
        by_campaign.items(),
        key=lambda item: (-max(row["total"] for row in item[1]), item[0]),
    )[:TOP_CAMPAIGNS]
    campaigns = Campaign.objects.in_bulk([campaign_id for campaign_id, _ in ranked])
    return AutomationRevenue(
        start=start,
        end=end,
        totals=totals,
        series=series,
        campaigns=tuple(
            CampaignTotals(campaigns[campaign_id], _totals(rows)) for campaign_id, rows in ranked
        ),
    )
