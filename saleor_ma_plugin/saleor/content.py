"""Saleor's products and Pages behind the engine's ContentCatalogue (content blocks)."""

from django.db.models import Count, Exists, F, OuterRef, Q
from saleor.core.db.connection import allow_writer
from saleor.page.models import Page, PageTranslation
from saleor.product.models import (
    Category,
    Collection,
    CollectionProduct,
    Product,
    ProductChannelListing,
    ProductVariant,
)
from saleor.warehouse.models import Stock

from ..catalogue.content import (
    MAX_ITEMS,
    CatalogueChoice,
    ContentCatalogue,
    LookupKind,
    PageInfo,
    ProductQuery,
    ProductSource,
    page_summary,
    variant_label,
)
from ..catalogue.products import ProductInfo
from ..core.host import plugin_settings
from .catalogue import HAS_IMAGE, IN_STOCK, SaleorCatalogue

#: A collection's product with more stock than is allocated.
LISTED_IN_STOCK = Stock.objects.filter(
    product_variant__product=OuterRef("product_id"), quantity__gt=F("quantity_allocated")
)


def _published(channel: str):
    listings = ProductChannelListing.objects.filter(product=OuterRef("pk"), is_published=True)
    return Exists(listings.filter(channel__slug=channel) if channel else listings)


def _by_slug_or_id(values: tuple[str, ...], prefix: str) -> Q:
    """Admins name categories and collections by slug; events carry their ids."""
    ids = [int(value) for value in values if value.isdigit()]
    return Q(**{f"{prefix}slug__in": values}) | Q(**{f"{prefix}pk__in": ids})


class SaleorContent(ContentCatalogue):
    """Products as the storefront sells them, Pages as it publishes them."""

    def lookup(self, kind: str, search: str, limit: int) -> list[CatalogueChoice]:
        search = search.strip()
        named = Q(name__icontains=search) | Q(slug__icontains=search)
        with allow_writer():
            if kind in (LookupKind.CATEGORY, LookupKind.COLLECTION):
                model = Category if kind == LookupKind.CATEGORY else Collection
                rows = model.objects.filter(named).order_by("name", "pk")[:limit]
                return [CatalogueChoice(row.slug, row.name) for row in rows]
            variants = (
                ProductVariant.objects.filter(
                    Q(product__name__icontains=search)
                    | Q(sku__icontains=search)
                    | Q(name__icontains=search)
                )
                .exclude(sku__isnull=True)
                .exclude(sku="")
                .select_related("product")
                .order_by("product__name", "sku")[:limit]
            )
            return [
                CatalogueChoice(row.sku, variant_label(row.product.name, row.name, row.sku))
                for row in variants
            ]

    def products(self, query: ProductQuery) -> list[ProductInfo]:
        limit = min(query.limit, MAX_ITEMS)
        with allow_writer():
            ids = self._product_ids(query, limit)
        infos = SaleorCatalogue().products([str(pk) for pk in ids])
        ordered = [infos[str(pk)] for pk in dict.fromkeys(ids) if str(pk) in infos]
        return [info for info in ordered if info.in_stock][:limit]

    @staticmethod
    def _product_ids(query: ProductQuery, limit: int) -> list[int]:
        if query.source == ProductSource.SKU:
            by_sku = dict(
                ProductVariant.objects.filter(sku__in=query.values).values_list(
                    "sku", "product_id"
                )
            )
            return [by_sku[sku] for sku in query.values if sku in by_sku]
        if query.source == ProductSource.COLLECTION:
            return list(
                CollectionProduct.objects.filter(
                    _by_slug_or_id(query.values, "collection__"), Exists(LISTED_IN_STOCK)
                )
                .order_by("sort_order", "pk")
                .values_list("product_id", flat=True)[:limit]
            )
        available = Product.objects.filter(
            _published(query.channel), Exists(IN_STOCK), Exists(HAS_IMAGE)
        )
        if query.source == ProductSource.NEWEST:
            ordered = available.order_by("-created_at", "-pk")
        else:  # best sellers, of some categories or of the whole shop
            if query.source == ProductSource.CATEGORY:
                available = available.filter(_by_slug_or_id(query.values, "category__"))
            ordered = available.annotate(
                sold=Count(
                    "variants__order_lines", filter=Q(variants__order_lines__quantity__gt=0)
                )
            ).order_by("-sold", "pk")
        return list(ordered.values_list("pk", flat=True)[:limit])

    def pages(self, page_type: str, limit: int) -> list[PageInfo]:
        base = plugin_settings().storefront_url
        with allow_writer():
            pages = list(
                Page.objects.published()
                .filter(page_type__slug=page_type)
                .order_by(F("published_at").desc(nulls_last=True), "-created_at")[
                    : min(limit, MAX_ITEMS)
                ]
            )
            translations: dict[int, list[tuple[str, str, str]]] = {}
            for row in PageTranslation.objects.filter(page__in=pages).order_by("language_code"):
                translations.setdefault(row.page_id, []).append(
                    (
                        row.language_code,
                        row.title or "",
                        page_summary(row.seo_description, row.content),
                    )
                )
        return [
            PageInfo(
                page_id=str(page.pk),
                title=page.title,
                summary=page_summary(page.seo_description, page.content),
                url=f"{base}/pages/{page.slug}/" if base else "",
                image_url="",
                published_at=page.published_at or page.created_at,
                translations=tuple(translations.get(page.pk, ())),
            )
            for page in pages
        ]
