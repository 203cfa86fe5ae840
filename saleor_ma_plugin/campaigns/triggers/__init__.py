"""The trigger types of campaigns: one module each, found here.

Each module defines a ``TriggerKind`` (see ``base``): how its trigger object is validated
and described, which event type starts its runs (or how the scheduled tick fires it), and
how many contacts it would enrol now. Campaign editing, event reactions, the scheduled
tick, the dry run, the API and the reference docs all ask this registry.
"""

import sys
from typing import Any

from django.db import models

from ...core.errors import FieldError
from ...core.registry import import_modules_of
from .base import TriggerKind

import_modules_of(sys.modules[__name__])


def trigger_kinds() -> list[TriggerKind]:
    """Every trigger type, in the order forms and docs list them."""
    return sorted(TriggerKind.registry.values(), key=lambda kind: kind.position)


#: The trigger types as choices (for enums and forms), in registry order.
TriggerType = models.TextChoices(
    "TriggerType", [(kind.type.upper(), (kind.type, kind.label)) for kind in trigger_kinds()]
)


def trigger_kind(data: Any) -> TriggerKind:
    """The kind of a stored or submitted trigger object; FieldError if there is none."""
    kind = TriggerKind.registry.get(data.get("type")) if isinstance(data, dict) else None
    if kind is None:
        raise FieldError("trigger.type", f"Use one of {', '.join(TriggerType.values)}.")
    return kind


def parse_trigger(data: Any) -> Any:
    """Validate a trigger configuration; raise FieldError naming the bad field."""
    return trigger_kind(data).parse(data)


def trigger_event_type(data: Any) -> str:
    """The event type that starts runs of this trigger, for the campaign's index column."""
    kind = trigger_kind(data)
    return kind.event_type(kind.parse(data))


__all__ = ["TriggerKind", "TriggerType", "parse_trigger", "trigger_event_type", "trigger_kinds"]
