"""App mode's shop data from Saleor's real GraphQL API equals what the plugin reads in-process.

Each test reads the same Saleor rows twice: through ``saleor/`` (the plugin's ORM
queries) and through ``saleor_app/`` (GraphQL with an App token, answered by Saleor's own
view and resolvers in this process), and compares the answers.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from saleor.app.models import App
from saleor.discount.models import Voucher, VoucherCode
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content
from saleor.page.models import PageTranslation
from saleor.permission.models import Permission
from saleor.product.models import (
    CollectionProduct,
    ProductMedia,
    ProductTranslation,
    ProductVariant,
)
from saleor.product.search import update_products_search_vector
from saleor.warehouse.models import Stock

from saleor_ma_plugin.campaigns.models import Campaign
from saleor_ma_plugin.catalogue.content import ProductQuery, ProductSource
from saleor_ma_plugin.events.intake import record_events
from saleor_ma_plugin.messaging.models import Template
from saleor_ma_plugin.saleor.backfill import ORDERS
from saleor_ma_plugin.saleor.catalogue import SaleorCatalogue
from saleor_ma_plugin.saleor.catalogue import variants_in_stock as saleor_variants_in_stock
from saleor_ma_plugin.saleor.content import SaleorContent
from saleor_ma_plugin.saleor.vouchers import create_saleor_codes
from saleor_ma_plugin.saleor_app.catalogue import AppCatalogue, variants_in_stock
from saleor_ma_plugin.saleor_app.content import AppContent
from saleor_ma_plugin.saleor_app.vouchers import SPARES, create_app_codes, issue_app_code
from saleor_ma_plugin.vouchers import DiscountType
from saleor_ma_plugin.vouchers.codes import VoucherRequest
from saleor_ma_plugin.vouchers.models import PooledCode

from .saleor_api_transport import app_host_in

pytestmark = pytest.mark.django_db
API_URL = "http://saleor.test/graphql/"
ADD_PROMO_CODE = """
mutation add($id: ID, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { voucherCode }
    errors { field code }
  }
}
"""


@pytest.fixture
def saleor_api(settings, marketing_plugin):
    """The App installed in this Saleor with the manifest's shop-data permissions, its token
    stored as the register endpoint stores it, and the App host's shop data in force."""
    settings.SALEOR_MA_APP_SALEOR_API_URL = API_URL
    settings.SALEOR_MA_APP_DEFAULT_CHANNEL = settings.DEFAULT_CHANNEL_SLUG
    marketing_plugin.configuration.append(
        {"name": "public_base_url", "value": settings.PUBLIC_URL}
    )
    marketing_plugin.save(update_fields=["configuration"])
    app = App.objects.create(name="Marketing automation", is_active=True)
    app.permissions.set(
        Permission.objects.filter(codename__in=["manage_products", "manage_discounts"])
    )
    with app_host_in(app, API_URL) as adapter:
        yield adapter


@pytest.fixture
def sales(product_list, order_list, order_lines_generator):
    """The third product sold twice, the second once, the first never (not the id order),
    stored as order events by the backfill, as a shop moving to App mode would."""
    first, second, third = (product.variants.get() for product in product_list)
    order_lines_generator(order_list[0], [second, third], [10, 10], [1, 1], False)
    order_lines_generator(order_list[1], [third], [10], [2], False)
    for batch in ORDERS.batches_after("", 100):
        record_events(batch.events)
    return [third.product, second.product, first.product]


def test_products_and_variants_equal_the_in_process_catalogue(
    saleor_api, product_list, product_with_image, image
):
    # given products in two channels, one pictured twice, one sold out, one unpublished
    first, second, third = product_list
    ProductMedia.objects.create(product=first, image=image, sort_order=1)
    Stock.objects.filter(product_variant__product=second).update(quantity=3, quantity_allocated=3)
    third.channel_listings.update(is_published=False)
    products = [*product_list, product_with_image]
    product_ids = [str(p.pk) for p in products] + ["999999", "not-an-id"]
    variant_ids = [str(v.pk) for v in ProductVariant.objects.filter(product__in=products)]

    # when both catalogues are asked
    in_process = SaleorCatalogue().products(product_ids)
    through_api = AppCatalogue().products(product_ids)

    # then the answers are equal, field by field
    assert set(through_api) == {str(p.pk) for p in products}
    assert through_api == in_process
    assert through_api[str(second.pk)].in_stock is False
    assert through_api[str(product_with_image.pk)].image_url.startswith("https://")
    assert AppCatalogue().variants([*variant_ids, "999999"]) == SaleorCatalogue().variants(
        variant_ids
    )


def test_stock_answers_match(saleor_api, product_list):
    # given one variant sold out (all allocated), one with no stock row at all
    first, second, third = product_list
    Stock.objects.filter(product_variant__product=second).update(quantity=5, quantity_allocated=5)
    Stock.objects.filter(product_variant__product=third).delete()
    variant_ids = [str(v.pk) for v in ProductVariant.objects.filter(product__in=product_list)]

    # when
    through_api = variants_in_stock([*variant_ids, "999999", "x"])

    # then
    assert through_api == saleor_variants_in_stock(variant_ids)
    assert through_api == {str(first.variants.get().pk)}


def test_recommendations_and_search_equal_the_in_process_catalogue(
    saleor_api, product_list, sales, image, category
):
    # given pictured products and Saleor's orders, stored as order events
    for product in product_list:
        ProductMedia.objects.create(product=product, image=image)
    update_products_search_vector([product.pk for product in product_list])
    categories = [str(category.pk), "999999"]

    # when
    in_process = SaleorCatalogue().candidates(categories, 24)
    through_api = AppCatalogue().candidates(categories, 24)
    found = AppCatalogue().search("big product", 4)
    one = AppCatalogue().search("blue", 4)

    # then
    assert [info.product_id for info in through_api] == [info.product_id for info in in_process]
    assert through_api == in_process
    assert [info.product_id for info in through_api] == [str(p.pk) for p in sales]
    # equal ranks: Saleor's API breaks the tie by id descending, the ORM query ascending
    assert set(found) == set(SaleorCatalogue().search("big product", 4))
    assert {info.product_id for info in found} == {str(p.pk) for p in product_list[:2]}
    assert one == SaleorCatalogue().search("blue", 4)
    assert [info.product_id for info in one] == [str(product_list[0].pk)]


def test_translated_names_equal(saleor_api, product_list):
    # given German and Polish names for a product and a variant
    first = product_list[0]
    variant = first.variants.get()
    ProductTranslation.objects.create(product=first, language_code="de", name="Testprodukt")
    ProductTranslation.objects.create(product=first, language_code="pl", name="Produkt")
    variant.translations.create(language_code="de", name="Variante")

    # when
    args = ([str(p.pk) for p in product_list], [str(variant.pk)], ["de", "pl", "en"])
    through_api = AppCatalogue().translated_names(*args)

    # then
    assert through_api == SaleorCatalogue().translated_names(*args)
    assert through_api[("product", str(first.pk), "de")] == "Testprodukt"


def test_content_products_equal_the_in_process_content(
    saleor_api, product_list, sales, image, collection, category
):
    # given pictured products, a collection of two, and sales
    for product in product_list:
        ProductMedia.objects.create(product=product, image=image)
    for position, product in enumerate([product_list[2], product_list[0]]):
        listed = CollectionProduct.objects.create(collection=collection, product=product)
        # Saleor's save numbers them itself; the dashboard's reordering writes these
        CollectionProduct.objects.filter(pk=listed.pk).update(sort_order=position)
    skus = [product_list[1].variants.get().sku, "NO-SUCH-SKU", product_list[0].variants.get().sku]
    queries = [
        ProductQuery(ProductSource.SKU, tuple(skus), 4),
        ProductQuery(ProductSource.COLLECTION, (collection.slug,), 4),
        ProductQuery(ProductSource.CATEGORY, (category.slug,), 2),
        ProductQuery(ProductSource.BESTSELLERS, (), 4, "main"),
        ProductQuery(ProductSource.NEWEST, (), 4),
    ]

    for query in queries:
        # when
        through_api = AppContent().products(query)

        # then
        assert through_api == SaleorContent().products(query), query.source
        assert through_api, query.source


def test_pages_and_lookups_equal_the_in_process_content(
    saleor_api, page, page_type, product_list, category, collection
):
    # given mails written in German, a published page with a German translation, and a
    # page to be published tomorrow
    Template.objects.create(
        key="newsletter", language="de", source="{% block subject %}x{% endblock %}"
    )
    page.seo_description = ""
    page.published_at = timezone.now() - timedelta(days=1)
    page.save()
    PageTranslation.objects.create(page=page, language_code="de", title="Seite")
    later = type(page).objects.create(
        title="Later",
        slug="later",
        page_type=page_type,
        is_published=True,
        published_at=timezone.now() + timedelta(days=1),
    )

    # when
    through_api = AppContent().pages(page_type.slug, 4)

    # then
    assert through_api == SaleorContent().pages(page_type.slug, 4)
    assert [info.page_id for info in through_api] == [str(page.pk)]
    assert later.pk
    for kind, search in (("category", category.name[:3]), ("collection", collection.name[:3])):
        assert AppContent().lookup(kind, search, 5) == SaleorContent().lookup(kind, search, 5)
    assert AppContent().lookup("product", "Test product", 5) == SaleorContent().lookup(
        "product", "Test product", 5
    )


def _request(
    channel: str, discount_type=DiscountType.PERCENTAGE, value="10", campaign_id=None
) -> VoucherRequest:
    return VoucherRequest(
        discount_type=discount_type,
        discount_value=Decimal(value),
        channel=channel,
        valid_until=None,
        campaign_id=campaign_id,
        step_key="welcome-code",
    )


def test_codes_created_through_the_api_are_accepted_by_checkout_add_promo_code(
    saleor_api, api_client, checkout_with_item
):
    # given pooled codes and one issued on the spot, made through the API
    campaign = Campaign.objects.create(name="Welcome", kind="autoresponder")
    request = _request(checkout_with_item.channel.slug, campaign_id=campaign.pk)
    pooled = create_app_codes(request, 3)
    issued = issue_app_code(request)

    # when a shopper enters one of them
    response = api_client.post_graphql(
        ADD_PROMO_CODE, {"id": to_global_id_or_none(checkout_with_item), "code": pooled[1].code}
    )

    # then Saleor accepts it, and all four are codes of one single-use voucher
    data = get_graphql_content(response)["data"]["checkoutAddPromoCode"]
    assert data["errors"] == []
    assert data["checkout"]["voucherCode"] == pooled[1].code
    codes = VoucherCode.objects.filter(code__in=[c.code for c in [*pooled, issued]])
    assert codes.count() == 4
    (voucher,) = {code.voucher for code in codes}
    assert voucher.single_use is True
    assert {c.external_id for c in [*pooled, issued]} == {str(voucher.pk)}
    # the code issued on the spot came with a request's worth of spares for the pool
    spares = PooledCode.objects.filter(campaign=campaign, step_key="welcome-code")
    assert spares.count() == SPARES
    assert voucher.codes.count() == 3 + 1 + SPARES
    assert not spares.filter(code=issued.code).exists()
    listing = voucher.channel_listings.get()
    assert (listing.channel, listing.discount_value) == (checkout_with_item.channel, 10)


def test_a_remembered_voucher_deleted_in_saleor_is_replaced_at_once(saleor_api, channel_USD):
    # given codes made for a step, then its voucher deleted in Saleor (the App remembers its id)
    request = _request(channel_USD.slug)
    [first] = create_app_codes(request, 1)
    Voucher.objects.filter(pk=int(first.external_id)).delete()

    # when the step needs more codes
    again = create_app_codes(request, 2)

    # then they are made on a new voucher in the same call, not after a failed try
    assert len(again) == 2
    (voucher,) = {
        code.voucher for code in VoucherCode.objects.filter(code__in=[c.code for c in again])
    }
    assert {c.external_id for c in again} == {str(voucher.pk)}
    assert voucher.pk != int(first.external_id)


def test_app_and_plugin_codes_share_the_steps_voucher(saleor_api, channel_USD):
    # given the plugin made codes for a step before the shop moved to App mode
    request = _request(channel_USD.slug, DiscountType.FIXED, "5")
    before = create_saleor_codes(request, 2)

    # when the App makes more for the same step
    after = create_app_codes(request, 2)

    # then they belong to the same voucher, not to a second one of the same name
    assert {c.external_id for c in before} == {c.external_id for c in after}
    assert VoucherCode.objects.filter(voucher_id=int(after[0].external_id)).count() == 4


def test_a_made_up_code_is_refused_by_checkout_add_promo_code(
    saleor_api, api_client, checkout_with_item
):
    # given codes made through the API
    create_app_codes(_request(checkout_with_item.channel.slug), 2)

    # when a shopper enters a code nobody made
    response = api_client.post_graphql(
        ADD_PROMO_CODE, {"id": to_global_id_or_none(checkout_with_item), "code": "ABCD-EFGH-JKLM"}
    )

    # then Saleor refuses it and the checkout has no voucher
    data = get_graphql_content(response)["data"]["checkoutAddPromoCode"]
    assert [error["field"] for error in data["errors"]] == ["promoCode"]
    checkout_with_item.refresh_from_db()
    assert checkout_with_item.voucher_code is None


def test_a_second_read_of_the_same_products_asks_saleor_nothing(saleor_api, product_list):
    # given products read once
    ids = [str(p.pk) for p in product_list]
    first = AppCatalogue().products(ids)
    asked = len(saleor_api.bodies)

    # when the next batch of the broadcast reads them again
    again = AppCatalogue().products(ids)

    # then the cache answers: one query the first time, none the second
    assert asked == 1
    assert len(saleor_api.bodies) == asked
    assert again == first
