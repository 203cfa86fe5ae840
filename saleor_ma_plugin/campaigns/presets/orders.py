"""Presets around orders and products: follow-up, vouchers, replenishment, upsell, stock."""

from ...core.transactional import ORDER_CONFIRMATION
from ...events import EventType
from .. import CampaignKind, ReentryPolicy
from ..editing import CampaignSpec, StepSpec
from ..steps import StepType
from .base import EMAIL_CONSENT, ORDER_GOAL, Preset, send, voucher, wait


def _order_follow_up(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.TRANSACTIONAL,
        trigger={"type": "event", "event": EventType.ORDER_CREATED},
        reentry_policy=ReentryPolicy.EVERY_TIME,
        steps=(
            # Saleor's order confirmation, when the plugin sends it, forecasts the delivery too.
            send(
                "forecast",
                "order_delivery_forecast",
                "wait_feedback",
                transactional=True,
                replaced_by=ORDER_CONFIRMATION,
            ),
            wait("wait_feedback", "feedback", days=p["feedback_after_days"]),
            # Marketing (BGH, VI ZR 225/17): sent as the feedback_consent setting allows.
            StepSpec(
                "feedback",
                StepType.SEND,
                {"template": "order_feedback_request", "purpose": "feedback"},
                "wait_cross_sell",
            ),
            wait("wait_cross_sell", "cross_sell", days=7),
            send("cross_sell", "order_cross_sell"),
        ),
    )


def _thank_you_voucher(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.AUTORESPONDER,
        trigger={"type": "event", "event": EventType.ORDER_CREATED},
        audience=EMAIL_CONSENT,
        reentry_policy=ReentryPolicy.ONCE_PER_PERIOD,
        reentry_period_days=30,
        steps=(
            voucher("code", "thanks", p["discount_percent"], 30),
            send("thanks", "thank_you_voucher"),
        ),
    )


def _replenishment(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.AUTORESPONDER,
        trigger={
            "type": "replenishment",
            "days": p["days"],
            "products": p["products"],
            "categories": p["categories"],
        },
        audience=EMAIL_CONSENT,
        goal=ORDER_GOAL,
        reentry_policy=ReentryPolicy.EVERY_TIME,
        steps=(send("reminder", "replenishment_reminder"),),
    )


def _upsell(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.AUTORESPONDER,
        trigger={"type": "event", "event": EventType.ORDER_CREATED},
        audience=EMAIL_CONSENT,
        goal=ORDER_GOAL,
        reentry_policy=ReentryPolicy.ONCE_PER_PERIOD,
        reentry_period_days=30,
        steps=(
            wait("settle", "upsell", days=p["after_days"]),
            send("upsell", "post_purchase_upsell"),
        ),
    )


def _back_in_stock(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.TRANSACTIONAL,
        trigger={"type": "event", "event": EventType.BACK_IN_STOCK},
        reentry_policy=ReentryPolicy.EVERY_TIME,
        # The contact asked for this message, so it needs no marketing consent.
        steps=(send("notify", "back_in_stock", transactional=True),),
    )


PRESETS: dict[str, Preset] = {
    "order_follow_up": Preset(
        "Order follow-up",
        "Delivery forecast, feedback request, cross-sell.",
        {"name": "Order follow-up", "feedback_after_days": 7},
        _order_follow_up,
    ),
    "thank_you_voucher": Preset(
        "Thank-you voucher",
        "A personal code after every purchase (max. monthly).",
        {"name": "Thank-you voucher", "discount_percent": 10},
        _thank_you_voucher,
    ),
    "replenishment": Preset(
        "Replenishment reminder",
        "N days after buying a consumable.",
        {"name": "Replenishment reminder", "days": 30, "products": {}, "categories": {}},
        _replenishment,
    ),
    "post_purchase_upsell": Preset(
        "Post-purchase upsell",
        "Recommendations a few days after buying.",
        {"name": "Post-purchase upsell", "after_days": 3},
        _upsell,
    ),
    "back_in_stock": Preset(
        "Back in stock",
        "Tells contacts who asked when a variant returns.",
        {"name": "Back in stock"},
        _back_in_stock,
    ),
}
