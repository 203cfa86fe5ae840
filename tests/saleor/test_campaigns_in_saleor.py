"""Campaigns and messages inside a real Saleor: codes, mail, links on the plugin route."""

import pytest
from django.core import mail
from django.utils import timezone
from saleor.discount.models import VoucherCode
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content

from saleor_ma_plugin.campaigns.editing import activate
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.runner import run_due_enrollments
from saleor_ma_plugin.catalogue.products import catalogue
from saleor_ma_plugin.contacts.consent import has_consent
from saleor_ma_plugin.core import host
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.links import contact_token, open_token
from saleor_ma_plugin.messaging.models import Message, Template
from saleor_ma_plugin.vouchers.models import IssuedVoucher

pytestmark = pytest.mark.django_db
ROUTE = "/plugins/global/saleor_ma_plugin"
THANKS = """{% block subject %}Thank you{% endblock %}
{% block text_body %}Your code: {{ voucher.code }}
{% for product in products %}{{ product.name }}{% endfor %}{% endblock %}"""
CHECKOUT_COMPLETE = """
mutation checkoutComplete($id: ID) {
  checkoutComplete(id: $id) { order { id } errors { field code message } }
}
"""
ADD_PROMO_CODE = """
mutation add($id: ID, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { voucherCode } errors { field code message }
  }
}
"""
CHECKOUT_CREATE = """
mutation create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) { checkout { id } errors { field code message } }
}
"""


def test_order_through_saleor_runs_a_campaign_that_mails_a_real_saleor_voucher_code(
    subscribed_buyer,
    api_client,
    completable_checkout,
    channel_USD,
    product,
):
    # given the thank-you voucher preset, active, with a template
    activate(create_from_preset("thank_you_voucher", {"discount_percent": 10}))
    Template.objects.create(key="thank_you_voucher", language="en", source=THANKS)

    # when the buyer completes a checkout through Saleor's API and the workers run
    response = api_client.post_graphql(
        CHECKOUT_COMPLETE, {"id": to_global_id_or_none(completable_checkout)}
    )
    assert get_graphql_content(response)["data"]["checkoutComplete"]["errors"] == []
    run_due_enrollments()
    deliver_due_messages()

    # then a real Saleor code was issued and mailed through Saleor's email backend
    issued = IssuedVoucher.objects.get()
    code = VoucherCode.objects.get(code=issued.code)
    assert (code.is_active, code.voucher.single_use) == (True, True)
    assert code.voucher.channel_listings.get().channel == channel_USD
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert f"Your code: {issued.code}" in mail.outbox[0].body

    # and Saleor accepts the code in the buyer's next checkout
    created = get_graphql_content(
        api_client.post_graphql(
            CHECKOUT_CREATE,
            {
                "input": {
                    "channel": channel_USD.slug,
                    "email": "user@email.com",
                    "lines": [
                        {
                            "quantity": 1,
                            "variantId": to_global_id_or_none(
                                product.variants.filter(stocks__quantity__gt=1)
                                .order_by("pk")
                                .first()
                            ),
                        }
                    ],
                }
            },
        )
    )["data"]["checkoutCreate"]
    response = api_client.post_graphql(
        ADD_PROMO_CODE, {"id": created["checkout"]["id"], "code": issued.code}
    )
    added = get_graphql_content(response)["data"]["checkoutAddPromoCode"]
    assert added["errors"] == []
    assert added["checkout"]["voucherCode"] == issued.code


def test_one_click_unsubscribe_and_open_pixel_on_the_plugin_route(subscribed_buyer, client):
    # given
    message = Message.objects.create(
        idempotency_key="m1",
        contact=subscribed_buyer,
        channel="email",
        template="t",
        scheduled_at=timezone.now(),
        status=MessageStatus.SENT,
    )

    # when
    pixel = client.get(f"{ROUTE}/t/o/{open_token(message.pk)}/")
    unsubscribe = client.generic(
        "POST",
        f"{ROUTE}/u/{contact_token(subscribed_buyer.pk, message.pk)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    # then
    assert (pixel.status_code, pixel["Content-Type"]) == (200, "image/gif")
    assert unsubscribe.status_code == 200
    assert has_consent(subscribed_buyer, "email") is False
    message.refresh_from_db()
    assert message.opened_at is not None
    assert message.unsubscribed_at is not None


def test_plugin_route_is_closed_while_the_plugin_is_inactive(marketing_plugin, client):
    # given
    marketing_plugin.active = False
    marketing_plugin.save()

    # when
    response = client.get(f"/plugins/saleor_ma_plugin/t/o/{open_token(1)}/")

    # then
    assert response.status_code == 404


def test_catalogue_reads_saleor_products_and_stock(marketing_plugin, product, variant):
    # given a variant with stock (the product's) and one without (the ``variant`` fixture's)
    stocked = product.variants.exclude(pk=variant.pk).order_by("pk").first()

    # when
    info = catalogue().products([str(product.pk)])[str(product.pk)]
    stock = host.current().variants_in_stock([str(stocked.pk), str(variant.pk), "999999"])

    # then
    assert (info.name, info.category_id, info.in_stock) == (
        product.name,
        str(product.category_id),
        True,
    )
    assert stock == {str(stocked.pk)}


def test_an_order_with_a_campaign_code_through_saleor_is_attributed_and_redeems_it(
    subscribed_buyer,
    api_client,
    completable_checkout,
    channel_USD,
    product,
    make_completable,
    django_capture_on_commit_callbacks,
):
    # given a pooled, still inactive code for the thank-you step, issued by a first order
    from saleor_ma_plugin.attribution.models import Conversion
    from saleor_ma_plugin.campaigns.steps.voucher import replenish_voucher_steps
    from saleor_ma_plugin.events.models import Event

    campaign = activate(create_from_preset("thank_you_voucher", {"discount_percent": 10}))
    Template.objects.create(key="thank_you_voucher", language="en", source=THANKS)
    made = replenish_voucher_steps(size=4)
    inactive_before = VoucherCode.objects.filter(is_active=False).count()
    api_client.post_graphql(CHECKOUT_COMPLETE, {"id": to_global_id_or_none(completable_checkout)})
    run_due_enrollments()
    issued = IssuedVoucher.objects.get()

    # when the buyer places the next order with that code through Saleor's checkout
    created = get_graphql_content(
        api_client.post_graphql(
            CHECKOUT_CREATE,
            {
                "input": {
                    "channel": channel_USD.slug,
                    "email": "user@email.com",
                    "lines": [
                        {
                            "quantity": 1,
                            "variantId": to_global_id_or_none(
                                product.variants.filter(stocks__quantity__gt=1)
                                .order_by("pk")
                                .first()
                            ),
                        }
                    ],
                }
            },
        )
    )["data"]["checkoutCreate"]
    added = get_graphql_content(
        api_client.post_graphql(
            ADD_PROMO_CODE, {"id": created["checkout"]["id"], "code": issued.code}
        )
    )["data"]["checkoutAddPromoCode"]
    assert added["errors"] == []
    from saleor.checkout.models import Checkout

    checkout = Checkout.objects.get(voucher_code=issued.code)
    make_completable(checkout)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post_graphql(
            CHECKOUT_COMPLETE, {"id": to_global_id_or_none(checkout)}
        )
    assert get_graphql_content(response)["data"]["checkoutComplete"]["errors"] == []

    # then the pool supplied the code, Saleor redeemed it, and the order is attributed
    assert (made, inactive_before) == (4, 4)
    assert VoucherCode.objects.get(code=issued.code).is_active is False  # single use: spent
    redeemed = Event.objects.get(type="voucher.redeemed")
    assert redeemed.payload["voucher_code"] == issued.code
    issued.refresh_from_db()
    assert issued.redeemed_at is not None
    conversion = Conversion.objects.get(order_id=issued.order_id)
    assert (conversion.campaign_id, conversion.step_key, conversion.touch) == (
        campaign.pk,
        "code",
        "voucher",
    )
