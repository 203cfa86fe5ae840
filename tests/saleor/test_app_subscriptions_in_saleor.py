"""App mode's manifest against Saleor 3.23's own webhook validation: every subscription query
it registers (marketing and transactional mails) is valid, subscribes to exactly its event,
and the manifest asks for the permission Saleor requires for that event."""

import pytest
from saleor.graphql.webhook.subscription_query import SubscriptionQuery
from saleor.webhook.event_types import WebhookEventAsyncType

from saleor_ma_plugin.saleor_app.manifest import (
    SHOP_DATA_PERMISSIONS,
    WEBHOOK_PERMISSIONS,
    webhooks,
)
from saleor_ma_plugin.saleor_app.notify import NOTIFICATION_PERMISSIONS

pytestmark = pytest.mark.django_db

HOOKS = webhooks("https://marketing.example.com/app/webhook/")


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["name"])
def test_each_manifest_subscription_is_valid_for_saleor(hook):
    # when Saleor validates the query as it does when the App is installed
    query = SubscriptionQuery(hook["query"])

    # then it is valid and subscribes to the one event the webhook declares
    assert query.is_valid, query.errors
    [event] = hook["asyncEvents"]
    assert query.events == [getattr(WebhookEventAsyncType, event)]


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["name"])
def test_the_manifest_asks_for_the_permission_each_event_needs(hook):
    # when
    [event] = hook["asyncEvents"]
    needed = WebhookEventAsyncType.PERMISSIONS[getattr(WebhookEventAsyncType, event)]

    # then
    assert needed is not None
    assert needed.name in {*WEBHOOK_PERMISSIONS, *SHOP_DATA_PERMISSIONS, *NOTIFICATION_PERMISSIONS}
