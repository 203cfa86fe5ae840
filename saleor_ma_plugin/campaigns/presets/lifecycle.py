"""Presets along a contact's life with the shop: welcome, birthday, win-back, nurturing."""

from ...events import EventType
from .. import CampaignKind, ReentryPolicy
from ..editing import CampaignSpec, StepSpec
from ..steps import StepType
from .base import EMAIL_CONSENT, ORDER_GOAL, Preset, send, voucher, wait


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
                    # The offer is for a first order: customers who bought before or
                    # since signing up don't get it.
                    "condition": {
                        "any": [
                            {"field": "orders_count", "op": "gte", "value": 1},
                            {"event": {"type": EventType.ORDER_CREATED, "since": "enrollment"}},
                        ]
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


PRESETS: dict[str, Preset] = {
    "welcome_series": Preset(
        "Welcome series",
        "Three emails after double opt-in; a code if no order yet.",
        {"name": "Welcome series", "discount_percent": 10},
        _welcome,
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
    "lead_nurturing": Preset(
        "Lead nurturing",
        "Scores engagement; tags contacts that reach the threshold.",
        {"name": "Lead nurturing", "threshold": 25},
        _lead_nurturing,
    ),
}
