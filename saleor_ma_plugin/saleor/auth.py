"""Who calls our API inside Saleor: Saleor JWTs (staff, Dashboard, customer) and App tokens.

Permission mapping: MANAGE_USERS grants MANAGE_MARKETING (campaigns process customer data),
MANAGE_DISCOUNTS grants voucher steps. Tokens are verified in-process by Saleor's own code.
"""

import logging

import jwt
from saleor.graphql.app.dataloaders import get_app_promise
from saleor.graphql.context import get_context_value
from saleor.permission.enums import AccountPermissions, DiscountPermissions

from ..core.auth import ANONYMOUS, MarketingPermission, Requestor, RequestorKind

logger = logging.getLogger(__name__)

MAPPING = {
    MarketingPermission.MANAGE_MARKETING: AccountPermissions.MANAGE_USERS,
    MarketingPermission.MANAGE_DISCOUNTS: DiscountPermissions.MANAGE_DISCOUNTS,
}


def saleor_requestor(request) -> Requestor:
    """The requestor of an HTTP request on the plugin route; anonymous if no valid token."""
    try:
        context = get_context_value(request)
        # Saleor resolves App tokens only on its own API path; on ours we must ask.
        app = get_app_promise(context).get()
        if app is not None:
            granted = frozenset(ours for ours, theirs in MAPPING.items() if app.has_perm(theirs))
            return Requestor(RequestorKind.APP, str(app.pk), "", granted)
        user = context.user
        if not user or not user.is_authenticated or not user.is_active:  # a lazy None is falsy
            return ANONYMOUS
    except jwt.PyJWTError:
        return ANONYMOUS  # an expired or forged token must not turn into a 500
    if not user.is_staff:
        return Requestor(RequestorKind.CUSTOMER, str(user.pk), user.email)
    granted = frozenset(ours for ours, theirs in MAPPING.items() if user.has_perm(theirs))
    return Requestor(RequestorKind.STAFF, str(user.pk), user.email, granted)
