"""Which of Saleor's customer notifications the plugin sends instead of Saleor's mail plugins.

The names are Saleor 3.23's ``UserNotifyEvent`` values (``saleor/core/notify.py``); staff
notifications (``AdminNotifyEvent``) always stay with Saleor.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

ACCOUNT_CONFIRMATION = "account_confirmation"
ACCOUNT_PASSWORD_RESET = "account_password_reset"
ACCOUNT_CHANGE_EMAIL_REQUEST = "account_change_email_request"
ACCOUNT_CHANGE_EMAIL_CONFIRM = "account_change_email_confirm"
ACCOUNT_DELETE = "account_delete"
ACCOUNT_SET_CUSTOMER_PASSWORD = "account_set_customer_password"
INVOICE_READY = "invoice_ready"
ORDER_CONFIRMATION = "order_confirmation"
ORDER_CONFIRMED = "order_confirmed"
ORDER_FULFILLMENT_CONFIRMATION = "order_fulfillment_confirmation"
ORDER_FULFILLMENT_UPDATE = "order_fulfillment_update"
ORDER_PAYMENT_CONFIRMATION = "order_payment_confirmation"
ORDER_CANCELED = "order_canceled"
ORDER_REFUND_CONFIRMATION = "order_refund_confirmation"
SEND_GIFT_CARD = "send_gift_card"

#: Every customer-facing notification Saleor 3.23 sends through ``notify``.
CUSTOMER_NOTIFICATIONS = (
    ACCOUNT_CONFIRMATION,
    ACCOUNT_PASSWORD_RESET,
    ACCOUNT_CHANGE_EMAIL_REQUEST,
    ACCOUNT_CHANGE_EMAIL_CONFIRM,
    ACCOUNT_DELETE,
    ACCOUNT_SET_CUSTOMER_PASSWORD,
    INVOICE_READY,
    ORDER_CONFIRMATION,
    ORDER_CONFIRMED,
    ORDER_FULFILLMENT_CONFIRMATION,
    ORDER_FULFILLMENT_UPDATE,
    ORDER_PAYMENT_CONFIRMATION,
    ORDER_CANCELED,
    ORDER_REFUND_CONFIRMATION,
    SEND_GIFT_CARD,
)
#: Account mails: about the customer's account, not an order.
ACCOUNT_NOTIFICATIONS = (
    ACCOUNT_CONFIRMATION,
    ACCOUNT_PASSWORD_RESET,
    ACCOUNT_CHANGE_EMAIL_REQUEST,
    ACCOUNT_CHANGE_EMAIL_CONFIRM,
    ACCOUNT_DELETE,
    ACCOUNT_SET_CUSTOMER_PASSWORD,
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
SUPPORTED_NOTIFICATIONS = CUSTOMER_NOTIFICATIONS
#: The setting's word for every supported notification.
ALL = "all"


def parse_transactional_emails(values: Mapping[str, Any], errors: dict[str, str]) -> dict:
    """The enabled notifications (comma-separated names); problems go into ``errors``."""
    raw = str(values.get("transactional_emails") or "")
    names = [name.strip().lower() for name in raw.replace("\n", ",").split(",") if name.strip()]
    if names == [ALL]:
        return {"transactional_emails": frozenset(SUPPORTED_NOTIFICATIONS)}
    unknown = [name for name in names if name not in SUPPORTED_NOTIFICATIONS]
    if unknown:
        errors["transactional_emails"] = _(
            'Unknown notification: %(unknown)s. Use "all" or any of: %(names)s.'
        ) % {"unknown": ", ".join(unknown), "names": ", ".join(SUPPORTED_NOTIFICATIONS)}
        return {"transactional_emails": frozenset()}
    return {"transactional_emails": frozenset(names)}
