"""Scenario templates: a complete campaign from one call, with sensible waits and goals.

``create_from_preset("abandoned_checkout", {"delay_hours": 2})`` creates a draft campaign;
the admin reviews and activates it. Template keys name the default templates that ship
with the messaging layer (English and German).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..events import EventType
from . import CampaignKind, ReentryPolicy, StepType
from .editing import CampaignSpec, StepSpec, create_campaign
from .errors import FlowError

ORDER_GOAL = {"event": EventType.ORDER_CREATED}
EMAIL_CONSENT = {"consent": {"channel": "email"}}


def send(key: str, template: str, next_key: str = "", transactional: bool = False) -> StepSpec:
    return StepSpec(
        key, StepType.SEND, {"template": template, "transactional": transactional}, next_key
    )


def wait(key: str, next_key: str, days: int = 0, hours: int = 0) -> StepSpec:
    return StepSpec(key, StepType.WAIT, {"days": days, "hours": hours}, next_key)


def voucher(key: str, next_key: str, percent: Any, valid_days: int = 14) -> StepSpec:
    config = {
        "discount_type": "percentage",
        "discount_value": str(percent),
        "valid_days": valid_days,
    }
    return StepSpec(key, StepType.VOUCHER, config, next_key)


@dataclass(frozen=True)
class Preset:
    title: str
    description: str
    defaults: dict
    build: Callable[[dict], CampaignSpec]


def _welcome(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.AUTORESPONDER,
        trigger={"type": "event", "event": EventType.NEWSLETTER_CONFIRMED},
        audience=EMAIL_CONSENT,
        goal=ORDER_GOAL,
        steps=(
            send("welcome", "welcome_1", "wait_story"),
            wait("wait_story", "story", days=2),
            send("story", "welcome_2", "wait_offer"),
            wait("wait_offer", "bought", days=4),
            StepSpec(
                "bought",
                StepType.BRANCH,
                {
                    "condition": {
                        "event": {"type": EventType.ORDER_CREATED, "since": "enrollment"}
                    },
                    "then": "done",
                    "else": "code",
                },
            ),
            voucher("code", "offer", p["discount_percent"]),
            send("offer", "welcome_3"),
            StepSpec("done", StepType.GOAL),
        ),
    )


def _newsletter(p: dict) -> CampaignSpec:
    audience = (
        {"consent": {"channel": "email", "topic": p["topic"]}} if p["topic"] else EMAIL_CONSENT
    )
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.NEWSLETTER,
        trigger={"type": "broadcast", "send_at": p["send_at"]},
        audience=audience,
        steps=(StepSpec("send", StepType.SEND, {"template": p["template"], "topic": p["topic"]}),),
        reentry_policy=ReentryPolicy.EVERY_TIME,
    )


def _standalone(p: dict) -> CampaignSpec:
    spec = _newsletter(p)
    return CampaignSpec(**{**spec.__dict__, "kind": CampaignKind.STANDALONE})


def _order_follow_up(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.TRANSACTIONAL,
        trigger={"type": "event", "event": EventType.ORDER_CREATED},
        reentry_policy=ReentryPolicy.EVERY_TIME,
        steps=(
            send("forecast", "order_delivery_forecast", "wait_feedback", transactional=True),
            wait("wait_feedback", "feedback", days=p["feedback_after_days"]),
            send("feedback", "order_feedback_request", "wait_cross_sell", transactional=True),
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


def _abandoned_checkout(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.NURTURING,
        trigger={
            "type": "absence",
            "event": EventType.CHECKOUT_UPDATED,
            "absent_event": EventType.ORDER_CREATED,
            "key_field": "token",
            "absent_key_field": "checkout_token",
            "within": {"hours": p["delay_hours"]},
            "where": {
                "all": [
                    {"field": "payload.email", "op": "exists"},
                    {"field": "payload.lines", "op": "exists"},
                ]
            },
        },
        audience=EMAIL_CONSENT,
        goal=ORDER_GOAL,
        reentry_policy=ReentryPolicy.EVERY_TIME,
        steps=(
            send("reminder", "abandoned_checkout_1", "wait_second"),
            wait("wait_second", "second", hours=22),
            send("second", "abandoned_checkout_2", "wait_last"),
            wait("wait_last", "code", days=2),
            voucher("code", "last", p["discount_percent"], 7),
            send("last", "abandoned_checkout_3"),
        ),
    )


def _abandonment(event_type: str, absent: str, template: str) -> Callable[[dict], CampaignSpec]:
    def build(p: dict) -> CampaignSpec:
        return CampaignSpec(
            name=p["name"],
            kind=CampaignKind.NURTURING,
            trigger={
                "type": "absence",
                "event": event_type,
                "absent_event": absent,
                "within": {"hours": p["delay_hours"]},
            },
            audience=EMAIL_CONSENT,
            goal=ORDER_GOAL,
            reentry_policy=ReentryPolicy.ONCE_PER_PERIOD,
            reentry_period_days=7,
            steps=(send("reminder", template),),
        )

    return build


def _win_back(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.NURTURING,
        trigger={"type": "inactivity", "days": p["days"]},
        audience=EMAIL_CONSENT,
        goal=ORDER_GOAL,
        reentry_policy=ReentryPolicy.EVERY_TIME,
        steps=(
            send("miss_you", "win_back_1", "wait_offer"),
            wait("wait_offer", "code", days=7),
            voucher("code", "offer", p["discount_percent"], 14),
            send("offer", "win_back_2"),
        ),
    )


def _birthday(p: dict) -> CampaignSpec:
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.AUTORESPONDER,
        trigger={"type": "date", "source": "birthday", "at_time": p["at_time"]},
        audience=EMAIL_CONSENT,
        reentry_policy=ReentryPolicy.EVERY_TIME,
        steps=(
            voucher("code", "greeting", p["discount_percent"], 30),
            send("greeting", "birthday"),
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


def _lead_nurturing(p: dict) -> CampaignSpec:
    threshold = p["threshold"]
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.NURTURING,
        trigger={"type": "event", "event": EventType.NEWSLETTER_CONFIRMED},
        audience=EMAIL_CONSENT,
        goal=ORDER_GOAL,
        steps=(
            send("intro", "nurture_1", "wait_intro"),
            wait("wait_intro", "engaged", days=3),
            StepSpec(
                "engaged",
                StepType.BRANCH,
                {
                    "condition": {"message": {"step": "intro", "action": "clicked"}},
                    "then": "score_high",
                    "else": "score_low",
                },
            ),
            StepSpec(
                "score_high",
                StepType.UPDATE_CONTACT,
                {"score_delta": 20, "add_tags": ["engaged"]},
                "guide",
            ),
            StepSpec("score_low", StepType.UPDATE_CONTACT, {"score_delta": 5}, "guide"),
            send("guide", "nurture_2", "wait_guide"),
            wait("wait_guide", "ready", days=4),
            StepSpec(
                "ready",
                StepType.BRANCH,
                {
                    "condition": {"field": "contact.lead_score", "op": "gte", "value": threshold},
                    "then": "sales_ready",
                    "else": "last",
                },
            ),
            StepSpec(
                "sales_ready", StepType.UPDATE_CONTACT, {"add_tags": ["sales_ready"]}, "offer"
            ),
            send("offer", "nurture_offer"),
            send("last", "nurture_3"),
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
    "welcome_series": Preset(
        "Welcome series",
        "Three emails after double opt-in; a code if no order yet.",
        {"name": "Welcome series", "discount_percent": 10},
        _welcome,
    ),
    "newsletter": Preset(
        "Newsletter",
        "A broadcast to newsletter subscribers.",
        {"name": "Newsletter", "send_at": None, "topic": "", "template": "newsletter"},
        _newsletter,
    ),
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
    "abandoned_checkout": Preset(
        "Abandoned checkout",
        "Three reminders, the last with a personal code.",
        {"name": "Abandoned checkout", "delay_hours": 2, "discount_percent": 10},
        _abandoned_checkout,
    ),
    "browse_abandonment": Preset(
        "Browse abandonment",
        "Viewed products, no order within hours.",
        {"name": "Browse abandonment", "delay_hours": 4},
        _abandonment(EventType.PRODUCT_VIEWED, EventType.ORDER_CREATED, "browse_abandonment"),
    ),
    "search_abandonment": Preset(
        "Search abandonment",
        "Searched, saw results, left without viewing.",
        {"name": "Search abandonment", "delay_hours": 1},
        _abandonment(EventType.SEARCH_PERFORMED, EventType.PRODUCT_VIEWED, "search_abandonment"),
    ),
    "win_back": Preset(
        "Win-back",
        "Customers without an order for N days.",
        {"name": "Win-back", "days": 90, "discount_percent": 15},
        _win_back,
    ),
    "birthday": Preset(
        "Birthday",
        "A greeting with a personal code on the day.",
        {"name": "Birthday", "discount_percent": 15, "at_time": "09:00"},
        _birthday,
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
    "lead_nurturing": Preset(
        "Lead nurturing",
        "Scores engagement; tags contacts that reach the threshold.",
        {"name": "Lead nurturing", "threshold": 25},
        _lead_nurturing,
    ),
    "standalone_broadcast": Preset(
        "One-off broadcast",
        "A single mailing at a set time.",
        {"name": "One-off broadcast", "send_at": None, "topic": "", "template": "standalone"},
        _standalone,
    ),
    "back_in_stock": Preset(
        "Back in stock",
        "Tells contacts who asked when a variant returns.",
        {"name": "Back in stock"},
        _back_in_stock,
    ),
}


def build_preset(slug: str, params: dict | None = None) -> CampaignSpec:
    """The campaign a preset describes; unknown presets and parameters are errors."""
    preset = PRESETS.get(slug)
    if preset is None:
        raise FlowError("preset", f"Unknown preset {slug!r}.")
    params = params or {}
    unknown = set(params) - set(preset.defaults)
    if unknown:
        raise FlowError(f"params.{sorted(unknown)[0]}", "This preset has no such parameter.")
    spec = preset.build({**preset.defaults, **params})
    return CampaignSpec(**{**spec.__dict__, "preset": slug})


def create_from_preset(slug: str, params: dict | None = None):
    """Instantiate a preset as a draft campaign."""
    return create_campaign(build_preset(slug, params))
