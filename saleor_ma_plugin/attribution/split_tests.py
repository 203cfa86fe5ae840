"""Deciding A/B splits with a test share once their time is up, and releasing the held runs.

A split with a ``test`` (``campaigns.split_test``) is decided by the experiments tick (and
on demand, when held runs find their time up) once ``decide_after`` has passed since the
campaign's launch (or, for triggers other than a broadcast, its first run's start). Per
variant, over the runs in the test share that took it (held-out runs excluded):

- ``opens`` / ``clicks``: runs with an opened / clicked message; the winner has the highest
  probability of the best rate (Beta(1, 1) prior, ``experiments.probability_best``);
- ``revenue``: attributed revenue (last touch, main currency) per run; the highest wins.

Ties go to the variant listed first. If no variant has any opens, clicks or revenue, the
first variant with traffic (weight > 0) wins (basis ``no_data``). The decision (winner,
metric, basis, P(best) and every figure) is stored once: the step row is locked with
``SKIP LOCKED`` while deciding, and ``ExperimentDecision`` is unique per campaign and step,
so a tick running twice or on two workers stores one decision and nobody gets two variants.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from ..campaigns import CampaignStatus, DecisionSource, EnrollmentStatus
from ..campaigns.models import Enrollment, ExperimentDecision, Step
from ..campaigns.split_test import HELD_KEY, DecisionBasis, SplitTest, SplitTestMetric
from ..campaigns.steps import StepType, parse_step_config
from ..campaigns.steps.split import SplitConfig
from ..core.errors import FieldError
from ..core.queue import Work, wake_after_commit
from ..messaging.models import Message
from .conversions import conversion_currencies
from .experiments import experiment_seed, probability_best, variant_results

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VariantFigures:
    name: str
    recipients: int
    sent: int
    opened: int
    clicked: int
    conversions: int
    revenue: Decimal

    def success(self, metric: str) -> int:
        return self.opened if metric == SplitTestMetric.OPENS else self.clicked

    def as_json(self, currency: str | None) -> dict:
        return {
            "recipients": self.recipients,
            "sent": self.sent,
            "opened": self.opened,
            "clicked": self.clicked,
            "conversions": self.conversions,
            "revenue": str(self.revenue),
            "currency": currency,
        }


@dataclass(frozen=True)
class Verdict:
    winner: str
    basis: str
    probabilities: dict[str, float]


def _engagement(campaign_id: int, step_key: str) -> dict[str, dict]:
    """Runs with an opened and with a clicked message, per variant of the split."""
    variant = KeyTextTransform(step_key, KeyTransform("variants", "enrollment__context"))
    return {
        row["variant_name"]: row
        for row in Message.objects.filter(
            campaign_id=campaign_id, enrollment__context__variants__has_key=step_key
        )
        .annotate(variant_name=variant)
        .values("variant_name")
        .annotate(
            opened=Count("enrollment_id", filter=Q(opened_at__isnull=False), distinct=True),
            clicked=Count("enrollment_id", filter=Q(clicked_at__isnull=False), distinct=True),
        )
    }


def test_figures(
    campaign_id: int, step_key: str, split: SplitConfig, currency: str | None
) -> list[VariantFigures]:
    """Each variant's figures (with traffic, in step order) for the decision."""
    engagement = _engagement(campaign_id, step_key)
    return [
        VariantFigures(
            name=result.name,
            recipients=result.recipients,
            sent=result.sent,
            opened=engagement.get(result.name, {}).get("opened", 0),
            clicked=engagement.get(result.name, {}).get("clicked", 0),
            conversions=result.conversions,
            revenue=result.revenue,
        )
        for result in variant_results(campaign_id, step_key, split, currency)
        if result.weight > 0
    ]


def verdict(figures: list[VariantFigures], metric: str, seed: int) -> Verdict:
    """The winner by the metric; the first variant when no variant has data."""
    if metric == SplitTestMetric.REVENUE:
        counts = [(f.recipients, f.conversions) for f in figures]
        scores = [f.revenue / f.recipients if f.recipients else Decimal(0) for f in figures]
        has_data = any(f.revenue > 0 for f in figures)
    else:
        counts = [(f.recipients, min(f.success(metric), f.recipients)) for f in figures]
        has_data = any(successes for _, successes in counts)
        scores = []
    chances = probability_best(counts, seed)
    probabilities = {f.name: chance for f, chance in zip(figures, chances, strict=True)}
    if not has_data:
        return Verdict(figures[0].name, DecisionBasis.NO_DATA, probabilities)
    ranking = scores or chances
    best = max(range(len(figures)), key=lambda index: (ranking[index], -index))
    return Verdict(figures[best].name, DecisionBasis.METRIC, probabilities)


def _due_steps():
    """Open split tests of running campaigns, with when each campaign's test started."""
    first_run = (
        Enrollment.objects.filter(campaign_id=OuterRef("campaign_id"))
        .values("campaign_id")
        .annotate(first=Min("started_at"))
        .values("first")
    )
    return (
        Step.objects.filter(
            type=StepType.SPLIT,
            removed_at__isnull=True,
            campaign__status__in=(CampaignStatus.ACTIVE, CampaignStatus.PAUSED),
            config__has_key="test",
        )
        .exclude(
            Exists(
                ExperimentDecision.objects.filter(
                    campaign_id=OuterRef("campaign_id"), step_key=OuterRef("key")
                )
            )
        )
        .select_related("campaign")
        .annotate(first_run=first_run)
        .order_by("campaign_id", "position", "pk")
    )


def decide_split_tests(now: datetime | None = None) -> list[ExperimentDecision]:
    """Decide every split test whose time is up; return the decisions stored now."""
    now = now or timezone.now()
    decided = []
    for step in _due_steps():
        try:
            split = parse_step_config(step.type, step.config)
        except FieldError as error:
            logger.warning("Split %s/%s is invalid: %s", step.campaign_id, step.key, error)
            continue
        test: SplitTest | None = split.test
        started = step.campaign.launched_at or step.first_run
        if test is None or started is None or started + test.decide_after > now:
            continue
        decision = _decide(step, split, test, now)
        if decision is not None:
            decided.append(decision)
    return decided


def _decide(step: Step, split: SplitConfig, test: SplitTest, now: datetime):
    with transaction.atomic():
        locked = Step.objects.select_for_update(skip_locked=True).filter(pk=step.pk)
        if locked.values_list("pk", flat=True).first() is None:
            return None  # another worker is deciding it
        currencies = conversion_currencies(step.campaign_id)
        currency = currencies[0] if currencies else None
        figures = test_figures(step.campaign_id, step.key, split, currency)
        if not figures:
            return None
        chosen = verdict(figures, test.metric, experiment_seed(step.campaign_id, step.key))
        try:
            with transaction.atomic():
                decision = ExperimentDecision.objects.create(
                    campaign_id=step.campaign_id,
                    step_key=step.key,
                    winner=chosen.winner,
                    source=DecisionSource.TEST_SHARE,
                    metric=test.metric,
                    basis=chosen.basis,
                    probabilities=chosen.probabilities,
                    results={f.name: f.as_json(currency) for f in figures},
                    decided_at=now,
                )
        except IntegrityError:
            return None  # decided in the meantime (by an admin, or a tick that ran before)
        release_held_runs(step.campaign_id, step.key, now)
    return decision


def release_held_runs(campaign_id: int, step_key: str, now: datetime) -> int:
    """Make the runs held at a decided split due now; they take the winner."""
    released = Enrollment.objects.filter(
        campaign_id=campaign_id,
        status=EnrollmentStatus.ACTIVE,
        step_key=step_key,
        **{f"context__{HELD_KEY}": step_key},
    ).update(next_run_at=now)
    if released:
        wake_after_commit(Work.RUN_ENROLLMENTS)
    return released
