"""Reading conversions back: the currencies a campaign earned in, amounts as reported."""

from decimal import Decimal

from django.db.models import Count

from . import AttributionModel
from .models import Conversion

#: Amounts are reported with three decimals (the stored precision).
PLACES = Decimal("0.001")


def amount(value) -> Decimal:
    """A summed amount (None for no rows) with three decimals."""
    return Decimal(value or 0).quantize(PLACES)


def conversion_currencies(campaign_id: int) -> list[str]:
    """Currencies of the campaign's attributed orders, most frequent first."""
    rows = (
        Conversion.objects.filter(campaign_id=campaign_id, model=AttributionModel.LAST_TOUCH)
        .values("currency")
        .annotate(n=Count("pk"))
        .order_by("-n", "currency")
        .values_list("currency", flat=True)
    )
    return list(rows)
