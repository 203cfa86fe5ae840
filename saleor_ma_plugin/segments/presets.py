"""Ready-made RFM segments (recency, frequency, monetary), as editable rule trees.

Thresholds are fixed starting points for a typical shop, not quantiles of this shop's
customers; the rules are plain JSON, so a shop tunes them after creating the segment.
Monetary bounds need a currency (amounts in different currencies never add up): without
``currency`` the presets use recency and frequency only.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..core.errors import FieldError
from .rules.values import CURRENCY


@dataclass(frozen=True)
class SegmentPreset:
    slug: str
    title: str
    description: str
    recency_days_min: int | None = None
    recency_days_max: int | None = None
    frequency_min: int | None = None
    frequency_max: int | None = None
    monetary_min: Decimal | None = None
    #: Extra rules next to the RFM bounds.
    extra: tuple[dict, ...] = ()

    def rules(self, currency: str = "") -> dict:
        bounds = {
            name: getattr(self, name)
            for name in ("recency_days_min", "recency_days_max", "frequency_min", "frequency_max")
            if getattr(self, name) is not None
        }
        if currency and self.monetary_min is not None:
            bounds.update(monetary_min=str(self.monetary_min), currency=currency)
        return {"all": [{"rfm": bounds}, *self.extra]}


PRESETS = {
    preset.slug: preset
    for preset in (
        SegmentPreset(
            "champions",
            _("Champions"),
            _("Bought recently, buy often and spend the most."),
            recency_days_max=30,
            frequency_min=5,
            monetary_min=Decimal(500),
        ),
        SegmentPreset(
            "loyal",
            _("Loyal customers"),
            _("Buy regularly: three orders or more, the last within three months."),
            recency_days_max=90,
            frequency_min=3,
            monetary_min=Decimal(150),
        ),
        SegmentPreset(
            "at_risk",
            _("At risk"),
            _("Used to buy repeatedly, but not for three months to a year."),
            recency_days_min=90,
            recency_days_max=365,
            frequency_min=2,
        ),
        SegmentPreset(
            "hibernating",
            _("Hibernating"),
            _("One order, more than six months ago."),
            recency_days_min=180,
            frequency_max=1,
        ),
        SegmentPreset(
            "new_customers",
            _("New customers"),
            _("First order within the last 30 days."),
            frequency_min=1,
            frequency_max=1,
            extra=({"field": "first_order_at", "op": "within_days", "value": 30},),
        ),
    )
}


def preset_rules(slug: str, currency: str = "") -> dict:
    """The rule tree of a preset; ``currency`` (ISO 4217) adds its monetary bound."""
    if currency and not CURRENCY.match(currency):
        raise FieldError("currency", "Use a three-letter currency code (ISO 4217), e.g. EUR.")
    return PRESETS[slug].rules(currency)


def segment_presets(currency: str = "") -> list[tuple[SegmentPreset, dict]]:
    """Every preset with its rules, in a stable order."""
    return [(preset, preset_rules(preset.slug, currency)) for preset in PRESETS.values()]
