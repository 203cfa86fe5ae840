"""The admin API: every operation's permission matrix, happy paths, invalid input, query counts.

Operations are the example documents in graphql/operations/admin/, so the examples are
exercised too. "Changes nothing" compares every row of the app's tables (and the mail
outbox) before and after.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from saleor_ma_plugin.attribution import AttributionModel, Touch
from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.campaigns import EnrollmentStatus
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.models import Campaign, Enrollment, Step
from saleor_ma_plugin.campaigns.presets.shop import save_from_campaign
from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.contacts.models import Consent, Contact, ContactRevenue, ContactTag
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.graphql_api.contacts.mutations import contacts_export
from saleor_ma_plugin.messaging.models import Message, NewsletterTopic, Template
from saleor_ma_plugin.messaging.templates_store import TemplateStore, shipped_keys
from saleor_ma_plugin.reporting.stats import step_figures
from saleor_ma_plugin.reporting.steps import step_figures_by_campaign
from saleor_ma_plugin.scoring.models import ScoreRule
from saleor_ma_plugin.segments.models import Segment
from tests.api_helpers import post, staff
from tests.campaign_helpers import subscribe
from tests.messaging_helpers import queue

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations" / "admin"
PERMISSION_MESSAGE = "You need the MANAGE_MARKETING permission."
SOURCE = (
    '{% block subject %}Hi {{ contact.first_name|default:"there" }}{% endblock %}'
    "{% block text_body %}Hello {{ contact.first_name }}, {{ shop.name }}{% endblock %}"
    "{% block html_body %}<p>Hello {{ contact.first_name }}</p>{% endblock %}"
)
DAY_1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def operation(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")


def is_mutation(name: str) -> bool:
    return operation(name).lstrip().startswith("mutation")


def run(client, name: str, variables: dict | None = None) -> dict:
    return post(client, operation(name), variables)


def gid(instance) -> str:
    type_name = {
        Campaign: "Campaign",
        Contact: "Contact",
        Template: "Template",
        NewsletterTopic: "NewsletterTopic",
        ScoreRule: "ScoreRule",
        Segment: "Segment",
    }[type(instance)]
    return to_global_id(type_name, instance.pk)


def snapshot() -> dict:
    """Every row of the app's tables and the mail outbox."""
    state = {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("saleor_ma_plugin").get_models()
    }
    state["outbox"] = [(message.subject, tuple(message.to)) for message in mail.outbox]
    return state


@dataclass
class World:
    contact: Contact
    draft: Campaign
    broadcast: Campaign
    template: Template
    topic: NewsletterTopic
    score_rule: ScoreRule
    experiment: Campaign
    segment: Segment


@pytest.fixture
def world() -> World:
    contact = Contact.objects.create(
        email="anna@example.com",
        first_name="Anna",
        last_name="Berg",
        language_code="en",
        country="DE",
        orders_count=2,
        lifecycle_stage="repeat_customer",
    )
    ContactTag.objects.create(contact=contact, name="coffee")
    ContactRevenue.objects.create(
        contact=contact, currency="EUR", orders_count=2, total_gross=Decimal("59.800")
    )
    subscribe(contact)
    draft = create_campaign(
        CampaignSpec(
            name="Welcome",
            kind="autoresponder",
            trigger={"type": "event", "event": "newsletter.confirmed"},
            steps=(
                StepSpec("first", "send", {"template": "welcome_1"}, "second"),
                StepSpec("second", "send", {"template": "welcome_2"}),
            ),
        )
    )
    broadcast = activate(
        create_campaign(
            CampaignSpec(
                name="Spring",
                kind="standalone",
                trigger={"type": "broadcast"},
                audience={"consent": {"channel": "email"}},
                steps=(StepSpec("send", "send", {"template": "standalone"}),),
            )
        )
    )
    template = Template.objects.create(key="welcome_1", language="en", version=1, source=SOURCE)
    topic = NewsletterTopic.objects.create(slug="deals", names={"en": "Deals"}, position=1)
    score_rule = ScoreRule.objects.create(name="Clicks", event_type="email.clicked", points=5)
    experiment = create_campaign(
        CampaignSpec(
            name="Subject test",
            kind="newsletter",
            trigger={"type": "manual"},
            steps=(
                StepSpec(
                    "ab",
                    "split",
                    {
                        "variants": [
                            {"name": "A", "weight": 1, "next": "a"},
                            {"name": "B", "weight": 1, "next": "b"},
                        ]
                    },
                ),
                StepSpec("a", "send", {"template": "newsletter"}),
                StepSpec("b", "send", {"template": "newsletter"}),
            ),
        )
    )
    segment = Segment.objects.create(name="Coffee lovers", rules={"tag": "coffee"})
    return World(contact, draft, broadcast, template, topic, score_rule, experiment, segment)


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


# --------------------------------------------------------------------------- permissions

PRESET_DOCUMENT = {
    "format": "saleor-ma-plugin/campaign-preset",
    "version": 1,
    "preset": {"slug": "imported", "title": "Imported"},
    "campaign": {
        "name": "Imported",
        "kind": "autoresponder",
        "trigger": {"type": "manual"},
        "steps": [{"key": "hello", "type": "send", "config": {"template": "welcome_1"}}],
    },
}


def shop_preset(w) -> str:
    """A preset the shop saved from the draft; its slug."""
    return save_from_campaign(w.draft, {"slug": "saved", "title": "Saved"}, []).slug


def superseded_template(w) -> str:
    """The world's template version once a newer one was saved; its id."""
    Template.objects.create(key="welcome_1", language="en", version=2, source=SOURCE + " ")
    return gid(w.template)


def linked_customer(w) -> str:
    """The Saleor user id of the world's contact, as the Dashboard passes it."""
    Contact.objects.filter(pk=w.contact.pk).update(saleor_user_id="17")
    return to_global_id("User", "17")


def attributed_order(w) -> str:
    """The Saleor order id of an order the broadcast earned."""
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    Conversion.objects.create(
        order_id="order-1",
        model=AttributionModel.LAST_TOUCH,
        campaign=w.broadcast,
        step_key="send",
        revenue=Decimal("20.00"),
        currency="EUR",
        touch=Touch.CLICK,
        touched_at=at - timedelta(hours=1),
        occurred_at=at,
    )
    return to_global_id("Order", "order-1")


#: Every admin operation with variables that succeed for a marketer on the world fixture.
MATRIX = {
    "campaigns": lambda w: {"first": 10},
    "interestGroups": lambda w: {"first": 10},
    "contactTags": lambda w: {"search": "cof", "first": 5},
    "marketingSettings": lambda w: {},
    "marketingSettingsUpdate": lambda w: {"input": {"quietHours": "21:00-08:00"}},
    "campaign": lambda w: {"id": gid(w.draft)},
    "campaignPresets": lambda w: {},
    "campaignDryRun": lambda w: {"id": gid(w.draft), "contactId": gid(w.contact)},
    "campaignEntrantsCount": lambda w: {"id": gid(w.broadcast)},
    "campaignCreate": lambda w: {
        "input": {
            "name": "Thanks",
            "kind": "AUTORESPONDER",
            "trigger": {"type": "event", "event": "order.created"},
            "steps": [{"key": "send", "type": "SEND", "config": {"template": "welcome_1"}}],
        }
    },
    "campaignCreateFromPreset": lambda w: {"preset": "order_follow_up"},
    "campaignCreateForInterestGroup": lambda w: {
        "input": {"tag": "coffee", "name": "Coffee mailing", "segmentName": "Coffee"}
    },
    "campaignUpdate": lambda w: {"id": gid(w.draft), "input": {"name": "Hello", "priority": 3}},
    "campaignActivate": lambda w: {"id": gid(w.draft)},
    "campaignPause": lambda w: {"id": gid(w.broadcast)},
    "campaignArchive": lambda w: {"id": gid(w.draft)},
    "campaignDuplicate": lambda w: {"id": gid(w.draft), "name": "Copy"},
    "campaignLaunch": lambda w: {"id": gid(w.broadcast)},
    "campaignStepAdd": lambda w: {
        "campaignId": gid(w.draft),
        "input": {"key": "pause", "type": "WAIT", "config": {"days": 1}},
        "afterKey": "first",
    },
    "campaignStepUpdate": lambda w: {
        "campaignId": gid(w.draft),
        "key": "first",
        "config": {"template": "welcome_3"},
    },
    "campaignStepMove": lambda w: {"campaignId": gid(w.draft), "key": "second", "position": 0},
    "campaignStepRemove": lambda w: {"campaignId": gid(w.draft), "key": "second"},
    "campaignStepPreview": lambda w: {
        "campaignId": gid(w.draft),
        "key": "first",
        "contactId": gid(w.contact),
    },
    "campaignStepSendTest": lambda w: {
        "campaignId": gid(w.draft),
        "key": "first",
        "contactId": gid(w.contact),
        "email": "me@example.com",
    },
    "catalogueSearch": lambda w: {"kind": "PRODUCT", "search": "espresso"},
    "templates": lambda w: {"first": 10},
    "template": lambda w: {"id": gid(w.template)},
    "templateKeys": lambda w: {},
    "templatePreview": lambda w: {
        "key": "welcome_1",
        "language": "en",
        "contactId": gid(w.contact),
    },
    "templateCreate": lambda w: {
        "input": {"key": "welcome_2", "language": "de", "source": SOURCE}
    },
    "templateUpdate": lambda w: {"id": gid(w.template), "source": SOURCE + " "},
    "templateDelete": lambda w: {"id": gid(w.template)},
    "templateSummaries": lambda w: {"filter": {"channel": "EMAIL"}},
    "templateInUse": lambda w: {"key": "welcome_1", "language": "en"},
    "templateRevert": lambda w: {"id": superseded_template(w), "expectedVersion": 2},
    "templateSendTest": lambda w: {
        "key": "welcome_1",
        "language": "en",
        "email": "me@example.com",
    },
    "newsletterTopics": lambda w: {"first": 10},
    "newsletterTopicCreate": lambda w: {"input": {"slug": "recipes", "names": {"en": "Recipes"}}},
    "newsletterTopicUpdate": lambda w: {"id": gid(w.topic), "input": {"position": 7}},
    "newsletterTopicDelete": lambda w: {"id": gid(w.topic)},
    "scoreRules": lambda w: {},
    "segments": lambda w: {"first": 10},
    "segment": lambda w: {"id": gid(w.segment)},
    "segmentCountPreview": lambda w: {"rules": {"tag": "coffee"}},
    "segmentSamplePreview": lambda w: {"rules": {"tag": "coffee"}},
    "segmentPresets": lambda w: {"currency": "EUR"},
    "segmentCreate": lambda w: {
        "input": {"name": "Repeat", "rules": {"rfm": {"frequency_min": 2}}}
    },
    "segmentUpdate": lambda w: {"id": gid(w.segment), "input": {"name": "Coffee fans"}},
    "segmentDelete": lambda w: {"id": gid(w.segment)},
    "segmentRefresh": lambda w: {"id": gid(w.segment)},
    "campaignAttribution": lambda w: {"id": gid(w.broadcast)},
    "experimentResults": lambda w: {"campaignId": gid(w.experiment), "stepKey": "ab"},
    "experimentDecide": lambda w: {
        "campaignId": gid(w.experiment),
        "stepKey": "ab",
        "variant": "B",
    },
    "scoreRuleCreate": lambda w: {
        "input": {"name": "Views", "eventType": "product.viewed", "points": 2, "capPoints": 10}
    },
    "scoreRuleUpdate": lambda w: {"id": gid(w.score_rule), "input": {"points": 8}},
    "scoreRuleDelete": lambda w: {"id": gid(w.score_rule)},
    "contacts": lambda w: {"first": 10},
    "contact": lambda w: {"id": gid(w.contact), "timelineFirst": 5},
    "contactUpdate": lambda w: {"id": gid(w.contact), "input": {"tags": ["vip"]}},
    "contactErase": lambda w: {"id": gid(w.contact)},
    "contactPersonalDataExport": lambda w: {"id": gid(w.contact)},
    "contactsExport": lambda w: {"filter": {"search": "anna"}},
    "campaignReport": lambda w: {"id": gid(w.broadcast)},
    "campaignReports": lambda w: {"ids": [gid(w.broadcast), gid(w.draft)]},
    "campaignPresetSave": lambda w: {
        "campaignId": gid(w.draft),
        "input": {"slug": "mine", "title": "Mine"},
    },
    "campaignPresetImport": lambda w: {"document": PRESET_DOCUMENT},
    "campaignPresetExport": lambda w: {"slug": shop_preset(w)},
    "campaignPresetDelete": lambda w: {"slug": shop_preset(w)},
    "campaignPresetDocumentSchema": lambda w: {},
    "marketingViewer": lambda w: {},
    "automationRevenue": lambda w: {"days": 30},
    "campaignRevenues": lambda w: {"ids": [gid(w.broadcast), gid(w.draft)]},
    "campaignPresetPreview": lambda w: {"preset": "win_back", "params": {"days": 60}},
    "customerContact": lambda w: {"customerId": linked_customer(w)},
    "orderAttribution": lambda w: {"orderId": attributed_order(w)},
}
#: Operations anyone may call: the viewer tells an anonymous caller that it is anonymous
#: (tests/test_dashboard_api.py), so the app can send it to the login.
PUBLIC = {"marketingViewer"}


def as_anonymous(client):
    return client


def as_customer(client):
    user = User.objects.create_user("customer@example.com", "customer@example.com", "x")
    client.force_login(user)
    return client


def as_staff_without_permission(client):
    staff(client, "manage_marketing_vouchers")
    return client


DENIED = {
    "anonymous": as_anonymous,
    "customer": as_customer,
    "staff-without-manage-marketing": as_staff_without_permission,
}


def payload_of(result: dict, name: str):
    return (result.get("data") or {}).get(name)


def test_the_matrix_covers_every_admin_operation_file():
    assert sorted(MATRIX) == sorted(path.stem for path in OPERATIONS.glob("*.graphql"))


@pytest.mark.parametrize("requestor", DENIED)
@pytest.mark.parametrize("name", [name for name in MATRIX if name not in PUBLIC])
def test_without_manage_marketing_nothing_is_read_or_changed(client, world, name, requestor):
    # given
    caller = DENIED[requestor](client)
    variables = MATRIX[name](world)
    before = snapshot()

    # when
    result = run(caller, name, variables)

    # then
    if is_mutation(name):
        payload = payload_of(result, name)
        assert payload["errors"] == [
            {"field": None, "code": "PERMISSION_DENIED", "message": PERMISSION_MESSAGE}
        ]
        assert all(value is None for key, value in payload.items() if key != "errors")
    else:
        assert payload_of(result, name) is None
        assert [error["message"] for error in result["errors"]] == [PERMISSION_MESSAGE]
    assert snapshot() == before


@pytest.mark.parametrize("name", MATRIX)
def test_staff_with_manage_marketing_succeeds(marketer, world, name):
    # when
    result = run(marketer, name, MATRIX[name](world))

    # then
    assert "errors" not in result, result["errors"]
    payload = payload_of(result, name)
    assert payload is not None
    if is_mutation(name):
        assert payload["errors"] == []


def test_node_hides_admin_objects_without_permission(client, world):
    # given
    query = "query($id: ID!) { node(id: $id) { id } }"
    ids = [gid(world.contact), gid(world.template), gid(world.topic)]

    # when
    anonymous = [post(client, query, {"id": node_id})["data"]["node"] for node_id in ids]
    staff(client, "manage_marketing")
    marketer = [post(client, query, {"id": node_id})["data"]["node"] for node_id in ids]

    # then
    assert anonymous == [None, None, None]
    assert marketer == [{"id": node_id} for node_id in ids]


# --------------------------------------------------------------------------- invalid input

#: (operation, variables, (field, code) of the first error); each must change nothing.
INVALID = [
    (
        "campaignCreate",
        lambda w: {"input": {**MATRIX["campaignCreate"](w)["input"], "trigger": {"type": "x"}}},
        ("trigger.type", "INVALID"),
    ),
    ("campaignCreateFromPreset", lambda w: {"preset": "no-such-preset"}, None),
    (
        "campaignCreateForInterestGroup",
        lambda w: {"input": {"tag": " ", "name": "Mailing", "segmentName": "Coffee"}},
        ("tag", "REQUIRED"),
    ),
    ("campaignUpdate", lambda w: {"id": gid(w.draft), "input": {"name": " "}}, None),
    ("campaignActivate", lambda w: {"id": to_global_id("Campaign", 0)}, ("id", "NOT_FOUND")),
    ("campaignPause", lambda w: {"id": gid(w.contact)}, ("id", "INVALID")),
    ("campaignArchive", lambda w: {"id": "garbage"}, ("id", "INVALID")),
    ("campaignDuplicate", lambda w: {"id": to_global_id("Campaign", 0)}, ("id", "NOT_FOUND")),
    ("campaignLaunch", lambda w: {"id": gid(w.draft)}, ("id", "INVALID")),
    (
        "campaignStepAdd",
        lambda w: {
            "campaignId": gid(w.draft),
            "input": {"key": "third", "type": "SEND", "config": {}},
        },
        ("steps[2].config.template", "REQUIRED"),
    ),
    (
        "campaignStepUpdate",
        lambda w: {"campaignId": gid(w.draft), "key": "nope", "config": {}},
        ("key", "NOT_FOUND"),
    ),
    (
        "campaignStepMove",
        lambda w: {"campaignId": gid(w.draft), "key": "nope", "position": 0},
        ("key", "NOT_FOUND"),
    ),
    (
        "campaignStepRemove",
        lambda w: {"campaignId": gid(w.draft), "key": "nope"},
        ("key", "NOT_FOUND"),
    ),
    (
        "templateCreate",
        lambda w: {"input": {"key": "x", "language": "en", "source": "{% load static %}"}},
        ("source", "TEMPLATE_REFUSED"),
    ),
    (
        "templateCreate",
        lambda w: {"input": {"key": "x", "language": "en", "source": "{% block subject %}Hi"}},
        ("source", "INVALID"),
    ),
    (
        "templateCreate",
        lambda w: {"input": {"key": "x", "language": "en", "source": '{% extends "base.html" %}'}},
        ("source", "TEMPLATE_REFUSED"),
    ),
    (
        "templateCreate",
        lambda w: {"input": {"key": "no spaces", "language": "en", "source": SOURCE}},
        ("key", "INVALID"),
    ),
    (
        "templateCreate",
        lambda w: {"input": {"key": "x", "language": "de-AT", "source": SOURCE}},
        ("language", "INVALID"),
    ),
    (
        "templateCreate",
        lambda w: {"input": {"key": "x", "language": "en", "source": "  "}},
        ("source", "REQUIRED"),
    ),
    (
        "templateUpdate",
        lambda w: {"id": gid(w.template), "source": "{{ contact|pprint }}"},
        ("source", "TEMPLATE_REFUSED"),
    ),
    (
        "templateUpdate",
        lambda w: {"id": to_global_id("Template", 0), "source": SOURCE},
        ("id", "NOT_FOUND"),
    ),
    ("templateDelete", lambda w: {"id": gid(w.topic)}, ("id", "INVALID")),
    (
        "templateSendTest",
        lambda w: {"key": "welcome_1", "language": "en", "email": "not-an-address"},
        ("email", "INVALID"),
    ),
    (
        "campaignStepSendTest",
        lambda w: {
            **MATRIX["campaignStepSendTest"](w),
            "email": "not-an-address",
        },
        ("email", "INVALID"),
    ),
    (
        "campaignStepSendTest",
        lambda w: {**MATRIX["campaignStepSendTest"](w), "key": "nope"},
        ("key", "NOT_FOUND"),
    ),
    (
        "templateSendTest",
        lambda w: {"key": "no_such_key", "language": "en", "email": "me@example.com"},
        ("key", "NOT_FOUND"),
    ),
    (
        "templateSendTest",
        lambda w: {
            "key": "welcome_1",
            "language": "en",
            "email": "me@example.com",
            "source": "{% include 'x.html' %}",
        },
        ("source", "TEMPLATE_REFUSED"),
    ),
    (
        "newsletterTopicCreate",
        lambda w: {"input": {"slug": "deals", "names": {"en": "More deals"}}},
        ("slug", "UNIQUE"),
    ),
    (
        "newsletterTopicCreate",
        lambda w: {"input": {"slug": "not a slug", "names": {"en": "X"}}},
        ("slug", "INVALID"),
    ),
    (
        "newsletterTopicCreate",
        lambda w: {"input": {"slug": "recipes", "names": ["Recipes"]}},
        ("names", "INVALID"),
    ),
    (
        "newsletterTopicCreate",
        lambda w: {"input": {"slug": "recipes", "names": {"en": " "}}},
        ("names", "REQUIRED"),
    ),
    (
        "newsletterTopicUpdate",
        lambda w: {"id": gid(w.topic), "input": {"position": 2, "names": {"en": 5}}},
        ("names", "INVALID"),
    ),
    (
        "newsletterTopicUpdate",
        lambda w: {"id": gid(w.topic), "input": {"position": -1}},
        ("position", "INVALID"),
    ),
    ("newsletterTopicDelete", lambda w: {"id": "garbage"}, ("id", "INVALID")),
    (
        "scoreRuleCreate",
        lambda w: {"input": {"name": "x", "eventType": "a", "points": 5000}},
        ("points", "INVALID"),
    ),
    (
        "scoreRuleCreate",
        lambda w: {
            "input": {
                "name": "x",
                "eventType": "a",
                "points": 1,
                "where": {"field": "secret", "op": "eq"},
            }
        },
        ("where.field", "INVALID"),
    ),
    (
        "scoreRuleUpdate",
        lambda w: {"id": gid(w.score_rule), "input": {"name": " "}},
        ("name", "REQUIRED"),
    ),
    (
        "contactUpdate",
        lambda w: {"id": gid(w.contact), "input": {"tags": ["vip"], "timezone": "Mars/Base"}},
        ("timezone", "INVALID"),
    ),
    (
        "contactUpdate",
        lambda w: {"id": gid(w.contact), "input": {"attributes": [1, 2]}},
        ("attributes", "INVALID"),
    ),
    (
        "contactUpdate",
        lambda w: {"id": gid(w.contact), "input": {"languageCode": "not a language"}},
        ("languageCode", "INVALID"),
    ),
    (
        "contactUpdate",
        lambda w: {"id": gid(w.contact), "input": {"tags": ["ok", "x" * 101]}},
        ("tags", "INVALID"),
    ),
    (
        "contactUpdate",
        lambda w: {"id": gid(w.contact), "input": {"birthday": "2999-01-01"}},
        ("birthday", "INVALID"),
    ),
    ("contactErase", lambda w: {"id": to_global_id("Contact", 0)}, ("id", "NOT_FOUND")),
]


@pytest.mark.parametrize(
    ("name", "variables", "expected"),
    INVALID,
    ids=[f"{name}-{index}" for index, (name, _, _) in enumerate(INVALID)],
)
def test_invalid_input_answers_with_errors_and_changes_nothing(
    marketer, world, name, variables, expected
):
    # given
    arguments = variables(world)
    before = snapshot()

    # when
    result = run(marketer, name, arguments)

    # then
    assert "errors" not in result, result["errors"]
    payload = payload_of(result, name)
    assert payload["errors"], payload
    if expected:
        error = payload["errors"][0]
        assert (error["field"], error["code"]) == expected, error
    assert snapshot() == before


def test_adding_a_step_with_a_taken_key_is_a_field_error(marketer, world):
    # given
    before = snapshot()

    # when
    result = run(
        marketer,
        "campaignStepAdd",
        {"campaignId": gid(world.draft), "input": {"key": "first", "type": "EXIT"}},
    )

    # then
    assert "errors" not in result, result["errors"]
    assert result["data"]["campaignStepAdd"]["errors"][0]["field"] == "input.key"
    assert snapshot() == before


# --------------------------------------------------------------------------- templates


def test_template_versions_are_numbered_per_key_and_language(marketer, world):
    # when
    first = run(
        marketer,
        "templateCreate",
        {"input": {"key": "welcome_1", "language": "DE", "source": SOURCE}},
    )["data"]["templateCreate"]
    second = run(
        marketer,
        "templateCreate",
        {"input": {"key": "welcome_1", "language": "de", "source": SOURCE.replace("Hi", "Hallo")}},
    )["data"]["templateCreate"]

    # then
    assert first["errors"] == second["errors"] == []
    assert (first["template"]["language"], first["template"]["version"]) == ("de", 1)
    assert second["template"]["version"] == 2
    assert "Hallo" in TemplateStore().get("welcome_1", "de").source


def test_template_update_saves_a_new_version_and_keeps_the_old(marketer, world):
    # when
    data = run(
        marketer,
        "templateUpdate",
        {"id": gid(world.template), "source": "{% block subject %}New{% endblock %}"},
    )["data"]["templateUpdate"]

    # then
    assert data["errors"] == []
    assert data["template"]["version"] == 2
    assert data["template"]["id"] != gid(world.template)
    old = Template.objects.get(pk=world.template.pk)
    assert (old.source, old.is_active, old.version) == (SOURCE, True, 1)
    assert TemplateStore().get("welcome_1", "en").version == 2


def test_template_delete_deactivates_that_version_so_the_previous_one_is_sent(marketer, world):
    # given
    newer = Template.objects.create(key="welcome_1", language="en", version=2, source=SOURCE)

    # when
    data = run(marketer, "templateDelete", {"id": gid(newer)})["data"]["templateDelete"]

    # then
    assert data == {
        "template": {"id": gid(newer), "version": 2, "isActive": False},
        "errors": [],
    }
    assert Template.objects.count() == 2
    assert TemplateStore().get("welcome_1", "en").version == 1


def test_templates_filter_and_paginate(marketer, world):
    # given
    for version in (2, 3):
        Template.objects.create(key="welcome_1", language="en", version=version, source=SOURCE)
    Template.objects.create(key="birthday", language="de", version=1, source="Geburtstag")

    # when
    page = run(
        marketer, "templates", {"filter": {"key": "welcome_1", "language": "en"}, "first": 2}
    )["data"]["templates"]
    rest = run(
        marketer,
        "templates",
        {"filter": {"key": "welcome_1"}, "first": 2, "after": page["pageInfo"]["endCursor"]},
    )["data"]["templates"]
    searched = run(marketer, "templates", {"filter": {"search": "geburtstag"}})["data"][
        "templates"
    ]

    # then
    assert page["totalCount"] == 3
    assert [edge["node"]["version"] for edge in page["edges"]] == [3, 2]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["version"] for edge in rest["edges"]] == [1]
    assert [edge["node"]["key"] for edge in searched["edges"]] == ["birthday"]


def test_template_lists_take_constant_queries(marketer, world, django_assert_max_num_queries):
    # given
    for number in range(30):
        Template.objects.create(key=f"custom_{number}", language="en", source=SOURCE)

    # when (two of the queries set and restore the request's statement timeout)
    with django_assert_max_num_queries(8):
        result = run(marketer, "templates", {"first": 25})

    # then
    assert len(result["data"]["templates"]["edges"]) == 25


def test_template_and_keys(marketer, world):
    # when
    data = run(marketer, "template", {"id": gid(world.template)})["data"]["template"]
    keys = run(marketer, "templateKeys")["data"]["templateKeys"]

    # then
    assert (data["key"], data["source"], data["isActive"]) == ("welcome_1", SOURCE, True)
    assert keys == shipped_keys()
    assert "abandoned_checkout_1" in keys


def test_preview_renders_a_draft_with_sample_data_and_stores_nothing(marketer, world):
    # given
    before = snapshot()

    # when
    data = run(
        marketer,
        "templatePreview",
        {"key": "welcome_1", "language": "de", "source": SOURCE.replace("Hi", "Hallo")},
    )["data"]["templatePreview"]

    # then
    assert data["subject"] == "Hallo Lena"  # the German sample contact
    assert data["text"] == "Hello Lena, Kaffee & Co"
    assert "<p>Hello Lena</p>" in data["html"]
    assert snapshot() == before


def test_preview_of_the_template_in_use_with_a_contacts_real_data(marketer, world):
    # given
    Event.objects.create(
        type="order.created",
        source=EventSource.SALEOR,
        occurred_at=DAY_1,
        dedupe_key="order-1",
        contact=world.contact,
        payload={"order_id": "o-1", "number": "1042", "total_gross": "19.90", "currency": "EUR"},
    )
    source = "{% block subject %}{{ contact.email }} #{{ order.number }}{% endblock %}"
    Template.objects.create(key="order_feedback_request", language="en", source=source)
    before = snapshot()

    # when
    data = run(
        marketer,
        "templatePreview",
        {"key": "order_feedback_request", "language": "en", "contactId": gid(world.contact)},
    )["data"]["templatePreview"]
    shipped = run(
        marketer,
        "templatePreview",
        {"key": "welcome_1", "language": "en", "contactId": gid(world.contact)},
    )["data"]["templatePreview"]

    # then
    assert data["subject"] == "anna@example.com #1042"
    assert shipped["subject"] == "Hi Anna"  # the stored English version, Anna's name
    assert snapshot() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"key": "welcome_1", "language": "en", "source": "{% load x %}"}, "is not allowed"),
        ({"key": "nothing_here", "language": "en"}, "No template 'nothing_here'"),
        (
            {"key": "welcome_1", "language": "en", "contactId": to_global_id("Contact", 0)},
            "No such contact.",
        ),
    ],
)
def test_preview_problems_are_graphql_errors(marketer, world, variables, message):
    # when
    result = run(marketer, "templatePreview", variables)

    # then
    assert result["data"]["templatePreview"] is None
    assert message in result["errors"][0]["message"]


def test_send_test_mails_one_sample_rendering_from_the_sender(marketer, world):
    # given
    before = Message.objects.count()

    # when
    data = run(
        marketer,
        "templateSendTest",
        {"key": "welcome_1", "language": "en", "email": " Me@Example.com "},
    )["data"]["templateSendTest"]

    # then
    assert data == {"errors": []}
    [email] = mail.outbox
    assert email.subject == "[Test] Hi Emma"  # the English sample contact
    assert email.to == ["me@example.com"]
    assert email.from_email == "Demo Shop <shop@example.com>"
    assert email.body == "Hello Emma, Kaffee & Co"
    assert email.alternatives[0][1] == "text/html"
    assert Message.objects.count() == before


def test_send_test_of_an_unsaved_draft(marketer, world):
    # when
    data = run(
        marketer,
        "templateSendTest",
        {
            "key": "welcome_2",
            "language": "en",
            "email": "me@example.com",
            "source": "{% block subject %}Draft{% endblock %}",
        },
    )["data"]["templateSendTest"]

    # then
    assert data == {"errors": []}
    assert [email.subject for email in mail.outbox] == ["[Test] Draft"]
    assert not Template.objects.filter(key="welcome_2").exists()


def test_send_test_reports_a_refusing_backend(marketer, world, settings):
    # given
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "email_backend": "tests.email_backends.RefusingBackend",
    }
    forget_settings()

    # when
    try:
        data = run(
            marketer,
            "templateSendTest",
            {"key": "welcome_1", "language": "en", "email": "bounce@example.com"},
        )["data"]["templateSendTest"]
    finally:
        forget_settings()

    # then
    assert data["errors"] == [
        {"field": "email", "code": "INVALID", "message": "The mail server refused this address."}
    ]
    assert mail.outbox == []


# --------------------------------------------------------------------------- topics


def test_topic_create_update_delete(marketer, world):
    # when
    created = run(
        marketer,
        "newsletterTopicCreate",
        {
            "input": {
                "slug": "recipes",
                "names": {"EN": "Recipes", "de": "Rezepte"},
                "descriptions": {"en": "Monthly"},
                "position": 2,
            }
        },
    )["data"]["newsletterTopicCreate"]
    topic_id = created["newsletterTopic"]["id"]
    updated = run(
        marketer,
        "newsletterTopicUpdate",
        {"id": topic_id, "input": {"names": {"en": "Cooking"}, "position": 0}},
    )["data"]["newsletterTopicUpdate"]
    listed = run(marketer, "newsletterTopics")["data"]["newsletterTopics"]
    deleted = run(marketer, "newsletterTopicDelete", {"id": topic_id})["data"][
        "newsletterTopicDelete"
    ]

    # then
    assert created["errors"] == []
    assert created["newsletterTopic"] == {
        "id": topic_id,
        "slug": "recipes",
        "names": {"en": "Recipes", "de": "Rezepte"},
        "descriptions": {"en": "Monthly"},
        "position": 2,
    }
    assert updated["newsletterTopic"]["names"] == {"en": "Cooking"}
    assert updated["newsletterTopic"]["slug"] == "recipes"
    assert [edge["node"]["slug"] for edge in listed["edges"]] == ["recipes", "deals"]
    assert deleted == {"newsletterTopic": {"id": topic_id, "slug": "recipes"}, "errors": []}
    assert list(NewsletterTopic.objects.values_list("slug", flat=True)) == ["deals"]


def test_a_topic_campaigns_use_is_not_deleted(marketer, world):
    # given
    Campaign.objects.filter(pk=world.broadcast.pk).update(
        audience={"consent": {"channel": "email", "topic": "deals"}}
    )
    before = snapshot()

    # when
    data = run(marketer, "newsletterTopicDelete", {"id": gid(world.topic)})["data"][
        "newsletterTopicDelete"
    ]

    # then
    assert data["errors"][0]["code"] == "INVALID"
    assert "Spring" in data["errors"][0]["message"]
    assert snapshot() == before


# --------------------------------------------------------------------------- contacts


def make_contact(email: str, **fields) -> Contact:
    tags = fields.pop("tags", ())
    contact = Contact.objects.create(email=email, **fields)
    for tag in tags:
        ContactTag.objects.create(contact=contact, name=tag)
    return contact


def emails(result: dict) -> list[str]:
    return [edge["node"]["email"] for edge in result["data"]["contacts"]["edges"]]


def test_contacts_filters_and_sorting(marketer, world):
    # given
    make_contact("bert@example.com", first_name="Bert", tags=["coffee", "vip"])
    make_contact("cleo@example.com", last_name="Anders", lifecycle_stage="lead", tags=["vip"])
    subscribe(make_contact("dora@example.com", lifecycle_stage="lead"))
    by_email = {"field": "EMAIL", "direction": "ASC"}

    def listed(filter):
        return emails(run(marketer, "contacts", {"filter": filter, "sortBy": by_email}))

    # then
    assert listed({"search": "an"}) == ["anna@example.com", "cleo@example.com"]
    assert listed({"search": "anna berg"}) == ["anna@example.com"]
    assert listed({"lifecycleStages": ["LEAD"]}) == ["cleo@example.com", "dora@example.com"]
    assert listed({"tags": ["vip"]}) == ["bert@example.com", "cleo@example.com"]
    assert listed({"tags": ["vip", "coffee"]}) == ["bert@example.com"]
    assert listed({"hasConsent": "EMAIL"}) == ["anna@example.com", "dora@example.com"]
    assert listed({"hasConsent": "SMS"}) == []
    descending = run(marketer, "contacts", {"sortBy": {"field": "EMAIL", "direction": "DESC"}})
    assert emails(descending)[0] == "dora@example.com"


def test_contacts_show_tags_revenue_and_consents(marketer, world):
    # when
    [edge] = run(marketer, "contacts", {"filter": {"search": "anna"}})["data"]["contacts"]["edges"]

    # then
    node = edge["node"]
    assert node["tags"] == ["coffee"]
    assert node["revenue"] == [{"currency": "EUR", "totalGross": "59.800"}]
    assert node["lifecycleStage"] == "REPEAT_CUSTOMER"
    assert [(c["channel"], c["topic"], c["status"]) for c in node["consents"]] == [
        ("EMAIL", "", "SUBSCRIBED")
    ]
    assert node["consents"][0]["confirmedAt"]


def add_contacts(prefix: str, count: int) -> None:
    for number in range(count):
        contact = make_contact(f"{prefix}{number:03}@example.com", tags=["a", "b"])
        ContactRevenue.objects.create(contact=contact, currency="EUR", total_gross=1)
        subscribe(contact)


def test_contact_lists_take_constant_queries(marketer, world, django_assert_max_num_queries):
    # given
    add_contacts("few", 2)
    with CaptureQueriesContext(connection) as few:
        run(marketer, "contacts", {"first": 50})
    add_contacts("many", 20)

    # when
    with django_assert_max_num_queries(len(few)):
        result = run(marketer, "contacts", {"first": 50})

    # then
    assert len(result["data"]["contacts"]["edges"]) == 23
    assert len(few) <= 12  # two of them set and restore the request's statement timeout


def test_campaign_lists_with_figures_take_constant_queries(marketer, world):
    # given
    def campaigns_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            result = run(marketer, "campaigns", {"first": 50})
        assert "errors" not in result
        return len(queries)

    few = campaigns_queries()
    for number in range(6):
        create_campaign(
            CampaignSpec(
                name=f"Campaign {number}",
                kind="autoresponder",
                trigger={"type": "event", "event": "order.created"},
                steps=(StepSpec("send", "send", {"template": "welcome_1"}),),
            )
        )

    # when
    many = campaigns_queries()

    # then
    assert many == few <= 13


def test_contact_timeline_merges_events_messages_and_consent_newest_first(marketer, world):
    # given
    contact = make_contact("tim@example.com")
    Event.objects.create(
        type="order.created",
        source=EventSource.SALEOR,
        occurred_at=DAY_1,
        dedupe_key="t-1",
        contact=contact,
        payload={"number": "7", "total_gross": "10.00"},
    )
    queue(
        contact,
        "welcome_1",
        campaign=world.draft,
        step_key="first",
        status="sent",
        sent_at=DAY_1 + timedelta(days=1),
    )
    change_consent(
        contact,
        ConsentChannel.EMAIL,
        ConsentStatus.SUBSCRIBED,
        ConsentProof(
            ConsentMethod.FORM, wording="Yes please", occurred_at=DAY_1 + timedelta(days=2)
        ),
    )
    Event.objects.create(
        type="product.viewed",
        source=EventSource.STOREFRONT,
        occurred_at=DAY_1 + timedelta(days=3),
        dedupe_key="t-2",
        contact=contact,
        payload={"product_id": "72"},
    )

    # when
    first = run(marketer, "contact", {"id": gid(contact), "timelineFirst": 2})["data"]["contact"]
    second = run(
        marketer,
        "contact",
        {
            "id": gid(contact),
            "timelineFirst": 2,
            "timelineAfter": first["timeline"]["pageInfo"]["endCursor"],
        },
    )["data"]["contact"]

    # then
    items = [edge["node"] for edge in first["timeline"]["edges"] + second["timeline"]["edges"]]
    assert first["timeline"]["totalCount"] == 4
    assert first["timeline"]["pageInfo"]["hasNextPage"] is True
    assert second["timeline"]["pageInfo"]["hasNextPage"] is False
    assert [(item["kind"], item["title"]) for item in items] == [
        ("EVENT", "Product viewed"),
        ("CONSENT", "Email: subscribed"),
        ("MESSAGE", "Email 'welcome_1': sent"),
        ("EVENT", "Order created"),
    ]
    assert items[0]["occurredAt"].startswith("2026-03-05T09:00:00")
    assert items[1]["detail"]["wording"] == "Yes please"
    assert items[1]["detail"]["method"] == "form"
    assert items[2]["detail"]["campaignId"] == gid(world.draft)
    assert items[2]["detail"]["campaignName"] == "Welcome"
    assert items[3]["detail"]["payload"] == {"number": "7", "total_gross": "10.00"}


def test_contact_update_changes_the_fields_given(marketer, world):
    # when
    data = run(
        marketer,
        "contactUpdate",
        {
            "id": gid(world.contact),
            "input": {
                "tags": ["vip", " vip ", "coffee"],
                "attributes": {"size": "L"},
                "languageCode": "de_AT",
                "timezone": "Europe/Berlin",
                "birthday": "1990-05-17",
            },
        },
    )["data"]["contactUpdate"]

    # then
    assert data["errors"] == []
    contact = Contact.objects.get(pk=world.contact.pk)
    assert data["contact"] == {
        "id": gid(world.contact),
        "firstName": "Anna",
        "lastName": contact.last_name,
        "country": contact.country,
        "phone": contact.phone,
        "updatedAt": contact.updated_at.isoformat(),
        "tags": ["coffee", "vip"],
        "attributes": {"size": "L"},
        "languageCode": "de-at",
        "timezone": "Europe/Berlin",
        "birthday": "1990-05-17",
    }
    assert (contact.first_name, contact.birthday) == ("Anna", date(1990, 5, 17))


def test_contact_update_clears_and_leaves_out_fields(marketer, world):
    # given
    Contact.objects.filter(pk=world.contact.pk).update(
        birthday=date(1990, 1, 1), timezone="Europe/Berlin"
    )

    # when
    data = run(marketer, "contactUpdate", {"id": gid(world.contact), "input": {"birthday": None}})[
        "data"
    ]["contactUpdate"]

    # then
    assert data["errors"] == []
    contact = Contact.objects.get(pk=world.contact.pk)
    assert (contact.birthday, contact.timezone) == (None, "Europe/Berlin")
    assert list(contact.tags.values_list("name", flat=True)) == ["coffee"]


def test_erased_contacts_are_not_updated(marketer, world):
    # given
    run(marketer, "contactErase", {"id": gid(world.contact)})
    before = snapshot()

    # when
    data = run(marketer, "contactUpdate", {"id": gid(world.contact), "input": {"tags": ["x"]}})[
        "data"
    ]["contactUpdate"]

    # then
    assert (data["errors"][0]["field"], data["errors"][0]["code"]) == ("id", "INVALID")
    assert snapshot() == before


def test_contact_erase_forgets_the_person_and_keeps_the_numbers(marketer, world):
    # when
    data = run(marketer, "contactErase", {"id": gid(world.contact)})["data"]["contactErase"]

    # then
    assert data["errors"] == []
    assert data["contact"]["email"] == f"erased-{world.contact.pk}@erased.invalid"
    assert data["contact"]["lifecycleStage"] == "ERASED"
    assert data["contact"]["erasedAt"]
    assert data["contact"]["ordersCount"] == 2
    assert not ContactTag.objects.filter(contact=world.contact).exists()
    assert not Consent.objects.filter(contact=world.contact).exists()
    assert ContactRevenue.objects.filter(contact=world.contact).exists()


def test_contacts_export_is_csv_of_the_filtered_contacts(marketer, world):
    # given
    other = make_contact("=cmd@example.com", first_name="-2+3", tags=["vip"])
    change_consent(
        other,
        ConsentChannel.EMAIL,
        ConsentStatus.PENDING,
        ConsentProof(ConsentMethod.FORM),
        topic="deals",
    )
    make_contact("zed@example.com")
    before = snapshot()

    # when
    everyone = run(marketer, "contactsExport")["data"]["contactsExport"]
    tagged = run(marketer, "contactsExport", {"filter": {"tags": ["vip"]}})["data"][
        "contactsExport"
    ]

    # then
    assert everyone["errors"] == []
    rows = list(csv.reader(io.StringIO(everyone["csv"])))
    assert rows[0] == list(contacts_export.HEADER)
    assert everyone["count"] == 3
    assert rows[1:] == [
        ["'=cmd@example.com", "'-2+3", "", "", "", "subscriber", "0", "email/deals:pending"],
        [
            "anna@example.com",
            "Anna",
            "Berg",
            "en",
            "DE",
            "repeat_customer",
            "2",
            "email:subscribed",
        ],
        ["zed@example.com", "", "", "", "", "subscriber", "0", ""],
    ]
    assert tagged["count"] == 1
    assert snapshot() == before


def test_contacts_export_refuses_more_than_the_limit(marketer, world, monkeypatch):
    # given
    monkeypatch.setattr(contacts_export, "EXPORT_LIMIT", 1)
    make_contact("bert@example.com")

    # when
    data = run(marketer, "contactsExport")["data"]["contactsExport"]

    # then
    assert data["csv"] is None
    assert data["errors"] == [
        {
            "field": "filter",
            "code": "INVALID",
            "message": "The filter matches 2 contacts; export at most 1 at a time.",
        }
    ]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 1000}, "first must be between 0 and 100."),
        ({"after": "garbage"}, "Invalid cursor."),
    ],
)
def test_list_pagination_problems_are_graphql_errors(marketer, world, variables, message):
    # when
    results = [run(marketer, name, variables) for name in ("contacts", "templates")]

    # then
    for result in results:
        assert [error["message"] for error in result["errors"]] == [message]


def test_contact_of_another_type_is_an_error(marketer, world):
    # when
    result = run(marketer, "contact", {"id": gid(world.template)})

    # then
    assert result["data"]["contact"] is None
    assert result["errors"][0]["message"] == "Not a valid Contact id."


# --------------------------------------------------------------------------- reports


def reported_campaign(world: World) -> Campaign:
    """Welcome: two sends a day apart, one conversion worth 30.00 on the second day."""
    campaign, contact = world.draft, world.contact
    queue(
        contact,
        "welcome_1",
        campaign=campaign,
        step_key="first",
        status="sent",
        sent_at=DAY_1,
        opened_at=DAY_1 + timedelta(hours=1),
        clicked_at=DAY_1 + timedelta(days=1),
    )
    queue(
        contact,
        "welcome_2",
        campaign=campaign,
        step_key="second",
        status="sent",
        sent_at=DAY_1 + timedelta(days=1),
    )
    queue(contact, "welcome_2", campaign=campaign, step_key="second", status="queued")
    goal = Event.objects.create(
        type="order.created",
        source=EventSource.SALEOR,
        occurred_at=DAY_1 + timedelta(days=1),
        dedupe_key="goal-1",
        contact=contact,
        payload={"total_gross": "30.00", "currency": "EUR"},
    )
    Conversion.objects.create(
        order_id="order-1",
        contact=contact,
        campaign=campaign,
        step_key="first",
        revenue=Decimal("30.00"),
        currency="EUR",
        touch=Touch.CLICK,
        touched_at=DAY_1 + timedelta(days=1),
        occurred_at=DAY_1 + timedelta(days=1, hours=2),
    )
    Enrollment.objects.create(
        campaign=campaign,
        contact=contact,
        trigger_key="a",
        status=EnrollmentStatus.GOAL_REACHED,
        started_at=DAY_1,
        finished_at=DAY_1 + timedelta(days=1, hours=2),
        context={"goal_event_id": goal.pk},
    )
    Enrollment.objects.create(
        campaign=campaign,
        contact=contact,
        trigger_key="b",
        status=EnrollmentStatus.ACTIVE,
        started_at=DAY_1,
    )
    return campaign


def test_campaign_report_has_figures_steps_and_a_daily_series(marketer, world):
    # given
    campaign = reported_campaign(world)

    # when
    report = run(
        marketer,
        "campaignReport",
        {
            "id": gid(campaign),
            "from": "2026-03-01T00:00:00+00:00",
            "to": "2026-03-04T00:00:00+00:00",
        },
    )["data"]["campaignReport"]

    # then
    assert report["interval"] == "DAY"
    assert report["campaign"]["name"] == "Welcome"
    assert report["figures"] == {
        "enrolled": 2,
        "sent": 2,
        "delivered": 0,
        "opened": 1,
        "clicked": 1,
        "unsubscribed": 0,
        "goalsReached": 1,
        "converted": 1,
        "revenue": "30.000",
    }
    assert [(step["key"], step["type"], step["figures"]["sent"]) for step in report["steps"]] == [
        ("first", "SEND", 1),
        ("second", "SEND", 1),
    ]
    assert report["series"] == [
        {
            "date": "2026-03-01",
            "sent": 0,
            "opened": 0,
            "clicked": 0,
            "converted": 0,
            "revenue": "0",
            "goalsReached": 0,
        },
        {
            "date": "2026-03-02",
            "sent": 1,
            "opened": 1,
            "clicked": 0,
            "converted": 0,
            "revenue": "0",
            "goalsReached": 0,
        },
        {
            "date": "2026-03-03",
            "sent": 1,
            "opened": 0,
            "clicked": 1,
            "converted": 1,
            "revenue": "30.000",
            "goalsReached": 1,
        },
    ]


def test_weekly_series_sum_to_the_figures(marketer, world):
    # given
    campaign = reported_campaign(world)

    # when
    report = run(
        marketer,
        "campaignReport",
        {
            "id": gid(campaign),
            "from": "2026-02-20T00:00:00+00:00",
            "to": "2026-03-10T00:00:00+00:00",
            "interval": "WEEK",
        },
    )["data"]["campaignReport"]

    # then
    assert [point["date"] for point in report["series"]] == [
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
    ]
    for name in ("sent", "opened", "clicked", "converted"):
        assert sum(point[name] for point in report["series"]) == report["figures"][name]
    assert sum(Decimal(point["revenue"]) for point in report["series"]) == Decimal(
        report["figures"]["revenue"]
    )


def test_batched_step_figures_equal_the_per_campaign_ones(world):
    # given
    campaign = reported_campaign(world)

    # when
    batched = step_figures_by_campaign([campaign.pk, world.broadcast.pk])

    # then
    assert batched == {campaign.pk: step_figures(campaign.pk), world.broadcast.pk: {}}


def reports_queries(client, campaigns: list[Campaign]) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        result = run(client, "campaignReports", {"ids": [gid(c) for c in campaigns]})
    assert "errors" not in result, result["errors"]
    return len(queries), result["data"]["campaignReports"]


def test_campaign_reports_take_constant_queries_and_keep_the_order(marketer, world):
    # given
    reported_campaign(world)
    few, _ = reports_queries(marketer, [world.draft])
    more = [
        create_campaign(
            CampaignSpec(
                name=f"Campaign {number}",
                kind="autoresponder",
                trigger={"type": "event", "event": "order.created"},
                steps=(StepSpec("send", "send", {"template": "welcome_1"}),),
            )
        )
        for number in range(4)
    ]

    # when
    many, reports = reports_queries(marketer, [*more, world.draft, world.broadcast])

    # then
    assert many == few
    assert [report["campaign"]["name"] for report in reports] == [
        *(campaign.name for campaign in more),
        "Welcome",
        "Spring",
    ]
    assert reports[4]["figures"]["converted"] == 1
    assert sum(point["sent"] for point in reports[4]["series"]) >= 0


def test_unknown_campaigns_report_as_null(marketer, world):
    # when
    reports = run(
        marketer, "campaignReports", {"ids": [to_global_id("Campaign", 0), gid(world.draft)]}
    )["data"]["campaignReports"]

    # then
    assert reports[0] is None
    assert reports[1]["campaign"]["name"] == "Welcome"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"from": "2026-03-02T00:00:00+00:00", "to": "2026-03-01T00:00:00+00:00"},
            "The range must end after it starts.",
        ),
        (
            {"from": "2000-01-01T00:00:00+00:00", "to": "2026-01-01T00:00:00+00:00"},
            "The range has 9497 days; the limit is 520.",
        ),
    ],
)
def test_report_range_problems_are_graphql_errors(marketer, world, variables, message):
    # when
    result = run(marketer, "campaignReport", {"id": gid(world.draft), **variables})

    # then
    assert result["data"]["campaignReport"] is None
    assert result["errors"][0]["message"] == message


def test_default_report_range_is_the_last_30_days(marketer, world):
    # when
    report = run(marketer, "campaignReport", {"id": gid(world.draft)})["data"]["campaignReport"]

    # then
    assert len(report["series"]) in (30, 31)
    assert report["series"][-1]["date"] == datetime.now(UTC).date().isoformat()
    assert Step.objects.filter(campaign=world.draft).count() == len(report["steps"])
