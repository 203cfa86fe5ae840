"""App mode's manifest against Saleor's own webhook validation: every subscription query it
registers (marketing and transactional mails) is valid and subscribes to exactly its event."""

import pytest
from saleor.graphql.webhook.subscription_query import SubscriptionQuery
from saleor.webhook.event_types import WebhookEventAsyncType

from saleor_ma_plugin.saleor_app.manifest import webhooks

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "hook",
    webhooks("https://marketing.example.com/app/webhook/"),
    ids=lambda hook: hook["name"],
)
def test_each_manifest_subscription_is_valid_for_saleor(hook):
    # when Saleor validates the query as it does when the App is installed
    query = SubscriptionQuery(hook["query"])

    # then it is valid and subscribes to the one event the webhook declares
    assert query.is_valid, query.errors
    [event] = hook["asyncEvents"]
    assert query.events == [getattr(WebhookEventAsyncType, event)]
