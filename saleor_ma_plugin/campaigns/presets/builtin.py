"""The presets that ship with the plugin, by slug, in the order the admin sees them."""

from . import abandonment, broadcasts, lifecycle, orders
from .base import Preset

_ALL = {
    **lifecycle.PRESETS,
    **broadcasts.PRESETS,
    **orders.PRESETS,
    **abandonment.PRESETS,
}
#: Every built-in preset by slug, in the order the admin sees them.
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
