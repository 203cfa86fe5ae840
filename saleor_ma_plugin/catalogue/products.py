"""Product data for messages and recommendations, from whichever shop the host is."""

from dataclasses import dataclass
from decimal import Decimal

from ..core.host import current, plugin_settings
from .models import CatalogueProduct, CatalogueVariant

#: A search phrase longer than this is cut: a message is not a search engine.
MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class ProductInfo:
    product_id: str
    name: str
    url: str
    image_url: str
    price: Decimal
    currency: str
    category_id: str
    in_stock: bool


@dataclass(frozen=True)
class VariantInfo:
    """A sellable variant with the product it belongs to (as messages show it)."""

    variant_id: str
    name: str
    product: ProductInfo


class Catalogue:
    """What the engine asks of a shop catalogue; hosts provide an implementation."""

    def products(self, product_ids: list[str]) -> dict[str, ProductInfo]:
        raise NotImplementedError

    def candidates(self, category_ids: list[str], limit: int) -> list[ProductInfo]:
        """In-stock products with an image: same categories first, then bestsellers."""
        raise NotImplementedError

    def search(self, query: str, limit: int) -> list[ProductInfo]:
        """In-stock products matching ``query`` as the storefront's search would rank them."""
        raise NotImplementedError

    def variants(self, variant_ids: list[str]) -> dict[str, VariantInfo]:
        raise NotImplementedError

    def translated_names(
        self, product_ids: list[str], variant_ids: list[str], languages: list[str]
    ) -> dict[tuple[str, str, str], str]:
        """Names in other languages: {("product" | "variant", id, language): name}.

        Languages are primary subtags ("de"); ids without a translation are left out.
        """
        raise NotImplementedError


class StandaloneCatalogue(Catalogue):
    """The standalone host's own catalogue tables."""

    def _info(self, product) -> ProductInfo:
        base = plugin_settings().storefront_url
        return ProductInfo(
            product_id=product.product_id,
            name=product.name,
            url=f"{base}/products/{product.slug}/" if base else "",
            image_url=product.image_url,
            price=product.price,
            currency=product.currency,
            category_id=product.category_id,
            in_stock=product.in_stock,
        )

    def products(self, product_ids: list[str]) -> dict[str, ProductInfo]:
        rows = CatalogueProduct.objects.filter(product_id__in=product_ids)
        return {row.product_id: self._info(row) for row in rows}

    def candidates(self, category_ids: list[str], limit: int) -> list[ProductInfo]:
        available = CatalogueProduct.objects.filter(in_stock=True).exclude(image_url="")
        same = list(available.filter(category_id__in=category_ids).order_by("-popularity")[:limit])
        best = list(available.order_by("-popularity", "product_id")[:limit])
        seen, merged = set(), []
        for product in same + best:
            if product.product_id not in seen:
                seen.add(product.product_id)
                merged.append(self._info(product))
        return merged[:limit]

    def search(self, query: str, limit: int) -> list[ProductInfo]:
        words = query.split()[:MAX_SEARCH_WORDS]
        if not words:
            return []
        matching = CatalogueProduct.objects.filter(in_stock=True)
        for word in words:
            matching = matching.filter(name__icontains=word)
        return [self._info(row) for row in matching.order_by("-popularity", "product_id")[:limit]]

    def variants(self, variant_ids: list[str]) -> dict[str, VariantInfo]:
        rows = list(CatalogueVariant.objects.filter(variant_id__in=variant_ids))
        products = self.products(sorted({row.product_id for row in rows}))
        return {
            row.variant_id: VariantInfo(row.variant_id, row.name, products[row.product_id])
            for row in rows
            if row.product_id in products
        }

    def translated_names(self, product_ids, variant_ids, languages):
        names = {}
        for product_id, translations in CatalogueProduct.objects.filter(
            product_id__in=product_ids
        ).values_list("product_id", "names"):
            for language in languages:
                if (translations or {}).get(language):
                    names["product", product_id, language] = translations[language]
        return names


def catalogue() -> Catalogue:
    return current().catalogue()


def recommend(
    candidates: list[ProductInfo], exclude: set[str], count: int = 4
) -> list[ProductInfo]:
    """Never recommend what the contact bought or is being told about already."""
    return [product for product in candidates if product.product_id not in exclude][:count]
