"""Content blocks' products and pages through Saleor's API, as ``saleor/content.py`` reads them.

A block is resolved once per send batch; its answer is cached for a few minutes, so the
batches of one broadcast ask Saleor once. Pages' translations are asked for in the
languages the shop's messages ship in (Saleor answers one language per field).
"""

import hashlib
import json
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

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
from ..messaging.models import Template
from .api import database_id, global_id, saleor_api
from .catalogue import (
    CACHE_SECONDS,
    LISTED_AT_MOST,
    advertisable,
    listed_products,
    ranked_by_sales,
    shop_products,
)
from .catalogue import translation_fields as _translation_fields

NAMED = """
query Named($search: String, $first: Int, $after: String) {
  %(field)s(filter: { search: $search }%(sort)s, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { %(fields)s } }
  }
}
"""
BY_NAME = ", sortBy: { field: NAME, direction: ASC }"
BY_SKU = """
query BySku($skus: [String!], $first: Int, $after: String) {
  productVariants(filter: { sku: $skus }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { sku product { id } } }
  }
}
"""
COLLECTIONS = """
query Collections($slugs: [String!], $ids: [ID!], $first: Int, $after: String) {
  collections(filter: { slugs: $slugs, ids: $ids }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { slug products(first: 100, sortBy: { field: COLLECTION, direction: ASC }) {
      edges { node { id } } } } }
  }
}
"""
CATEGORIES = """
query Categories($slugs: [String!], $first: Int, $after: String) {
  categories(filter: { slugs: $slugs }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id } }
  }
}
"""
PAGE_TYPES = """
query PageTypes($slugs: [String!], $first: Int, $after: String) {
  pageTypes(filter: { slugs: $slugs }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id } }
  }
}
"""
PAGES = """
query Pages($types: [ID!], $first: Int, $after: String) {
  pages(filter: { pageTypes: $types }, sortBy: { field: PUBLISHED_AT, direction: DESC },
        first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id title slug seoDescription content isPublished publishedAt created
                   %(translations)s } }
  }
}
"""


def _global_ids(values, type_name: str) -> list[str]:
    return [global_id(type_name, value) for value in values if value.isdigit()]


class AppContent(ContentCatalogue):
    """Products as the storefront sells them, Pages as it publishes them, asked of Saleor."""

    def lookup(self, kind: str, search: str, limit: int) -> list[CatalogueChoice]:
        api, search = saleor_api(), search.strip()
        if kind in (LookupKind.CATEGORY, LookupKind.COLLECTION):
            field = "categories" if kind == LookupKind.CATEGORY else "collections"
            document = NAMED % {"field": field, "fields": "name slug", "sort": BY_NAME}
            rows = api.nodes(document, {"search": search}, field, limit)
            return [CatalogueChoice(row["slug"], row["name"]) for row in rows]
        document = NAMED % {
            "field": "productVariants",
            "fields": "name sku product { name }",
            "sort": "",  # variants cannot be sorted by name: sorted below
        }
        rows = api.nodes(document, {"search": search}, "productVariants", 100)
        rows = sorted(
            (row for row in rows if row["sku"]),
            key=lambda row: (row["product"]["name"], row["sku"]),
        )[:limit]
        return [
            CatalogueChoice(
                row["sku"], variant_label(row["product"]["name"], row["name"], row["sku"])
            )
            for row in rows
        ]

    def products(self, query: ProductQuery) -> list[ProductInfo]:
        # Values are admins' SKUs and slugs: hashed, so any character is a valid key.
        wanted = json.dumps([query.source, query.channel, query.limit, query.values])
        key = "saleor-ma:app:block:" + hashlib.sha256(wanted.encode()).hexdigest()
        cached = cache.get(key)
        if cached is None:
            limit = min(query.limit, MAX_ITEMS)
            ids = self._product_ids(query, limit)
            products = shop_products(ids)
            ordered = [products[pk].info for pk in dict.fromkeys(ids) if pk in products]
            cached = [info for info in ordered if info.in_stock][:limit]
            cache.set(key, cached, CACHE_SECONDS)
        return cached

    def _product_ids(self, query: ProductQuery, limit: int) -> list[str]:
        api = saleor_api()
        if query.source == ProductSource.SKU:
            rows = api.nodes(BY_SKU, {"skus": list(query.values)}, "productVariants", 100)
            by_sku = {row["sku"]: database_id(row["product"]["id"]) for row in rows}
            return [by_sku[sku] for sku in query.values if sku in by_sku]
        if query.source == ProductSource.COLLECTION:
            variables = {
                "slugs": list(query.values),
                "ids": _global_ids(query.values, "Collection"),
            }
            ids: list[str] = []
            for collection in self._collections(api, variables):
                ids += [
                    database_id(edge["node"]["id"]) for edge in collection["products"]["edges"]
                ]
            return ids
        channel = query.channel  # "" = published in any channel, as in-process
        if query.source == ProductSource.NEWEST:
            newest = listed_products(
                {"sortBy": {"field": "CREATED_AT", "direction": "DESC"}}, LISTED_AT_MOST
            )
            return [p.info.product_id for p in newest if advertisable(p, channel)][:limit]
        categories: list[str] = []
        if query.source == ProductSource.CATEGORY:
            slugs = [value for value in query.values if not value.isdigit()]
            found = api.nodes(CATEGORIES, {"slugs": slugs}, "categories", 100) if slugs else []
            categories = [database_id(row["id"]) for row in found]
            categories += [value for value in query.values if value.isdigit()]
            if not categories:
                return []
        ranked = ranked_by_sales(categories, limit, channel)
        return [product.info.product_id for product in ranked]

    @staticmethod
    def _collections(api, variables) -> list[dict]:
        if not variables["slugs"] and not variables["ids"]:
            return []
        return api.nodes(COLLECTIONS, variables, "collections", 100)

    def pages(self, page_type: str, limit: int) -> list[PageInfo]:
        key = f"saleor-ma:app:pages:{page_type}:{limit}"
        cached = cache.get(key)
        if cached is None:
            cached = self._pages(page_type, min(limit, MAX_ITEMS))
            cache.set(key, cached, CACHE_SECONDS)
        return cached

    def _pages(self, page_type: str, limit: int) -> list[PageInfo]:
        api, base, now = saleor_api(), plugin_settings().storefront_url, timezone.now()
        types = [
            row["id"] for row in api.nodes(PAGE_TYPES, {"slugs": [page_type]}, "pageTypes", 10)
        ]
        if not types:
            return []
        languages, aliases = _translation_fields(
            message_languages(),
            "title seoDescription content language { code }",
        )
        document = PAGES % {"translations": aliases}
        rows = [
            row
            for row in api.nodes(document, {"types": types}, "pages", LISTED_AT_MOST)
            if row["isPublished"] and (not row["publishedAt"] or _when(row["publishedAt"]) <= now)
        ]
        rows.sort(key=_newest_first, reverse=True)
        return [
            PageInfo(
                page_id=database_id(row["id"]),
                title=row["title"],
                summary=page_summary(row["seoDescription"], _content(row["content"])),
                url=f"{base}/pages/{row['slug']}/" if base else "",
                image_url="",
                published_at=_when(row["publishedAt"] or row["created"]),
                translations=tuple(
                    sorted(
                        (
                            row[code]["language"]["code"].lower().replace("_", "-"),
                            row[code]["title"] or "",
                            page_summary(
                                row[code]["seoDescription"], _content(row[code]["content"])
                            ),
                        )
                        for code in languages
                        if row.get(code)
                    )
                ),
            )
            for row in rows[:limit]
        ]


def _newest_first(row: dict) -> tuple:
    """Published date descending, undated last, then creation descending (as in-process)."""
    published = row["publishedAt"]
    return (published is not None, _when(published) if published else None, _when(row["created"]))


def message_languages() -> list[str]:
    """The languages mails are written in (their templates'), primary subtags: a page's
    translation into any other would never be shown. Saleor allows 100 aliases a query."""
    codes = Template.objects.values_list("language", flat=True).distinct()
    primary = {code.split("-")[0].lower() for code in codes} | {settings.LANGUAGE_CODE[:2]}
    return sorted(primary)[:MAX_LANGUAGES]


#: Translations asked for per page query, below Saleor's alias limit.
MAX_LANGUAGES = 50


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _content(value):
    """Saleor sends EditorJS content as a JSON string."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return {}
    return value or {}
