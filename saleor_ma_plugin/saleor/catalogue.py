"""Saleor's catalogue behind the engine's Catalogue interface, and stock for "notify me"."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from saleor.core.db.connection import allow_writer
from saleor.core.search import prefix_search
from saleor.product.models import (
    Product,
    ProductChannelListing,
    ProductMedia,
    ProductTranslation,
    ProductVariant,
    ProductVariantTranslation,
)
from saleor.warehouse.models import Stock

from ..catalogue.products import MAX_SEARCH_WORDS, Catalogue, ProductInfo, VariantInfo
from ..core.host import plugin_settings

PUBLISHED = ProductChannelListing.objects.filter(product=OuterRef("pk"), is_published=True)
IN_STOCK = Stock.objects.filter(
    product_variant__product=OuterRef("pk"), quantity__gt=F("quantity_allocated")
)
HAS_IMAGE = ProductMedia.objects.filter(product=OuterRef("pk"), to_remove=False).exclude(image="")


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{plugin_settings().public_base_url}{url}"


class SaleorCatalogue(Catalogue):
    """Products as the storefront sells them: published, priced, pictured, in stock."""

    def _infos(self, products) -> list[ProductInfo]:
        base = plugin_settings().storefront_url
        products = list(products)
        images: dict[int, str] = {}
        for media in (
            ProductMedia.objects.filter(product__in=products, to_remove=False)
            .exclude(image="")
            .order_by("sort_order", "pk")
        ):
            images.setdefault(media.product_id, media.image.url)
        listings: dict[int, ProductChannelListing] = {}
        for listing in ProductChannelListing.objects.filter(
            product__in=products, is_published=True
        ).order_by("pk"):
            if (
                listing.channel.slug == settings.DEFAULT_CHANNEL_SLUG
                or listing.product_id not in listings
            ):
                listings[listing.product_id] = listing
        in_stock = set(
            Product.objects.filter(pk__in=[p.pk for p in products])
            .filter(Exists(IN_STOCK))
            .values_list("pk", flat=True)
        )
        return [
            ProductInfo(
                product_id=str(product.pk),
                name=product.name,
                url=f"{base}/products/{product.slug}/" if base else "",
                image_url=_absolute(images.get(product.pk, "")),
                price=(listings[product.pk].discounted_price_amount or Decimal(0))
                if product.pk in listings
                else Decimal(0),
                currency=listings[product.pk].currency if product.pk in listings else "",
                category_id=str(product.category_id or ""),
                in_stock=product.pk in in_stock,
            )
            for product in products
        ]

    def products(self, product_ids: list[str]) -> dict[str, ProductInfo]:
        ids = [int(pk) for pk in product_ids if str(pk).isdigit()]
        with allow_writer():
            return {
                info.product_id: info for info in self._infos(Product.objects.filter(pk__in=ids))
            }

    def candidates(self, category_ids: list[str], limit: int) -> list[ProductInfo]:
        with allow_writer():
            available = Product.objects.filter(
                Exists(PUBLISHED), Exists(IN_STOCK), Exists(HAS_IMAGE)
            ).annotate(
                sold=Count(
                    "variants__order_lines", filter=Q(variants__order_lines__quantity__gt=0)
                )
            )
            categories = [int(pk) for pk in category_ids if str(pk).isdigit()]
            same = list(
                available.filter(category_id__in=categories).order_by("-sold", "pk")[:limit]
            )
            best = list(available.order_by("-sold", "pk")[:limit])
            unique = list({product.pk: product for product in same + best}.values())[:limit]
            return self._infos(unique)

    def search(self, query: str, limit: int) -> list[ProductInfo]:
        """Saleor's own product search (the storefront's ranking), published and in stock."""
        words = " ".join(query.split()[:MAX_SEARCH_WORDS])
        if not words:
            return []
        with allow_writer():
            available = Product.objects.filter(Exists(PUBLISHED), Exists(IN_STOCK))
            found = prefix_search(available, words).order_by("-search_rank", "pk")[:limit]
            return self._infos(found)

    def translated_names(self, product_ids, variant_ids, languages):
        return translated_names(product_ids, variant_ids, languages)

    def variants(self, variant_ids: list[str]) -> dict[str, VariantInfo]:
        ids = [int(pk) for pk in variant_ids if str(pk).isdigit()]
        with allow_writer():
            variants = list(ProductVariant.objects.filter(pk__in=ids).select_related("product"))
            products = {
                info.product_id: info for info in self._infos({v.product for v in variants})
            }
        return {
            str(variant.pk): VariantInfo(
                str(variant.pk), variant.name, products[str(variant.product_id)]
            )
            for variant in variants
        }


def translated_names(product_ids, variant_ids, languages) -> dict[tuple[str, str, str], str]:
    """Saleor's product and variant translations in the readers' languages (primary subtag:
    a "de-AT" translation serves "de" readers when there is no plain "de" one)."""
    wanted = set(languages)
    found: dict[tuple[str, str, str], str] = {}
    sources = (
        ("product", ProductTranslation, "product_id", product_ids),
        ("variant", ProductVariantTranslation, "product_variant_id", variant_ids),
    )
    with allow_writer():
        for kind, model, column, ids in sources:
            rows = model.objects.filter(**{f"{column}__in": _numeric(ids)}).exclude(name="")
            for owner, code, name in rows.order_by("language_code").values_list(
                column, "language_code", "name"
            ):
                language = code.lower().replace("_", "-")
                primary = language.split("-")[0]
                if (
                    name
                    and primary in wanted
                    and (language == primary or (kind, str(owner), primary) not in found)
                ):
                    found[kind, str(owner), primary] = name
    return found


def _numeric(ids) -> list[int]:
    return [int(pk) for pk in ids if str(pk).isdigit()]


def variants_in_stock(variant_ids: list[str]) -> set[str]:
    """Variants with more stock than is allocated in any warehouse."""
    ids = [int(pk) for pk in variant_ids if str(pk).isdigit()]
    with allow_writer():
        return {
            str(pk)
            for pk in Stock.objects.filter(
                product_variant_id__in=ids, quantity__gt=F("quantity_allocated")
            )
            .values_list("product_variant_id", flat=True)
            .distinct()
        }
