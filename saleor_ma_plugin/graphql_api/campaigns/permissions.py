"""Who may see and change campaigns."""

from ...campaigns.steps import StepType
from ...core.auth import MarketingPermission, Requestor
from ..core.errors import MarketingErrorCode, MutationError


def can_read(requestor: Requestor) -> bool:
    return requestor.has(MarketingPermission.MANAGE_MARKETING)


def require_read(requestor: Requestor) -> None:
    if not can_read(requestor):
        raise PermissionError("You need the MANAGE_MARKETING permission.")


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
