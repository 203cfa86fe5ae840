"""A/B split steps as experiments: results per variant, Bayesian winners, forced winners.

A split step opts into automatic winners with a rule in its configuration::

    {"variants": [...], "winner": {"min_recipients": 200, "probability": 0.9}}

(``"winner": {}`` or ``true`` takes these defaults). ``decide_winners`` (a beat task) then
stores a decision once every variant with traffic (weight > 0) has at least
``min_recipients`` recipients and one variant's probability to be the best is at least
``probability``; from then on every run reaching the split takes the winner. An admin may
also force a winner (``decide``), with or without a rule.

Per variant: recipients are the runs that took it (held-out runs excluded), conversions
the runs that took it and then had at least one order attributed (last touch) to the
campaign. Each variant's conversion rate has the posterior Beta(1 + conversions,
1 + recipients - conversions); the probability of being best is exact for two variants
and a seeded Monte-Carlo estimate (20,000 draws, reproducible per experiment) for more.
"""

import hashlib
import logging
import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from ..campaigns import CampaignStatus, DecisionSource
from ..campaigns.models import Campaign, Enrollment, ExperimentDecision, Step
from ..campaigns.steps import StepType, parse_step_config
from ..campaigns.steps.split import SplitConfig, WinnerRule, parse_winner_rule
from ..core.errors import FieldError, FieldErrorCode
from ..messaging import MessageStatus
from ..messaging.models import Message
from . import AttributionModel
from .conversions import amount, conversion_currencies
from .models import Conversion

logger = logging.getLogger(__name__)

MONTE_CARLO_DRAWS = 20_000


# --------------------------------------------------------------------------- statistics


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def probability_b_beats_a(a: tuple[int, int], b: tuple[int, int]) -> float:
    """P(rate B > rate A) for (recipients, conversions) pairs under Beta(1+c, 1+n-c) priors.

    Exact (Evan Miller's sum), over the smaller of the two alpha parameters.
    """
    alpha_a, beta_a = 1 + a[1], 1 + a[0] - a[1]
    alpha_b, beta_b = 1 + b[1], 1 + b[0] - b[1]
    if alpha_b > alpha_a:
        return 1.0 - probability_b_beats_a(b, a)
    total = 0.0
    log_base = _log_beta(alpha_a, beta_a)
    for i in range(alpha_b):
        total += math.exp(
            _log_beta(alpha_a + i, beta_a + beta_b)
            - math.log(beta_b + i)
            - _log_beta(1 + i, beta_b)
            - log_base
        )
    return min(max(total, 0.0), 1.0)


def probability_best(counts: list[tuple[int, int]], seed: int = 0) -> list[float]:
    """Each variant's probability of having the highest rate; (recipients, conversions)."""
    if not counts:
        return []
    if len(counts) == 1:
        return [1.0]
    if len(counts) == 2:
        second = probability_b_beats_a(counts[0], counts[1])
        return [1.0 - second, second]
    rng = random.Random(seed)
    parameters = [
        (1 + conversions, 1 + recipients - conversions) for recipients, conversions in counts
    ]
    wins = [0] * len(counts)
    for _ in range(MONTE_CARLO_DRAWS):
        draws = [rng.betavariate(alpha, beta) for alpha, beta in parameters]
        wins[max(range(len(draws)), key=draws.__getitem__)] += 1
    return [won / MONTE_CARLO_DRAWS for won in wins]


def experiment_seed(campaign_id: int, step_key: str) -> int:
    digest = hashlib.sha256(f"experiment:{campaign_id}:{step_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class VariantResult:
    name: str
    weight: int
    next_key: str
    recipients: int = 0
    sent: int = 0
    conversions: int = 0
    orders: int = 0
    revenue: Decimal = Decimal(0)
    probability_best: float | None = None

    @property
    def conversion_rate(self) -> float | None:
        return self.conversions / self.recipients if self.recipients else None


@dataclass(frozen=True)
class ExperimentResults:
    campaign: Campaign
    step_key: str
    rule: WinnerRule | None
    variants: list[VariantResult]
    currency: str | None
    decision: ExperimentDecision | None = None
    currencies: list[str] = field(default_factory=list)


def _variant_of(step_key: str, context_path: str):
    return KeyTextTransform(step_key, KeyTransform("variants", context_path))


def _not_held_out(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}context__holdout": True}) | Q(
        **{f"{prefix}context__holdout__isnull": True}
    )


def variant_results(
    campaign_id: int, step_key: str, split: SplitConfig, currency: str | None = None
) -> list[VariantResult]:
    """Recipients, sends, conversions and revenue (in ``currency``) per variant."""
    runs = Enrollment.objects.filter(campaign_id=campaign_id, context__variants__has_key=step_key)
    recipients = dict(
        runs.filter(_not_held_out())
        .annotate(variant_name=_variant_of(step_key, "context"))
        .values("variant_name")
        .annotate(n=Count("pk"))
        .values_list("variant_name", "n")
    )
    sent = dict(
        Message.objects.filter(
            campaign_id=campaign_id,
            status=MessageStatus.SENT,
            enrollment__context__variants__has_key=step_key,
        )
        .annotate(variant_name=_variant_of(step_key, "enrollment__context"))
        .filter(variant=F("variant_name"))
        .values("variant_name")
        .annotate(n=Count("pk"))
        .values_list("variant_name", "n")
    )
    conversions = {
        row["variant_name"]: row
        for row in Conversion.objects.filter(
            campaign_id=campaign_id,
            model=AttributionModel.LAST_TOUCH,
            enrollment__context__variants__has_key=step_key,
        )
        .filter(_not_held_out("enrollment__"))
        .annotate(variant_name=_variant_of(step_key, "enrollment__context"))
        .values("variant_name")
        .annotate(
            converted=Count("enrollment_id", distinct=True),
            orders=Count("pk"),
            revenue=Sum("revenue", filter=Q(currency=currency or "")),
        )
    }
    results = []
    for variant in split.variants:
        converted = conversions.get(variant.name, {})
        results.append(
            VariantResult(
                name=variant.name,
                weight=variant.weight,
                next_key=variant.next_key,
                recipients=recipients.get(variant.name, 0),
                sent=sent.get(variant.name, 0),
                conversions=converted.get("converted", 0),
                orders=converted.get("orders", 0),
                revenue=amount(converted.get("revenue")),
            )
        )
    return results


def with_probabilities(
    campaign_id: int, step_key: str, results: list[VariantResult]
) -> list[VariantResult]:
    """Results with P(best) filled in for the variants that get traffic (weight > 0)."""
    competing = [result for result in results if result.weight > 0]
    chances = probability_best(
        [(result.recipients, result.conversions) for result in competing],
        experiment_seed(campaign_id, step_key),
    )
    by_name = {result.name: chance for result, chance in zip(competing, chances, strict=True)}
    return [
        VariantResult(**{**result.__dict__, "probability_best": by_name.get(result.name)})
        for result in results
    ]


def split_step(campaign_id: int, step_key: str) -> tuple[Step, SplitConfig] | None:
    """The split step and its parsed configuration; None if there is no such step.

    Raises FieldError (field ``stepKey``) when the step is not a split.
    """
    step = Step.objects.filter(campaign_id=campaign_id, key=step_key).first()
    if step is None:
        return None
    if step.type != StepType.SPLIT:
        raise FieldError("stepKey", f"Step {step_key!r} is not an A/B split.")
    return step, parse_step_config(step.type, step.config)


def experiment_results(
    campaign: Campaign, step_key: str, currency: str | None = None
) -> ExperimentResults | None:
    """Everything about one split step's experiment; None if the step does not exist."""

    found = split_step(campaign.pk, step_key)
    if found is None:
        return None
    step, split = found
    currencies = conversion_currencies(campaign.pk)
    currency = currency or (currencies[0] if currencies else None)
    try:
        rule = parse_winner_rule(step.config)
    except FieldError:
        rule = None
    results = with_probabilities(
        campaign.pk, step_key, variant_results(campaign.pk, step_key, split, currency)
    )
    decision = ExperimentDecision.objects.filter(campaign=campaign, step_key=step_key).first()
    return ExperimentResults(campaign, step_key, rule, results, currency, decision, currencies)


# --------------------------------------------------------------------------- decisions


def _snapshot(results: list[VariantResult]) -> tuple[dict, dict]:
    probabilities = {
        result.name: result.probability_best
        for result in results
        if result.probability_best is not None
    }
    figures = {
        result.name: {"recipients": result.recipients, "conversions": result.conversions}
        for result in results
    }
    return probabilities, figures


def winner_of(results: list[VariantResult], rule: WinnerRule) -> VariantResult | None:
    """The variant the rule picks, or None while the data are not clear enough."""
    competing = [result for result in results if result.weight > 0]
    if len(competing) < 2 or any(r.recipients < rule.min_recipients for r in competing):
        return None
    best = max(competing, key=lambda result: result.probability_best or 0.0)
    return best if (best.probability_best or 0.0) >= rule.probability else None


def decide_winners(now: datetime | None = None) -> list[ExperimentDecision]:
    """Store a decision for every open experiment whose rule is met; return the new ones."""
    now = now or timezone.now()
    open_steps = (
        Step.objects.filter(
            type=StepType.SPLIT,
            removed_at__isnull=True,
            campaign__status__in=(CampaignStatus.ACTIVE, CampaignStatus.PAUSED),
            config__has_key="winner",
        )
        .exclude(
            Exists(
                ExperimentDecision.objects.filter(
                    campaign_id=OuterRef("campaign_id"), step_key=OuterRef("key")
                )
            )
        )
        .order_by("campaign_id", "position", "pk")
    )
    decided = []
    for step in open_steps:
        try:
            rule = parse_winner_rule(step.config)
            split = parse_step_config(step.type, step.config)
        except FieldError as error:
            logger.warning(
                "Split %s/%s has an invalid winner rule: %s", step.campaign_id, step.key, error
            )
            continue
        if rule is None:
            continue
        results = with_probabilities(
            step.campaign_id, step.key, variant_results(step.campaign_id, step.key, split)
        )
        winner = winner_of(results, rule)
        if winner is None:
            continue
        decision = _store(step.campaign_id, step.key, winner.name, results, now, update=False)
        if decision is not None:
            decided.append(decision)
    return decided


def decide(campaign: Campaign, step_key: str, variant_name: str) -> ExperimentDecision:
    """Force a winner (an admin's choice); replaces an earlier decision."""
    found = split_step(campaign.pk, step_key)
    if found is None:
        raise FieldError(
            "stepKey", f"No step {step_key!r} in this campaign.", FieldErrorCode.NOT_FOUND
        )
    step, split = found
    if step.removed_at is not None:
        raise FieldError("stepKey", f"Step {step_key!r} was removed.")
    names = [variant.name for variant in split.variants]
    if variant_name not in names:
        raise FieldError(
            "variant", f"Unknown variant {variant_name!r}; use one of {', '.join(names)}."
        )
    results = with_probabilities(
        campaign.pk, step_key, variant_results(campaign.pk, step_key, split)
    )
    return _store(
        campaign.pk,
        step_key,
        variant_name,
        results,
        timezone.now(),
        update=True,
        source=DecisionSource.MANUAL,
    )


def _store(
    campaign_id: int,
    step_key: str,
    winner: str,
    results: list[VariantResult],
    now: datetime,
    *,
    update: bool,
    source: str = DecisionSource.AUTOMATIC,
) -> ExperimentDecision | None:
    probabilities, figures = _snapshot(results)
    values = {
        "winner": winner,
        "source": source,
        "probabilities": probabilities,
        "results": figures,
        "decided_at": now,
    }
    if update:
        decision, _ = ExperimentDecision.objects.update_or_create(
            campaign_id=campaign_id, step_key=step_key, defaults=values
        )
        return decision
    try:
        with transaction.atomic():
            return ExperimentDecision.objects.create(
                campaign_id=campaign_id, step_key=step_key, **values
            )
    except IntegrityError:
        return None  # decided concurrently (or by an admin) in the meantime
