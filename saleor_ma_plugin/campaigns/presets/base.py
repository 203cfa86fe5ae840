"""What a preset is, and the step builders presets share."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...events import EventType
from ..editing import CampaignSpec, StepSpec
from ..steps import StepType

ORDER_GOAL = {"event": EventType.ORDER_CREATED}
EMAIL_CONSENT = {"consent": {"channel": "email"}}


def send(
    key: str, template: str, next_key: str = "", transactional: bool = False, **config: Any
) -> StepSpec:
    return StepSpec(
        key,
        StepType.SEND,
        {"template": template, "transactional": transactional, **config},
        next_key,
    )


def wait(key: str, next_key: str, days: int = 0, hours: int = 0) -> StepSpec:
    return StepSpec(key, StepType.WAIT, {"days": days, "hours": hours}, next_key)


def voucher(key: str, next_key: str, percent: Any, valid_days: int = 14) -> StepSpec:
    config = {
        "discount_type": "percentage",
        "discount_value": str(percent),
        "valid_days": valid_days,
    }
    return StepSpec(key, StepType.VOUCHER, config, next_key)


@dataclass(frozen=True)
class Preset:
    title: str
    description: str
    defaults: dict
    build: Callable[[dict], CampaignSpec]
