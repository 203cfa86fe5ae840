"""Catalogue rows of the standalone host, and storefront "notify me" requests."""

from django.db import models


class CatalogueVariant(models.Model):
    """A sellable variant as the standalone host knows it (inside Saleor, Saleor's tables)."""

    variant_id = models.CharField(max_length=64, unique=True)
    product_id = models.CharField(max_length=64)
    category_id = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=255)
    stock_quantity = models.IntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class NotifyRequest(models.Model):
    """A contact asked to hear when a variant is back in stock."""

    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact", on_delete=models.CASCADE, related_name="notify_requests"
    )
    variant_id = models.CharField(max_length=64)
    channel = models.SlugField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "variant_id"],
                condition=models.Q(notified_at__isnull=True),
                name="ma_notify_pending_uniq",
            )
        ]
        indexes = [
            models.Index(
                fields=["variant_id"],
                name="ma_notify_pending_idx",
                condition=models.Q(notified_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} -> {self.variant_id}"


def standalone_variants_in_stock(variant_ids: list[str]) -> set[str]:
    """Which of these variants the standalone catalogue has in stock."""
    return set(
        CatalogueVariant.objects.filter(
            variant_id__in=variant_ids, stock_quantity__gt=0
        ).values_list("variant_id", flat=True)
    )


class CatalogueProduct(models.Model):
    """A product as the standalone host knows it: what messages show and recommend."""

    product_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255)
    category_id = models.CharField(max_length=64, blank=True, db_index=True)
    image_url = models.TextField(
        blank=True, help_text="Absolute image URL (or a data: URI in the demo)."
    )
    price = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    in_stock = models.BooleanField(default=True)
    #: Units sold recently; orders bestsellers.
    popularity = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
