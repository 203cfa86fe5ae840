"""The step types of a campaign's flow: one module each, found here.

Each module defines a ``StepKind`` (see ``base``): how its configuration is validated and
described, what it does to a run, where it leads, what a dry run says of it. Flow
validation, the runner, the dry run, the API and the reference docs all ask this registry.
"""

import sys
from typing import Any

from django.db import models

from ...core.errors import FieldError
from ...core.registry import import_modules_of
from .base import Effects, PlannedOutcome, Run, StepKind, Transition

import_modules_of(sys.modules[__name__])


def step_kinds() -> list[StepKind]:
    """Every step type, in the order forms and docs list them."""
    return sorted(StepKind.registry.values(), key=lambda kind: kind.position)


def step_kind(step_type: str) -> StepKind:
    kind = StepKind.registry.get(step_type)
    if kind is None:
        raise FieldError("type", f"Unknown step type {step_type!r}.")
    return kind


#: The step types as choices (for enums and forms), in registry order.
StepType = models.TextChoices(
    "StepType", [(kind.type.upper(), (kind.type, kind.label)) for kind in step_kinds()]
)


def parse_step_config(step_type: str, config: Any, path: str = "config") -> Any:
    """Validate one step's configuration; raise FieldError naming the bad field."""
    if not isinstance(config, dict):
        raise FieldError(path, "Expected an object.")
    return step_kind(step_type).parse(config, path)


def successors(step_type: str, config: Any, next_key: str) -> list[str]:
    """Keys a step can lead to."""
    return step_kind(step_type).successors(config, next_key)


__all__ = [
    "Effects",
    "PlannedOutcome",
    "Run",
    "StepKind",
    "StepType",
    "Transition",
    "parse_step_config",
    "step_kind",
    "step_kinds",
    "successors",
]
