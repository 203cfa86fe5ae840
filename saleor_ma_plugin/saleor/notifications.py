"""Saleor's ``notify`` as events: which notifications to take, and the order's forecast."""

import uuid
from collections.abc import Callable

from ..core.host import plugin_settings
from ..core.transactional import ORDER_CONFIRMATION
from ..events.intake import NewEvent
from ..events.notifications import global_id_pk, notification_event, wanted_notification
from .snapshots import delivery_days


def notification_events(event, payload_func: Callable[[], dict]) -> list[NewEvent]:
    """The event for a notification the admin gave us; [] for any other (payload unbuilt)."""
    name = str(event)
    if not wanted_notification(name, plugin_settings().transactional_emails):
        return []
    payload = payload_func()
    days: tuple[int, ...] = ()
    if name == ORDER_CONFIRMATION:
        days = _delivery_days((payload.get("order") or {}).get("id"))
    return [notification_event(name, payload, days)]


def _delivery_days(global_id) -> tuple[int, ...]:
    try:
        return delivery_days(uuid.UUID(global_id_pk(global_id)))
    except ValueError:
        return ()
