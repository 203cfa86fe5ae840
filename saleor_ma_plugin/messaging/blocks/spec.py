"""Content blocks as stored (JSON on a send step) and as parsed (frozen dataclasses).

    [{"type": "heading", "text": {"en": "Spring news", "de": "Frühlingsneuheiten"}},
     {"type": "text", "html": "<p>Fresh beans <a href='https://shop.example/x'>here</a></p>"},
     {"type": "product_feed", "source": "bestsellers", "limit": 4},
     {"type": "content_feed", "source": "rss", "url": "https://blog.example/feed", "limit": 3},
     {"type": "conditional", "rule": {"tag": "partner"}, "blocks": [...]}]

Texts are a string, or an object of language codes so each reader gets their language.
Links are https (rich text: https and mailto). Rich text is cleaned by ``nh3`` when parsed:
what is stored may be anything, what is rendered is only the tags and attributes allowed.
Every problem is a ``FieldError`` naming its path (``steps[0].config.blocks[3].url``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from ...catalogue.content import MAX_ITEMS, ProductQuery, ProductSource
from ...core.errors import FieldError, FieldErrorCode
from ...core.outbound import OutboundGuard, OutboundRefused
from . import MAX_BLOCKS, BlockType, ContentFeedSource
from .richtext import sanitize

LANGUAGE = re.compile(r"^[a-z]{2}(-[a-z0-9]{2,8})?$")
MAX_URL = 2048
MAX_TEXT = 300
MAX_RICH_TEXT = 20_000
MAX_VALUES = 50
PICK_SOURCES = (ProductSource.SKU, ProductSource.CATEGORY, ProductSource.COLLECTION)
FEED_SOURCES = (ProductSource.NEWEST, ProductSource.BESTSELLERS, ProductSource.COLLECTION)


@dataclass(frozen=True)
class Localized:
    """A text in one or more languages; ``""`` is the text for every language."""

    texts: tuple[tuple[str, str], ...] = ()

    def get(self, language: str) -> str:
        found = dict(self.texts)
        for candidate in (language, "", "en"):
            if found.get(candidate):
                return found[candidate]
        return self.texts[0][1] if self.texts else ""


@dataclass(frozen=True)
class Heading:
    type: ClassVar[str] = BlockType.HEADING
    text: Localized


@dataclass(frozen=True)
class RichText:
    type: ClassVar[str] = BlockType.TEXT
    html: Localized


@dataclass(frozen=True)
class Image:
    type: ClassVar[str] = BlockType.IMAGE
    url: str
    alt: Localized
    link: str = ""


@dataclass(frozen=True)
class Button:
    type: ClassVar[str] = BlockType.BUTTON
    label: Localized
    url: str


@dataclass(frozen=True)
class Divider:
    type: ClassVar[str] = BlockType.DIVIDER


@dataclass(frozen=True)
class Products:
    """Product picks and product feeds alike: a query, and a title over the grid."""

    type: ClassVar[str] = BlockType.PRODUCT_PICKS
    query: ProductQuery
    title: Localized


@dataclass(frozen=True)
class ContentFeed:
    type: ClassVar[str] = BlockType.CONTENT_FEED
    source: str
    page_type: str
    url: str
    limit: int
    title: Localized


@dataclass(frozen=True)
class Voucher:
    type: ClassVar[str] = BlockType.VOUCHER
    title: Localized
    text: Localized


@dataclass(frozen=True)
class Conditional:
    type: ClassVar[str] = BlockType.CONDITIONAL
    #: The rule as parsed by the caller's rule parser (the campaigns layer parses it).
    rule: Any
    blocks: tuple
    #: Its position among the top-level blocks: the key the send step stores.
    position: int


RuleParser = Callable[[Any, str], Any]


def parse_blocks(data: Any, path: str, parse_rule: RuleParser | None = None) -> tuple:
    """Validate a ``blocks`` list; raise FieldError naming the first bad field."""
    if data in (None, []):
        return ()
    if not isinstance(data, list):
        raise FieldError(path, _("Expected a list of blocks."))
    blocks = tuple(_block(item, f"{path}[{i}]", i, parse_rule) for i, item in enumerate(data))
    count = len(blocks) + sum(len(b.blocks) for b in blocks if isinstance(b, Conditional))
    if count > MAX_BLOCKS:
        raise FieldError(path, _("Use at most %(count)s blocks.") % {"count": MAX_BLOCKS})
    return blocks


def _block(item: Any, path: str, position: int, parse_rule: RuleParser | None):
    if not isinstance(item, dict):
        raise FieldError(path, _("A block is an object with a type."))
    kind = item.get("type")
    if kind == BlockType.CONDITIONAL:
        children = item.get("blocks")
        if not isinstance(children, list) or not children:
            raise FieldError(
                f"{path}.blocks", _("List the blocks to show."), FieldErrorCode.REQUIRED
            )
        rule = item.get("rule")
        if not isinstance(rule, dict) or not rule:
            raise FieldError(f"{path}.rule", _("Give the rule."), FieldErrorCode.REQUIRED)
        parsed = tuple(_simple(child, f"{path}.blocks[{i}]") for i, child in enumerate(children))
        rule = parse_rule(rule, f"{path}.rule") if parse_rule else rule
        return Conditional(rule, parsed, position)
    return _simple(item, path)


def _simple(item: Any, path: str):
    if not isinstance(item, dict):
        raise FieldError(path, _("A block is an object with a type."))
    parser = PARSERS.get(item.get("type"))
    if parser is None:
        choices = ", ".join(BlockType.values)
        raise FieldError(f"{path}.type", _("Use one of %(choices)s.") % {"choices": choices})
    return parser(item, path)


def localized(item: dict, name: str, path: str, limit: int = MAX_TEXT, required=True, clean=None):
    """A string or a {language: string} object; ``clean`` applied to each text."""
    value, path = item.get(name), f"{path}.{name}"
    if value in (None, "", {}):
        if required:
            raise FieldError(path, _("This field is required."), FieldErrorCode.REQUIRED)
        return Localized()
    texts = {"": value} if isinstance(value, str) else value
    if not isinstance(texts, dict) or not all(isinstance(t, str) for t in texts.values()):
        raise FieldError(path, _("Enter a text, or an object of texts by language code."))
    for language, text in texts.items():
        where = f"{path}.{language}" if language else path
        if language and not LANGUAGE.match(language):
            raise FieldError(where, _("Use a language code such as en or de."))
        if len(text) > limit:
            raise FieldError(where, _("Use at most %(limit)s characters.") % {"limit": limit})
    return Localized(tuple((lang, clean(text) if clean else text) for lang, text in texts.items()))


def web_url(item: dict, name: str, path: str, required: bool = True) -> str:
    """An absolute https URL (what a mail client may safely load or open)."""
    value, path = item.get(name), f"{path}.{name}"
    if value in (None, ""):
        if required:
            raise FieldError(path, _("This field is required."), FieldErrorCode.REQUIRED)
        return ""
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme != "https"
        or not parts.hostname
        or len(value) > MAX_URL
        or any(char.isspace() or ord(char) < 32 for char in value)
    ):
        raise FieldError(path, _("Enter an absolute https URL."))
    return value


def feed_url(item: dict, path: str) -> str:
    """A feed we will fetch ourselves: checked by the outbound guard (no lookup yet)."""
    value = item.get("url")
    if not isinstance(value, str) or not value:
        raise FieldError(f"{path}.url", _("This field is required."), FieldErrorCode.REQUIRED)
    try:
        feed_guard().check(value)
    except OutboundRefused as refused:
        raise FieldError(f"{path}.url", refused.message) from None
    if len(value) > MAX_URL:
        raise FieldError(f"{path}.url", _("Enter an absolute https URL."))
    return value


def feed_guard() -> OutboundGuard:
    """Public https hosts; ``SALEOR_MA_ALLOW_INTERNAL_FEEDS`` also allows internal ones."""
    internal = bool(getattr(settings, "SALEOR_MA_ALLOW_INTERNAL_FEEDS", False))
    return OutboundGuard(
        allow_internal=internal, schemes=("http", "https") if internal else ("https",)
    )


def limit_of(item: dict, path: str, default: int = 4) -> int:
    value = item.get("limit", default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ITEMS:
        raise FieldError(
            f"{path}.limit", _("Enter a whole number from 1 to %(max)s.") % {"max": MAX_ITEMS}
        )
    return value


def _values(item: dict, path: str) -> tuple[str, ...]:
    values = item.get("values")
    if (
        not isinstance(values, list)
        or not values
        or len(values) > MAX_VALUES
        or not all(isinstance(value, str) and 0 < len(value) <= 255 for value in values)
    ):
        raise FieldError(
            f"{path}.values",
            _("List 1 to %(max)s SKUs, slugs or ids.") % {"max": MAX_VALUES},
            FieldErrorCode.REQUIRED if not values else FieldErrorCode.INVALID,
        )
    return tuple(values)


def _source(item: dict, path: str, choices) -> str:
    source = item.get("source")
    if source not in choices:
        names = ", ".join(str(choice) for choice in choices)
        raise FieldError(f"{path}.source", _("Use one of %(choices)s.") % {"choices": names})
    return source


def _products(item: dict, path: str) -> Products:
    picks = item["type"] == BlockType.PRODUCT_PICKS
    source = _source(item, path, PICK_SOURCES if picks else FEED_SOURCES)
    values = ()
    if picks:
        values = _values(item, path)
    elif source == ProductSource.COLLECTION:
        values = (_text_value(item, "collection", path),)
    channel = item.get("channel", "")
    if not isinstance(channel, str) or len(channel) > 255:
        raise FieldError(f"{path}.channel", _("Enter a channel slug."))
    query = ProductQuery(source, values, limit_of(item, path), channel)
    return Products(query, localized(item, "title", path, required=False))


def _text_value(item: dict, name: str, path: str) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise FieldError(f"{path}.{name}", _("This field is required."), FieldErrorCode.REQUIRED)
    return value.strip()


def _content_feed(item: dict, path: str) -> ContentFeed:
    source = _source(item, path, ContentFeedSource.values)
    pages = source == ContentFeedSource.PAGES
    return ContentFeed(
        source=source,
        page_type=_text_value(item, "page_type", path) if pages else "",
        url="" if pages else feed_url(item, path),
        limit=limit_of(item, path, 3),
        title=localized(item, "title", path, required=False),
    )


PARSERS: dict[str, Callable[[dict, str], Any]] = {
    BlockType.HEADING: lambda item, path: Heading(localized(item, "text", path)),
    BlockType.TEXT: lambda item, path: RichText(
        localized(item, "html", path, MAX_RICH_TEXT, clean=sanitize)
    ),
    BlockType.IMAGE: lambda item, path: Image(
        web_url(item, "url", path),
        localized(item, "alt", path, required=False),
        web_url(item, "link", path, required=False),
    ),
    BlockType.BUTTON: lambda item, path: Button(
        localized(item, "label", path, 80), web_url(item, "url", path)
    ),
    BlockType.DIVIDER: lambda item, path: Divider(),
    BlockType.PRODUCT_PICKS: _products,
    BlockType.PRODUCT_FEED: _products,
    BlockType.CONTENT_FEED: _content_feed,
    BlockType.VOUCHER: lambda item, path: Voucher(
        localized(item, "title", path, required=False),
        localized(item, "text", path, required=False),
    ),
}


def flatten(blocks: tuple) -> list:
    """Every block, conditional blocks' children included."""
    return [child for block in blocks for child in getattr(block, "blocks", (block,))]
