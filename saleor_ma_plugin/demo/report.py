"""The demo's closing table: per campaign, what was sent, read, clicked and earned."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from ..messaging import MessageStatus
from ..messaging.models import Message
from ..reporting.stats import campaign_figures

COLUMNS = ("campaign", "enrolled", "sent", "opened", "clicked", "converted", "revenue")


def print_summary(days: int, outbox: Path, campaigns, now: datetime) -> None:
    campaigns = list(campaigns)
    figures = campaign_figures([campaign.pk for campaign in campaigns])
    rows = [{"campaign": campaign.name, **vars(figures[campaign.pk])} for campaign in campaigns]
    print(f"\n{days} days of shop activity, up to {now:%Y-%m-%d}:")
    print(
        f"{Message.objects.count()} messages queued, "
        f"{Message.objects.filter(status=MessageStatus.SENT).count()} sent, "
        f"{Message.objects.filter(status=MessageStatus.SUPPRESSED).count()} held back by policy, "
        f"{len(list(outbox.glob('*.eml')))} files in {outbox}\n"
    )
    widths = [max(len(COLUMNS[0]), *(len(row["campaign"]) for row in rows)), 8, 6, 7, 8, 10, 11]
    print(
        "  ".join(
            name.ljust(width) if index == 0 else name.rjust(width)
            for index, (name, width) in enumerate(zip(COLUMNS, widths, strict=True))
        )
    )
    for row in rows:
        cells = [row["campaign"].ljust(widths[0])]
        cells += [
            str(row[name]).rjust(width)
            for name, width in zip(COLUMNS[1:-1], widths[1:-1], strict=True)
        ]
        cells.append(f"{row['revenue']:.2f} EUR".rjust(widths[-1]))
        print("  ".join(cells))
    total = sum((row["revenue"] for row in rows), Decimal(0))
    print(f"\nRevenue from campaign goals: {total:.2f} EUR")
