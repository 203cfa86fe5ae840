"""Typed, validated configuration of each step type, and of a whole flow graph."""

from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from ..messaging import MessageChannel
from ..vouchers import DiscountType
from . import StepType
from .conditions import Condition, parse_condition
from .errors import FlowError, FlowErrorCode


@dataclass(frozen=True)
class SendConfig:
    channel: str
    template: str
    topic: str = ""
    transactional: bool = False


@dataclass(frozen=True)
class WaitConfig:
    delay: timedelta = timedelta(0)
    #: Then wait on until this local time of day (contact's time zone), if set.
    until_time: time | None = None
    #: Allowed weekdays for ``until_time`` (0 = Monday); empty = every day.
    weekdays: tuple[int, ...] = ()
    #: Or: until a date on the contact ("birthday", "attributes.renewal_date"), plus days.
    until_attribute: str = ""
    offset_days: int = 0


@dataclass(frozen=True)
class BranchConfig:
    condition: Condition
    then_key: str
    else_key: str


@dataclass(frozen=True)
class SplitVariant:
    name: str
    weight: int
    next_key: str


@dataclass(frozen=True)
class SplitConfig:
    variants: tuple[SplitVariant, ...]


@dataclass(frozen=True)
class VoucherConfig:
    discount_type: str
    discount_value: Decimal
    channel: str
    valid_days: int = 14


@dataclass(frozen=True)
class UpdateContactConfig:
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    set_attributes: tuple[tuple[str, Any], ...] = ()
    score_delta: int = 0
    unsubscribe_topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class MoveConfig:
    campaign_id: int


@dataclass(frozen=True)
class NoConfig:
    pass


def parse_duration(config: dict, path: str) -> timedelta:
    try:
        return timedelta(
            days=int(config.get("days", 0)),
            hours=int(config.get("hours", 0)),
            minutes=int(config.get("minutes", 0)),
        )
    except (TypeError, ValueError):
        raise FlowError(path, "days, hours and minutes must be whole numbers.") from None


def parse_time_of_day(value: Any, path: str) -> time | None:
    if not value:
        return None
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise FlowError(path, "Use HH:MM.") from None


def _required(config: dict, name: str, path: str) -> Any:
    if config.get(name) in (None, ""):
        raise FlowError(f"{path}.{name}", "This field is required.", FlowErrorCode.REQUIRED)
    return config[name]


def parse_step_config(step_type: str, config: dict, path: str = "config") -> Any:
    """Validate one step's configuration; raise FlowError naming the bad field."""
    if not isinstance(config, dict):
        raise FlowError(path, "Expected an object.")
    match step_type:
        case StepType.SEND:
            channel = config.get("channel", MessageChannel.EMAIL)
            if channel not in MessageChannel.values:
                raise FlowError(
                    f"{path}.channel", f"Use one of {', '.join(MessageChannel.values)}."
                )
            return SendConfig(
                channel=channel,
                template=str(_required(config, "template", path)),
                topic=str(config.get("topic", "")),
                transactional=bool(config.get("transactional", False)),
            )
        case StepType.WAIT:
            wait = WaitConfig(
                delay=parse_duration(config, path),
                until_time=parse_time_of_day(config.get("until_time"), f"{path}.until_time"),
                weekdays=tuple(int(day) for day in config.get("weekdays", [])),
                until_attribute=str(config.get("until_attribute", "")),
                offset_days=int(config.get("offset_days", 0)),
            )
            if any(day not in range(7) for day in wait.weekdays):
                raise FlowError(f"{path}.weekdays", "Weekdays are 0 (Monday) to 6 (Sunday).")
            if wait.delay < timedelta(0):
                raise FlowError(path, "A wait cannot be negative.")
            return wait
        case StepType.BRANCH:
            return BranchConfig(
                condition=parse_condition(config.get("condition"), f"{path}.condition"),
                then_key=str(_required(config, "then", path)),
                else_key=str(_required(config, "else", path)),
            )
        case StepType.SPLIT:
            raw = config.get("variants")
            if not isinstance(raw, list) or len(raw) < 2:
                raise FlowError(f"{path}.variants", "A split needs at least two variants.")
            variants = tuple(
                SplitVariant(
                    name=str(_required(item, "name", f"{path}.variants[{i}]")),
                    weight=int(item.get("weight", 1)),
                    next_key=str(_required(item, "next", f"{path}.variants[{i}]")),
                )
                for i, item in enumerate(raw)
            )
            if any(variant.weight < 0 for variant in variants) or not sum(
                v.weight for v in variants
            ):
                raise FlowError(
                    f"{path}.variants", "Weights must be non-negative and not all zero."
                )
            if len({variant.name for variant in variants}) != len(variants):
                raise FlowError(f"{path}.variants", "Variant names must be unique.")
            from ..attribution.experiments import parse_winner_rule

            parse_winner_rule(config, path)  # refuse a bad automatic-winner rule on save
            return SplitConfig(variants)
        case StepType.VOUCHER:
            discount_type = config.get("discount_type", DiscountType.PERCENTAGE)
            if discount_type not in DiscountType.values:
                raise FlowError(
                    f"{path}.discount_type", f"Use one of {', '.join(DiscountType.values)}."
                )
            try:
                value = Decimal(str(config.get("discount_value", "0")))
            except InvalidOperation:
                raise FlowError(f"{path}.discount_value", "Enter a number.") from None
            if value <= 0 and discount_type != DiscountType.FREE_SHIPPING:
                raise FlowError(f"{path}.discount_value", "The discount must be positive.")
            if discount_type == DiscountType.PERCENTAGE and value > 100:
                raise FlowError(f"{path}.discount_value", "A percentage cannot exceed 100.")
            return VoucherConfig(
                discount_type=discount_type,
                discount_value=value,
                channel=str(config.get("channel", "")),
                valid_days=int(config.get("valid_days", 14)),
            )
        case StepType.UPDATE_CONTACT:
            return UpdateContactConfig(
                add_tags=tuple(config.get("add_tags", [])),
                remove_tags=tuple(config.get("remove_tags", [])),
                set_attributes=tuple(sorted(config.get("set_attributes", {}).items())),
                score_delta=int(config.get("score_delta", 0)),
                unsubscribe_topics=tuple(config.get("unsubscribe_topics", [])),
            )
        case StepType.WEBHOOK:
            url = str(_required(config, "url", path))
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
                raise FlowError(f"{path}.url", "Enter an absolute http(s) URL.")
            return WebhookConfig(url=url, extra=tuple(sorted(config.get("payload", {}).items())))
        case StepType.MOVE:
            try:
                return MoveConfig(campaign_id=int(_required(config, "campaign", path)))
            except (TypeError, ValueError):
                raise FlowError(f"{path}.campaign", "Enter a campaign id.") from None
        case StepType.GOAL | StepType.EXIT:
            return NoConfig()
    raise FlowError("type", f"Unknown step type {step_type!r}.")


def successors(step_type: str, config: Any, next_key: str) -> list[str]:
    """Keys a step can lead to."""
    if isinstance(config, BranchConfig):
        return [config.then_key, config.else_key]
    if isinstance(config, SplitConfig):
        return [variant.next_key for variant in config.variants]
    if step_type in (StepType.GOAL, StepType.EXIT, StepType.MOVE):
        return []
    return [next_key] if next_key else []
