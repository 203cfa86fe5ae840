"""Saleor's own fixtures for our integration tests.

Saleor keeps its fixture list and test-database set-up in the root ``conftest.py`` of its
source checkout, which is not part of the ``saleor`` package. We load that file as a plugin:
from ``SALEOR_SOURCE_DIR`` if set, else from beside an editable install of ``saleor``.
"""

import os
import sys
from importlib import util
from pathlib import Path

import pytest
import saleor

from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core import host
from saleor_ma_plugin.core.queue import Work, nudge_received


def _saleor_root_conftest() -> Path:
    source_dir = os.environ.get("SALEOR_SOURCE_DIR")
    root = Path(source_dir) if source_dir else Path(saleor.__file__).resolve().parent.parent
    conftest = root / "conftest.py"
    if not conftest.is_file():
        raise pytest.UsageError(
            f"Saleor's root conftest.py was not found at {conftest}; set SALEOR_SOURCE_DIR "
            "to the Saleor source checkout."
        )
    return conftest


_spec = util.spec_from_file_location("saleor_root_conftest", _saleor_root_conftest())
_module = util.module_from_spec(_spec)
sys.modules["saleor_root_conftest"] = _module
_spec.loader.exec_module(_module)

pytest_plugins = ["saleor_root_conftest"]

PLUGIN_PATH = "saleor_ma_plugin.plugin.MarketingAutomationPlugin"


@pytest.fixture(autouse=True)
def _no_wake_up_outlives_its_test():
    """With a shared cache (Saleor's CACHE_URL on Redis), a wake-up one test claimed and
    never delivered (its broker was down) would swallow the next tests' for five seconds."""
    yield
    for work in Work:
        nudge_received(work)


@pytest.fixture
def marketing_plugin(settings):
    """Our plugin installed in Saleor's PLUGINS and switched on, as an admin would."""
    from saleor.plugins.models import PluginConfiguration

    from saleor_ma_plugin.plugin import MarketingAutomationPlugin

    settings.PLUGINS = [PLUGIN_PATH]
    return PluginConfiguration.objects.create(
        identifier=MarketingAutomationPlugin.PLUGIN_ID,
        active=True,
        configuration=[
            {"name": "sender_address", "value": "shop@example.com"},
            {"name": "storefront_url", "value": "https://shop.example.com"},
            {"name": "imprint", "value": "Example Shop Inc.\n1 Main Street\nSpringfield"},
        ],
    )


@pytest.fixture
def make_completable(
    address, checkout_delivery, transaction_item_generator, transaction_events_generator
):
    """Give a checkout addresses, delivery and a successful charge: ready for checkoutComplete."""
    from django.utils import timezone
    from saleor.checkout import calculations
    from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
    from saleor.payment import TransactionEventType
    from saleor.payment.transaction_item_calculations import recalculate_transaction_amounts
    from saleor.plugins.manager import get_plugins_manager

    def prepare(checkout):
        checkout.shipping_address = address
        checkout.billing_address = address
        checkout.assigned_delivery = checkout_delivery(checkout)
        checkout.save()
        manager = get_plugins_manager(allow_replica=False)
        lines, _ = fetch_checkout_lines(checkout)
        checkout_info = fetch_checkout_info(checkout, lines, manager)
        total = calculations.calculate_checkout_total_with_gift_cards(
            manager, checkout_info, lines
        )
        transaction = transaction_item_generator(checkout_id=checkout.pk)
        transaction_events_generator(
            transaction=transaction,
            psp_references=[f"psp-{checkout.pk}"],
            types=[TransactionEventType.CHARGE_SUCCESS],
            amounts=[total.gross.amount],
        )
        recalculate_transaction_amounts(transaction)
        # Expire cached prices so checkoutComplete recalculates and sees the charge covering them.
        checkout.price_expiration = timezone.now()
        checkout.save(update_fields=["price_expiration"])
        return checkout

    return prepare


@pytest.fixture
def completable_checkout(checkout_with_item, make_completable):
    return make_completable(checkout_with_item)


@pytest.fixture
def subscribed_buyer(marketing_plugin):
    """Saleor's ``customer_user`` address as a contact subscribed to marketing email, mailed
    whatever the time of day (no quiet hours)."""
    marketing_plugin.configuration.append({"name": "quiet_hours", "value": ""})
    marketing_plugin.save(update_fields=["configuration"])
    contact = Contact.objects.create(email="user@email.com", language_code="en")
    change_consent(
        contact, ConsentChannel.EMAIL, ConsentStatus.SUBSCRIBED, ConsentProof(ConsentMethod.FORM)
    )
    host.forget_settings()
    return contact
