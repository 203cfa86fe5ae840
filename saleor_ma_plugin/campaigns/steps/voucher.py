"""``voucher``: a personal single-use code for the contact, for the steps that follow.

Codes come from a pool the replenishing tick keeps full per active voucher step (creating
codes in the shop is the slow part); an empty pool falls back to creating one on the spot.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...core.host import with_writes
from ...core.numbers import MAX_DAYS, whole_number
from ...vouchers import DiscountType
from ...vouchers.codes import VoucherRequest
from ...vouchers.issuing import issue_voucher
from ...vouchers.pool import POOL_SIZE, replenish
from .. import CampaignStatus
from ..models import Step
from .base import PlannedOutcome, StepKind, Transition, object_schema

#: Saleor keeps discount values with 12 digits, 3 of them decimals.
MAX_DISCOUNT = Decimal(10**9)


@dataclass(frozen=True)
class VoucherConfig:
    discount_type: str
    discount_value: Decimal
    channel: str
    valid_days: int = 14


def discount_label(discount_type: str, value) -> str:
    """How the discount reads in a message: "10 %", "5.00" (in the channel's currency), ..."""
    if discount_type == "percentage":
        return f"{value.normalize():f} %"
    if discount_type == "free_shipping":
        return "free shipping"
    return f"{value:.2f}"


class VoucherStep(StepKind):
    type = "voucher"
    label = _("Issue voucher")
    description = _("Give the contact a personal single-use code that later messages show.")
    position = 5
    schema = object_schema(
        {
            "discount_type": {"type": "string", "enum": list(DiscountType.values)},
            "discount_value": {"type": ["string", "number"]},
            "channel": {"type": "string"},
            "valid_days": {"type": "integer", "minimum": 0},
        }
    )
    writes = True
    reaches_contact = True

    def parse(self, config, path):
        discount_type = config.get("discount_type", DiscountType.PERCENTAGE)
        if discount_type not in DiscountType.values:
            raise FieldError(
                f"{path}.discount_type", f"Use one of {', '.join(DiscountType.values)}."
            )
        try:
            value = Decimal(str(config.get("discount_value", "0")))
        except InvalidOperation:
            raise FieldError(f"{path}.discount_value", "Enter a number.") from None
        if value <= 0 and discount_type != DiscountType.FREE_SHIPPING:
            raise FieldError(f"{path}.discount_value", "The discount must be positive.")
        if discount_type == DiscountType.PERCENTAGE and value > 100:
            raise FieldError(f"{path}.discount_value", "A percentage cannot exceed 100.")
        if not value.is_finite() or value >= MAX_DISCOUNT or value.as_tuple().exponent < -3:
            raise FieldError(
                f"{path}.discount_value",
                f"Enter an amount below {MAX_DISCOUNT:,} with at most three decimals.",
            )
        return VoucherConfig(
            discount_type=discount_type,
            discount_value=value,
            channel=str(config.get("channel", "")),
            valid_days=whole_number(
                config.get("valid_days", 14), f"{path}.valid_days", maximum=MAX_DAYS
            ),
        )

    def execute(self, step, run):
        config = step.config
        valid_until = run.now + timedelta(days=config.valid_days) if config.valid_days else None
        issued = issue_voucher(
            run.contact,
            voucher_request(run.campaign.pk, step.key, config, valid_until),
            enrollment=run.enrollment,
        )
        context = run.enrollment.context
        context["voucher_code"] = issued.code
        context["voucher_discount"] = discount_label(config.discount_type, config.discount_value)
        if valid_until:
            context["voucher_valid_until"] = valid_until.isoformat()
        return Transition(next_key=step.next_key)

    def plan(self, step, contact, moment, context):
        config = step.config
        outcome = f"issue {config.discount_value} {config.discount_type} code"
        return PlannedOutcome(outcome, step.next_key)


def voucher_request(campaign_id: int, step_key: str, config: VoucherConfig, valid_until=None):
    return VoucherRequest(
        discount_type=config.discount_type,
        discount_value=config.discount_value,
        channel=config.channel,
        valid_until=valid_until,
        campaign_id=campaign_id,
        step_key=step_key,
    )


def active_voucher_steps() -> QuerySet[Step]:
    return Step.objects.filter(
        type=VoucherStep.type, removed_at__isnull=True, campaign__status=CampaignStatus.ACTIVE
    )


@with_writes
def replenish_voucher_steps(size: int = POOL_SIZE) -> int:
    """Beat tick: top up every active voucher step's pool; return how many codes were made."""
    kind = StepKind.registry[VoucherStep.type]
    return replenish(
        (
            voucher_request(step.campaign_id, step.key, kind.parse(step.config, "config"))
            for step in active_voucher_steps()
        ),
        size,
    )
