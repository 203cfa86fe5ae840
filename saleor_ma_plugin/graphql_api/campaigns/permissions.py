"""Who may see and change campaigns."""

from ...campaigns.models import Campaign
from ...campaigns.steps import StepType
from ...core.auth import MarketingPermission, Requestor
from ..core.conflicts import refuse_if_saved_since
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import object_for_update
from ..core.mutations import requestor_of


def can_read(requestor: Requestor) -> bool:
    return requestor.has(MarketingPermission.MANAGE_MARKETING)


def require_read(requestor: Requestor) -> None:
    if not can_read(requestor):
        raise MutationError(
            "You need the MANAGE_MARKETING permission.", MarketingErrorCode.PERMISSION_DENIED
        )


def require_discounts_for(requestor: Requestor, step_types) -> None:
    """Voucher steps hand out discounts: they also need MANAGE_DISCOUNTS."""
    if StepType.VOUCHER in set(step_types) and not requestor.has(
        MarketingPermission.MANAGE_DISCOUNTS
    ):
        raise MutationError(
            "Campaigns with voucher steps need the MANAGE_DISCOUNTS permission.",
            MarketingErrorCode.PERMISSION_DENIED,
            "steps",
        )


def campaign_to_change(
    info, global_id: str, field: str = "id", adding=(), expected_updated_at=None
) -> Campaign:
    """The campaign a mutation changes, locked, once the requestor may change it.

    Every mutation of a campaign goes through here: a campaign that has (or is given) a
    voucher step hands out discounts, so changing it in any way needs MANAGE_DISCOUNTS
    as well, whether the change touches the voucher step or not. An edit of an outdated
    copy (``expected_updated_at``) is refused.
    """
    campaign = object_for_update(Campaign, global_id, field)
    step_types = set(campaign.steps.values_list("type", flat=True)) | set(adding)
    require_discounts_for(requestor_of(info), step_types)
    refuse_if_saved_since(campaign.updated_at, expected_updated_at)
    return campaign
