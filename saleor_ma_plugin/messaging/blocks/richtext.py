"""Rich text an admin writes: cleaned by ``nh3`` (ammonia, in Rust) to a small safe set.

An email client is a browser with fewer defences: no scripts, styles, forms, frames or
images in running text (images are their own block, with an https URL), links only to
https and mailto. What ammonia removes is gone: there is no "raw HTML" escape hatch.
"""

import html

import nh3

from ..links import interest_tags

TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "blockquote",
}
#: ``data-interest`` tags whoever clicks the link (``links.py``), as in template HTML.
ATTRIBUTES = {"a": {"href", "title", "data-interest"}}
URL_SCHEMES = {"https", "mailto"}


def sanitize(source: str) -> str:
    """The HTML with only the allowed tags, attributes and link schemes left."""
    return nh3.clean(
        source,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener",
        attribute_filter=_absolute_links,
    )


def _absolute_links(tag: str, attribute: str, value: str) -> str | None:
    """Relative links lead nowhere from a mailbox: only https: and mailto: stay. Of a
    link's interests only valid tags stay."""
    if attribute == "href" and not value.lower().startswith(("https:", "mailto:")):
        return None
    if attribute == "data-interest":
        return ",".join(interest_tags(html.unescape(value))) or None
    return value


def plain_text(source: str) -> str:
    """Text without any markup (feed summaries, page excerpts)."""
    return " ".join(html.unescape(nh3.clean(source, tags=set())).split())
