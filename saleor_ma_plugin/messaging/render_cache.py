"""Rendering a batch's messages once per distinct shared content.

A newsletter to ten thousand readers is one text with different names and unsubscribe
links: rendering the template for each reader is most of the cost of sending it. Before
a template is used this way, its node tree (and its layout's) is checked: a personal value
(the reader's name, address and personal links) that the template only prints, or only
tests for being set, is rendered once as a placeholder and filled in per message, escaped
exactly as the template engine would have escaped it. A personal value used in any other
way (a filter, a comparison, a loop) is rendered for real and becomes part of the cache
key, so the result is always the text the template engine would have produced.
"""

import re
import secrets
from enum import IntEnum
from functools import lru_cache
from html import escape  # Django's, without its lazy-string wrapper: the values are str

from django.template import Context, Node, NodeList
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaulttags import IfNode, TemplateLiteral
from django.template.loader_tags import ExtendsNode
from django.template.smartif import TokenBase

from .links import Link, TrackingFormat, link_plan, track_html
from .rendering import (
    ENGINE,
    INLINABLE_STYLE,
    RenderedEmail,
    compile_source,
    finish_email,
    render_block,
)

#: Context values that differ from reader to reader of the same content.
PERSONAL_PATHS = (
    ("contact", "first_name"),
    ("contact", "last_name"),
    ("contact", "email"),
    ("links", "unsubscribe_url"),
    ("links", "preferences_url"),
)
PERSONAL_ROOTS = {root for root, _ in PERSONAL_PATHS}
DICT_ATTRIBUTES = set(dir(dict))
#: Operators whose operands a template only tests for truth.
TRUTH_OPERATORS = {"and", "or", "not"}
_NONCE = secrets.token_hex(5)
MARKER = f"zq{_NONCE}p"
PLACEHOLDER = re.compile(f"{MARKER}[0-9]+x")


class Use(IntEnum):
    """How a template uses a personal value; a larger value needs more of the real value."""

    PRINTED = 0  # only ``{{ value }}``: a placeholder, filled in per message
    TESTED = 1  # also ``{% if value %}``: whether it is set is part of the key
    COMPUTED = 2  # anything else: the value itself is part of the key


def placeholder(index: int) -> str:
    return f"{MARKER}{index}x"


#: Each personal path's placeholder, written once.
PLACEHOLDERS = tuple(placeholder(index) for index in range(len(PERSONAL_PATHS)))


@lru_cache(maxsize=512)
def personal_uses(source: str) -> tuple[Use, ...]:
    """How the template (and the layout it extends) uses each of PERSONAL_PATHS."""
    uses = [Use.PRINTED] * len(PERSONAL_PATHS)
    template = compile_source(source)
    seen: set[int] = set()
    while template is not None:
        _walk(template.nodelist, uses, seen)
        extends = template.nodelist.get_nodes_by_type(ExtendsNode)
        template = (
            ENGINE.get_template(extends[0].parent_name.resolve(Context())) if extends else None
        )
    return tuple(uses)


def _walk(item, uses: list[Use], seen: set[int], truth: bool = False) -> None:
    if id(item) in seen:
        return
    seen.add(id(item))
    if isinstance(item, VariableNode):
        _expression(item.filter_expression, uses, Use.PRINTED)
    elif isinstance(item, TemplateLiteral):
        _expression(item.value, uses, Use.TESTED if truth else Use.COMPUTED)
    elif isinstance(item, FilterExpression):
        _expression(item, uses, Use.COMPUTED)
    elif isinstance(item, IfNode):
        for condition, nodelist in item.conditions_nodelists:
            _walk(condition, uses, seen, truth=True)
            _walk(nodelist, uses, seen)
    elif isinstance(item, TokenBase):  # an operator of an {% if %} condition
        operands_truth = getattr(item, "id", None) in TRUTH_OPERATORS
        for operand in (getattr(item, "first", None), getattr(item, "second", None)):
            if operand is not None:
                _walk(operand, uses, seen, truth=operands_truth)
    elif isinstance(item, (list, tuple, NodeList)):
        for element in item:
            _walk(element, uses, seen)
    elif isinstance(item, dict):
        for element in item.values():
            _walk(element, uses, seen)
    elif isinstance(item, Node):
        for name, value in vars(item).items():
            if name not in ("token", "origin"):
                _walk(value, uses, seen)


def _expression(expression: FilterExpression, uses: list[Use], bare_use: Use) -> None:
    variables = [(expression.var, not expression.filters)]
    for _, arguments in expression.filters:
        variables += [(argument, False) for is_variable, argument in arguments if is_variable]
    for variable, bare in variables:
        if not isinstance(variable, Variable) or not variable.lookups:
            continue
        lookups = tuple(variable.lookups)
        # The whole dict, or a method of it (links.items), shows every value in it.
        whole = len(lookups) == 1 or lookups[1] in DICT_ATTRIBUTES
        for index, path in enumerate(PERSONAL_PATHS):
            if lookups == path:
                use = bare_use if bare else Use.COMPUTED
            elif lookups[: len(path)] == path or (whole and lookups[0] == path[0]):
                use = Use.COMPUTED  # a part of the name, or the dict that holds it
            else:
                continue
            uses[index] = max(uses[index], use)


class ReaderCopy(dict):
    """A reader's own copy of a dict the batch shares (a recommended product): a template
    that changes it changes no other reader's, and while it is unchanged the renderer
    writes the original out once per batch instead of each copy. (Templates cannot reach
    names that start with an underscore.)"""

    __slots__ = ("_changed", "_original")

    def __init__(self, original: dict) -> None:
        super().__init__(original)
        self._original, self._changed = original, False

    def __setitem__(self, key, value) -> None:
        self._changed = True
        super().__setitem__(key, value)

    def __delitem__(self, key) -> None:
        self._changed = True
        super().__delitem__(key)

    def __ior__(self, other):
        self._changed = True
        return super().__ior__(other)

    def clear(self) -> None:
        self._changed = True
        super().clear()

    def pop(self, *args):
        self._changed = True
        return super().pop(*args)

    def popitem(self):
        self._changed = True
        return super().popitem()

    def setdefault(self, *args):
        self._changed = True
        return super().setdefault(*args)

    def update(self, *args, **kwargs) -> None:
        self._changed = True
        super().update(*args, **kwargs)

    def __reduce__(self):  # a copy of the copy is a plain dict
        return dict, (dict(self),)


class BatchRenderer:
    """Renders messages of one delivery batch, sharing work between readers of one text."""

    def __init__(self) -> None:
        self.rendered: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        #: The tracked HTML's format per shared text; None where it cannot be shared.
        self.formats: dict[tuple[str, str, str], TrackingFormat | None] = {}
        #: Subject and text part tidied, before the reader's values, per shared text.
        self.tidy: dict[tuple[str, str, str], RenderedEmail] = {}
        #: id -> (object, repr) of the dicts readers share (a step's content blocks): held,
        #: so an id is never reused while it is a key here.
        self.shared_reprs: dict[int, tuple[object, str]] = {}

    def render(self, source: str, data: dict) -> RenderedEmail:
        """The message as the template engine renders it for ``data``."""
        _, (subject, text, html), filled = self._blocks(source, data)
        return finish_email(
            _fill(subject, filled), _fill(text, filled), _fill(html, filled, html=True)
        )

    def render_tracked(
        self, source: str, data: dict, message_id: int, untracked: set[str]
    ) -> RenderedEmail:
        """The email with its links tracked: ``track_html`` of ``render``, made faster."""
        key, (subject, text, html), filled = self._blocks(source, data)
        if key not in self.formats:
            plan = _plan_of(html)
            self.formats[key] = None if plan is None else TrackingFormat(plan, PLACEHOLDER)
        tracking = self.formats[key]
        if tracking is None:  # inlined per reader, or a link carries a personal value
            rendered = self.render(source, data)
            tracked = track_html(rendered.html, message_id, untracked) if rendered.html else ""
            return RenderedEmail(rendered.subject, rendered.text, tracked)
        finished = self._finished(key, subject, text, html, filled)
        tracked = ""
        if tracking:  # empty for an empty HTML block
            values = {marker: escape(value) for marker, value in filled}
            tracked = tracking.apply(message_id, untracked, values)
        return RenderedEmail(finished.subject, finished.text, tracked)

    def _finished(self, key, subject: str, text: str, html: str, filled) -> RenderedEmail:
        """Subject and text part made one-line and tidy: once per shared text when tidying
        cannot tell the reader's values from the placeholders (no line break, no run of
        white space, none at either end: tidying and filling in then commute)."""
        if all(" ".join(value.split()) == value for _, value in filled) and text.strip():
            tidy = self.tidy.get(key)
            if tidy is None:
                tidy = self.tidy[key] = finish_email(subject, text, "")
            return RenderedEmail(_fill(tidy.subject, filled), _fill(tidy.text, filled), "")
        subject, text = _fill(subject, filled), _fill(text, filled)
        # A text part that was not written is derived from the untracked HTML.
        untracked_html = "" if text.strip() else _fill(html, filled, html=True)
        return finish_email(subject, text, untracked_html)

    def _blocks(self, source: str, data: dict):
        uses = personal_uses(source)
        shared = {**data, **{root: dict(data[root]) for root in PERSONAL_ROOTS if root in data}}
        filled: list[tuple[str, str]] = []
        key_parts: list = []
        for (root, name), use, marker in zip(PERSONAL_PATHS, uses, PLACEHOLDERS, strict=True):
            value = shared.get(root, {}).get(name)
            if use == Use.COMPUTED or not value:
                key_parts.append(value if use == Use.COMPUTED else bool(value))
                continue
            key_parts.append(True)
            shared[root][name] = marker
            filled.append((marker, str(value)))
        # repr tells 1 from "1" and Decimal("1.0") from Decimal("1.00"); contexts of one
        # batch are built by the same code, so equal content gives equal text.
        key = (source, repr(key_parts), self._content_key(shared))
        blocks = self.rendered.get(key)
        if blocks is None:
            blocks = self.rendered[key] = _render_blocks(source, shared)
        return key, blocks, filled

    def _content_key(self, shared: dict) -> tuple:
        """``repr(shared)`` in parts, each dict in a list (a content block, a product card)
        written out once per batch: a newsletter's blocks are the same objects for every
        reader, and writing them out again was most of a message's key."""
        return tuple(
            (name, tuple(self._repr_of(item) for item in value))
            if isinstance(value, list)
            else (name, repr(value))
            for name, value in shared.items()
        )

    def _repr_of(self, item) -> str:
        if not isinstance(item, dict):
            return repr(item)
        if type(item) is ReaderCopy and not item._changed:
            item = item._original  # equal, in the same order: the same text
        known = self.shared_reprs.get(id(item))
        if known is not None and known[0] is item:
            return known[1]
        text = repr(item)
        self.shared_reprs[id(item)] = (item, text)
        return text


def _fill(text: str, filled: list[tuple[str, str]], html: bool = False) -> str:
    if MARKER not in text:
        return text
    for marker, value in filled:
        text = text.replace(marker, escape(value) if html else value)
    return text


def _plan_of(html: str):
    """The link plan of a rendered HTML block; None where it cannot be shared."""
    html = html.strip()
    if not html:
        return ()
    if INLINABLE_STYLE.search(html) or MARKER in html[:64] + html[-64:]:
        return None  # inlining, or stripping, would depend on the reader's values
    plan = link_plan(html)
    if any(isinstance(piece, Link) and MARKER in piece.url for piece in plan):
        return None
    return plan


def _render_blocks(source: str, data: dict) -> tuple[str, str, str]:
    template = compile_source(source)
    return (
        render_block(template, "subject", data, autoescape=False),
        render_block(template, "text_body", data, autoescape=False),
        render_block(template, "html_body", data, autoescape=True),
    )
