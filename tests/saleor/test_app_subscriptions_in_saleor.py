"""The App manifest's subscriptions, checked by Saleor 3.23's own SubscriptionQuery."""

import pytest
from saleor.graphql.webhook.subscription_query import SubscriptionQuery
from saleor.webhook.event_types import WebhookEventAsyncType

from saleor_ma_plugin.saleor_app.manifest import (
    SUBSCRIPTIONS,
    WEBHOOK_PERMISSIONS,
    subscription_query,
)


@pytest.mark.parametrize("event", sorted(SUBSCRIPTIONS))
def test_each_subscription_is_valid_for_exactly_its_event(event):
    # when
    query = SubscriptionQuery(subscription_query(event))

    # then
    assert query.is_valid, query.errors
    assert query.events == [getattr(WebhookEventAsyncType, event)]


@pytest.mark.parametrize("event", sorted(SUBSCRIPTIONS))
def test_the_manifest_asks_for_the_permission_each_event_needs(event):
    # when
    needed = WebhookEventAsyncType.PERMISSIONS[getattr(WebhookEventAsyncType, event)]

    # then
    assert needed is not None
    assert needed.name in WEBHOOK_PERMISSIONS
