"""Saleor's catalogue through its GraphQL API, as ``saleor/catalogue.py`` reads it in-process.

Products are asked for by id in batches of 100 (one query per batch, never one per
recipient) and kept in the shared cache for a few minutes: every send batch of a
broadcast reads the same products from the cache. Ids are Saleor's database ids, as in
the plugin, so events, recommendations and codes mean the same in both modes.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from ..catalogue.products import MAX_SEARCH_WORDS, Catalogue, ProductInfo, VariantInfo
from ..core.host import plugin_settings
from .api import chunks, database_id, global_id, numeric, saleor_api
from .sales import best_sellers

#: Shop data is reused this long: a broadcast's batches ask Saleor once, not per batch.
CACHE_SECONDS = 300
#: Saleor's ``DEFAULT_CHANNEL_SLUG``: its listing gives a product's price when published there.
DEFAULT_CHANNEL = "default-channel"
MONEY_PLACES = Decimal("0.001")
#: Products looked at in a listing (never-sold products, search hits): two pages.
LISTED_AT_MOST = 200

PRODUCT_FIELDS = """
fragment ShopProduct on Product {
  id name slug created
  category { id }
  media { id url(size: 0) type sortOrder }
  channelListings {
    id isPublished
    channel { slug currencyCode }
    discountedPrice { amount }
  }
  variants { stocks { quantity quantityAllocated } }
}
"""
PRODUCTS = (
    """
query ShopProducts($ids: [ID!], $first: Int, $after: String) {
  products(filter: { ids: $ids }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { ...ShopProduct } }
  }
}
"""
    + PRODUCT_FIELDS
)
LISTED = (
    """
query ShopListed($search: String, $sortBy: ProductOrder, $categories: [ID!],
                 $first: Int, $after: String) {
  products(search: $search, sortBy: $sortBy, filter: { categories: $categories },
           first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { ...ShopProduct } }
  }
}
"""
    + PRODUCT_FIELDS
)
VARIANTS = """
query ShopVariants($ids: [ID!], $first: Int, $after: String) {
  productVariants(ids: $ids, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name sku product { id } stocks { quantity quantityAllocated } } }
  }
}
"""
LANGUAGES = """query ShopLanguages { __type(name: "LanguageCodeEnum") { enumValues { name } } }"""
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class ShopProduct:
    """What messages show of a product, and what decides whether it may be advertised."""

    info: ProductInfo
    #: Channel slugs the product is published in.
    published_in: frozenset[str]
    has_image: bool
    created: datetime | None


def _in_stock(stocks) -> bool:
    return any(stock["quantity"] > stock["quantityAllocated"] for stock in stocks or ())


def shop_product(node: dict) -> ShopProduct:
    """One product node as the in-process catalogue would describe the same product."""
    base = plugin_settings().storefront_url
    listings = sorted(
        (listing for listing in node.get("channelListings") or () if listing["isPublished"]),
        key=lambda listing: int(database_id(listing["id"]) or 0),
    )
    default = getattr(settings, "SALEOR_MA_APP_DEFAULT_CHANNEL", DEFAULT_CHANNEL)
    listing = next(
        (row for row in listings if row["channel"]["slug"] == default),
        listings[0] if listings else None,
    )
    images = sorted(
        (media for media in node.get("media") or () if media["type"] == "IMAGE"),
        key=lambda media: (
            media["sortOrder"] is None,
            media["sortOrder"] or 0,
            int(database_id(media["id"]) or 0),
        ),
    )
    amount = ((listing or {}).get("discountedPrice") or {}).get("amount")
    info = ProductInfo(
        product_id=database_id(node["id"]),
        name=node["name"],
        url=f"{base}/products/{node['slug']}/" if base else "",
        image_url=images[0]["url"] if images else "",
        # Saleor stores three places; JSON numbers lose the trailing zeros.
        price=Decimal(str(amount)).quantize(MONEY_PLACES) if amount is not None else Decimal(0),
        currency=listing["channel"]["currencyCode"] if listing else "",
        category_id=database_id((node.get("category") or {}).get("id") or ""),
        in_stock=any(_in_stock(variant["stocks"]) for variant in node.get("variants") or ()),
    )
    created = node.get("created")
    return ShopProduct(
        info=info,
        published_in=frozenset(listing["channel"]["slug"] for listing in listings),
        has_image=bool(images),
        created=datetime.fromisoformat(created) if created else None,
    )


def shop_products(product_ids) -> dict[str, ShopProduct]:
    """Products by database id: from the cache, the rest in one query per 100."""
    ids = numeric(product_ids)
    keys = {pk: f"saleor-ma:app:product:{pk}" for pk in ids}
    cached = cache.get_many(list(keys.values()))
    found = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        api = saleor_api()
        fresh: dict[str, ShopProduct] = {}
        for batch in chunks(missing):
            variables = {"ids": [global_id("Product", pk) for pk in batch]}
            for node in api.nodes(PRODUCTS, variables, "products", len(batch)):
                product = shop_product(node)
                fresh[product.info.product_id] = product
        cache.set_many({keys[pk]: product for pk, product in fresh.items()}, CACHE_SECONDS)
        found.update(fresh)
    return found


def listed_products(variables: dict, limit: int) -> list[ShopProduct]:
    """Products of a listing query (search, newest, a category), each cached by id too."""
    products = [
        shop_product(node) for node in saleor_api().nodes(LISTED, variables, "products", limit)
    ]
    cache.set_many(
        {f"saleor-ma:app:product:{p.info.product_id}": p for p in products}, CACHE_SECONDS
    )
    return products


def advertisable(product: ShopProduct, channel: str = "") -> bool:
    """Published (in ``channel``, if given), in stock and pictured: fit for a newsletter."""
    published = channel in product.published_in if channel else bool(product.published_in)
    return published and product.info.in_stock and product.has_image


def ranked_by_sales(category_ids, limit: int, channel: str = "") -> list[ShopProduct]:
    """Advertisable products, best selling first (ties by id), of some categories or all.

    Sales are counted from the order events the App's webhooks stored; products nobody
    bought follow in the order Saleor created them, as the in-process ranking does.
    """
    categories = set(numeric(category_ids))

    def wanted(product: ShopProduct) -> bool:
        in_categories = not categories or product.info.category_id in categories
        return in_categories and advertisable(product, channel)

    ranking = best_sellers()
    sold = shop_products(ranking)
    ranked = [sold[pk] for pk in ranking if pk in sold and wanted(sold[pk])][:limit]
    if len(ranked) < limit:
        seen = {product.info.product_id for product in ranked}
        variables = {
            "sortBy": {"field": "CREATED_AT", "direction": "ASC"},
            "categories": [global_id("Category", pk) for pk in categories] or None,
        }
        for product in listed_products(variables, LISTED_AT_MOST):
            if product.info.product_id not in seen and wanted(product):
                ranked.append(product)
                if len(ranked) == limit:
                    break
    return ranked


def variants_in_stock(variant_ids: list[str]) -> set[str]:
    """Variants with more stock than is allocated in a warehouse: one query per 100, fresh."""
    ids = numeric(variant_ids)
    if not ids:
        return set()
    api, found = saleor_api(), set()
    for batch in chunks(ids):
        variables = {"ids": [global_id("ProductVariant", pk) for pk in batch]}
        for node in api.nodes(VARIANTS, variables, "productVariants", len(batch)):
            if _in_stock(node["stocks"]):
                found.add(database_id(node["id"]))
    return found


def shop_languages() -> frozenset[str]:
    """Saleor's language codes (``LanguageCodeEnum``), asked once a day."""
    names = cache.get("saleor-ma:app:languages")
    if names is None:
        data = saleor_api().query(LANGUAGES)["__type"] or {}
        names = frozenset(value["name"] for value in data.get("enumValues") or ())
        cache.set("saleor-ma:app:languages", names, 86400)
    return names


def translation_fields(languages, fields: str) -> tuple[list[str], str]:
    """Aliased ``translation`` fields for the readers' languages Saleor knows."""
    known = shop_languages()
    usable = [code for code in languages if LANGUAGE.match(code) and code.upper() in known]
    aliases = " ".join(
        f"{code}: translation(languageCode: {code.upper()}) {{ {fields} }}" for code in usable
    )
    return usable, aliases


class AppCatalogue(Catalogue):
    """Products as the storefront sells them, asked of Saleor's API."""

    def products(self, product_ids: list[str]) -> dict[str, ProductInfo]:
        return {pk: product.info for pk, product in shop_products(product_ids).items()}

    def candidates(self, category_ids: list[str], limit: int) -> list[ProductInfo]:
        key = f"saleor-ma:app:candidates:{','.join(sorted(numeric(category_ids)))}:{limit}"
        cached = cache.get(key)
        if cached is None:
            same = ranked_by_sales(category_ids, limit) if numeric(category_ids) else []
            best = ranked_by_sales([], limit)
            unique = {p.info.product_id: p.info for p in same + best}
            cached = list(unique.values())[:limit]
            cache.set(key, cached, CACHE_SECONDS)
        return cached

    def search(self, query: str, limit: int) -> list[ProductInfo]:
        """Saleor's search ranking; published in some channel and in stock."""
        words = " ".join(query.split()[:MAX_SEARCH_WORDS])
        if not words:
            return []
        key = "saleor-ma:app:search:" + hashlib.sha256(f"{limit}:{words}".encode()).hexdigest()
        cached = cache.get(key)
        if cached is None:
            variables = {"search": words, "sortBy": {"field": "RANK", "direction": "DESC"}}
            found = listed_products(variables, LISTED_AT_MOST)
            cached = [p.info for p in found if p.published_in and p.info.in_stock][:limit]
            cache.set(key, cached, CACHE_SECONDS)
        return cached

    def variants(self, variant_ids: list[str]) -> dict[str, VariantInfo]:
        ids = numeric(variant_ids)
        if not ids:
            return {}
        api, nodes = saleor_api(), []
        for batch in chunks(ids):
            variables = {"ids": [global_id("ProductVariant", pk) for pk in batch]}
            nodes += api.nodes(VARIANTS, variables, "productVariants", len(batch))
        products = shop_products([database_id(node["product"]["id"]) for node in nodes])
        return {
            database_id(node["id"]): VariantInfo(
                database_id(node["id"]),
                node["name"],
                products[database_id(node["product"]["id"])].info,
            )
            for node in nodes
            if database_id(node["product"]["id"]) in products
        }

    def translated_names(self, product_ids, variant_ids, languages):
        """Names in the readers' languages (Saleor's translation in exactly that language);
        cached per id and language, so each batch of a broadcast asks only for new ones."""
        usable, aliases = translation_fields(sorted(set(languages)), "name")
        found: dict[tuple[str, str, str], str] = {}
        if not usable:
            return found
        wanted = [("product", pk) for pk in numeric(product_ids)] + [
            ("variant", pk) for pk in numeric(variant_ids)
        ]
        keys = {
            (kind, pk, code): f"saleor-ma:app:name:{kind}:{pk}:{code}"
            for kind, pk in wanted
            for code in usable
        }
        cached = cache.get_many(list(keys.values()))
        missing = {(kind, pk) for (kind, pk, _), key in keys.items() if key not in cached}
        fresh = self._fetch_names(missing, usable, aliases) if missing else {}
        # "" marks a name Saleor has no translation for: asked once, like the others.
        cache.set_many(
            {key: fresh.get(entry, "") for entry, key in keys.items() if key not in cached},
            CACHE_SECONDS,
        )
        for entry, key in keys.items():
            name = cached[key] if key in cached else fresh.get(entry, "")
            if name:
                found[entry] = name
        return found

    @staticmethod
    def _fetch_names(missing, usable, aliases) -> dict[tuple[str, str, str], str]:
        api, found = saleor_api(), {}
        for kind, type_name, field in (
            ("product", "Product", "products"),
            ("variant", "ProductVariant", "productVariants"),
        ):
            ids = sorted((pk for owner, pk in missing if owner == kind), key=int)
            argument = "filter: { ids: $ids }" if field == "products" else "ids: $ids"
            document = (
                f"query Names($ids: [ID!], $first: Int, $after: String) {{ {field}({argument}, "
                "first: $first, after: $after) { pageInfo { hasNextPage endCursor } "
                f"edges {{ node {{ id {aliases} }} }} }} }}"
            )
            for batch in chunks(ids):
                variables = {"ids": [global_id(type_name, pk) for pk in batch]}
                for node in api.nodes(document, variables, field, len(batch)):
                    for code in usable:
                        name = (node.get(code) or {}).get("name")
                        if name:
                            found[kind, database_id(node["id"]), code] = name
        return found
