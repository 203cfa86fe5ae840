"""Campaign figures over time: sends, opens, clicks, conversions and revenue per day or week.

For many campaigns at once in a fixed number of queries. Buckets are UTC days, or ISO weeks
starting on Monday, labelled with their first day; every bucket of the range is present,
empty ones with zeros.

- sent: messages by ``sent_at``;
- opened: messages by when they were first opened (or clicked, when the open went unseen),
  as the campaign figures count them;
- clicked: messages by ``clicked_at``;
- converted and revenue: orders credited to the campaign (``Conversion``, last touch), by
  when they were placed; revenue in the campaign's main currency (the one it earned most);
- goals_reached: runs that reached the goal, by ``finished_at`` (no revenue of their own).

Summed over all time, the series equal the campaign figures of ``reporting.stats``.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncDay, TruncWeek

from ..attribution import AttributionModel
from ..attribution.conversions import amount
from ..attribution.models import Conversion
from ..campaigns import EnrollmentStatus
from ..campaigns.models import Enrollment
from ..messaging.models import Message
from .stats import credited

#: More buckets than this in one request is refused (a decade of weeks, a year of days).
MAX_BUCKETS = 520


class ReportInterval(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"


@dataclass(frozen=True)
class Point:
    date: date
    sent: int = 0
    opened: int = 0
    clicked: int = 0
    converted: int = 0
    revenue: Decimal = Decimal(0)
    goals_reached: int = 0


class RangeError(ValueError):
    """A report range that is empty or too long."""


def bucket_of(moment: datetime, interval: str) -> date:
    day = moment.astimezone(UTC).date()
    if interval == ReportInterval.WEEK:
        return day - timedelta(days=day.weekday())
    return day


def buckets(start: datetime, end: datetime, interval: str) -> list[date]:
    """First days of the buckets covering [start, end)."""
    if end <= start:
        raise RangeError("The range must end after it starts.")
    step = timedelta(days=7 if interval == ReportInterval.WEEK else 1)
    first, last = bucket_of(start, interval), bucket_of(end - timedelta(microseconds=1), interval)
    count = (last - first) // step + 1
    if count > MAX_BUCKETS:
        raise RangeError(f"The range has {count} {interval}s; the limit is {MAX_BUCKETS}.")
    return [first + step * index for index in range(count)]


def _trunc(expression, interval: str):
    function = TruncWeek if interval == ReportInterval.WEEK else TruncDay
    return function(expression, tzinfo=UTC)


def _as_date(value) -> date:
    return value.astimezone(UTC).date() if isinstance(value, datetime) else value


def _message_counts(ids, start, end, interval, column, expression=None):
    """{(campaign_id, bucket): count} of messages by one of their timestamps."""
    messages = Message.objects.filter(campaign_id__in=ids)
    if expression is not None:
        messages = messages.annotate(**{column: expression})
    rows = (
        messages.filter(**{f"{column}__gte": start, f"{column}__lt": end})
        .annotate(bucket=_trunc(column, interval))
        .values("campaign_id", "bucket")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "bucket", "n")
    )
    return {(campaign_id, _as_date(bucket)): n for campaign_id, bucket, n in rows}


def _conversions(ids, start, end, interval):
    """({(campaign_id, bucket): credited orders}, {(campaign_id, bucket): revenue})."""
    main = {campaign_id: rows[0][0] for campaign_id, (_n, rows) in credited(ids).items() if rows}
    converted: dict = defaultdict(int)
    revenue: dict = defaultdict(Decimal)
    for campaign_id, bucket, currency, n, total in (
        Conversion.objects.filter(
            campaign_id__in=ids,
            model=AttributionModel.LAST_TOUCH,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .annotate(bucket=_trunc("occurred_at", interval))
        .values("campaign_id", "bucket", "currency")
        .annotate(n=Count("pk"), total=Sum("revenue"))
        .values_list("campaign_id", "bucket", "currency", "n", "total")
    ):
        key = (campaign_id, _as_date(bucket))
        converted[key] += n
        if currency == main.get(campaign_id):
            revenue[key] += amount(total)
    return converted, revenue


def _goals(ids, start, end, interval) -> dict:
    rows = (
        Enrollment.objects.filter(
            campaign_id__in=ids,
            status=EnrollmentStatus.GOAL_REACHED,
            finished_at__gte=start,
            finished_at__lt=end,
        )
        .annotate(bucket=_trunc("finished_at", interval))
        .values("campaign_id", "bucket")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "bucket", "n")
    )
    return {(campaign_id, _as_date(bucket)): n for campaign_id, bucket, n in rows}


def campaign_series(
    campaign_ids, start: datetime, end: datetime, interval: str = ReportInterval.DAY
) -> dict[int, list[Point]]:
    """Points per campaign over [start, end): seven queries however many campaigns."""
    ids = list(campaign_ids)
    days = buckets(start, end, interval)
    sent = _message_counts(ids, start, end, interval, "sent_at")
    opened = _message_counts(
        ids, start, end, interval, "first_open", Coalesce("opened_at", "clicked_at")
    )
    clicked = _message_counts(ids, start, end, interval, "clicked_at")
    converted, revenue = _conversions(ids, start, end, interval)
    goals = _goals(ids, start, end, interval)
    return {
        campaign_id: [
            Point(
                date=day,
                sent=sent.get((campaign_id, day), 0),
                opened=opened.get((campaign_id, day), 0),
                clicked=clicked.get((campaign_id, day), 0),
                converted=converted.get((campaign_id, day), 0),
                revenue=revenue.get((campaign_id, day), Decimal(0)),
                goals_reached=goals.get((campaign_id, day), 0),
            )
            for day in days
        ]
        for campaign_id in ids
    }
