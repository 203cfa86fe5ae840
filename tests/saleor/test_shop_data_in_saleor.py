"""Shop data in messages from a real Saleor: products, search, variants, delivery days."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from saleor.graphql.core.utils import to_global_id_or_none
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.manager import get_plugins_manager
from saleor.product.models import ProductMedia, ProductTranslation, ProductVariantTranslation
from saleor.product.search import update_products_search_vector
from saleor.shipping.models import ShippingMethod

from saleor_ma_plugin.campaigns.editing import activate
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.runner import run_due_enrollments
from saleor_ma_plugin.catalogue.products import catalogue
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventType
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.pipeline import process_fresh_events

pytestmark = pytest.mark.django_db
CHECKOUT_COMPLETE = """
mutation checkoutComplete($id: ID) {
  checkoutComplete(id: $id) { order { id } errors { field code message } }
}
"""


def test_a_replenishment_mail_for_a_real_order_names_the_product_with_its_image(
    subscribed_buyer, api_client, completable_checkout, image, media_root
):
    # given the replenishment preset and a shipping method that takes 2 to 5 days
    activate(create_from_preset("replenishment", {"days": 14}))
    ShippingMethod.objects.update(minimum_delivery_days=2, maximum_delivery_days=5)
    ordered = completable_checkout.lines.first().variant.product
    picture = ProductMedia.objects.create(product=ordered, image=image)

    # when the buyer completes the checkout through Saleor's API and two weeks pass
    response = api_client.post_graphql(
        CHECKOUT_COMPLETE, {"id": to_global_id_or_none(completable_checkout)}
    )
    assert get_graphql_content(response)["data"]["checkoutComplete"]["errors"] == []
    later = timezone.now() + timedelta(days=14, hours=1)
    run_due_enrollments(now=later)
    deliver_due_messages(now=later)

    # then the order event carries the delivery days, and the mail names the product
    order_event = Event.objects.get(type=EventType.ORDER_CREATED)
    assert order_event.payload["delivery_days"] == [2, 5]
    (sent,) = mail.outbox
    html = sent.alternatives[0][0]
    assert sent.subject == f"Running low on {ordered.name}?"
    assert picture.image.url in html


def test_saleor_search_finds_published_products_in_stock(marketing_plugin, product):
    # given the product's search vector as Saleor's indexer writes it
    update_products_search_vector([product.pk])
    word = product.name.split()[0]

    # when
    found = catalogue().search(word, 4)
    nothing = catalogue().search("zzqx-no-such-product", 4)

    # then
    assert [info.product_id for info in found] == [str(product.pk)]
    assert nothing == []


def test_variants_name_their_product(marketing_plugin, product):
    # given
    variant = product.variants.order_by("pk").first()

    # when
    infos = catalogue().variants([str(variant.pk), "999999", "not-an-id"])

    # then
    assert list(infos) == [str(variant.pk)]
    assert infos[str(variant.pk)].name == variant.name
    assert infos[str(variant.pk)].product.name == product.name


def test_a_customers_phone_country_and_birthday_from_saleor_reach_the_contact(
    marketing_plugin, customer_user
):
    # given a customer with Saleor's billing address (Wrocław, a Polish phone number)
    # and a birthday in the metadata key the plugin reads by default
    customer_user.store_value_in_metadata({"birthday": "1988-04-12"})
    customer_user.save(update_fields=["metadata"])

    # when Saleor announces the change, as its account mutations do
    get_plugins_manager(allow_replica=False).customer_updated(customer_user)
    process_fresh_events()

    # then
    contact = Contact.objects.get(email=customer_user.email)
    assert (contact.first_name, contact.last_name) == ("Leslie", "Wade")
    assert (contact.phone, contact.country, contact.timezone) == (
        "+48713988102",
        "PL",
        "Europe/Warsaw",
    )
    assert contact.birthday.isoformat() == "1988-04-12"


def test_product_and_variant_names_come_from_saleors_translations(marketing_plugin, product):
    # given German and Austrian translations of a product and its variant
    variant = product.variants.order_by("pk").first()
    ProductTranslation.objects.create(product=product, language_code="de-at", name="Paradeiser")
    ProductTranslation.objects.create(product=product, language_code="de", name="Tomate")
    ProductVariantTranslation.objects.create(
        product_variant=variant, language_code="de", name="Groß"
    )

    # when
    names = catalogue().translated_names([str(product.pk)], [str(variant.pk)], ["de", "pl"])

    # then the plain language wins over a regional one; languages without one are left out
    assert names == {
        ("product", str(product.pk), "de"): "Tomate",
        ("variant", str(variant.pk), "de"): "Groß",
    }
