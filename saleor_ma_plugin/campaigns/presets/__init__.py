"""Scenario templates: a complete campaign from one call, with sensible waits and goals.

``create_from_preset("abandoned_checkout", {"delay_hours": 2})`` creates a draft campaign;
the admin reviews and activates it. Template keys name the default templates that ship
with the messaging layer (English and German).
"""

from ...core.errors import FieldError
from ..editing import CampaignSpec, create_campaign
from . import abandonment, broadcasts, lifecycle, orders
from .base import Preset

_ALL = {
    **lifecycle.PRESETS,
    **broadcasts.PRESETS,
    **orders.PRESETS,
    **abandonment.PRESETS,
}
#: Every preset by slug, in the order the admin sees them.
PRESETS: dict[str, Preset] = {
    slug: _ALL[slug]
    for slug in [
        "welcome_series",
        "newsletter",
        "order_follow_up",
        "thank_you_voucher",
        "abandoned_checkout",
        "browse_abandonment",
        "search_abandonment",
        "win_back",
        "birthday",
        "replenishment",
        "post_purchase_upsell",
        "lead_nurturing",
        "standalone_broadcast",
        "back_in_stock",
    ]
}


def build_preset(slug: str, params: dict | None = None) -> CampaignSpec:
    """The campaign a preset describes; unknown presets and parameters are errors."""
    preset = PRESETS.get(slug)
    if preset is None:
        raise FieldError("preset", f"Unknown preset {slug!r}.")
    params = params or {}
    unknown = set(params) - set(preset.defaults)
    if unknown:
        raise FieldError(f"params.{sorted(unknown)[0]}", "This preset has no such parameter.")
    spec = preset.build({**preset.defaults, **params})
    return CampaignSpec(**{**spec.__dict__, "preset": slug})


def create_from_preset(slug: str, params: dict | None = None):
    """Instantiate a preset as a draft campaign."""
    return create_campaign(build_preset(slug, params))
