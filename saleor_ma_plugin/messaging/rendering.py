"""Rendering email templates safely, fast, and with the layout, CSS inlining and a text part.

Templates are admin-editable, so they run in a locked-down engine: no ``{% load %}``, no
``{% include %}``, ``{% extends %}`` only of our layout, a short list of filters, and a
context of plain values (no model instances, no settings). Compiled templates are cached
by source; each part's rendering has a budget of time, loop iterations and output
(``render_limits``).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import css_inline
from django.template import Context, Engine
from django.template.base import Lexer, TokenType
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode

from .render_limits import (
    LIMITS,
    RenderLimits,
    TemplateRefused,
    arm,
    start_budget,
)
from .render_limits import RenderLimitExceeded as RenderLimitExceeded  # for the API

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
LAYOUT = "saleor_ma_plugin/email/layout.html"
ALLOWED_TAGS = {
    "block",
    "endblock",
    "extends",
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "empty",
    "endfor",
    "with",
    "endwith",
    "comment",
    "endcomment",
    "spaceless",
    "endspaceless",
    "now",
    "cycle",
    "firstof",
    "verbatim",
    "endverbatim",
}
ALLOWED_FILTERS = {
    "default",
    "default_if_none",
    "date",
    "floatformat",
    "upper",
    "lower",
    "title",
    "capfirst",
    "truncatechars",
    "truncatewords",
    "linebreaksbr",
    "length",
    "first",
    "last",
    "join",
    "yesno",
    "pluralize",
    "urlencode",
}
FILTER_PATTERN = re.compile(r"\|\s*(\w+)")
BLOCKS = ("subject", "text_body", "html_body")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


ENGINE = Engine(
    dirs=[str(TEMPLATE_DIR)],
    app_dirs=False,
    libraries={},
    builtins=[
        "django.template.defaulttags",
        "django.template.defaultfilters",
        # Last, so its floatformat and join replace Django's.
        "saleor_ma_plugin.messaging.render_limits",
    ],
    string_if_invalid="",
    autoescape=True,
)


def validate_source(source: str) -> None:
    """Refuse tags, filters and extends targets outside the allowed set."""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name, *arguments = token.split_contents()
            if name not in ALLOWED_TAGS:
                raise TemplateRefused(
                    f"The tag {{% {name} %}} is not allowed (line {token.lineno})."
                )
            if name == "extends" and arguments != [f'"{LAYOUT}"']:
                raise TemplateRefused(f'Templates may only extend "{LAYOUT}".')
            contents = token.contents
        elif token.token_type == TokenType.VAR:
            contents = token.contents
        else:
            continue
        for filter_name in FILTER_PATTERN.findall(contents):
            if filter_name not in ALLOWED_FILTERS:
                raise TemplateRefused(
                    f"The filter |{filter_name} is not allowed (line {token.lineno})."
                )


@lru_cache(maxsize=512)
def compile_source(source: str):
    """Validate and compile once; the cache key is the source text itself."""
    validate_source(source)
    return arm(ENGINE.from_string(source))


def _block_chain(template, context: Context) -> list[dict]:
    """Block nodes of a template and each template it extends, child first; cached per template.

    Walking node trees per block per message cost more than rendering; templates are
    compiled once (``compile_source``), so their block maps are stable. The chain is kept
    on the template itself, so it leaves the cache with it (an ``id()`` may be reused).
    """
    chain = getattr(template, "block_chain", None)
    if chain is None:
        chain, current = [], template
        while True:
            chain.append(
                {node.name: node for node in current.nodelist.get_nodes_by_type(BlockNode)}
            )
            extends = current.nodelist.get_nodes_by_type(ExtendsNode)
            if not extends:
                break
            current = arm(extends[0].get_parent(context))
        template.block_chain = chain
    return chain


def _collect_blocks(template, context: Context) -> BlockContext:
    """The block context ExtendsNode builds: child blocks first, then each parent's."""
    blocks = BlockContext()
    for level in _block_chain(template, context):
        blocks.add_blocks(level)
    return blocks


def render_block(
    template, name: str, data: dict, autoescape: bool, limits: RenderLimits = LIMITS
) -> str:
    """Render one block of a template, resolving the layout it extends, within ``limits``.

    Raises ``RenderLimitExceeded`` (a ``TemplateRefused``) when the part costs too much.
    """
    context = Context(data, autoescape=autoescape)
    start_budget(context, limits)
    with context.render_context.push_state(template), context.bind_template(template):
        block_context = _collect_blocks(template, context)
        context.render_context[BLOCK_CONTEXT_KEY] = block_context
        node = block_context.get_block(name)
        return node.render(context) if node is not None else ""


INLINER = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)
#: A style sheet whose rules belong on the elements. The layout's own sheet (resets and
#: responsive rules, which only work in the head) is marked ``data-css-inline="ignore"``
#: and its markup carries its styles inline, so a shipped template needs no inlining pass;
#: an admin's template with a style sheet of its own is inlined as before.
INLINABLE_STYLE = re.compile(r'<style\b(?![^>]*\bdata-css-inline="ignore")', re.IGNORECASE)


def render_email(source: str, data: dict, limits: RenderLimits = LIMITS) -> RenderedEmail:
    """Subject, text and HTML of a template; the text part is derived when not written.

    Raises ``TemplateRefused`` (``RenderLimitExceeded`` when over a render limit).
    """
    template = compile_source(source)
    return finish_email(
        render_block(template, "subject", data, autoescape=False, limits=limits),
        render_block(template, "text_body", data, autoescape=False, limits=limits),
        render_block(template, "html_body", data, autoescape=True, limits=limits),
    )


def finish_email(subject: str, text: str, html: str) -> RenderedEmail:
    """From the rendered blocks to the email: one-line subject, inlined CSS, a text part."""
    html = html.strip()
    if html and INLINABLE_STYLE.search(html):
        html = INLINER.inline(html)
    text = text.strip()
    if not text and html:
        text = html_to_text(html)
    return RenderedEmail(subject=" ".join(subject.split()), text=_tidy(text), html=html)


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextExtractor(HTMLParser):
    BLOCK_TAGS = {"p", "div", "tr", "h1", "h2", "h3", "h4", "li", "table", "br", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.href = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head", "title"):
            self.skip += 1
        elif tag in self.BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head", "title"):
            self.skip = max(self.skip - 1, 0)
        elif tag == "a" and self.href.startswith("http"):
            self.parts.append(f" ({self.href})")
            self.href = ""
        elif tag in self.BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """A readable plain-text version of an HTML email, links kept as URLs."""
    extractor = _TextExtractor()
    extractor.feed(html)
    return _tidy("".join(extractor.parts))
