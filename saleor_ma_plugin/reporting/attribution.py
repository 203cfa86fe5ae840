"""Attributed revenue per campaign step, over time, and the uplift against a holdout.

The step table reads like the seed's example: the mailing earned 5,000, the first
follow-up another 300, the upsell 500, ... with the running total in the last column.
Revenue is summed in one currency (by default the one most of the campaign's conversions
are in); ``currencies`` lists every currency that occurs, most frequent first.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from heapq import heapify, heappop, heappush

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncWeek

from ..attribution import AttributionModel, Touch
from ..attribution.conversions import PLACES, amount, conversion_currencies
from ..attribution.models import Conversion
from ..campaigns.models import Campaign, Enrollment, Step
from ..campaigns.steps import StepType, parse_step_config, successors
from ..core.errors import FieldError
from .stats import step_figures
from .timeline import ReportInterval, buckets

#: Two-sided 95 % normal quantile.
Z_95 = 1.959963984540054
#: Step types that can earn an order (a message, or the code of a voucher).
EARNING_STEPS = (StepType.SEND, StepType.VOUCHER)
#: Amounts are reported with the model's three decimals, whichever database summed them.
ZERO = Decimal("0.000")


@dataclass(frozen=True)
class StepRow:
    key: str
    type: str
    name: str
    removed: bool
    sent: int = 0
    opened: int = 0
    clicked: int = 0
    conversions: int = 0
    revenue: Decimal = ZERO
    cumulative_revenue: Decimal = ZERO


@dataclass(frozen=True)
class Totals:
    sent: int = 0
    opened: int = 0
    clicked: int = 0
    conversions: int = 0
    revenue: Decimal = ZERO
    by_touch: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Uplift:
    """Treated against held-out runs; rates per run, revenue per run in one currency."""

    treated_contacts: int
    holdout_contacts: int
    treated_conversions: int
    holdout_conversions: int
    holdout_share: int = 0
    treated_rate: float | None = None
    holdout_rate: float | None = None
    #: treated_rate - holdout_rate, with its 95 % interval (normal approximation).
    uplift: float | None = None
    low: float | None = None
    high: float | None = None
    relative_uplift: float | None = None
    revenue_per_contact_treated: Decimal | None = None
    revenue_per_contact_holdout: Decimal | None = None
    revenue_uplift: Decimal | None = None
    revenue_low: Decimal | None = None
    revenue_high: Decimal | None = None


@dataclass(frozen=True)
class AttributionReport:
    campaign: Campaign
    currency: str | None
    currencies: list[str]
    steps: list[StepRow]
    total: Totals
    uplift: Uplift | None


@dataclass(frozen=True)
class Point:
    date: date
    conversions: int = 0
    revenue: Decimal = ZERO


def flow_order(steps: list[Step]) -> list[Step]:
    """Steps (given in position order) so that each comes after every step leading to it.

    Among steps whose predecessors are all placed, the lowest position goes first, so a
    linear flow reads from the entry onwards, and a removed step (nothing leads to it any
    more, it still leads on) appears where it was, before its former successor.
    """
    by_key = {step.key: step for step in steps}
    rank = {step.key: index for index, step in enumerate(steps)}
    edges: dict[str, list[str]] = {}
    for step in steps:
        try:
            config = parse_step_config(step.type, step.config)
        except FieldError:
            config = None
        targets = successors(step.type, config, step.next_key)
        edges[step.key] = list(dict.fromkeys(key for key in targets if key in by_key))
    incoming: Counter = Counter(target for targets in edges.values() for target in targets)
    ready = [(rank[key], key) for key in by_key if not incoming[key]]
    heapify(ready)
    ordered: list[Step] = []
    while len(ordered) < len(steps):
        if not ready:  # a cycle, which validation forbids: go on at the lowest position
            key = min((key for key in by_key if incoming[key] > 0), key=rank.__getitem__)
            incoming[key] = 0
            heappush(ready, (rank[key], key))
        _, key = heappop(ready)
        ordered.append(by_key[key])
        for target in edges[key]:
            incoming[target] -= 1
            if incoming[target] == 0:
                heappush(ready, (rank[target], target))
    return ordered


def step_rows(campaign: Campaign, currency: str | None) -> list[StepRow]:
    steps = list(Step.objects.filter(campaign=campaign).order_by("position", "pk"))
    messages = step_figures(campaign.pk)
    conversions = {
        row["step_key"]: row
        for row in Conversion.objects.filter(
            campaign=campaign, model=AttributionModel.LAST_TOUCH, currency=currency or ""
        )
        .values("step_key")
        .annotate(n=Count("pk"), revenue=Sum("revenue"))
    }
    rows, running = [], ZERO
    for step in flow_order(steps):
        has_data = step.key in messages or step.key in conversions
        if not has_data and (step.type not in EARNING_STEPS or step.removed_at is not None):
            continue
        figures = messages.get(step.key)
        earned = conversions.get(step.key, {})
        revenue = amount(earned.get("revenue"))
        running += revenue
        rows.append(
            StepRow(
                key=step.key,
                type=step.type,
                name=step.name,
                removed=step.removed_at is not None,
                sent=figures.sent if figures else 0,
                opened=figures.opened if figures else 0,
                clicked=figures.clicked if figures else 0,
                conversions=earned.get("n", 0),
                revenue=revenue,
                cumulative_revenue=running,
            )
        )
    return rows


def campaign_attribution(campaign: Campaign, currency: str | None = None) -> AttributionReport:
    """The step table, its totals and the holdout uplift of one campaign."""
    currencies = conversion_currencies(campaign.pk)
    currency = currency or (currencies[0] if currencies else None)
    rows = step_rows(campaign, currency)
    touches = dict(
        Conversion.objects.filter(
            campaign=campaign, model=AttributionModel.LAST_TOUCH, currency=currency or ""
        )
        .values("touch")
        .annotate(n=Count("pk"))
        .values_list("touch", "n")
    )
    total = Totals(
        sent=sum(row.sent for row in rows),
        opened=sum(row.opened for row in rows),
        clicked=sum(row.clicked for row in rows),
        conversions=sum(row.conversions for row in rows),
        revenue=sum((row.revenue for row in rows), ZERO),
        by_touch=tuple(
            (touch, touches.get(touch, 0)) for touch in (Touch.VOUCHER, Touch.CLICK, Touch.OPEN)
        ),
    )
    return AttributionReport(
        campaign=campaign,
        currency=currency,
        currencies=currencies,
        steps=rows,
        total=total,
        uplift=holdout_uplift(campaign, currency),
    )


def attributed_totals(campaign_ids) -> dict[int, tuple[str | None, int, Decimal]]:
    """(currency, conversions, revenue) per campaign in its main currency: two queries."""
    ids = list(campaign_ids)
    counts: dict[int, Counter] = defaultdict(Counter)
    for campaign_id, currency, n in (
        Conversion.objects.filter(campaign_id__in=ids, model=AttributionModel.LAST_TOUCH)
        .values("campaign_id", "currency")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "currency", "n")
    ):
        counts[campaign_id][currency] = n
    main = {
        campaign_id: min(counter, key=lambda currency: (-counter[currency], currency))
        for campaign_id, counter in counts.items()
    }
    revenue = dict(
        Conversion.objects.filter(
            Q(campaign_id__in=ids, model=AttributionModel.LAST_TOUCH),
            Q(
                *[Q(campaign_id=key, currency=value) for key, value in main.items()],
                _connector=Q.OR,
            )
            if main
            else Q(pk__in=[]),
        )
        .values("campaign_id")
        .annotate(total=Sum("revenue"))
        .values_list("campaign_id", "total")
    )
    return {
        campaign_id: (
            main.get(campaign_id),
            counts[campaign_id][main[campaign_id]] if campaign_id in main else 0,
            amount(revenue.get(campaign_id)),
        )
        for campaign_id in ids
    }


def _trunc(interval: str):
    function = TruncWeek if interval == ReportInterval.WEEK else TruncDay
    return function("occurred_at", tzinfo=UTC)


def attribution_series(
    campaign_id: int,
    start: datetime,
    end: datetime,
    interval: str = ReportInterval.DAY,
    currency: str | None = None,
) -> list[Point]:
    """Attributed orders and revenue per day (or week) of ordering, over [start, end)."""
    days = buckets(start, end, interval)
    if currency is None:
        currencies = conversion_currencies(campaign_id)
        currency = currencies[0] if currencies else ""
    rows = {}
    for bucket, n, revenue in (
        Conversion.objects.filter(
            campaign_id=campaign_id,
            model=AttributionModel.LAST_TOUCH,
            currency=currency,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .annotate(bucket=_trunc(interval))
        .values("bucket")
        .annotate(n=Count("pk"), revenue=Sum("revenue"))
        .values_list("bucket", "n", "revenue")
    ):
        day = bucket.astimezone(UTC).date() if isinstance(bucket, datetime) else bucket
        rows[day] = Point(day, n, amount(revenue))
    return [rows.get(day, Point(day)) for day in days]


# --------------------------------------------------------------------------- holdout uplift


def _mean_and_variance(n: int, total: Decimal, squares: Decimal) -> tuple[Decimal, float]:
    mean = total / n
    variance = float(squares - n * mean * mean) / (n - 1) if n > 1 else 0.0
    return mean, max(variance, 0.0)


def holdout_uplift(campaign: Campaign, currency: str | None = None) -> Uplift | None:
    """Treated against held-out runs, None if the campaign never had a holdout.

    Units are the runs assigned to a group (a contact who re-entered counts once per run).
    A run converted if any order fell into its window (see attribution.attributing);
    revenue per contact is the mean over all runs of the group, zeros included, in
    ``currency`` (default: the most frequent one of the comparison rows).
    """
    sizes = {True: 0, False: 0}
    for held_out, n in (
        Enrollment.objects.filter(campaign=campaign, context__has_key="holdout")
        .values("context__holdout")
        .annotate(n=Count("pk"))
        .values_list("context__holdout", "n")
    ):
        sizes[bool(held_out)] += n
    if not sizes[True] and not campaign.holdout_share:
        return None
    rows = list(
        Conversion.objects.filter(
            campaign=campaign, model=AttributionModel.HOLDOUT_TEST, enrollment__isnull=False
        ).values_list("enrollment_id", "touch", "currency", "revenue")
    )
    if currency is None and rows:
        counted = Counter(row[2] for row in rows)
        currency = min(counted, key=lambda code: (-counted[code], code))
    converted: dict[bool, set] = {True: set(), False: set()}
    revenue: dict[bool, dict] = {True: defaultdict(Decimal), False: defaultdict(Decimal)}
    for enrollment_id, touch, row_currency, earned in rows:
        held_out = touch == Touch.HOLDOUT
        converted[held_out].add(enrollment_id)
        if row_currency == currency:
            revenue[held_out][enrollment_id] += earned
    figures = uplift_from(
        sizes[False],
        len(converted[False]),
        list(revenue[False].values()),
        sizes[True],
        len(converted[True]),
        list(revenue[True].values()),
    )
    return replace(figures, holdout_share=campaign.holdout_share)


def uplift_from(
    treated: int,
    treated_conversions: int,
    treated_revenues: list[Decimal],
    holdout: int,
    holdout_conversions: int,
    holdout_revenues: list[Decimal],
) -> Uplift:
    """The comparison from group sizes, converted runs and the non-zero revenues per run."""
    figures = Uplift(treated, holdout, treated_conversions, holdout_conversions)
    rates, means, variances = {}, {}, {}
    for group, n, conversions, revenues in (
        ("treated", treated, treated_conversions, treated_revenues),
        ("holdout", holdout, holdout_conversions, holdout_revenues),
    ):
        if n:
            rates[group] = conversions / n
            means[group], variances[group] = _mean_and_variance(
                n,
                sum(revenues, Decimal(0)),
                sum((value * value for value in revenues), Decimal(0)),
            )
    if not rates:
        return figures
    values: dict = {
        "treated_rate": rates.get("treated"),
        "holdout_rate": rates.get("holdout"),
        "revenue_per_contact_treated": _money(means.get("treated")),
        "revenue_per_contact_holdout": _money(means.get("holdout")),
    }
    if len(rates) == 2:
        p_t, p_h = rates["treated"], rates["holdout"]
        difference = p_t - p_h
        error = math.sqrt(p_t * (1 - p_t) / treated + p_h * (1 - p_h) / holdout)
        revenue_difference = means["treated"] - means["holdout"]
        revenue_error = math.sqrt(variances["treated"] / treated + variances["holdout"] / holdout)
        values.update(
            uplift=difference,
            low=difference - Z_95 * error,
            high=difference + Z_95 * error,
            relative_uplift=difference / p_h if p_h else None,
            revenue_uplift=_money(revenue_difference),
            revenue_low=_money(revenue_difference - Decimal(Z_95 * revenue_error)),
            revenue_high=_money(revenue_difference + Decimal(Z_95 * revenue_error)),
        )
    return replace(figures, **values)


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PLACES)
