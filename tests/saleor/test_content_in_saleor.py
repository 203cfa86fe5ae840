"""Content blocks inside a real Saleor: Pages of a page type and products picked by SKU."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from saleor.page.models import Page, PageTranslation
from saleor.product.models import ProductMedia
from saleor.tests.utils import dummy_editorjs

from saleor_ma_plugin.campaigns.editing import activate
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.runner import run_due_enrollments
from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast
from saleor_ma_plugin.catalogue.content import ProductQuery, content_catalogue
from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core import host
from saleor_ma_plugin.messaging.blocks.models import ContentProblem
from saleor_ma_plugin.messaging.delivery import deliver_due_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(marketing_plugin):
    # No quiet hours: the test sends whatever the time of day.
    marketing_plugin.configuration.append({"name": "quiet_hours", "value": ""})
    marketing_plugin.save(update_fields=["configuration"])
    host.forget_settings()
    contacts = []
    for email, language in (("anna@example.com", "en"), ("bert@example.com", "de")):
        contact = Contact.objects.create(email=email, language_code=language)
        change_consent(
            contact,
            ConsentChannel.EMAIL,
            ConsentStatus.SUBSCRIBED,
            ConsentProof(ConsentMethod.FORM),
        )
        contacts.append(contact)
    return contacts


@pytest.fixture
def journal(page_type):
    """Two published Pages of the page type, one translated; one unpublished, one future."""
    now = timezone.now()
    older = Page.objects.create(
        slug="brewing-guide",
        title="Brewing guide",
        content=dummy_editorjs("Grind <b>coarse</b> for the French press."),
        is_published=True,
        published_at=now - datetime.timedelta(days=2),
        page_type=page_type,
    )
    PageTranslation.objects.create(
        page=older, language_code="de", title="Brühanleitung", seo_description="Grob mahlen."
    )
    Page.objects.create(
        slug="spring-origins",
        title="Spring origins",
        seo_description="Three new single origins.",
        content=dummy_editorjs("Ignored: the SEO description wins."),
        is_published=True,
        published_at=now - datetime.timedelta(days=1),
        page_type=page_type,
    )
    Page.objects.create(slug="draft", title="Draft", is_published=False, page_type=page_type)
    Page.objects.create(
        slug="tomorrow",
        title="Tomorrow",
        is_published=True,
        published_at=now + datetime.timedelta(days=1),
        page_type=page_type,
    )
    return page_type


def test_a_content_feed_of_saleor_pages_and_sku_picks_fill_a_newsletter(readers, journal, product):
    # given the newsletter preset with the journal's page type, plus product picks by SKU,
    # and the product pictured (bestseller lists show pictured products only)
    ProductMedia.objects.create(product=product, image="products/test.jpg")
    campaign = create_from_preset("newsletter", {"page_type": journal.slug})
    step = campaign.steps.get()
    step.config["blocks"].append(
        {"type": "product_picks", "source": "sku", "values": ["123"], "title": "Picked"}
    )
    step.save(update_fields=["config"])
    activate(campaign)

    # when the issue is launched, run and delivered inside Saleor
    launch_broadcast(campaign)
    run_due_enrollments()
    deliver_due_messages()

    # then each reader's mail shows the latest published Pages (newest first) and the
    # product, in their language
    sent = {message.to[0]: message for message in mail.outbox}
    english, german = sent["anna@example.com"], sent["bert@example.com"]
    journal_en = english.body.split("Latest from our journal")[1]
    assert journal_en.index("Spring origins") < journal_en.index("Brewing guide")
    assert "Three new single origins." in journal_en
    assert "Grind coarse for the French press." in journal_en
    assert "https://shop.example.com/pages/brewing-guide/" in journal_en
    assert "Draft" not in english.body
    assert "Tomorrow" not in english.body
    assert "- Test product (10.00 USD)" in english.body
    assert "Brühanleitung" in german.body
    assert "Grob mahlen." in german.body
    assert "- Test product (10,00 USD)" in german.body
    assert "Our bestsellers\n- Test product (10.00 USD)" in english.body
    assert ContentProblem.objects.filter(campaign=campaign).count() == 0


def test_saleor_content_lists_products_by_sku_category_and_bestsellers(product, category):
    # given Saleor's test product (SKU 123, in stock, published) with a picture
    ProductMedia.objects.create(product=product, image="products/test.jpg")
    shop = content_catalogue()

    # when the content catalogue is asked by SKU, category slug, bestsellers and collection
    by_sku = shop.products(ProductQuery("sku", ("missing", "123")))
    by_category = shop.products(ProductQuery("category", (category.slug,)))
    bestsellers = shop.products(ProductQuery("bestsellers"))
    unknown = shop.products(ProductQuery("collection", ("no-such-collection",)))

    # then the product comes back where it belongs, and nothing where it does not
    assert [info.name for info in by_sku] == ["Test product"]
    assert [info.product_id for info in by_category] == [str(product.pk)]
    assert [info.product_id for info in bestsellers] == [str(product.pk)]
    assert by_sku[0].image_url.endswith("/products/test.jpg")
    assert unknown == []
