"""``branch``: one of two ways, by a condition of the rule language."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ...segments.rules import Scope, Subject, evaluate, parse_condition, upgrade_condition
from .base import RULE, PlannedOutcome, StepKind, Transition, object_schema, required


@dataclass(frozen=True)
class BranchConfig:
    condition: Any
    then_key: str
    else_key: str


class BranchStep(StepKind):
    type = "branch"
    label = _("Branch")
    description = _("Go one way if a condition holds for the contact, another way if not.")
    position = 3
    schema = object_schema(
        {"condition": RULE, "then": {"type": "string"}, "else": {"type": "string"}},
        ("then", "else"),
    )

    def parse(self, config, path):
        return BranchConfig(
            condition=parse_condition(config.get("condition"), f"{path}.condition", Scope.RUN),
            then_key=str(required(config, "then", path)),
            else_key=str(required(config, "else", path)),
        )

    def upgrade(self, config):
        if "condition" not in config:
            return config
        return {**config, "condition": upgrade_condition(config["condition"])}

    def successors(self, config, next_key):
        return [config.then_key, config.else_key]

    def execute(self, step, run):
        taken = evaluate(step.config.condition, run.subject())
        run.enrollment.context.setdefault("branches", {})[step.key] = taken
        return Transition(next_key=step.config.then_key if taken else step.config.else_key)

    def plan(self, step, contact, moment, context):
        taken = evaluate(step.config.condition, Subject(contact, {}, context, moment))
        return PlannedOutcome(
            "condition true" if taken else "condition false",
            step.config.then_key if taken else step.config.else_key,
        )
