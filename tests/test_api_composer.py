"""The block composer's API: a send step's email previewed for a contact and mailed as a
test (through the delivery's own code, counted nowhere), and the catalogue lookup."""

import json
from email.utils import parseaddr

import pytest
from django.core import mail
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, create_campaign
from saleor_ma_plugin.campaigns.models import Campaign, Enrollment
from saleor_ma_plugin.catalogue.models import (
    CatalogueCollection,
    CatalogueProduct,
    CatalogueVariant,
)
from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging.blocks.models import ContentProblem
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.vouchers.models import IssuedVoucher, PooledCode
from tests.api_helpers import post, staff
from tests.campaign_helpers import subscribe
from tests.fake_http import CannedResponse, FakeHttpServer

pytestmark = pytest.mark.django_db

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Journal</title>
<item><title>Cold brew season</title><link>https://blog.example.com/cold-brew</link>
<description>Summer drinks.</description></item></channel></rss>"""
PREVIEW = """query($campaignId: ID!, $key: String!, $contactId: ID!) {
  campaignStepPreview(campaignId: $campaignId, key: $key, contactId: $contactId) {
    subject text html fromAddress recipient } }"""
SEND_TEST = """mutation($campaignId: ID!, $key: String!, $contactId: ID!, $email: String!) {
  campaignStepSendTest(campaignId: $campaignId, key: $key, contactId: $contactId,
    email: $email) { recipient errors { field code message } } }"""
SEARCH = """query($kind: CatalogueLookupKindEnum!, $search: String!) {
  catalogueSearch(kind: $kind, search: $search) { value label } }"""


@pytest.fixture
def feed(settings):
    settings.SALEOR_MA_ALLOW_INTERNAL_FEEDS = True  # the test server listens on 127.0.0.1
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "storefront_url": "https://shop.example.com",
        "sender_address": "news@shop.example.com",
    }
    forget_settings()
    with FakeHttpServer(lambda request: CannedResponse(200, RSS)) as server:
        yield server
    forget_settings()


@pytest.fixture
def shop():
    CatalogueProduct.objects.create(
        product_id="p1",
        name="Espresso Blend",
        slug="espresso",
        category_id="coffee",
        image_url="https://cdn.example.com/p1.jpg",
        price="19.900",
    )
    CatalogueVariant.objects.create(
        variant_id="v1", product_id="p1", name="1 kg", sku="ESP-1KG", stock_quantity=5
    )
    CatalogueProduct.objects.create(product_id="p2", name="Mug", slug="mug", category_id="ware")
    CatalogueVariant.objects.create(variant_id="v2", product_id="p2", name="Mug", sku="MUG")
    CatalogueCollection.objects.create(slug="summer", name="Summer picks", product_ids=["p2"])


def composed(feed_url: str, *extra: dict, channel: str = "email") -> Campaign:
    """A draft newsletter whose send step shows a product pick and an RSS feed."""
    blocks = [
        {"type": "heading", "text": "This month"},
        {"type": "product_picks", "source": "sku", "values": ["ESP-1KG"], "title": "Picked"},
        {"type": "content_feed", "source": "rss", "url": feed_url, "title": "Journal"},
        *extra,
    ]
    config = {"template": "newsletter", "channel": channel, "blocks": blocks}
    return create_campaign(
        CampaignSpec(
            name="Issue",
            kind="newsletter",
            trigger={"type": "broadcast"},
            steps=(StepSpec("send", "send", config),),
        )
    )


def reader(email: str = "anna@example.com", tags: tuple[str, ...] = ()) -> Contact:
    contact = Contact.objects.create(email=email, first_name="Anna", language_code="en")
    subscribe(contact)
    for tag in tags:
        ContactTag.objects.create(contact=contact, name=tag)
    return contact


def ids(campaign: Campaign, contact: Contact, key: str = "send") -> dict:
    return {
        "campaignId": to_global_id("Campaign", campaign.pk),
        "key": key,
        "contactId": to_global_id("Contact", contact.pk),
    }


def nothing_recorded() -> tuple[int, int, int]:
    return Message.objects.count(), Enrollment.objects.count(), ContentProblem.objects.count()


def test_the_preview_shows_the_picked_product_and_the_feed_entry_as_a_delivery_would(
    client, feed, shop
):
    # given a newsletter with a product pick and a feed, and a reader
    campaign, contact = composed(f"{feed.base_url}/feed.xml"), reader()
    staff(client, "manage_marketing")

    # when the step is previewed for the reader
    result = post(client, PREVIEW, ids(campaign, contact))

    # then the mail has the product and the entry, untracked, the reader's links inert
    preview = result["data"]["campaignStepPreview"]
    assert preview["subject"] == "This month"
    assert preview["recipient"] == "anna@example.com"
    assert parseaddr(preview["fromAddress"])[1] == "news@shop.example.com"
    assert "Espresso Blend" in preview["html"]
    assert "Cold brew season" in preview["html"]
    assert "Espresso Blend" in preview["text"]
    assert "https://shop.example.com/products/espresso/" in preview["html"]
    assert "/t/" not in preview["html"]
    assert "/u/test/" in preview["html"]
    assert len(feed.requests) == 1
    assert nothing_recorded() == (0, 0, 0)


def test_the_preview_shows_a_conditional_block_only_to_contacts_matching_its_rule(
    client, feed, shop
):
    # given a block for partners only, a partner and a reader without the tag
    partners_only = {
        "type": "conditional",
        "rule": {"tag": "partner"},
        "blocks": [{"type": "text", "html": "<p>Partner prices inside</p>"}],
    }
    campaign = composed(f"{feed.base_url}/feed.xml", partners_only)
    partner, other = reader("p@example.com", ("partner",)), reader("o@example.com")
    staff(client, "manage_marketing")

    # when each is previewed
    shown = post(client, PREVIEW, ids(campaign, partner))["data"]["campaignStepPreview"]
    hidden = post(client, PREVIEW, ids(campaign, other))["data"]["campaignStepPreview"]

    # then only the partner's mail has the block
    assert "Partner prices inside" in shown["html"]
    assert "Partner prices inside" not in hidden["html"]


def test_a_feed_that_is_down_in_a_preview_is_not_written_to_the_campaigns_report(
    client, settings, shop
):
    # given a feed server that fails
    settings.SALEOR_MA_ALLOW_INTERNAL_FEEDS = True
    with FakeHttpServer(lambda request: CannedResponse(500)) as server:
        campaign, contact = composed(f"{server.base_url}/feed.xml"), reader()
        staff(client, "manage_marketing")

        # when the step is previewed
        preview = post(client, PREVIEW, ids(campaign, contact))["data"]["campaignStepPreview"]

    # then the feed block is left out and the report knows nothing of it
    assert "Espresso Blend" in preview["html"]
    assert "Journal" not in preview["html"]
    assert nothing_recorded() == (0, 0, 0)


def test_a_voucher_block_shows_an_example_code_since_codes_are_made_per_run(client, feed, shop):
    # given a voucher step before the newsletter's send step, and a voucher block
    blocks = [{"type": "voucher", "title": "Your code", "text": "10 % off"}]
    campaign = create_campaign(
        CampaignSpec(
            name="Issue",
            kind="newsletter",
            trigger={"type": "broadcast"},
            steps=(
                StepSpec("code", "voucher", {"discount_value": "10"}, "send"),
                StepSpec("send", "send", {"template": "newsletter", "blocks": blocks}),
            ),
        )
    )
    contact = reader()
    staff(client, "manage_marketing")

    # when
    preview = post(client, PREVIEW, ids(campaign, contact))["data"]["campaignStepPreview"]

    # then the block is there with the example code, and no voucher was made
    assert "EXAMPLE-CODE" in preview["html"]
    assert "Your code" in preview["html"]
    assert nothing_recorded() == (0, 0, 0)
    assert (IssuedVoucher.objects.count(), PooledCode.objects.count()) == (0, 0)


def test_the_catalogue_lookup_refuses_too_many_or_too_long(client, shop):
    # given
    staff(client, "manage_marketing")
    query = """query($first: Int, $search: String!) {
      catalogueSearch(kind: PRODUCT, search: $search, first: $first) { value } }"""

    # when
    too_many = post(client, query, {"first": 25, "search": "esp"})
    too_long = post(client, query, {"first": 5, "search": "x" * 101})

    # then
    assert too_many["data"]["catalogueSearch"] is None
    assert [error["message"] for error in too_many["errors"]] == ["Ask for 1 to 24."]
    assert too_long["data"]["catalogueSearch"] is None
    assert [error["message"] for error in too_long["errors"]] == ["At most 100 characters."]


def test_a_test_send_mails_the_composed_step_to_the_address_and_counts_nowhere(client, feed, shop):
    # given a composed newsletter and a reader
    campaign, contact = composed(f"{feed.base_url}/feed.xml"), reader()
    staff(client, "manage_marketing")

    # when a test goes to the marketer
    result = post(client, SEND_TEST, {**ids(campaign, contact), "email": " Me@Example.com "})

    # then one mail went there through the email channel, and nothing was recorded
    assert result["data"]["campaignStepSendTest"] == {
        "recipient": "me@example.com",
        "errors": [],
    }
    [sent] = mail.outbox
    assert sent.to == ["me@example.com"]
    assert sent.subject == "[Test] This month"
    assert sent.extra_headers["X-Marketing-Test"] == "1"
    assert "List-Unsubscribe" not in sent.extra_headers
    html = sent.alternatives[0][0]
    assert "Espresso Blend" in html
    assert "Cold brew season" in html
    assert "Cold brew season" in sent.body
    assert nothing_recorded() == (0, 0, 0)


@pytest.mark.parametrize("address", ["", "not-an-address", "anna@", "a b@example.com"])
def test_a_test_send_to_a_bad_address_is_refused_at_the_field_and_sends_nothing(
    client, feed, shop, address
):
    # given
    campaign, contact = composed(f"{feed.base_url}/feed.xml"), reader()
    staff(client, "manage_marketing")

    # when
    result = post(client, SEND_TEST, {**ids(campaign, contact), "email": address})

    # then
    assert result["data"]["campaignStepSendTest"] == {
        "recipient": None,
        "errors": [
            {"field": "email", "code": "INVALID", "message": "Enter a valid email address."}
        ],
    }
    assert mail.outbox == []
    assert feed.requests == []
    assert nothing_recorded() == (0, 0, 0)


def test_a_refused_test_address_is_explained_in_the_admins_language(client, feed, shop):
    # given a German-speaking admin
    campaign, contact = composed(f"{feed.base_url}/feed.xml"), reader()
    staff(client, "manage_marketing")
    body = {"query": SEND_TEST, "variables": {**ids(campaign, contact), "email": "nope"}}

    # when
    response = client.post(
        "/graphql/", json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="de"
    )

    # then
    assert response.json()["data"]["campaignStepSendTest"]["errors"] == [
        {"field": "email", "code": "INVALID", "message": "Gib eine gültige E-Mail-Adresse ein."}
    ]
    assert mail.outbox == []


def test_a_test_the_email_channel_refuses_answers_without_the_servers_words(
    client, feed, shop, settings
):
    # given a mail server that refuses the address
    settings.EMAIL_BACKEND = "tests.email_backends.RefusingBackend"
    campaign, contact = composed(f"{feed.base_url}/feed.xml"), reader()
    staff(client, "manage_marketing")

    # when
    result = post(client, SEND_TEST, {**ids(campaign, contact), "email": "bounce@example.com"})

    # then
    [error] = result["data"]["campaignStepSendTest"]["errors"]
    assert error == {
        "field": None,
        "code": "GRAPHQL_ERROR",
        "message": "The email channel did not accept the test. Check the email settings; "
        "the details are in the server log.",
    }
    assert mail.outbox == []
    assert nothing_recorded() == (0, 0, 0)


def test_only_an_email_send_step_has_a_preview_or_a_test(client, feed, shop):
    # given an SMS send step
    campaign, contact = composed(f"{feed.base_url}/feed.xml", channel="sms"), reader()
    staff(client, "manage_marketing")

    # when
    preview = post(client, PREVIEW, ids(campaign, contact))
    test = post(client, SEND_TEST, {**ids(campaign, contact), "email": "me@example.com"})

    # then
    assert preview["data"]["campaignStepPreview"] is None
    assert [error["message"] for error in preview["errors"]] == [
        "Only an email send step can be previewed or tested."
    ]
    assert test["data"]["campaignStepSendTest"]["errors"] == [
        {
            "field": "key",
            "code": "INVALID",
            "message": "Only an email send step can be previewed or tested.",
        }
    ]
    assert mail.outbox == []


def test_a_test_for_an_unknown_step_or_contact_is_refused_at_its_argument(client, feed, shop):
    # given
    campaign, contact = composed(f"{feed.base_url}/feed.xml"), reader()
    staff(client, "manage_marketing")
    erased = reader("gone@example.com")
    Contact.objects.filter(pk=erased.pk).update(erased_at="2026-01-01T00:00:00Z")

    # when
    no_step = post(
        client, SEND_TEST, {**ids(campaign, contact, "nope"), "email": "me@example.com"}
    )
    no_contact = post(client, SEND_TEST, {**ids(campaign, erased), "email": "me@example.com"})

    # then
    assert no_step["data"]["campaignStepSendTest"]["errors"] == [
        {"field": "key", "code": "NOT_FOUND", "message": "There is no such step."}
    ]
    assert no_contact["data"]["campaignStepSendTest"]["errors"] == [
        {"field": "contactId", "code": "NOT_FOUND", "message": "No such contact."}
    ]
    assert mail.outbox == []


@pytest.mark.parametrize("permissions", [(), ("manage_marketing_vouchers",)])
def test_without_manage_marketing_there_is_no_preview_no_test_and_no_lookup(
    client, feed, shop, permissions
):
    # given a staff member without the marketing permission
    campaign, contact = composed(f"{feed.base_url}/feed.xml"), reader()
    staff(client, *permissions)

    # when
    preview = post(client, PREVIEW, ids(campaign, contact))
    test = post(client, SEND_TEST, {**ids(campaign, contact), "email": "me@example.com"})
    search = post(client, SEARCH, {"kind": "PRODUCT", "search": "esp"})

    # then nothing is shown, fetched or sent
    denied = "You need the MANAGE_MARKETING permission."
    assert preview["data"]["campaignStepPreview"] is None
    assert [error["message"] for error in preview["errors"]] == [denied]
    assert test["data"]["campaignStepSendTest"]["errors"] == [
        {"field": None, "code": "PERMISSION_DENIED", "message": denied}
    ]
    assert search["data"]["catalogueSearch"] is None
    assert mail.outbox == []
    assert feed.requests == []


def test_the_catalogue_lookup_names_variants_by_sku_and_collections_by_slug(client, shop):
    # given
    staff(client, "manage_marketing")

    # when
    products = post(client, SEARCH, {"kind": "PRODUCT", "search": "espresso"})
    by_sku = post(client, SEARCH, {"kind": "PRODUCT", "search": "mug"})
    collections = post(client, SEARCH, {"kind": "COLLECTION", "search": "summer"})
    categories = post(client, SEARCH, {"kind": "CATEGORY", "search": "coff"})

    # then
    assert products["data"]["catalogueSearch"] == [
        {"value": "ESP-1KG", "label": "Espresso Blend · 1 kg (ESP-1KG)"}
    ]
    assert by_sku["data"]["catalogueSearch"] == [{"value": "MUG", "label": "Mug (MUG)"}]
    assert collections["data"]["catalogueSearch"] == [{"value": "summer", "label": "Summer picks"}]
    assert categories["data"]["catalogueSearch"] == [{"value": "coffee", "label": "coffee"}]
