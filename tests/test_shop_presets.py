"""Presets a shop makes itself: saved from a campaign, listed, instantiated, exported, imported."""

import copy

import jsonschema
import pytest
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns.models import Campaign, ShopPreset
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.campaigns.presets.shop import (
    DOCUMENT_SCHEMA,
    export_document,
    save_from_campaign,
)
from saleor_ma_plugin.messaging.models import Template
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

OWN_SOURCE = (
    "{% block subject %}Our picks for you{% endblock %}"
    "{% block text_body %}Hello again{% endblock %}"
    "{% block html_body %}<p>Hello again</p>{% endblock %}"
)
PARAMETERS = [
    {"name": "wait_days", "path": "steps.settle.config.days", "label": "Days", "type": "INTEGER"},
    {
        "name": "period",
        "path": "reentry_period_days",
        "label": "Re-entry period",
        "type": "INTEGER",
        "default": 45,
    },
]

SAVE = """
mutation save($campaignId: ID!, $input: CampaignPresetSaveInput!) {
  campaignPresetSave(campaignId: $campaignId, input: $input) {
    preset { slug title builtIn defaults parameters { name path label type default } }
    errors { field code message }
  }
}
"""
PRESETS = "{ campaignPresets { slug builtIn defaults } }"
CREATE = """
mutation create($preset: String!, $params: JSON) {
  campaignCreateFromPreset(preset: $preset, params: $params) {
    campaign { id name preset }
    errors { field code message }
  }
}
"""
EXPORT = "query export($slug: String!) { campaignPresetExport(slug: $slug) }"
IMPORT = """
mutation import($document: JSON!, $slug: String, $replace: Boolean) {
  campaignPresetImport(document: $document, slug: $slug, replaceTemplates: $replace) {
    preset { slug defaults }
    errors { field code message }
  }
}
"""
DELETE = """
mutation delete($slug: String!) {
  campaignPresetDelete(slug: $slug) { slug errors { field code message } }
}
"""


@pytest.fixture
def upsell():
    """A campaign from the upsell preset, sending the shop's own template version."""
    Template.objects.create(key="post_purchase_upsell", language="en", source=OWN_SOURCE)
    return create_from_preset("post_purchase_upsell", {"name": "Our best upsell"})


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


def save(client, campaign, slug="best-upsell", parameters=PARAMETERS) -> dict:
    return post(
        client,
        SAVE,
        {
            "campaignId": to_global_id("Campaign", campaign.pk),
            "input": {"slug": slug, "title": "Best upsell", "parameters": parameters},
        },
    )["data"]["campaignPresetSave"]


def exported(client, slug="best-upsell") -> dict:
    return post(client, EXPORT, {"slug": slug})["data"]["campaignPresetExport"]


def import_(client, document, **variables) -> dict:
    answer = post(client, IMPORT, {"document": document, **variables})
    return answer["data"]["campaignPresetImport"]


def test_a_saved_campaign_is_listed_beside_the_built_in_presets(marketer, upsell):
    # when
    saved = save(marketer, upsell)
    presets = post(marketer, PRESETS)["data"]["campaignPresets"]

    # then
    assert saved["errors"] == []
    assert saved["preset"]["parameters"] == [
        {
            "name": "wait_days",
            "path": "steps.settle.config.days",
            "label": "Days",
            "type": "INTEGER",
            "default": 3,
        },
        {
            "name": "period",
            "path": "reentry_period_days",
            "label": "Re-entry period",
            "type": "INTEGER",
            "default": 45,
        },
    ]
    assert presets[-1] == {
        "slug": "best-upsell",
        "builtIn": False,
        "defaults": {"name": "Our best upsell", "wait_days": 3, "period": 45},
    }
    assert [p["slug"] for p in presets[:2]] == ["welcome_series", "newsletter"]
    assert all(p["builtIn"] for p in presets[:-1])


def test_a_campaign_is_created_from_a_shop_preset_with_its_parameters(marketer, upsell):
    # given
    save(marketer, upsell)

    # when
    created = post(
        marketer, CREATE, {"preset": "best-upsell", "params": {"name": "May", "wait_days": 5}}
    )["data"]["campaignCreateFromPreset"]

    # then: the flow of the original, with the parameters set
    assert created["errors"] == []
    campaign = Campaign.objects.get(name="May")
    assert campaign.preset == "best-upsell"
    assert campaign.reentry_period_days == 45
    assert campaign.trigger == upsell.trigger
    assert campaign.goal == upsell.goal
    assert [
        (s.key, s.type, s.config, s.next_key) for s in campaign.steps.order_by("position")
    ] == [
        ("settle", "wait", {"days": 5, "hours": 0}, "upsell"),
        ("upsell", "send", {"template": "post_purchase_upsell", "transactional": False}, ""),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"wait_days": "five"}, "params.waitDays"),
        ({"colour": "red"}, "params.colour"),
        ({"wait_days": -4}, "steps[0].config"),
    ],
)
def test_bad_parameters_are_refused_and_nothing_is_created(marketer, upsell, params, field):
    # given
    save(marketer, upsell)

    # when
    created = post(marketer, CREATE, {"preset": "best-upsell", "params": params})

    # then
    [error] = created["data"]["campaignCreateFromPreset"]["errors"]
    assert error["field"] == field
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    ("parameters", "field", "code"),
    [
        (
            [{"name": "x", "path": "steps.nope.config.days", "type": "INTEGER"}],
            "input.parameters[0].path",
            "NOT_FOUND",
        ),
        (
            [{"name": "x", "path": "steps.settle.config.weeks", "type": "INTEGER"}],
            "input.parameters[0].path",
            "NOT_FOUND",
        ),
        (
            [{"name": "x", "path": "steps.settle.config.days", "type": "BOOLEAN"}],
            "input.parameters[0].default",
            "INVALID",
        ),
        (
            [{"name": "name", "path": "priority", "type": "INTEGER"}],
            "input.parameters[0].name",
            "UNIQUE",
        ),
        ([{"name": "x", "path": "kind", "type": "STRING"}], "input.parameters[0].path", "INVALID"),
    ],
)
def test_bad_parameter_definitions_are_refused(marketer, upsell, parameters, field, code):
    # when
    saved = save(marketer, upsell, parameters=parameters)

    # then
    [error] = saved["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert not ShopPreset.objects.exists()


def test_a_slug_is_unique_among_all_presets(marketer, upsell):
    # when: the slug of a built-in preset, then one saved twice
    built_in = save(marketer, upsell, slug="birthday")
    save(marketer, upsell)
    twice = save(marketer, upsell)

    # then
    assert built_in["errors"][0]["field"] == "input.slug"
    assert twice["errors"] == [
        {"field": "input.slug", "code": "UNIQUE", "message": "A preset with this slug exists."}
    ]
    assert list(ShopPreset.objects.values_list("slug", flat=True)) == ["best-upsell"]


def test_the_export_is_a_versioned_document_of_the_schema(marketer, upsell):
    # given
    save(marketer, upsell)

    # when
    document = exported(marketer)

    # then
    jsonschema.validate(document, DOCUMENT_SCHEMA)
    assert (document["format"], document["version"]) == ("saleor-ma-plugin/campaign-preset", 1)
    assert document["templates"] == [
        {"key": "post_purchase_upsell", "language": "en", "source": OWN_SOURCE}
    ]
    assert exported(marketer, "birthday") is None


def test_an_exported_preset_imports_into_another_shop(marketer, upsell):
    # given: the document, and a shop without the preset or the template
    save(marketer, upsell)
    document = exported(marketer)
    ShopPreset.objects.all().delete()
    Template.objects.all().delete()

    # when: its template differs from the shipped default, so it must replace it
    refused = import_(marketer, document)
    imported = import_(marketer, document, replace=True)

    # then: the preset and the template (version 1) are there, and it creates campaigns
    assert refused["errors"][0]["field"] == "document.templates[0].source"
    assert imported == {
        "preset": {
            "slug": "best-upsell",
            "defaults": {"name": "Our best upsell", "wait_days": 3, "period": 45},
        },
        "errors": [],
    }
    template = Template.objects.get()
    assert (template.key, template.language, template.version) == ("post_purchase_upsell", "en", 1)
    assert template.source == OWN_SOURCE
    assert create_from_preset("best-upsell", {"wait_days": 2}).steps.get(key="settle").config == {
        "days": 2,
        "hours": 0,
    }


def test_importing_the_same_document_twice_stores_nothing_twice(marketer, upsell):
    # given: a document already imported (saved here)
    save(marketer, upsell)
    document = exported(marketer)

    # when: imported again as it is, then under another slug
    again = import_(marketer, document)
    renamed = import_(marketer, document, slug="best-upsell-2")

    # then: the slug refuses the first; the second reuses the identical template
    assert again["errors"] == [
        {
            "field": "document.preset.slug",
            "code": "UNIQUE",
            "message": "A preset with this slug exists.",
        }
    ]
    assert renamed["errors"] == []
    assert sorted(ShopPreset.objects.values_list("slug", flat=True)) == [
        "best-upsell",
        "best-upsell-2",
    ]
    assert Template.objects.count() == 1


def test_a_differing_template_is_refused_unless_replaced_as_a_new_version(marketer, upsell):
    # given: a document whose template differs from the shop's
    save(marketer, upsell)
    document = copy.deepcopy(exported(marketer))
    document["templates"][0]["source"] = OWN_SOURCE.replace("Hello again", "Welcome back")

    # when
    refused = import_(marketer, document, slug="other")
    replaced = import_(marketer, document, slug="other", replace=True)

    # then
    [error] = refused["errors"]
    assert (error["field"], error["code"]) == ("document.templates[0].source", "UNIQUE")
    assert replaced["errors"] == []
    versions = Template.objects.filter(key="post_purchase_upsell").order_by("version")
    assert [(t.version, "Welcome back" in t.source) for t in versions] == [(1, False), (2, True)]


BAD_DOCUMENTS = [
    (lambda d: d.update(version=2), "document.version", "INVALID"),
    (lambda d: d.pop("campaign"), "document.campaign", "REQUIRED"),
    (lambda d: d["campaign"].update(colour="red"), "document.campaign.colour", "INVALID"),
    (lambda d: d["campaign"].update(kind="sms_blast"), "document.campaign.kind", "INVALID"),
    (
        lambda d: d["campaign"].update(holdout_share="10"),
        "document.campaign.holdout_share",
        "INVALID",
    ),
    (
        lambda d: d["campaign"]["steps"][0]["config"].update(hours=-100),
        "document.campaign.steps[0].config",
        "INVALID",
    ),
    (
        lambda d: d["campaign"]["steps"][0].update(next_key="nowhere"),
        "document.campaign.steps.settle",
        "NOT_FOUND",
    ),
    (
        lambda d: d["campaign"]["trigger"].update(type="telepathy"),
        "document.campaign.trigger.type",
        "INVALID",
    ),
    (lambda d: d["parameters"][0].update(type="colour"), "document.parameters[0].type", "INVALID"),
    (
        lambda d: d["parameters"][1].update(path="steps.upsell.config.weeks"),
        "document.parameters[1].path",
        "NOT_FOUND",
    ),
    (
        lambda d: d["templates"][0].update(
            source="{% load evil %}{% block subject %}x{% endblock %}"
        ),
        "document.templates[0].source",
        "INVALID",
    ),
    (
        lambda d: d["templates"][0].update(language="English"),
        "document.templates[0].language",
        "INVALID",
    ),
]


@pytest.mark.parametrize(("change", "field", "code"), BAD_DOCUMENTS)
def test_invalid_documents_are_refused_at_their_json_path(marketer, upsell, change, field, code):
    # given: a valid document, broken in one place, for a shop without it
    save(marketer, upsell)
    document = copy.deepcopy(exported(marketer))
    change(document)
    ShopPreset.objects.all().delete()
    Template.objects.all().delete()

    # when
    answer = import_(marketer, document)

    # then: one error at the path, no exception text, nothing stored
    [error] = answer["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert "Traceback" not in error["message"]
    assert answer["preset"] is None
    assert not ShopPreset.objects.exists()
    assert not Template.objects.exists()


def test_a_document_that_is_not_an_object_is_refused(marketer):
    # when
    answer = import_(marketer, ["not", "a", "preset"])

    # then
    assert answer["errors"] == [
        {"field": "document", "code": "INVALID", "message": "Expected an object."}
    ]


def test_voucher_steps_need_the_discount_permission_to_save_and_import(client):
    # given: a campaign with a voucher step, and a marketer without MANAGE_DISCOUNTS
    campaign = create_from_preset("birthday")
    staff(client, "manage_marketing")

    # when
    saved = save(client, campaign, slug="my-birthday", parameters=[])

    # then
    assert saved["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not ShopPreset.objects.exists()


def test_importing_voucher_steps_needs_the_discount_permission(client):
    # given: a document with a voucher step, and a marketer without MANAGE_DISCOUNTS
    save_from_campaign(create_from_preset("birthday"), {"slug": "mine", "title": "Mine"}, [])
    document = export_document("mine")
    ShopPreset.objects.all().delete()
    staff(client, "manage_marketing")

    # when
    answer = import_(client, document)

    # then
    assert answer["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not ShopPreset.objects.exists()


def test_a_shop_preset_is_deleted_and_a_built_in_one_is_not(marketer, upsell):
    # given
    save(marketer, upsell)

    # when
    deleted = post(marketer, DELETE, {"slug": "best-upsell"})["data"]["campaignPresetDelete"]
    built_in = post(marketer, DELETE, {"slug": "birthday"})["data"]["campaignPresetDelete"]

    # then
    assert deleted == {"slug": "best-upsell", "errors": []}
    assert built_in["errors"][0]["code"] == "NOT_FOUND"
    assert not ShopPreset.objects.exists()
    assert Campaign.objects.filter(pk=upsell.pk).exists()
