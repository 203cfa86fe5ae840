"""Blocks to HTML rows and plain text, once per batch and language.

The markup is ours (``email/blocks/block.html``), rendered by the same locked-down engine
as the templates; a template shows the result with ``{% for block in blocks %}{{ block.html
}}{% endfor %}`` (and ``block.text`` in its text part), or builds its own markup from the
block's fields (``block.type``, ``block.products``, ``block.entries``, ...). The personal
voucher is rendered once with a marker where the code goes, filled in per reader.
"""

import secrets

from django.template import Context
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ...catalogue.content import PageInfo
from ...catalogue.products import ProductInfo
from ..rendering import ENGINE, html_to_text
from .spec import Button, ContentFeed, Divider, Heading, Image, Products, RichText, Voucher

TEMPLATE = "saleor_ma_plugin/email/blocks/block.html"
#: Where the reader's voucher code goes in the shared rendering (unguessable per process).
CODE_MARKER = f"zc{secrets.token_hex(5)}v"


def labels(language: str) -> dict:
    with translation.override(language):
        return {
            "view_product": _("View product"),
            "read_more": _("Read more"),
            "voucher_title": _("Your personal code"),
        }


def product_fields(info: ProductInfo) -> dict:
    return {
        "name": info.name,
        "url": info.url,
        "image_url": info.image_url,
        "price": info.price,
        "currency": info.currency,
    }


def page_entry(page: PageInfo, language: str) -> dict:
    title, summary = page.in_language(language)
    return {
        "title": title,
        "summary": summary,
        "url": page.url,
        "image_url": page.image_url,
        "published_at": page.published_at.isoformat() if page.published_at else "",
    }


def render_block(block, language: str, content=None) -> dict | None:
    """The block for readers of ``language``: its fields, ``html`` and ``text``; None when
    there is nothing to show. ``content`` is what was resolved for it (products, entries)."""
    fields = _fields(block, language, content)
    if fields is None:
        return None
    with translation.override(language):
        html = ENGINE.get_template(TEMPLATE).render(
            Context({"block": fields, "labels": labels(language)}, autoescape=True)
        )
        text = _text(fields, language)
    return {**fields, "html": mark_safe(html.strip()), "text": text}


def _fields(block, language: str, content) -> dict | None:
    match block:
        case Heading():
            return {"type": "heading", "text": block.text.get(language)}
        case RichText():
            return {"type": "text", "content": mark_safe(block.html.get(language))}
        case Image():
            return {
                "type": "image",
                "url": block.url,
                "alt": block.alt.get(language),
                "link": block.link,
            }
        case Button():
            return {"type": "button", "label": block.label.get(language), "url": block.url}
        case Divider():
            return {"type": "divider"}
        case Products():
            products = [product_fields(info) for info in content or ()]
            title = block.title.get(language)
            return {"type": "products", "title": title, "products": products} if products else None
        case ContentFeed():
            entries = [
                page_entry(item, language) if isinstance(item, PageInfo) else dict(item)
                for item in content or ()
            ][: block.limit]
            title = block.title.get(language)
            return (
                {"type": "content_feed", "title": title, "entries": entries} if entries else None
            )
        case Voucher():
            return {
                "type": "voucher",
                "title": block.title.get(language),
                "text": block.text.get(language),
                "code": CODE_MARKER,
            }
    return None


def _text(fields: dict, language: str) -> str:
    match fields["type"]:
        case "heading":
            return fields["text"]
        case "text":
            return html_to_text(str(fields["content"]))
        case "image":
            return f"{fields['alt']} ({fields['link']})" if fields["link"] else fields["alt"]
        case "button":
            return f"{fields['label']}: {fields['url']}"
        case "divider":
            return "----"
        case "products":
            lines = [fields["title"]] if fields["title"] else []
            for product in fields["products"]:
                price = floatformat(product["price"], 2)
                lines.append(
                    f"- {product['name']}" + (f" ({price} {product['currency']})" if price else "")
                )
                if product["url"]:
                    lines.append(f"  {product['url']}")
            return "\n".join(lines)
        case "content_feed":
            lines = [fields["title"]] if fields["title"] else []
            for entry in fields["entries"]:
                lines += [f"* {entry['title']}", entry["summary"], entry["url"], ""]
            return "\n".join(lines).strip()
        case "voucher":
            title = fields["title"] or labels(language)["voucher_title"]
            return "\n".join(part for part in (title, fields["text"], CODE_MARKER) if part)
    return ""


def with_code(rendered: dict, code: str) -> dict:
    """A shared voucher block with the reader's code filled in (escaped as the engine would)."""
    return {
        **rendered,
        "code": code,
        "html": mark_safe(rendered["html"].replace(CODE_MARKER, escape(code))),
        "text": rendered["text"].replace(CODE_MARKER, code),
    }
