"""``replenishment``: N days after buying a product (or a product of a category)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...core.numbers import MAX_DAYS, whole_number
from ...events import EventType
from ..enrolling import enroll
from .base import POSITIVE, TriggerKind, positive_int
from .event import run_context


@dataclass(frozen=True)
class ReplenishmentTrigger:
    default_days: int
    product_days: tuple[tuple[str, int], ...] = ()
    category_days: tuple[tuple[str, int], ...] = ()

    def days_for(self, line: dict) -> int | None:
        """Days until a line's product runs out; None when the trigger does not cover it."""
        products, categories = dict(self.product_days), dict(self.category_days)
        if line.get("product_id") in products:
            return products[line["product_id"]]
        if line.get("category_id") in categories:
            return categories[line["category_id"]]
        if not products and not categories:
            return self.default_days
        return None


def _days_by_id(data: dict, name: str) -> tuple[tuple[str, int], ...]:
    """``{"<shop id>": days}`` as sorted pairs; FieldError at the bad entry."""
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise FieldError(f"trigger.{name}", "Expected an object of ids and days.")
    return tuple(
        sorted(
            (str(key), whole_number(days, f"trigger.{name}.{key}", 1, MAX_DAYS))
            for key, days in value.items()
        )
    )


class ReplenishmentTriggerKind(TriggerKind):
    type = "replenishment"
    label = _("Replenishment")
    description = _("Start a number of days after an order with a product that runs out.")
    position = 5
    schema = {
        "type": "object",
        "properties": {
            "days": POSITIVE,
            "products": {"type": "object", "additionalProperties": POSITIVE},
            "categories": {"type": "object", "additionalProperties": POSITIVE},
        },
        "required": ["days"],
    }

    def parse(self, data):
        return ReplenishmentTrigger(
            default_days=positive_int(data, "days"),
            product_days=_days_by_id(data, "products"),
            category_days=_days_by_id(data, "categories"),
        )

    def event_type(self, config):
        return EventType.ORDER_CREATED

    def start(self, campaign, config, event, contact, now):
        covered = [
            (days, position, line)
            for position, line in enumerate(event.payload.get("lines", []))
            if (days := config.days_for(line)) is not None
        ]
        if not covered:
            return None
        # The product that runs out first is the one the reminder is about.
        days, _position, line = min(covered, key=lambda entry: entry[:2])
        context = {
            **run_context(event),
            "replenish_days": days,
            "replenish_product_id": line.get("product_id", ""),
            "replenish_variant_id": line.get("variant_id", ""),
            "replenish_quantity": line.get("quantity", 1),
        }
        return enroll(
            campaign,
            contact,
            event.dedupe_key,
            now=now,
            start_at=event.occurred_at + timedelta(days=days),
            context=context,
            trigger_event_id=event.pk,
        )
