"""Contact profiles and marketing consent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LifecycleStage(models.TextChoices):
    SUBSCRIBER = "subscriber", _("Subscriber")
    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    REPEAT_CUSTOMER = "repeat_customer", _("Repeat customer")
    LAPSED = "lapsed", _("Lapsed customer")
    #: The person was erased; the row only keeps aggregates for reports.
    ERASED = "erased", _("Erased")


class ConsentChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")


class ConsentStatus(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    #: Asked to subscribe, double opt-in confirmation outstanding.
    PENDING = "pending", _("Pending confirmation")
    SUBSCRIBED = "subscribed", _("Subscribed")


class ConsentMethod(models.TextChoices):
    """How a consent change was expressed: part of the legal proof."""

    DOUBLE_OPT_IN = "double_opt_in", _("Double opt-in confirmation link")
    FORM = "form", _("Signup form")
    CHECKOUT = "checkout", _("Checkout checkbox")
    ACCOUNT = "account", _("Customer account settings")
    PREFERENCE_CENTRE = "preference_centre", _("Preference centre")
    UNSUBSCRIBE_LINK = "unsubscribe_link", _("Unsubscribe link")
    ONE_CLICK = "one_click", _("One-click unsubscribe (RFC 8058)")
    COMPLAINT = "complaint", _("Spam complaint reported by the mailbox provider")
    ADMIN = "admin", _("Shop admin")
    IMPORT = "import", _("Import")
    #: A campaign step, e.g. leaving an interest topic; never used to opt anyone in.
    AUTOMATION = "automation", _("Campaign automation")


#: The channel-wide consent; named newsletter topics use their own slug.
GENERAL_TOPIC = ""


def stage_for_orders(orders_count: int) -> str:
    """Lifecycle stage implied by the number of orders."""
    if orders_count >= 2:
        return LifecycleStage.REPEAT_CUSTOMER
    if orders_count == 1:
        return LifecycleStage.CUSTOMER
    return LifecycleStage.SUBSCRIBER
