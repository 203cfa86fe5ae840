"""Credit for orders in a real Saleor: one campaign step per order, taken back on cancel."""

from datetime import timedelta

import pytest
from django.utils import timezone
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content

from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.enrolling import enroll
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.reporting.stats import campaign_figures

pytestmark = pytest.mark.django_db
CHECKOUT_COMPLETE = """
mutation checkoutComplete($id: ID) {
  checkoutComplete(id: $id) { order { id } errors { field code message } }
}
"""
ORDER_CANCEL = """
mutation cancelOrder($id: ID!) {
  orderCancel(id: $id) { order { status } errors { field code message } }
}
"""


def clicked_mail(name: str, contact, clicked_hours_ago: int):
    flow = activate(
        create_campaign(
            CampaignSpec(
                name=name,
                kind="autoresponder",
                trigger={"type": "manual"},
                steps=(StepSpec("send", "send", {"template": "welcome_1"}),),
                goal={"event": "order.created"},
            )
        )
    )
    now = timezone.now()
    run = enroll(flow, contact, f"k-{name}", now=now - timedelta(days=3))
    Message.objects.create(
        idempotency_key=f"run:{run.pk}:send",
        contact=contact,
        campaign=flow,
        enrollment=run,
        step_key="send",
        channel="email",
        template="welcome_1",
        status=MessageStatus.SENT,
        scheduled_at=now - timedelta(days=2),
        sent_at=now - timedelta(days=2),
        clicked_at=now - timedelta(hours=clicked_hours_ago),
    )
    return flow


def test_a_saleor_order_credits_one_campaign_and_its_cancellation_takes_it_back(
    subscribed_buyer,
    api_client,
    staff_api_client,
    permission_group_manage_orders,
    completable_checkout,
):
    # given two campaigns whose mails the buyer clicked, the second more recently
    older = clicked_mail("Older", subscribed_buyer, clicked_hours_ago=20)
    newer = clicked_mail("Newer", subscribed_buyer, clicked_hours_ago=2)

    # when the buyer completes the checkout through Saleor's API
    response = api_client.post_graphql(
        CHECKOUT_COMPLETE, {"id": to_global_id_or_none(completable_checkout)}
    )
    order_id = get_graphql_content(response)["data"]["checkoutComplete"]["order"]["id"]

    # then both runs reached their goal, but only the last click is credited
    figures = campaign_figures([older.pk, newer.pk])
    assert (figures[older.pk].goals_reached, figures[newer.pk].goals_reached) == (1, 1)
    assert (figures[older.pk].converted, figures[newer.pk].converted) == (0, 1)
    credit = Conversion.objects.get()
    assert (credit.campaign_id, credit.currency) == (newer.pk, completable_checkout.currency)

    # when staff cancel the order in Saleor
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    cancelled = staff_api_client.post_graphql(ORDER_CANCEL, {"id": order_id})

    # then the credit is gone
    assert get_graphql_content(cancelled)["data"]["orderCancel"]["errors"] == []
    assert not Conversion.objects.exists()
    assert campaign_figures([newer.pk])[newer.pk].revenues == ()
