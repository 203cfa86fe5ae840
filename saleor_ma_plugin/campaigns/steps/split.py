"""``split``: an A/B test; each run takes a weighted variant, until a winner is decided.

A split may name a ``winner`` rule: ``{"min_recipients": 200, "probability": 0.9}``
(``{}`` or ``true`` takes these defaults). The experiments tick stores a decision once
the data are clear (``attribution.experiments``); from then on every run takes the winner.
Or it names a ``test`` share (``campaigns.split_test``): the variants go to that share of
the runs first, the others wait for the winner, decided after a set time.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...core.numbers import whole_number
from ..models import ExperimentDecision
from ..split_test import HELD_KEY, SplitTest, hold, parse_split_test
from ..split_test import SCHEMA as TEST_SCHEMA
from .base import PlannedOutcome, StepKind, Transition, object_schema, required

DEFAULT_MIN_RECIPIENTS = 200
DEFAULT_PROBABILITY = 0.9


@dataclass(frozen=True)
class SplitVariant:
    name: str
    weight: int
    next_key: str


@dataclass(frozen=True)
class WinnerRule:
    min_recipients: int = DEFAULT_MIN_RECIPIENTS
    probability: float = DEFAULT_PROBABILITY


@dataclass(frozen=True)
class SplitConfig:
    variants: tuple[SplitVariant, ...]
    winner: WinnerRule | None = None
    test: SplitTest | None = None


def parse_winner_rule(config: dict, path: str = "config") -> WinnerRule | None:
    """The split step's ``winner`` rule, None without one; FieldError naming a bad field."""
    raw = config.get("winner") if isinstance(config, dict) else None
    if raw is None or raw is False:
        return None
    if raw is True:
        raw = {}
    if not isinstance(raw, dict):
        raise FieldError(f"{path}.winner", "Expected an object.")
    unknown = set(raw) - {"min_recipients", "probability"}
    if unknown:
        raise FieldError(f"{path}.winner.{sorted(unknown)[0]}", "Unknown winner setting.")
    minimum = raw.get("min_recipients", DEFAULT_MIN_RECIPIENTS)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise FieldError(f"{path}.winner.min_recipients", "Enter a whole number of at least 1.")
    probability = raw.get("probability", DEFAULT_PROBABILITY)
    if (
        isinstance(probability, bool)
        or not isinstance(probability, int | float)
        or not 0.5 <= probability < 1
    ):
        raise FieldError(
            f"{path}.winner.probability", "Enter a probability of at least 0.5 and below 1."
        )
    return WinnerRule(min_recipients=minimum, probability=float(probability))


def choose_variant(enrollment_id: int, step_key: str, variants) -> SplitVariant:
    """Deterministic weighted choice: a retried batch picks the same variant again."""
    total = sum(variant.weight for variant in variants)
    digest = hashlib.sha256(f"{enrollment_id}:{step_key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % total
    for variant in variants:
        if point < variant.weight:
            return variant
        point -= variant.weight
    raise AssertionError("weights cover every point")


def decided_variant(campaign_id: int, step_key: str, variants) -> SplitVariant | None:
    """The variant every run now takes, or None while the experiment runs.

    A winner that is no longer one of the step's variants (the step was edited) is ignored.
    """
    winner = (
        ExperimentDecision.objects.filter(campaign_id=campaign_id, step_key=step_key)
        .values_list("winner", flat=True)
        .first()
    )
    if winner is None:
        return None
    return next((variant for variant in variants if variant.name == winner), None)


class SplitStep(StepKind):
    type = "split"
    label = _("A/B split")
    description = _("Send runs down weighted variants; optionally pick a winner automatically.")
    position = 4
    schema = object_schema(
        {
            "variants": {
                "type": "array",
                "minItems": 2,
                "items": object_schema(
                    {
                        "name": {"type": "string", "minLength": 1},
                        "weight": {"type": "integer", "minimum": 0},
                        "next": {"type": "string"},
                    },
                    ("name", "next"),
                ),
            },
            "winner": {
                "type": ["object", "boolean"],
                "properties": {
                    "min_recipients": {"type": "integer", "minimum": 1},
                    "probability": {"type": "number", "minimum": 0.5, "exclusiveMaximum": 1},
                },
            },
            "test": TEST_SCHEMA,
        },
        ("variants",),
    )

    def parse(self, config, path):
        raw = config.get("variants")
        if not isinstance(raw, list) or len(raw) < 2:
            raise FieldError(f"{path}.variants", "A split needs at least two variants.")
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                raise FieldError(f"{path}.variants[{i}]", "Expected an object.")
        variants = tuple(
            SplitVariant(
                name=str(required(item, "name", f"{path}.variants[{i}]")),
                weight=whole_number(
                    item.get("weight", 1),
                    f"{path}.variants[{i}].weight",
                    minimum=-1_000_000,
                    maximum=1_000_000,
                ),
                next_key=str(required(item, "next", f"{path}.variants[{i}]")),
            )
            for i, item in enumerate(raw)
        )
        if any(variant.weight < 0 for variant in variants) or not sum(
            variant.weight for variant in variants
        ):
            raise FieldError(f"{path}.variants", "Weights must be non-negative and not all zero.")
        if len({variant.name for variant in variants}) != len(variants):
            raise FieldError(f"{path}.variants", "Variant names must be unique.")
        return SplitConfig(
            variants, parse_winner_rule(config, path), parse_split_test(config, path)
        )

    def successors(self, config, next_key):
        return [variant.next_key for variant in config.variants]

    def execute(self, step, run):
        variants = step.config.variants
        # Once an experiment has a winner, the rest of the traffic goes to it.
        variant = decided_variant(run.campaign.pk, step.key, variants)
        if variant is None and step.config.test is not None:
            until = hold(step, run)
            if until is not None:
                return Transition(wait_until=until)
        variant = variant or choose_variant(run.enrollment.pk, step.key, variants)
        run.enrollment.context.pop(HELD_KEY, None)
        run.enrollment.context.setdefault("variants", {})[step.key] = variant.name
        run.enrollment.context["variant"] = variant.name
        return Transition(next_key=variant.next_key)

    def plan(self, step, contact, moment, context):
        variant = choose_variant(contact.pk, step.key, step.config.variants)
        if step.config.test is not None:
            return PlannedOutcome(
                f"variant {variant.name}, or the winner if outside the test share",
                variant.next_key,
            )
        return PlannedOutcome(f"variant {variant.name}", variant.next_key)
