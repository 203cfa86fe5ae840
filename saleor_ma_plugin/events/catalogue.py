"""The event types the engine knows by name: the intake's, and one per Saleor notification.

Rules and triggers accept any type matching the event-type pattern (storefronts send their
own); these are the ones worth suggesting.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..core.transactional import SUPPORTED_NOTIFICATIONS
from . import EventType
from .notifications import NOTIFICATION_PREFIX


@dataclass(frozen=True)
class KnownEventType:
    type: str
    label: str | Promise
    #: Where it comes from: "shop", "storefront", "engine" or "notification".
    group: str


_STOREFRONT = {
    EventType.PRODUCT_VIEWED,
    EventType.CATEGORY_VIEWED,
    EventType.SEARCH_PERFORMED,
    EventType.NEWSLETTER_CONFIRMED,
    EventType.FEEDBACK_GIVEN,
}
_ENGINE = {
    EventType.SCORE_CHANGED,
    EventType.EMAIL_OPENED,
    EventType.EMAIL_CLICKED,
    EventType.EMAIL_UNSUBSCRIBED,
    EventType.EMAIL_BOUNCED,
    EventType.EMAIL_COMPLAINED,
    EventType.BACK_IN_STOCK,
}


def known_event_types() -> list[KnownEventType]:
    """Every named event type, the intake's first, then Saleor's notifications."""
    named = [
        KnownEventType(
            type=event_type.value,
            label=event_type.label,
            group="storefront"
            if event_type in _STOREFRONT
            else "engine"
            if event_type in _ENGINE
            else "shop",
        )
        for event_type in EventType
    ]
    notifications = [
        KnownEventType(
            type=f"{NOTIFICATION_PREFIX}{name}",
            label=_("Saleor notification: %(name)s") % {"name": name.replace("_", " ")},
            group="notification",
        )
        for name in SUPPORTED_NOTIFICATIONS
    ]
    return named + notifications
