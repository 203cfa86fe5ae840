"""Catalogue rows of the standalone host, and storefront "notify me" requests."""

from django.db import models


class CatalogueVariant(models.Model):
    """A sellable variant as the standalone host knows it (inside Saleor, Saleor's tables)."""

    variant_id = models.CharField(max_length=64, unique=True)
    product_id = models.CharField(max_length=64)
    category_id = models.CharField(max_length=64, blank=True)
    name = models.CharField(max_length=255)
    sku = models.CharField(max_length=255, blank=True, db_index=True)
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
    #: When it went on sale; orders the "newest" product feed.
    published_at = models.DateTimeField(null=True, blank=True)
    #: The name in other languages, by primary subtag: {"de": "Espresso Hausmischung"}.
    names = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name


class CatalogueCollection(models.Model):
    """A curated list of products (Saleor's collections), for product picks and feeds."""

    slug = models.SlugField(max_length=255, unique=True)
    name = models.CharField(max_length=255)
    #: Product ids in the order the collection shows them.
    product_ids = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.name


class CataloguePage(models.Model):
    """An editorial page (Saleor's Pages: blog posts, guides) for content feeds."""

    page_id = models.CharField(max_length=64, unique=True)
    page_type = models.SlugField(max_length=255, help_text="Slug of the page type, e.g. blog.")
    slug = models.SlugField(max_length=255)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    image_url = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_published = models.BooleanField(default=True)
    #: {"de": {"title": ..., "summary": ...}}: the page in other languages.
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["page_type", "published_at"], name="ma_page_type_idx")]

    def __str__(self) -> str:
        return self.title
