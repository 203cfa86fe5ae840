"""Per-recipient voucher codes, issued through the host's voucher system."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DiscountType(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage")
    FIXED = "fixed", _("Fixed amount")
    FREE_SHIPPING = "free_shipping", _("Free shipping")
