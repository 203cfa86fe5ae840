"""Attribution and experiment models."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import AttributionModel, Touch

__all__ = ["Conversion"]


class Conversion(models.Model):
    """An order credited to a campaign (and, for last touch, to the step that earned it)."""

    order_id = models.CharField(max_length=64, help_text=_("The shop's order id."))
    model = models.CharField(
        max_length=16, choices=AttributionModel.choices, default=AttributionModel.LAST_TOUCH
    )
    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact",
        null=True,
        blank=True,
        # Merged contacts are deleted; their revenue stays in the reports.
        on_delete=models.SET_NULL,
        related_name="conversions",
    )
    message = models.ForeignKey(
        "saleor_ma_plugin.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversions",
    )
    campaign = models.ForeignKey(
        "saleor_ma_plugin.Campaign", on_delete=models.CASCADE, related_name="conversions"
    )
    step_key = models.SlugField(max_length=64, blank=True)
    enrollment = models.ForeignKey(
        "saleor_ma_plugin.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversions",
    )
    revenue = models.DecimalField(max_digits=20, decimal_places=3)
    currency = models.CharField(max_length=3)
    touch = models.CharField(max_length=8, choices=Touch.choices)
    touched_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The click, open or voucher issue credited.")
    )
    occurred_at = models.DateTimeField(help_text=_("When the order was placed."))
    attributed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_id", "model"],
                condition=models.Q(model=AttributionModel.LAST_TOUCH),
                name="ma_conversion_order_uniq",
            ),
            models.UniqueConstraint(
                fields=["order_id", "model", "campaign"],
                condition=models.Q(model=AttributionModel.HOLDOUT_TEST),
                name="ma_conversion_holdout_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "model", "step_key"], name="ma_conversion_step_idx"),
            models.Index(
                fields=["campaign", "model", "occurred_at"], name="ma_conversion_time_idx"
            ),
            models.Index(fields=["enrollment", "model"], name="ma_conversion_run_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} -> {self.campaign_id}/{self.step_key} ({self.touch})"
