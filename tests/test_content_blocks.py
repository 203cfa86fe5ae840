"""Content blocks: validated when saved, resolved once per batch, chosen per reader."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.models import Campaign
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast
from saleor_ma_plugin.catalogue.models import (
    CatalogueCollection,
    CataloguePage,
    CatalogueProduct,
    CatalogueVariant,
)
from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message
from tests.campaign_helpers import run_all, subscribe

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
TEMPLATE = "newsletter"


@pytest.fixture(autouse=True)
def shop(settings):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "quiet_hours": "",
        "storefront_url": "https://shop.example.com",
    }
    forget_settings()
    for number, (name, category, popularity) in enumerate(
        [("Espresso", "coffee", 90), ("Filter", "coffee", 50), ("Mug", "ware", 70)], start=1
    ):
        CatalogueProduct.objects.create(
            product_id=f"p{number}",
            name=name,
            slug=name.lower(),
            category_id=category,
            image_url=f"https://cdn.example.com/p{number}.jpg",
            price=f"{number}9.90",
            popularity=popularity,
            published_at=NOON - timedelta(days=number),
        )
        CatalogueVariant.objects.create(
            variant_id=f"v{number}", product_id=f"p{number}", name=name, sku=f"SKU-{number}"
        )
    with time_machine.travel(NOON, tick=False):
        yield
    forget_settings()


def reader(email: str, language: str = "en", tags: tuple[str, ...] = ()) -> Contact:
    contact = Contact.objects.create(email=email, first_name=email[:4], language_code=language)
    subscribe(contact)
    for tag in tags:
        ContactTag.objects.create(contact=contact, name=tag)
    return contact


def newsletter(*blocks: dict, steps: tuple[StepSpec, ...] = ()) -> Campaign:
    send = StepSpec("send", "send", {"template": TEMPLATE, "blocks": list(blocks)})
    return activate(
        create_campaign(
            CampaignSpec(
                name="Issue",
                kind="newsletter",
                trigger={"type": "broadcast"},
                audience={"consent": {"channel": "email"}},
                steps=(*steps, send) if steps else (send,),
                entry_step_key=steps[0].key if steps else "send",
            )
        )
    )


def send_issue(campaign: Campaign) -> dict[str, mail.EmailMultiAlternatives]:
    launch_broadcast(campaign, NOON)
    run_all(NOON)
    deliver_due_messages(now=NOON)
    return {sent.to[0]: sent for sent in mail.outbox}


def html_of(sent) -> str:
    return sent.alternatives[0][0]


def test_blocks_render_in_the_layout_in_each_readers_language_html_and_text():
    # given a heading and a button in two languages, rich text, an image, a divider
    campaign = newsletter(
        {"type": "heading", "text": {"en": "Spring beans", "de": "Frühlingsbohnen"}},
        {"type": "text", "html": "<p>Roasted <strong>this week</strong>.</p>"},
        {"type": "image", "url": "https://cdn.example.com/hero.jpg", "alt": "Beans"},
        {"type": "divider"},
        {
            "type": "button",
            "label": {"en": "Shop now", "de": "Jetzt kaufen"},
            "url": "https://shop.example.com/spring",
        },
    )
    reader("anna@example.com", "en")
    reader("bert@example.com", "de")

    # when the issue is sent
    sent = send_issue(campaign)

    # then each reader has the blocks in their language, in subject, HTML and text
    english, german = sent["anna@example.com"], sent["bert@example.com"]
    assert (english.subject, german.subject) == ("Spring beans", "Frühlingsbohnen")
    assert "Roasted <strong>this week</strong>." in html_of(english)
    assert 'src="https://cdn.example.com/hero.jpg"' in html_of(english)
    assert ">Jetzt kaufen</a>" in html_of(german)
    assert "Shop now: " in english.body
    assert "Roasted this week." in english.body
    assert "Frühlingsbohnen" in german.body
    assert "Jetzt kaufen: " in german.body
    assert 'lang="de"' in html_of(german)


def test_rich_text_keeps_only_safe_markup_and_https_or_mailto_links():
    # given rich text with a script, an event handler, a javascript: and a relative link
    campaign = newsletter(
        {
            "type": "text",
            "html": '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a> '
            '<a href="/local">y</a> <a href="mailto:help@example.com">mail us</a>'
            "<script>steal()</script><img src=https://x.example/i.png></p>",
        }
    )
    reader("anna@example.com")

    # when it is sent
    html = html_of(send_issue(campaign)["anna@example.com"])

    # then only the safe parts arrive
    assert "steal" not in html
    assert "javascript" not in html
    assert '"/local"' not in html
    assert "https://x.example/i.png" not in html
    assert 'href="mailto:help@example.com"' in html


@pytest.mark.parametrize(
    ("block", "field", "code"),
    [
        ({"type": "image", "url": "http://cdn.example.com/a.jpg"}, "blocks[1].url", "invalid"),
        ({"type": "button", "url": "https://shop.example.com"}, "blocks[1].label", "required"),
        ({"type": "product_picks", "source": "sku", "values": []}, "blocks[1].values", "required"),
        ({"type": "product_feed", "source": "random"}, "blocks[1].source", "invalid"),
        (
            {"type": "content_feed", "source": "rss", "url": "https://127.0.0.1/feed"},
            "blocks[1].url",
            "invalid",
        ),
        ({"type": "content_feed", "source": "pages"}, "blocks[1].page_type", "required"),
        ({"type": "heading", "text": {"english": "Hi"}}, "blocks[1].text.english", "invalid"),
        (
            {"type": "conditional", "rule": {"tag": "vip"}, "blocks": [{"type": "marquee"}]},
            "blocks[1].blocks[0].type",
            "invalid",
        ),
        (
            {"type": "conditional", "rule": {"payload.total": 1}, "blocks": [{"type": "divider"}]},
            "blocks[1].rule",
            "invalid",
        ),
        ({"type": "product_feed", "source": "newest", "limit": 50}, "blocks[1].limit", "invalid"),
    ],
)
def test_a_bad_block_is_refused_when_saved_naming_its_field(block, field, code):
    # given a send step whose second block is wrong
    blocks = [{"type": "divider"}, block]

    # when the campaign is saved
    with pytest.raises(FieldError) as refused:
        newsletter(*blocks)

    # then the error names the block's field and nothing is stored
    assert refused.value.field.startswith("steps[0].config.")
    assert refused.value.field.removeprefix("steps[0].config.") == field
    assert refused.value.code == code
    assert Campaign.objects.count() == 0


def test_a_voucher_block_without_a_voucher_step_before_it_is_refused():
    # given a voucher block in a flow with no voucher step
    # when it is saved
    with pytest.raises(FieldError) as refused:
        newsletter({"type": "heading", "text": "Hi"}, {"type": "voucher"})

    # then the flow is refused at the block, and nothing is stored
    assert refused.value.field == "steps.send.config.blocks[1]"
    assert refused.value.code == "not_found"
    assert Campaign.objects.count() == 0


def test_the_voucher_block_shows_each_readers_own_code():
    # given a voucher step before a send step with a voucher block
    voucher = StepSpec(
        "code", "voucher", {"discount_type": "percentage", "discount_value": "10"}, "send"
    )
    campaign = newsletter(
        {"type": "voucher", "title": {"en": "For you", "de": "Für dich"}}, steps=(voucher,)
    )
    anna, bert = reader("anna@example.com"), reader("bert@example.com", "de")

    # when the issue is sent
    sent = send_issue(campaign)

    # then each reader sees their own code, in HTML and text
    codes = {
        contact.email: Message.objects.get(contact=contact).context["voucher_code"]
        for contact in (anna, bert)
    }
    assert codes["anna@example.com"] != codes["bert@example.com"]
    for email, code in codes.items():
        assert code in html_of(sent[email])
        assert code in sent[email].body
    assert "Für dich" in html_of(sent["bert@example.com"])


def test_conditional_blocks_speak_to_each_audience_differently():
    # given blocks for partners and for leads, and a block for everyone
    campaign = newsletter(
        {"type": "heading", "text": "Hello all"},
        {
            "type": "conditional",
            "rule": {"tag": "partner"},
            "blocks": [{"type": "text", "html": "<p>Partner prices inside.</p>"}],
        },
        {
            "type": "conditional",
            "rule": {"field": "lifecycle_stage", "op": "eq", "value": "lead"},
            "blocks": [{"type": "text", "html": "<p>Welcome, new friend.</p>"}],
        },
    )
    reader("part@example.com", tags=("partner",))
    Contact.objects.filter(pk=reader("lead@example.com").pk).update(lifecycle_stage="lead")
    reader("cust@example.com")

    # when the issue is sent
    sent = send_issue(campaign)

    # then each one reads only the blocks meant for them
    shown = {
        email: ("Partner prices" in html_of(m), "new friend" in html_of(m), "Hello all" in m.body)
        for email, m in sent.items()
    }
    assert shown == {
        "part@example.com": (True, False, True),
        "lead@example.com": (False, True, True),
        "cust@example.com": (False, False, True),
    }


def test_product_picks_and_feeds_resolve_once_per_batch_in_their_order():
    # given picks by SKU (in the admin's order), a category, a collection and newest
    CatalogueCollection.objects.create(slug="gifts", name="Gifts", product_ids=["p3", "p1"])
    campaign = newsletter(
        {"type": "product_picks", "source": "sku", "values": ["SKU-3", "SKU-1", "NOPE"]},
        {"type": "product_picks", "source": "category", "values": ["coffee"], "limit": 1},
        {"type": "product_feed", "source": "collection", "collection": "gifts"},
        {"type": "product_feed", "source": "newest", "limit": 2, "title": "New"},
    )
    for number in range(6):
        reader(f"r{number}@example.com")

    # when the issue is sent, counting catalogue queries
    launch_broadcast(campaign, NOON)
    run_all(NOON)
    with CaptureQueriesContext(connection) as queries:
        deliver_due_messages(now=NOON)
    catalogue = [q for q in queries.captured_queries if "catalogueproduct" in q["sql"]]

    # then every reader sees the lists in order, resolved once for all six
    text = mail.outbox[0].body
    grids = [part.split("\n") for part in text.split("\n\n") if part.startswith(("- ", "New"))]
    names = [[line[2:].split(" (")[0] for line in grid if line.startswith("- ")] for grid in grids]
    assert names == [
        ["Mug", "Espresso"],
        ["Espresso"],
        ["Mug", "Espresso"],
        ["Espresso", "Filter"],
    ]
    assert len(mail.outbox) == 6
    assert len(catalogue) <= 10


def test_the_newsletter_preset_is_a_complete_first_issue_without_a_template():
    # given the preset with an intro and a page type, and journal pages in two languages
    CataloguePage.objects.create(
        page_id="1",
        page_type="journal",
        slug="brewing",
        title="Brewing guide",
        summary="Five steps.",
        published_at=NOON - timedelta(days=1),
        translations={"de": {"title": "Brühanleitung", "summary": "Fünf Schritte."}},
    )
    CataloguePage.objects.create(
        page_id="2", page_type="recipes", slug="cake", title="Cake", published_at=NOON
    )
    campaign = activate(
        create_from_preset(
            "newsletter", {"intro": "<p>Spring is here.</p>", "page_type": "journal"}
        )
    )
    reader("anna@example.com")
    reader("bert@example.com", "de")

    # when it is sent
    sent = send_issue(campaign)

    # then heading, intro, bestsellers and the journal arrive in each language
    english, german = sent["anna@example.com"], sent["bert@example.com"]
    assert english.subject == "What's new"
    assert german.subject == "Was gibt's Neues"
    for part in (
        "Spring is here.",
        "Our bestsellers",
        "- Espresso",
        "Brewing guide",
        "Five steps.",
    ):
        assert part in english.body
    assert "Brühanleitung" in german.body
    assert "Unsere Bestseller" in german.body
    assert "Cake" not in english.body
    assert 'href="https://shop.example.com/pages/brewing/"' not in html_of(english)  # tracked
    assert "/pages/brewing/" in english.body


def test_product_blocks_name_products_in_each_readers_language():
    # given a German name for one product, a German and an English reader
    CatalogueProduct.objects.filter(product_id="p3").update(names={"de": "Becher"})
    campaign = newsletter({"type": "product_picks", "source": "sku", "values": ["SKU-3"]})
    reader("de@example.com", "de")
    reader("en@example.com", "en")

    # when
    sent = send_issue(campaign)

    # then
    assert "- Becher" in sent["de@example.com"].body
    assert "Mug" not in sent["de@example.com"].body
    assert "- Mug" in sent["en@example.com"].body


def test_a_rich_text_link_tags_the_readers_who_click_it_with_its_interests(client):
    # given a text block whose link names two valid interests and one that is not a tag
    campaign = newsletter(
        {
            "type": "text",
            "html": '<p><a href="https://shop.example.com/espresso" '
            'data-interest="Espresso, brewing, &lt;b&gt;">Espresso</a></p>',
        }
    )
    anna = reader("anna@example.com")

    # when the issue is sent and anna clicks that link
    html = html_of(send_issue(campaign)["anna@example.com"])
    clicks = [
        response
        for href in re.findall(r'href="http://localhost:8000(/[^"]+)"', html)
        if (response := client.get(unescape(href))).get("Location")
        == "https://shop.example.com/espresso"
    ]

    # then the link was tracked without its attribute, and the click tagged her
    assert "data-interest" not in html
    assert len(clicks) == 1
    assert sorted(ContactTag.objects.filter(contact=anna).values_list("name", flat=True)) == [
        "interest:brewing",
        "interest:espresso",
    ]
