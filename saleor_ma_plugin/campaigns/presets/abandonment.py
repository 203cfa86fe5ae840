"""Presets for what was left behind: abandoned checkouts, browsing and searches."""

from collections.abc import Callable

from ...events import EventType
from .. import CampaignKind, ReentryPolicy
from ..editing import CampaignSpec
from .base import EMAIL_CONSENT, ORDER_GOAL, Preset, send, voucher, wait


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


PRESETS: dict[str, Preset] = {
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
}
