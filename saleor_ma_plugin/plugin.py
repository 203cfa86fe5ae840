"""The Saleor plugin: a thin adapter from Saleor's hooks to our normalized events.

Hooks only take a snapshot and store it (one INSERT, one after-commit wake-up); profiles,
campaigns and sends happen in Celery. A hook never raises into Saleor: a failure here
would turn a committed order into a 500 for the buyer.
"""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotFound
from django.urls import Resolver404, resolve
from saleor.core.db.connection import allow_writer
from saleor.plugins.base_plugin import BasePlugin
from saleor.plugins.error_codes import PluginErrorCode

from .core.configuration import configuration_as_mapping, parse_configuration
from .events import EventSource, EventType
from .events.intake import (
    NewEvent,
    checkout_event,
    customer_event,
    order_events,
    record_events,
)
from .saleor.configuration import (
    CONFIG_STRUCTURE,
    DEFAULT_CONFIGURATION,
    PLUGIN_ID,
    MarketingAutomationPluginInfo,
)
from .saleor.notifications import notification_events
from .saleor.snapshots import checkout_snapshot, customer_snapshot, order_snapshot

logger = logging.getLogger(__name__)


class MarketingAutomationPlugin(BasePlugin):
    PLUGIN_ID = PLUGIN_ID
    PLUGIN_NAME = MarketingAutomationPluginInfo.NAME
    PLUGIN_DESCRIPTION = MarketingAutomationPluginInfo.DESCRIPTION
    # Customer and account events reach only global plugins, so one configuration serves
    # every channel; per-channel sender and storefront live in the channel_settings map.
    CONFIGURATION_PER_CHANNEL = False
    DEFAULT_ACTIVE = False
    DEFAULT_CONFIGURATION = DEFAULT_CONFIGURATION
    CONFIG_STRUCTURE = CONFIG_STRUCTURE

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration, **kwargs):
        try:
            parse_configuration(configuration_as_mapping(plugin_configuration.configuration))
        except ValidationError as error:
            raise ValidationError(
                {
                    field: ValidationError(messages[0], code=PluginErrorCode.INVALID.value)
                    for field, messages in error.message_dict.items()
                }
            ) from None

    # Orders
    def order_created(self, order, previous_value, webhooks=None):
        return self._record(previous_value, lambda: _orders(EventType.ORDER_CREATED, order))

    def order_confirmed(self, order, previous_value, webhooks=None):
        return self._record(previous_value, lambda: _orders(EventType.ORDER_CONFIRMED, order))

    def order_fully_paid(self, order, previous_value, webhooks=None):
        return self._record(previous_value, lambda: _orders(EventType.ORDER_FULLY_PAID, order))

    def order_cancelled(self, order, previous_value, webhooks=None):
        return self._record(previous_value, lambda: _orders(EventType.ORDER_CANCELLED, order))

    def order_fulfilled(self, order, previous_value, webhooks=None):
        return self._record(previous_value, lambda: _orders(EventType.ORDER_FULFILLED, order))

    def order_refunded(self, order, previous_value, webhooks=None):
        return self._record(previous_value, lambda: _orders(EventType.ORDER_REFUNDED, order))

    # Checkouts
    def checkout_created(self, checkout, previous_value, webhooks=None):
        return self._record(
            previous_value,
            lambda: [checkout_event(EventType.CHECKOUT_CREATED, checkout_snapshot(checkout))],
        )

    def checkout_updated(self, checkout, previous_value, webhooks=None):
        return self._record(
            previous_value,
            lambda: [checkout_event(EventType.CHECKOUT_UPDATED, checkout_snapshot(checkout))],
        )

    # Customers
    def customer_created(self, customer, previous_value, webhooks=None):
        return self._record(
            previous_value, lambda: _customer(EventType.CUSTOMER_CREATED, customer)
        )

    def customer_updated(self, customer, previous_value, webhooks=None):
        return self._record(
            previous_value, lambda: _customer(EventType.CUSTOMER_UPDATED, customer)
        )

    def customer_deleted(self, customer, previous_value, webhooks=None):
        return self._record(
            previous_value, lambda: _customer(EventType.CUSTOMER_DELETED, customer)
        )

    def account_confirmed(self, user, previous_value, webhooks=None):
        return self._record(previous_value, lambda: _customer(EventType.ACCOUNT_CONFIRMED, user))

    # Customer notifications: the ones the admin gave us become transactional mail.
    def notify(self, event, payload_func, previous_value, **kwargs):
        return self._record(previous_value, lambda: notification_events(event, payload_func))

    # HTTP route: tracking, unsubscribe, preferences, confirmation (and later the API)
    def webhook(self, request, path, previous_value):
        # The legacy /plugins/<id>/ route does not check ``active``; we must.
        if not self.active:
            return HttpResponseNotFound()
        try:
            match = resolve("/" + (path or "").lstrip("/"), urlconf="saleor_ma_plugin.urls")
        except Resolver404:
            return HttpResponseNotFound()
        return match.func(request, *match.args, **match.kwargs)

    def _record(self, previous_value, build: Callable[[], list[NewEvent]]):
        if not self.active:
            return previous_value
        try:
            with allow_writer(), transaction.atomic():
                record_events(build())
        except Exception:
            logger.exception("Marketing automation could not record a shop event")
        return previous_value


def _orders(event_type: EventType, order) -> list[NewEvent]:
    return order_events(event_type, order_snapshot(order), EventSource.SALEOR)


def _customer(event_type: EventType, user) -> list[NewEvent]:
    return [customer_event(event_type, customer_snapshot(user), EventSource.SALEOR)]
