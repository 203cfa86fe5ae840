"""Which of Saleor's customer notifications the plugin sends instead of Saleor's mail plugins.

The names are Saleor 3.23's ``UserNotifyEvent`` values (``saleor/core/notify.py``); staff
notifications (``AdminNotifyEvent``) always stay with Saleor.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

ACCOUNT_PASSWORD_RESET = "account_password_reset"
ORDER_CONFIRMATION = "order_confirmation"
ORDER_FULFILLMENT_CONFIRMATION = "order_fulfillment_confirmation"

#: Every customer-facing notification Saleor 3.23 sends through ``notify``.
CUSTOMER_NOTIFICATIONS = (
    "account_confirmation",
    ACCOUNT_PASSWORD_RESET,
    "account_change_email_request",
    "account_change_email_confirm",
    "account_delete",
    "account_set_customer_password",
    "invoice_ready",
    ORDER_CONFIRMATION,
    "order_confirmed",
    ORDER_FULFILLMENT_CONFIRMATION,
    "order_fulfillment_update",
    "order_payment_confirmation",
    "order_canceled",
    "order_refund_confirmation",
    "send_gift_card",
)
#: Staff notifications: never ours, ignored without a word.
STAFF_NOTIFICATIONS = (
    "account_set_staff_password",
    "account_staff_reset_password",
    "csv_export_success",
    "csv_export_failed",
    "staff_order_confirmation",
)
#: The customer notifications the plugin has templates for, and so can take over.
SUPPORTED_NOTIFICATIONS = (
    ACCOUNT_PASSWORD_RESET,
    ORDER_CONFIRMATION,
    ORDER_FULFILLMENT_CONFIRMATION,
)


def parse_transactional_emails(values: Mapping[str, Any], errors: dict[str, str]) -> dict:
    """The enabled notifications (comma-separated names); problems go into ``errors``."""
    raw = str(values.get("transactional_emails") or "")
    names = [name.strip().lower() for name in raw.replace("\n", ",").split(",") if name.strip()]
    unknown = [name for name in names if name not in SUPPORTED_NOTIFICATIONS]
    if unknown:
        errors["transactional_emails"] = _(
            "Unknown or not yet supported: %(unknown)s. Use any of: %(names)s."
        ) % {"unknown": ", ".join(unknown), "names": ", ".join(SUPPORTED_NOTIFICATIONS)}
        return {"transactional_emails": frozenset()}
    return {"transactional_emails": frozenset(names)}
