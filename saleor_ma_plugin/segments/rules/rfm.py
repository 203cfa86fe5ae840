"""``rfm``: recency, frequency and monetary value of the contact's orders.

``{"rfm": {"recency_days_max": 30, "frequency_min": 3, "monetary_min": "100",
"currency": "EUR"}}``. Recency is days since ``last_order_at``, frequency is
``orders_count`` (all currencies), monetary is the total of one currency
(``ContactRevenue``); a contact without orders in that currency has spent 0.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from ...contacts.models import ContactRevenue
from ...core.errors import FieldError
from ...core.numbers import MAX_DAYS
from .base import RuleKind, Scope, required
from .logic import combine
from .values import CURRENCY, amount, as_object, integer

KEYS = (
    "recency_days_min",
    "recency_days_max",
    "frequency_min",
    "frequency_max",
    "monetary_min",
    "monetary_max",
    "currency",
)


@dataclass(frozen=True)
class RfmRule:
    recency_days_min: int | None = None
    recency_days_max: int | None = None
    frequency_min: int | None = None
    frequency_max: int | None = None
    monetary_min: Decimal | None = None
    monetary_max: Decimal | None = None
    currency: str = ""

    @property
    def has_monetary(self) -> bool:
        return self.monetary_min is not None or self.monetary_max is not None


class RfmKind(RuleKind):
    key = "rfm"
    label = _("Recency, frequency, monetary")
    description = _("Bounds on days since the last order, number of orders and money spent.")
    position = 15
    schema = {
        "type": "object",
        "properties": {
            **{name: {"type": "integer", "minimum": 0} for name in KEYS[:4]},
            "monetary_min": {"type": "string"},
            "monetary_max": {"type": "string"},
            "currency": {"type": "string", "pattern": CURRENCY.pattern},
        },
        "minProperties": 1,
    }
    scope = Scope.CONTACT
    rule_types = (RfmRule,)

    def parse(self, spec, path, parser):
        spec = as_object(spec, path, KEYS)
        values: dict[str, Any] = {}
        for name in KEYS[:4]:
            if spec.get(name) is not None:
                values[name] = integer(spec[name], f"{path}.{name}", maximum=MAX_DAYS)
        for name in ("monetary_min", "monetary_max"):
            if spec.get(name) is not None:
                values[name] = amount(spec[name], f"{path}.{name}")
        if not values:
            raise required(path, "Give recency, frequency or monetary bounds.")
        currency = spec.get("currency", "")
        if "monetary_min" in values or "monetary_max" in values:
            if not isinstance(currency, str) or not CURRENCY.match(currency):
                raise required(
                    f"{path}.currency", "Amounts need their currency (ISO 4217, e.g. EUR)."
                )
        elif currency:
            raise FieldError(f"{path}.currency", "A currency only goes with monetary bounds.")
        for low, high in (
            ("recency_days_min", "recency_days_max"),
            ("frequency_min", "frequency_max"),
            ("monetary_min", "monetary_max"),
        ):
            if low in values and high in values and values[low] > values[high]:
                raise FieldError(f"{path}.{high}", f"Must not be less than {low}.")
        return RfmRule(**values, currency=currency)

    def compile(self, rule, compiler):
        parts = []
        if rule.recency_days_max is not None:
            since = compiler.now - timedelta(days=rule.recency_days_max)
            parts.append(Q(**{compiler.column("last_order_at__gte"): since}))
        if rule.recency_days_min is not None:
            until = compiler.now - timedelta(days=rule.recency_days_min)
            parts.append(Q(**{compiler.column("last_order_at__lte"): until}))
        if rule.frequency_min is not None:
            parts.append(Q(**{compiler.column("orders_count__gte"): rule.frequency_min}))
        if rule.frequency_max is not None:
            parts.append(Q(**{compiler.column("orders_count__lte"): rule.frequency_max}))
        if rule.has_monetary:
            parts.append(_monetary(rule, compiler))
        return combine(Q.AND, parts)

    def evaluate(self, rule, subject, evaluate):
        contact, now = subject.contact, subject.now
        last = contact.last_order_at
        if rule.recency_days_max is not None and (
            last is None or last < now - timedelta(days=rule.recency_days_max)
        ):
            return False
        if rule.recency_days_min is not None and (
            last is None or last > now - timedelta(days=rule.recency_days_min)
        ):
            return False
        if rule.frequency_min is not None and contact.orders_count < rule.frequency_min:
            return False
        if rule.frequency_max is not None and contact.orders_count > rule.frequency_max:
            return False
        if not rule.has_monetary:
            return True
        totals = ContactRevenue.objects.filter(contact=contact, currency=rule.currency)
        spent = totals.values_list("total_gross", flat=True).first()
        low, high = rule.monetary_min or Decimal(0), rule.monetary_max
        if low > 0:
            return spent is not None and spent >= low and (high is None or spent <= high)
        return high is None or spent is None or spent <= high


def _monetary(rule: RfmRule, compiler) -> Q:
    revenues = ContactRevenue.objects.filter(
        contact=compiler.outer_contact(), currency=rule.currency
    )
    low, high = rule.monetary_min or Decimal(0), rule.monetary_max
    if low > 0:
        in_range = {"total_gross__gte": low}
        if high is not None:
            in_range["total_gross__lte"] = high
        return Q(Exists(revenues.filter(**in_range)))
    if high is None:
        # At least 0: everybody. An explicit truth, since an empty Q vanishes inside an OR.
        return Q(**{compiler.column("id__isnull"): False})
    # 0 is in range: no revenue row (never bought in that currency) counts as 0.
    return ~Q(Exists(revenues.filter(total_gross__gt=high)))
