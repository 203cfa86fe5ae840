"""Which products of an order run out: those an active replenishment campaign covers.

A shop marks a product as consumable by naming it (or its category, or every product) in a
replenishment trigger; the order mails then tell a reader with marketing consent how long
it lasts and offer the reminder and a one-click reorder.
"""

from ..core.memo import read_once
from ..events import EventType
from . import CampaignStatus
from .models import Campaign
from .triggers.replenishment import ReplenishmentTriggerKind

#: At most this many consumables are offered in one mail.
MAX_OFFERS = 3


def _replenishment_triggers() -> list:
    kind = ReplenishmentTriggerKind()
    return [
        kind.parse(trigger)
        for trigger in Campaign.objects.filter(
            status=CampaignStatus.ACTIVE,
            trigger_event_type=EventType.ORDER_CREATED,
            trigger__type=kind.type,
        ).values_list("trigger", flat=True)
    ]


def consumables(lines: list[dict]) -> list[dict]:
    """The order's lines that run out, soonest first: product, variant, quantity, days.

    The active replenishment triggers are read once per batch of events."""
    triggers = read_once("replenishment_triggers", _replenishment_triggers)
    soonest: dict[str, dict] = {}
    for line in lines:
        product_id = line.get("product_id", "")
        days = [d for trigger in triggers if (d := trigger.days_for(line)) is not None]
        if not product_id or not days or min(days) >= soonest.get(product_id, {}).get("days", 1e9):
            continue
        soonest[product_id] = {
            "product_id": product_id,
            "variant_id": line.get("variant_id", ""),
            "quantity": line.get("quantity", 1),
            "days": min(days),
        }
    return sorted(soonest.values(), key=lambda offer: offer["days"])[:MAX_OFFERS]
