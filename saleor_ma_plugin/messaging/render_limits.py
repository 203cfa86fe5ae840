"""How much a template may cost: render time, loop iterations and output size, per part.

Admins write templates, and the locked-down engine still lets a loop run a million times
or a filter write megabytes (``{{ 1|floatformat:9999999 }}``). Each rendered part
(subject, text, HTML) gets a budget that is charged as the engine runs: every piece of
output (text, variables, ``now``, ``cycle``, ``firstof``, ``verbatim``) for its length,
every loop iteration once, and each charge checks the clock. Over budget the rendering
stops with ``RenderLimitExceeded``, a ``TemplateRefused`` with a sentence an admin can act
on. Django has no hook around node rendering, so a compiled template is *armed* once:
its output nodes become charged subclasses and each loop body starts with a charge.
``floatformat`` and ``join``, the two filters whose work grows with an argument, are
replaced by versions that refuse what would exceed the budget before doing it.
"""

import re
import time
from dataclasses import dataclass

from django.template import Context, Library, Node
from django.template import defaultfilters as django_filters
from django.template.base import TextNode, VariableNode
from django.template.defaulttags import CycleNode, FirstOfNode, ForNode, NowNode, VerbatimNode
from django.utils.translation import gettext_lazy as _

#: Far above any real email (Gmail clips messages at 102 KB), far below trouble.
MAX_PART_CHARS = 2_000_000
MAX_LOOP_ITERATIONS = 10_000
MAX_RENDER_SECONDS = 2.0
MAX_DECIMAL_PLACES = 30
BUDGET_ATTRIBUTE = "render_budget"

register = Library()


class TemplateRefused(ValueError):
    """A template uses something the locked-down engine does not allow."""


class RenderLimitExceeded(TemplateRefused):
    """Rendering a template would cost more time, loop iterations or output than allowed."""


@dataclass(frozen=True)
class RenderLimits:
    max_chars: int = MAX_PART_CHARS
    max_iterations: int = MAX_LOOP_ITERATIONS
    seconds: float = MAX_RENDER_SECONDS


LIMITS = RenderLimits()


class RenderBudget:
    """What one part's rendering has spent so far."""

    def __init__(self, limits: RenderLimits = LIMITS) -> None:
        self.limits = limits
        self.chars = 0
        self.iterations = 0
        self.deadline = time.monotonic() + limits.seconds

    def charge(self, chars: int = 0, iterations: int = 0) -> None:
        """Count output and loop iterations; refuse past a limit or the deadline."""
        self.chars += chars
        self.iterations += iterations
        if self.chars > self.limits.max_chars:
            raise RenderLimitExceeded(
                _("The template renders more than %(limit)s characters in one part.")
                % {"limit": f"{self.limits.max_chars:,}"}
            )
        if self.iterations > self.limits.max_iterations:
            raise RenderLimitExceeded(
                _("The template's loops run more than %(limit)s times in one part.")
                % {"limit": f"{self.limits.max_iterations:,}"}
            )
        if time.monotonic() > self.deadline:
            raise RenderLimitExceeded(
                _("The template takes more than %(seconds)s seconds to render.")
                % {"seconds": self.limits.seconds}
            )


def start_budget(context: Context, limits: RenderLimits = LIMITS) -> RenderBudget:
    """Give a context (one part's rendering) a fresh budget."""
    budget = RenderBudget(limits)
    setattr(context, BUDGET_ATTRIBUTE, budget)
    return budget


def budget_of(context: Context) -> RenderBudget:
    """The context's budget; a context rendered some other way gets the default one."""
    budget = getattr(context, BUDGET_ATTRIBUTE, None)
    return budget if budget is not None else start_budget(context)


class _Charged:
    """Output nodes charge the length of what they render."""

    def render_annotated(self, context):
        output = super().render_annotated(context)
        budget_of(context).charge(chars=len(output))
        return output


class ChargedTextNode(_Charged, TextNode):
    pass


class ChargedVariableNode(_Charged, VariableNode):
    pass


class ChargedNowNode(_Charged, NowNode):
    pass


class ChargedCycleNode(_Charged, CycleNode):
    pass


class ChargedFirstOfNode(_Charged, FirstOfNode):
    pass


class ChargedVerbatimNode(_Charged, VerbatimNode):
    pass


CHARGED = {
    TextNode: ChargedTextNode,
    VariableNode: ChargedVariableNode,
    NowNode: ChargedNowNode,
    CycleNode: ChargedCycleNode,
    FirstOfNode: ChargedFirstOfNode,
    VerbatimNode: ChargedVerbatimNode,
}


class LoopCharge(Node):
    """First node of every loop body: one iteration charged, nothing rendered."""

    child_nodelists = ()

    def render(self, context) -> str:
        budget_of(context).charge(iterations=1)
        return ""


def arm(template):
    """Make a compiled template charge its budget as it renders (once; returns it)."""
    if getattr(template, "armed", False):
        return template
    for node in template.nodelist.get_nodes_by_type(Node):
        charged = CHARGED.get(type(node))
        if charged is not None:
            node.__class__ = charged
        elif isinstance(node, ForNode):
            node.nodelist_loop.insert(0, LoopCharge())
    template.armed = True
    return template


DIGITS = re.compile(r"-?\d+")


@register.filter(is_safe=True)
def floatformat(text, arg=-1):
    """Django's ``floatformat``, refusing more decimal places than anyone prints."""
    places = DIGITS.search(str(arg))
    if places and abs(int(places.group())) > MAX_DECIMAL_PLACES:
        raise RenderLimitExceeded(
            _("floatformat takes at most %(places)s decimal places.")
            % {"places": MAX_DECIMAL_PLACES}
        )
    return django_filters.floatformat(text, arg)


@register.filter(is_safe=True, needs_autoescape=True)
def join(value, arg, autoescape=True):
    """Django's ``join``, refusing a result over the output limit before building it."""
    try:
        items = list(value)
    except TypeError:
        return value
    size = sum(len(str(item)) for item in items) + len(str(arg)) * max(len(items) - 1, 0)
    if size > MAX_PART_CHARS:
        raise RenderLimitExceeded(
            _("The template renders more than %(limit)s characters in one part.")
            % {"limit": f"{MAX_PART_CHARS:,}"}
        )
    return django_filters.join(items, arg, autoescape=autoescape)
