"""The normalized event stream: everything the engine reacts to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """Event types produced by the intake; custom storefront events use their own names."""

    #: A Saleor order was placed (checkout completed, draft completed, imported).
    ORDER_CREATED = "order.created", _("Order created")
    ORDER_CONFIRMED = "order.confirmed", _("Order confirmed")
    ORDER_FULLY_PAID = "order.fully_paid", _("Order fully paid")
    ORDER_CANCELLED = "order.cancelled", _("Order cancelled")
    ORDER_FULFILLED = "order.fulfilled", _("Order fulfilled")
    ORDER_REFUNDED = "order.refunded", _("Order refunded")
    CHECKOUT_CREATED = "checkout.created", _("Checkout created")
    CHECKOUT_UPDATED = "checkout.updated", _("Checkout updated")
    CUSTOMER_CREATED = "customer.created", _("Customer created")
    CUSTOMER_UPDATED = "customer.updated", _("Customer updated")
    CUSTOMER_DELETED = "customer.deleted", _("Customer deleted")
    ACCOUNT_CONFIRMED = "account.confirmed", _("Account confirmed")
    #: An order used a voucher code; emitted next to ``order.created``.
    VOUCHER_REDEEMED = "voucher.redeemed", _("Voucher redeemed")
    #: A campaign step changed a contact's lead score (payload: before, after).
    SCORE_CHANGED = "contact.score_changed", _("Lead score changed")
    #: Storefront: a double opt-in was confirmed (payload: topics).
    NEWSLETTER_CONFIRMED = "newsletter.confirmed", _("Newsletter subscription confirmed")
    EMAIL_OPENED = "email.opened", _("Email opened")
    EMAIL_CLICKED = "email.clicked", _("Email link clicked")
    EMAIL_UNSUBSCRIBED = "email.unsubscribed", _("Unsubscribed")
    EMAIL_BOUNCED = "email.bounced", _("Email bounced")
    EMAIL_COMPLAINED = "email.complained", _("Spam complaint")
    PRODUCT_VIEWED = "product.viewed", _("Product viewed")
    CATEGORY_VIEWED = "category.viewed", _("Category viewed")
    SEARCH_PERFORMED = "search.performed", _("Search performed")
    #: A variant someone asked to hear about is available again.
    BACK_IN_STOCK = "product.back_in_stock", _("Back in stock")
    #: A rating (1-5) and comment from the feedback page (payload: rating, comment, order_id).
    FEEDBACK_GIVEN = "feedback.given", _("Feedback given")


class EventSource(models.TextChoices):
    """Where an event entered; campaign triggers ignore historical sources."""

    SALEOR = "saleor", _("Saleor plugin hook")
    #: Imported history: updates profiles but must never trigger a campaign send.
    BACKFILL = "backfill", _("Backfill of existing shop data")
    STOREFRONT = "storefront", _("Storefront API")
    SYSTEM = "system", _("Marketing engine")


#: Give up automatic retries of an event whose processing keeps failing.
MAX_PROCESSING_ATTEMPTS = 10
