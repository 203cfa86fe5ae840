"""Shop content for content blocks: product lists and editorial pages, from the host's shop.

A newsletter shows products picked by SKU, category or collection, the newest or best
selling products, and the latest editorial pages (Saleor's Pages of one page type, such as
"blog"). The engine asks :func:`content_catalogue`; Saleor (``saleor/content.py``) and the
standalone host (here, over the catalogue tables) answer. Only products that can be bought
now are returned: a newsletter must not advertise what the storefront cannot sell.
"""

import html
from dataclasses import dataclass
from datetime import datetime

import nh3
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ..core.host import current, plugin_settings
from .models import CatalogueCollection, CataloguePage, CatalogueProduct, CatalogueVariant
from .products import ProductInfo, StandaloneCatalogue

#: No block lists more than this many products or pages.
MAX_ITEMS = 12
#: A page's summary, when it has no SEO description, is cut from its text at this length.
SUMMARY_CHARS = 280


class ProductSource(models.TextChoices):
    #: Chosen by the admin: these SKUs, in this order.
    SKU = "sku", "SKU"
    #: Best sellers of these categories (slugs or ids).
    CATEGORY = "category", "Category"
    #: A collection (slug or id), in the collection's order.
    COLLECTION = "collection", "Collection"
    NEWEST = "newest", "Newest"
    BESTSELLERS = "bestsellers", "Bestsellers"


@dataclass(frozen=True)
class ProductQuery:
    source: str
    #: SKUs, category or collection slugs; empty for newest and bestsellers.
    values: tuple[str, ...] = ()
    limit: int = 4
    #: Channel slug whose prices and publication count ("" = the shop's default).
    channel: str = ""


@dataclass(frozen=True)
class PageInfo:
    """An editorial page as a content feed shows it."""

    page_id: str
    title: str
    summary: str
    url: str
    image_url: str
    published_at: datetime | None
    #: (language, title, summary) for the languages the page is translated into.
    translations: tuple[tuple[str, str, str], ...] = ()

    def in_language(self, language: str) -> tuple[str, str]:
        """Title and summary in ``language`` where translated, else the page's own."""
        for code, title, summary in self.translations:
            if code.split("-")[0].lower() == language:
                return title or self.title, summary or self.summary
        return self.title, self.summary


class LookupKind(models.TextChoices):
    """What an admin picks products by in a product picks block."""

    #: A product variant, stored by its SKU.
    PRODUCT = "product", "Product"
    #: A category, stored by its slug.
    CATEGORY = "category", "Category"
    #: A collection, stored by its slug.
    COLLECTION = "collection", "Collection"


@dataclass(frozen=True)
class CatalogueChoice:
    """A catalogue entry an admin can pick: what a block stores, and how it is named."""

    value: str
    label: str


class ContentCatalogue:
    """What content blocks ask of the shop; hosts provide an implementation."""

    def lookup(self, kind: str, search: str, limit: int) -> list[CatalogueChoice]:
        """Variants (by SKU), categories or collections whose name contains ``search``."""
        raise NotImplementedError

    def products(self, query: ProductQuery) -> list[ProductInfo]:
        raise NotImplementedError

    def pages(self, page_type: str, limit: int) -> list[PageInfo]:
        """The latest published pages of a page type (slug), newest first."""
        raise NotImplementedError


class StandaloneContent(ContentCatalogue):
    """The standalone host's catalogue tables."""

    def lookup(self, kind: str, search: str, limit: int) -> list[CatalogueChoice]:
        search = search.strip()
        if kind == LookupKind.CATEGORY:
            found = (
                CatalogueProduct.objects.filter(category_id__icontains=search)
                .exclude(category_id="")
                .order_by("category_id")
                .values_list("category_id", flat=True)
                .distinct()[:limit]
            )
            return [CatalogueChoice(category, category) for category in found]
        if kind == LookupKind.COLLECTION:
            collections = CatalogueCollection.objects.filter(
                Q(name__icontains=search) | Q(slug__icontains=search)
            ).order_by("name", "slug")[:limit]
            return [CatalogueChoice(row.slug, row.name) for row in collections]
        matching = CatalogueProduct.objects.filter(name__icontains=search).values("product_id")
        variants = list(
            CatalogueVariant.objects.filter(
                Q(product_id__in=matching) | Q(sku__icontains=search) | Q(name__icontains=search)
            )
            .exclude(sku="")
            .order_by("sku")[:limit]
        )
        names = dict(
            CatalogueProduct.objects.filter(
                product_id__in={row.product_id for row in variants}
            ).values_list("product_id", "name")
        )
        return [
            CatalogueChoice(
                row.sku, variant_label(names.get(row.product_id, ""), row.name, row.sku)
            )
            for row in variants
        ]

    def products(self, query: ProductQuery) -> list[ProductInfo]:
        limit = min(query.limit, MAX_ITEMS)
        ids = self._product_ids(query, limit)
        infos = StandaloneCatalogue().products(ids)
        ordered = [infos[pk] for pk in dict.fromkeys(ids) if pk in infos]
        return [info for info in ordered if info.in_stock][:limit]

    @staticmethod
    def _product_ids(query: ProductQuery, limit: int) -> list[str]:
        products = CatalogueProduct.objects.filter(in_stock=True)
        order = ["-popularity", "product_id"]
        match query.source:
            case ProductSource.SKU:
                by_sku = dict(
                    CatalogueVariant.objects.filter(sku__in=query.values).values_list(
                        "sku", "product_id"
                    )
                )
                return [by_sku[sku] for sku in query.values if sku in by_sku]
            case ProductSource.CATEGORY:
                products = products.filter(category_id__in=query.values)
            case ProductSource.COLLECTION:
                ids: list[str] = []
                for collection in CatalogueCollection.objects.filter(slug__in=query.values):
                    ids += collection.product_ids
                return ids
            case ProductSource.NEWEST:
                order = [F("published_at").desc(nulls_last=True), "product_id"]
        return list(products.order_by(*order).values_list("product_id", flat=True)[:limit])

    def pages(self, page_type: str, limit: int) -> list[PageInfo]:
        base = plugin_settings().storefront_url
        rows = CataloguePage.objects.filter(
            page_type=page_type, is_published=True, published_at__lte=timezone.now()
        ).order_by("-published_at", "-pk")[: min(limit, MAX_ITEMS)]
        return [
            PageInfo(
                page_id=row.page_id,
                title=row.title,
                summary=row.summary,
                url=f"{base}/pages/{row.slug}/" if base else "",
                image_url=row.image_url,
                published_at=row.published_at,
                translations=tuple(
                    (language, str(text.get("title", "")), str(text.get("summary", "")))
                    for language, text in sorted((row.translations or {}).items())
                    if isinstance(text, dict)
                ),
            )
            for row in rows
        ]


def page_summary(description: str | None, content) -> str:
    """The SEO description, or the start of the page's text (EditorJS blocks, tags removed)."""
    if description:
        return description
    blocks = content.get("blocks", []) if isinstance(content, dict) else []
    texts = [
        block.get("data", {}).get("text", "")
        for block in blocks
        if isinstance(block, dict) and block.get("type") in ("paragraph", "header")
    ]
    plain = html.unescape(nh3.clean(" ".join(str(text) for text in texts), tags=set()))
    plain = " ".join(plain.split())
    return plain if len(plain) <= SUMMARY_CHARS else plain[: SUMMARY_CHARS - 1].rstrip() + "…"


def variant_label(product: str, variant: str, sku: str) -> str:
    """ "Espresso · 1 kg (SKU-1)": how an admin recognises a variant."""
    name = product or variant
    if variant and variant != name:
        name = f"{name} · {variant}"
    return f"{name} ({sku})"


def content_catalogue() -> ContentCatalogue:
    return current().content()
