"""The App's token switches the App's own mail webhooks with Saleor's real schema.

The App is set up as ``install_app`` leaves it (the manifest's webhooks, permissions and a
token); its GraphQL requests are answered by Saleor's own view in this test's transaction
(``saleor_api_transport``). A switched-off webhook makes Saleor create no delivery.
"""

from unittest import mock

import pytest
from saleor.app.models import App
from saleor.core.models import EventDelivery
from saleor.permission.models import Permission
from saleor.plugins.manager import get_plugins_manager
from saleor.webhook.models import Webhook

from saleor_ma_plugin.core import host
from saleor_ma_plugin.saleor_app.mail_webhooks import (
    APP_WEBHOOKS,
    MAIL_WEBHOOKS,
    MARKETING_WEBHOOKS,
    switch_mail_webhooks,
)
from saleor_ma_plugin.saleor_app.manifest import (
    SHOP_DATA_PERMISSIONS,
    WEBHOOK_PERMISSIONS,
    mail_webhook_name,
    marketing_webhook_name,
    webhooks,
)
from saleor_ma_plugin.saleor_app.notify import NOTIFICATION_PERMISSIONS

from .conftest import PLUGIN_PATH
from .saleor_api_transport import app_host_in

pytestmark = pytest.mark.django_db
API_URL = "http://saleor.test/graphql/"
WEBHOOK_PLUGIN = "saleor.plugins.webhook.plugin.WebhookPlugin"
SEND = "saleor.webhook.transport.asynchronous.transport.send_webhook_request_async.apply_async"


@pytest.fixture
def installed_app(settings, marketing_plugin):
    """Our App as ``install_app`` leaves it: every manifest webhook active (Saleor's
    ``is_active`` from the manifest), the manifest's permissions, the token stored."""
    settings.PLUGINS = [WEBHOOK_PLUGIN, PLUGIN_PATH]
    settings.SALEOR_MA_APP_SALEOR_API_URL = API_URL
    app = App.objects.create(name="Marketing automation", is_active=True)
    codenames = {
        name.lower()
        for name in [*WEBHOOK_PERMISSIONS, *SHOP_DATA_PERMISSIONS, *NOTIFICATION_PERMISSIONS]
    }
    app.permissions.set(Permission.objects.filter(codename__in=codenames))
    for hook in webhooks("https://marketing.example.com/app/webhook/"):
        webhook = Webhook.objects.create(
            app=app,
            name=hook["name"],
            target_url=hook["targetUrl"],
            subscription_query=hook["query"],
            is_active=hook["isActive"],
        )
        webhook.events.create(event_type=hook["asyncEvents"][0].lower())
    with app_host_in(app, API_URL) as adapter:
        yield app, adapter


def enable_transactional_emails(marketing_plugin, value: str) -> None:
    marketing_plugin.configuration = [
        item for item in marketing_plugin.configuration if item["name"] != "transactional_emails"
    ] + [{"name": "transactional_emails", "value": value}]
    marketing_plugin.save(update_fields=["configuration"])
    host.forget_settings()


def active(app) -> dict[str, bool]:
    return dict(app.webhooks.values_list("name", "is_active"))


def deliveries_of_order_created(order) -> dict[str, int]:
    """Saleor's ORDER_CREATED for ``order`` (rendered, sent nowhere): deliveries by webhook."""
    with mock.patch(SEND):
        get_plugins_manager(allow_replica=False).order_created(order)
    names = EventDelivery.objects.values_list("webhook__name", flat=True)
    return {name: list(names).count(name) for name in set(names)}


def test_the_apps_token_lists_and_switches_its_mail_webhooks(installed_app, marketing_plugin):
    # given the App as installed: every webhook on, no transactional mail enabled
    app, adapter = installed_app
    assert set(active(app).values()) == {True}

    # when the App switches
    switched_off = switch_mail_webhooks()

    # then Saleor accepted the App token's mutations: mail webhooks off, marketing on
    assert switched_off == len(MAIL_WEBHOOKS)
    assert active(app) == {
        **dict.fromkeys(MARKETING_WEBHOOKS, True),
        **dict.fromkeys(MAIL_WEBHOOKS, False),
    }
    assert len(adapter.bodies) == 1 + len(MAIL_WEBHOOKS)

    # when a transactional mail is enabled and the App switches again
    enable_transactional_emails(marketing_plugin, "order_confirmation")
    switched_on = switch_mail_webhooks()

    # then every mail webhook is on again
    assert switched_on == len(MAIL_WEBHOOKS)
    assert set(active(app).values()) == {True}

    # when nothing drifted: one query, no mutation
    adapter.bodies.clear()
    assert switch_mail_webhooks() == 0
    assert len(adapter.bodies) == 1
    assert APP_WEBHOOKS.encode() in adapter.bodies[0]


def test_a_switched_off_mail_webhook_gets_no_delivery_for_an_order(
    installed_app, marketing_plugin, order_with_lines, django_capture_on_commit_callbacks
):
    # given the mail webhooks switched off (no transactional mail)
    switch_mail_webhooks()
    marketing = marketing_webhook_name("ORDER_CREATED")
    mail = mail_webhook_name("ORDER_CREATED")

    # when Saleor sends ORDER_CREATED for an order
    with django_capture_on_commit_callbacks(execute=True):
        delivered = deliveries_of_order_created(order_with_lines)

    # then the marketing webhook got its delivery and the mail webhook none
    assert delivered == {marketing: 1}

    # when a transactional mail is enabled, the webhooks switched, and the event sent again
    EventDelivery.objects.all().delete()
    enable_transactional_emails(marketing_plugin, "all")
    switch_mail_webhooks()
    with django_capture_on_commit_callbacks(execute=True):
        delivered = deliveries_of_order_created(order_with_lines)

    # then both webhooks get one
    assert delivered == {marketing: 1, mail: 1}
