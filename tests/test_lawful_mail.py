"""Feedback requests are marketing, every mail names its sender, Message-IDs use its domain."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.message import DNS_NAME
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns import CampaignStatus
from saleor_ma_plugin.campaigns.editing import activate
from saleor_ma_plugin.campaigns.models import Campaign
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.steps import parse_step_config
from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.configuration import FeedbackConsent, parse_configuration
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.channels.base import OutgoingMessage
from saleor_ma_plugin.messaging.channels.mime import build_mime
from saleor_ma_plugin.messaging.delivery import deliver_due_messages
from saleor_ma_plugin.messaging.models import Message
from tests.api_helpers import post, staff
from tests.campaign_helpers import subscribe
from tests.messaging_helpers import queue, template
from tests.test_preset_sends import START, mail_to, place_order, tick

pytestmark = pytest.mark.django_db
IMPRINT = "Kaffee & Co GmbH\nRöstereiweg 7\n20457 Hamburg"
OBJECTION_EN = "You can object to emails like this at any time"
OBJECTION_DE = "Du kannst solchen E-Mails jederzeit widersprechen"
ACTIVATE = """mutation ($id: ID!) {
  campaignActivate(id: $id) { campaign { status } errors { field code message } }
}"""


@pytest.fixture(autouse=True)
def shop(settings, db):
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "storefront_url": "https://shop.example",
        "public_base_url": "https://api.shop.example",
        "quiet_hours": "",
        "smart_sending_hours": "0",
        "imprint": IMPRINT,
        "email_backend": "django.core.mail.backends.locmem.EmailBackend",
    }
    forget_settings()
    yield
    forget_settings()


def use(settings, **values) -> None:
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, **values}
    forget_settings()


def buyer(email: str, language: str = "en", consent: bool = False) -> Contact:
    contact = Contact.objects.create(email=email, first_name="Anna", language_code=language)
    if consent:
        subscribe(contact)
    return contact


def follow_up(contact: Contact) -> None:
    activate(create_from_preset("order_follow_up", {"feedback_after_days": 7}))
    place_order(contact, START)
    tick(START + timedelta(minutes=5))
    tick(START + timedelta(days=7, hours=1))


def feedback_message(contact: Contact) -> Message:
    return Message.objects.get(contact=contact, template="order_feedback_request")


# ------------------------------------------------------------------ settings
def test_lawful_mail_settings_default_to_caps_consent_and_no_imprint():
    # when
    settings = parse_configuration({})

    # then
    assert (
        settings.max_marketing_per_day,
        settings.max_marketing_per_week,
        settings.feedback_consent,
        settings.imprint,
    ) == (2, 5, FeedbackConsent.CONSENT, "")


def test_lawful_mail_settings_are_read():
    # when
    settings = parse_configuration(
        {
            "max_marketing_per_day": "0",
            "max_marketing_per_week": " 3 ",
            "feedback_consent": "existing_customer",
            "imprint": "  Shop GmbH \r\n Street 1  \n",
        }
    )

    # then
    assert (
        settings.max_marketing_per_day,
        settings.max_marketing_per_week,
        settings.feedback_consent,
        settings.imprint,
    ) == (0, 3, FeedbackConsent.EXISTING_CUSTOMER, "Shop GmbH\nStreet 1")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"max_marketing_per_day": "-1"}, "max_marketing_per_day"),
        ({"max_marketing_per_day": "often"}, "max_marketing_per_day"),
        ({"max_marketing_per_week": "1001"}, "max_marketing_per_week"),
        ({"max_marketing_per_day": "4", "max_marketing_per_week": "3"}, "max_marketing_per_day"),
        ({"feedback_consent": "maybe"}, "feedback_consent"),
        ({"imprint": "x" * 2001}, "imprint"),
        ({"imprint": "Shop\x00GmbH"}, "imprint"),
    ],
)
def test_invalid_lawful_mail_settings_are_refused_by_field(values, field):
    # when
    with pytest.raises(ValidationError) as refused:
        parse_configuration(values)

    # then
    assert list(refused.value.message_dict) == [field]


# ------------------------------------------------------------ feedback requests
def test_a_feedback_request_needs_marketing_consent_by_default():
    # given
    anna = buyer("anna@example.com")

    # when
    follow_up(anna)

    # then the delivery forecast (transactional) went, the feedback request did not
    assert [m.subject for m in mail.outbox if "How did we do" in m.subject] == []
    assert len(mail.outbox) == 1
    message = feedback_message(anna)
    assert (message.transactional, message.status, message.last_error) == (
        False,
        MessageStatus.SUPPRESSED,
        "no_consent",
    )


def test_a_subscriber_gets_the_feedback_request_as_marketing():
    # given
    anna = buyer("anna@example.com", consent=True)

    # when
    follow_up(anna)

    # then
    text, _html = mail_to(anna, "How did we do")
    assert OBJECTION_EN not in text
    assert "List-Unsubscribe" in mail.outbox[-1].extra_headers
    assert feedback_message(anna).status == MessageStatus.SENT


@pytest.mark.parametrize(
    ("language", "subject", "objection", "label"),
    [
        ("en", "How did we do", OBJECTION_EN, "Imprint"),
        ("de", "Wie zufrieden", OBJECTION_DE, "Impressum"),
    ],
)
def test_existing_customers_get_the_feedback_request_with_an_objection_notice(
    settings, language, subject, objection, label
):
    # given
    use(settings, feedback_consent="existing_customer")
    anna = buyer(f"anna.{language}@example.com", language)

    # when
    follow_up(anna)

    # then
    text, html = mail_to(anna, subject)
    assert objection in text
    assert objection in html
    assert f"{label}\n{IMPRINT}" in text
    assert "Röstereiweg 7<br>20457 Hamburg" in html
    assert "https://api.shop.example/u/" in text
    sent = next(m for m in mail.outbox if subject in m.subject)
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_objection_stops_feedback_requests_under_the_exemption(settings):
    # given
    use(settings, feedback_consent="existing_customer")
    anna = buyer("anna@example.com")
    change_consent(
        anna,
        ConsentChannel.EMAIL,
        ConsentStatus.UNSUBSCRIBED,
        ConsentProof(ConsentMethod.UNSUBSCRIBE_LINK),
    )

    # when
    follow_up(anna)

    # then
    assert [m for m in mail.outbox if "How did we do" in m.subject] == []
    assert feedback_message(anna).last_error == "no_consent"


def test_a_contact_without_an_order_gets_no_feedback_request_under_the_exemption(settings):
    # given
    use(settings, feedback_consent="existing_customer")
    template("feedback")
    anna = buyer("anna@example.com")
    message = queue(anna, "feedback", context={"purpose": "feedback"})

    # when
    with time_machine.travel(datetime.now(UTC), tick=False):
        deliver_due_messages()

    # then
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.SUPPRESSED, "no_consent")


def test_a_feedback_step_cannot_be_transactional():
    # when
    with pytest.raises(FieldError) as refused:
        parse_step_config(
            "send",
            {"template": "order_feedback_request", "purpose": "feedback", "transactional": True},
            "steps[0].config",
        )

    # then
    assert refused.value.field == "steps[0].config.transactional"


def test_a_feedback_step_stored_as_transactional_is_read_as_marketing():
    # when
    config = parse_step_config(
        "send", {"template": "order_feedback_request", "transactional": True}, "config"
    )

    # then
    assert (config.transactional, config.purpose) == (False, "feedback")


# --------------------------------------------------------------------- imprint
@pytest.mark.parametrize(("language", "label"), [("en", "Imprint"), ("de", "Impressum")])
def test_every_marketing_mail_carries_the_imprint_in_html_and_text(language, label):
    # given
    anna = buyer(f"anna.{language}@example.com", language, consent=True)
    queue(anna, "welcome_1")

    # when
    deliver_due_messages()

    # then
    sent = mail.outbox[0]
    html = sent.alternatives[0][0]
    assert sent.body.endswith(f"{label}\n{IMPRINT}")
    assert "data-legal-footer" in html
    assert f"<strong>{label}</strong><br>Kaffee &amp; Co GmbH<br>Röstereiweg 7" in html
    assert html.count("Röstereiweg 7") == 1
    assert OBJECTION_EN not in sent.body


def test_a_template_without_the_layout_still_carries_the_imprint():
    # given
    template()
    anna = buyer("anna@example.com", consent=True)
    queue(anna)

    # when
    deliver_due_messages()

    # then
    html = mail.outbox[0].alternatives[0][0]
    assert html.count("data-legal-footer") == 1
    assert "Imprint<br>Kaffee &amp; Co GmbH<br>Röstereiweg 7<br>20457 Hamburg</p></div>" in html
    assert html.rstrip().endswith("</body></html>")
    assert mail.outbox[0].body.endswith(f"Imprint\n{IMPRINT}")


def test_activating_a_marketing_campaign_without_an_imprint_is_refused(settings):
    # given
    use(settings, imprint="")
    campaign = create_from_preset("welcome_series")

    # when
    with pytest.raises(FieldError) as refused:
        activate(campaign)

    # then
    assert (refused.value.field, refused.value.code) == ("imprint", "required")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_the_activation_mutation_names_the_missing_imprint(settings, client):
    # given
    use(settings, imprint="")
    staff(client, "manage_marketing")
    campaign = create_from_preset("order_follow_up")

    # when
    result = post(client, ACTIVATE, {"id": to_global_id("Campaign", campaign.pk)})

    # then
    payload = result["data"]["campaignActivate"]
    assert payload["campaign"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("imprint", "REQUIRED")]
    assert "postal address (imprint)" in payload["errors"][0]["message"]
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_a_transactional_campaign_activates_without_an_imprint(settings):
    # given
    use(settings, imprint="")

    # when
    campaign = activate(create_from_preset("back_in_stock"))

    # then
    assert campaign.status == CampaignStatus.ACTIVE


# ------------------------------------------------------------------ Message-ID
@pytest.mark.parametrize(
    ("sender", "domain"),
    [
        ("Kaffee & Co <hallo@Kaffee-und-Co.example>", "kaffee-und-co.example"),
        ("shop@bücher.example", "xn--bcher-kva.example"),
        ("", str(DNS_NAME)),
    ],
)
def test_message_ids_use_the_senders_domain(sender, domain):
    # given
    outgoing = OutgoingMessage(1, "email", "anna@example.com", "Hi", "Hello", from_address=sender)

    # when
    built = build_mime(outgoing, "")

    # then
    assert built.message_id.endswith(f"@{domain}>")
    assert f"Message-ID: {built.message_id}\r\n".encode() in built.raw
