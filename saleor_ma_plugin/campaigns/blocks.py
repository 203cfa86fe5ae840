"""Content blocks in a campaign's flow: rules checked when saved, decided per contact.

The messaging layer renders blocks and cannot see rules or flows; here, a send step's
``blocks`` are parsed with their conditional blocks' rules (the one rule language, scope
CONTACT: tags, segments, attributes, lifecycle stage...), each contact's matches are
decided when the send step runs (with the rule evaluator, as branches are) and stored in
the message's context, and a flow whose voucher block has no voucher step before it is
refused: the code it would show would never exist.
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from ..core.errors import FieldError, FieldErrorCode
from ..messaging.blocks import SHOWN_KEY
from ..messaging.blocks.spec import Conditional, Voucher, flatten, parse_blocks
from ..segments.rules import Scope, Subject, evaluate, parse_condition

#: The step type that puts a voucher code into the run's context.
VOUCHER_STEP = "voucher"


def parse_step_blocks(config: dict, path: str) -> tuple:
    """A send step's ``blocks``, conditional rules included; FieldError at the bad field."""
    return parse_blocks(
        config.get("blocks"),
        f"{path}.blocks",
        lambda rule, rule_path: parse_condition(rule, rule_path, Scope.CONTACT),
    )


def shown_blocks(blocks: tuple, contact, now: datetime) -> dict:
    """The message context part naming the conditional blocks this contact matches."""
    conditionals = [block for block in blocks if isinstance(block, Conditional)]
    if not conditionals:
        return {}
    return {
        SHOWN_KEY: [
            block.position
            for block in conditionals
            if evaluate(block.rule, Subject(contact, now=now))
        ]
    }


def check_block_data(flow: Any) -> None:
    """Refuse a voucher block in a send step that no voucher step can lead to."""
    predecessors: dict[str, set[str]] = {}
    for key, step in flow.steps.items():
        for target in step.successors:
            predecessors.setdefault(target, set()).add(key)
    for key, step in flow.steps.items():
        blocks = getattr(step.config, "blocks", ())
        if step.removed or not any(isinstance(b, Voucher) for b in flatten(blocks)):
            continue
        if not any(flow.steps[k].type == VOUCHER_STEP for k in _before(key, predecessors)):
            position = next(
                i
                for i, block in enumerate(blocks)
                if isinstance(block, Voucher)
                or any(isinstance(child, Voucher) for child in getattr(block, "blocks", ()))
            )
            raise FieldError(
                f"steps.{key}.config.blocks[{position}]",
                _("A voucher block needs a voucher step before it in the flow."),
                FieldErrorCode.NOT_FOUND,
            )


def _before(key: str, predecessors: dict[str, set[str]]) -> set[str]:
    seen, pending = set(), list(predecessors.get(key, ()))
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(predecessors.get(current, ()))
    return seen
