"""Codes issued to contacts, linked to the run that issued them."""

from django.db import models

from . import DiscountType


class IssuedVoucher(models.Model):
    code = models.CharField(max_length=64, unique=True)
    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact", on_delete=models.CASCADE, related_name="vouchers"
    )
    enrollment = models.ForeignKey(
        "saleor_ma_plugin.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vouchers",
    )
    campaign = models.ForeignKey(
        "saleor_ma_plugin.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vouchers",
    )
    step_key = models.SlugField(max_length=64, blank=True)
    discount_type = models.CharField(max_length=16, choices=DiscountType.choices)
    discount_value = models.DecimalField(max_digits=12, decimal_places=3)
    channel = models.SlugField(max_length=255, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=64, blank=True, help_text="Id in the shop system.")
    issued_at = models.DateTimeField(auto_now_add=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    order_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.code


class PooledCode(models.Model):
    """A code created ahead of need for one voucher step, inactive until someone is given it."""

    code = models.CharField(max_length=64, unique=True)
    campaign = models.ForeignKey(
        "saleor_ma_plugin.Campaign", on_delete=models.CASCADE, related_name="pooled_codes"
    )
    step_key = models.SlugField(max_length=64)
    #: Discount, value and channel the code was made for; a changed step gets new codes.
    fingerprint = models.CharField(max_length=64)
    external_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "step_key", "fingerprint"], name="ma_pool_lookup_idx")
        ]

    def __str__(self) -> str:
        return self.code
