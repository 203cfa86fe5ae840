"""The demo's closing table: per campaign, what was sent, read, clicked and earned.

"Earned" is credited revenue (one order, at most one campaign step), printed beside the
shop's own order revenue of the same days, so the two can be held against each other.
"""

from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from ..events import EventSource, EventType
from ..events.models import Event
from ..messaging import MessageStatus
from ..messaging.models import Message
from ..reporting.stats import campaign_figures

COLUMNS = ("campaign", "enrolled", "sent", "opened", "clicked", "goals", "credited", "revenue")


def shop_revenue(since: datetime) -> dict[str, Decimal]:
    """The shop's live orders since ``since`` per currency (imported history left out)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for payload in (
        Event.objects.filter(type=EventType.ORDER_CREATED, occurred_at__gte=since)
        .exclude(source=EventSource.BACKFILL)
        .values_list("payload", flat=True)
    ):
        totals[payload.get("currency", "")] += Decimal(str(payload.get("total_gross") or 0))
    return dict(totals)


def money(revenues) -> str:
    return " + ".join(f"{total:.2f} {currency}" for currency, total in revenues) or "0.00"


def print_summary(days: int, outbox: Path, campaigns, start: datetime, now: datetime) -> None:
    campaigns = list(campaigns)
    figures = campaign_figures([campaign.pk for campaign in campaigns])
    statuses = Counter(Message.objects.values_list("status", flat=True))
    files = len(list(outbox.glob("*.eml")))
    print(f"\n{days} days of shop activity, up to {now:%Y-%m-%d}:")
    print(
        f"{sum(statuses.values())} messages queued, {statuses[MessageStatus.SENT]} sent, "
        f"{statuses[MessageStatus.SUPPRESSED]} held back by policy (consent, smart sending, "
        f"frequency cap, quiet hours), {files} emails in {outbox} (each as .eml and .html)"
    )
    waiting = statuses[MessageStatus.QUEUED]
    if waiting:
        print(f"{waiting} messages are still queued: due after the last hour of the month.")
    rows = [
        [
            campaign.name,
            *(str(getattr(figures[campaign.pk], name)) for name in COLUMNS[1:5]),
            str(figures[campaign.pk].goals_reached),
            str(figures[campaign.pk].converted),
            money(figures[campaign.pk].revenues),
        ]
        for campaign in campaigns
    ]
    widths = [max(len(name), *(len(row[i]) for row in rows)) for i, name in enumerate(COLUMNS)]
    print()
    for row in [list(COLUMNS), *rows]:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    credited: dict[str, Decimal] = defaultdict(Decimal)
    for campaign in campaigns:
        for currency, total in figures[campaign.pk].revenues:
            credited[currency] += total
    shop = shop_revenue(start)
    print(
        f"\nRevenue credited to campaigns: {money(sorted(credited.items()))} "
        f"of the shop's {money(sorted(shop.items()))} in orders "
        "(an order is credited to at most one campaign step: the last click or open "
        "before it, or the voucher it used; 'goals' counts runs that reached their goal)."
    )
