"""A campaign's steps as a validated graph, loaded once per batch of work."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..core.errors import FieldError, FieldErrorCode
from .blocks import check_block_data
from .models import Campaign, Step
from .steps import parse_step_config, successors

#: Steps a run may take in one go before it must wait; a guard, flows are acyclic.
MAX_STEPS_PER_RUN = 64


@dataclass(frozen=True)
class FlowStep:
    key: str
    type: str
    config: Any
    next_key: str
    removed: bool

    @property
    def successors(self) -> list[str]:
        return successors(self.type, self.config, self.next_key)


@dataclass(frozen=True)
class Flow:
    campaign_id: int
    entry_key: str
    steps: dict[str, FlowStep]

    def resolve(self, key: str) -> FlowStep | None:
        """The step to run for ``key``; removed steps hand over to their successor."""
        seen = set()
        while key and key not in seen:
            seen.add(key)
            step = self.steps.get(key)
            if step is None:
                return None
            if not step.removed:
                return step
            key = (step.successors or [""])[0]
        return None


def build_flow(campaign: Campaign, steps: Iterable[Step]) -> Flow:
    """Parse and validate every step and the graph; raise FieldError on the first problem."""
    parsed: dict[str, FlowStep] = {}
    for index, step in enumerate(steps):
        path = f"steps[{index}]"
        if step.key in parsed:
            raise FieldError(f"{path}.key", f"Duplicate step key {step.key!r}.")
        parsed[step.key] = FlowStep(
            key=step.key,
            type=step.type,
            config=parse_step_config(step.type, step.config, f"{path}.config"),
            next_key=step.next_key,
            removed=step.removed_at is not None,
        )
    flow = Flow(campaign.pk, campaign.entry_step_key, parsed)
    validate_graph(flow)
    check_block_data(flow)
    return flow


def validate_graph(flow: Flow) -> None:
    live = {key: step for key, step in flow.steps.items() if not step.removed}
    if not live:
        return
    if flow.entry_key not in flow.steps:
        raise FieldError(
            "entryStepKey", "The entry step does not exist.", FieldErrorCode.NOT_FOUND
        )
    for key, step in flow.steps.items():
        for target in step.successors:
            if target not in flow.steps:
                raise FieldError(
                    f"steps.{key}", f"Leads to unknown step {target!r}.", FieldErrorCode.NOT_FOUND
                )
    _reject_cycles(flow)
    reachable = _reachable(flow, flow.entry_key)
    orphans = sorted(set(live) - reachable)
    if orphans:
        raise FieldError(
            f"steps.{orphans[0]}",
            "No path from the entry step leads here.",
            FieldErrorCode.UNREACHABLE,
        )


def _reachable(flow: Flow, start: str) -> set[str]:
    seen, pending = set(), [start]
    while pending:
        key = pending.pop()
        if key in seen or key not in flow.steps:
            continue
        seen.add(key)
        pending.extend(flow.steps[key].successors)
    return seen


def _reject_cycles(flow: Flow) -> None:
    visiting, done = set(), set()

    def visit(key: str) -> None:
        if key in done:
            return
        if key in visiting:
            raise FieldError(
                f"steps.{key}", "The flow loops back to this step.", FieldErrorCode.CYCLE
            )
        visiting.add(key)
        for target in flow.steps[key].successors:
            if target in flow.steps:
                visit(target)
        visiting.discard(key)
        done.add(key)

    for key in flow.steps:
        visit(key)


def load_flows(campaign_ids: Iterable[int]) -> dict[int, Flow]:
    """Flows of several campaigns in two queries."""
    campaigns = Campaign.objects.in_bulk(set(campaign_ids))
    steps_by_campaign: dict[int, list[Step]] = {pk: [] for pk in campaigns}
    for step in Step.objects.filter(campaign_id__in=campaigns).order_by("position", "pk"):
        steps_by_campaign[step.campaign_id].append(step)
    return {pk: build_flow(campaign, steps_by_campaign[pk]) for pk, campaign in campaigns.items()}
