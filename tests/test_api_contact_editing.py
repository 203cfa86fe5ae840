"""Editing a contact's names, country and phone with a conflict check; the tags in use and the
event types rules know, for the rule builder's suggestions."""

from pathlib import Path

import pytest
from django.apps import apps
from graphql_relay import to_global_id

from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.events import EventType
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations" / "admin"


def run(client, name: str, variables: dict | None = None) -> dict:
    return post(client, (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8"), variables)


def snapshot() -> dict:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("saleor_ma_plugin").get_models()
    }


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


@pytest.fixture
def anna() -> Contact:
    contact = Contact.objects.create(
        email="anna@example.com", first_name="Anna", country="DE", phone="+49301234567"
    )
    ContactTag.objects.create(contact=contact, name="coffee")
    return contact


def update(client, contact: Contact, contact_input: dict, expected=None) -> dict:
    variables = {"id": to_global_id("Contact", contact.pk), "input": contact_input}
    if expected is not None:
        variables["expectedUpdatedAt"] = expected
    return run(client, "contactUpdate", variables)["data"]["contactUpdate"]


def test_names_country_and_phone_change_and_the_phone_is_stored_in_e164(marketer, anna):
    # when
    data = update(
        marketer,
        anna,
        {"firstName": " Anne ", "lastName": "Müller", "country": "at", "phone": "0664 1234567"},
        anna.updated_at.isoformat(),
    )

    # then
    assert data["errors"] == []
    stored = Contact.objects.get(pk=anna.pk)
    assert (stored.first_name, stored.last_name, stored.country, stored.phone) == (
        "Anne",
        "Müller",
        "AT",
        "+436641234567",
    )
    assert {
        key: data["contact"][key] for key in ("firstName", "lastName", "country", "phone")
    } == {
        "firstName": "Anne",
        "lastName": "Müller",
        "country": "AT",
        "phone": "+436641234567",
    }
    assert data["contact"]["updatedAt"] == stored.updated_at.isoformat()
    assert stored.updated_at > anna.updated_at


def test_empty_values_clear_names_country_and_phone(marketer, anna):
    # when
    data = update(marketer, anna, {"firstName": "", "country": "", "phone": ""})

    # then
    assert data["errors"] == []
    stored = Contact.objects.get(pk=anna.pk)
    assert (stored.first_name, stored.country, stored.phone) == ("", "", "")


@pytest.mark.parametrize(
    ("contact_input", "field", "message"),
    [
        ({"phone": "12"}, "phone", "Enter a valid phone number, e.g. +49 30 1234567."),
        (
            {"country": "XX", "phone": "0664 1234567"},
            "country",
            "Use a two-letter country code (ISO 3166-1), e.g. DE.",
        ),
        (
            {"country": "Germany"},
            "country",
            "Use a two-letter country code (ISO 3166-1), e.g. DE.",
        ),
        (
            {"firstName": "A" * 257},
            "firstName",
            "Use at most 256 characters, without control characters.",
        ),
        (
            {"lastName": "Line\nbreak"},
            "lastName",
            "Use at most 256 characters, without control characters.",
        ),
    ],
)
def test_invalid_details_are_refused_at_their_field_and_change_nothing(
    marketer, anna, contact_input, field, message
):
    # given
    before = snapshot()

    # when
    data = update(marketer, anna, {**contact_input, "tags": ["vip"]})

    # then
    assert data["contact"] is None
    assert data["errors"] == [{"field": field, "code": "INVALID", "message": message}]
    assert snapshot() == before


def test_an_edit_of_an_outdated_copy_is_refused_and_changes_nothing(marketer, anna):
    # given
    loaded = anna.updated_at.isoformat()
    assert update(marketer, anna, {"tags": ["coffee", "tea"]}, loaded)["errors"] == []
    before = snapshot()

    # when
    data = update(marketer, anna, {"firstName": "Anne"}, loaded)

    # then
    assert data["contact"] is None
    assert [(error["field"], error["code"]) for error in data["errors"]] == [
        ("expectedUpdatedAt", "CONFLICT")
    ]
    assert data["errors"][0]["message"].startswith("Someone else saved this at ")
    assert snapshot() == before


def test_tags_in_use_most_used_first_and_searchable(marketer, anna):
    # given
    bert = Contact.objects.create(email="bert@example.com")
    erased = Contact.objects.create(email="erased@example.com", erased_at=anna.created_at)
    ContactTag.objects.bulk_create(
        [
            ContactTag(contact=bert, name="coffee"),
            ContactTag(contact=bert, name="Tea lover"),
            ContactTag(contact=anna, name="vip"),
            ContactTag(contact=erased, name="tea-only-erased"),
        ]
    )

    # when
    everything = run(marketer, "contactTags", {})["data"]["contactTags"]
    tea = run(marketer, "contactTags", {"search": "TEA"})["data"]["contactTags"]
    first = run(marketer, "contactTags", {"first": 1})["data"]["contactTags"]

    # then
    assert everything == [
        {"name": "coffee", "contacts": 2},
        {"name": "Tea lover", "contacts": 1},
        {"name": "vip", "contacts": 1},
    ]
    assert tea == [{"name": "Tea lover", "contacts": 1}]
    assert first == [{"name": "coffee", "contacts": 2}]


def test_rule_event_types_name_the_intakes_types_and_saleors_notifications(marketer):
    # when
    result = post(marketer, "{ ruleEventTypes { type label group } }")

    # then
    types = result["data"]["ruleEventTypes"]
    assert [item["type"] for item in types[: len(EventType)]] == list(EventType.values)
    assert types[0] == {"type": "order.created", "label": "Order created", "group": "shop"}
    assert {"type": "product.viewed", "label": "Product viewed", "group": "storefront"} in types
    assert {
        "type": "notify.order_confirmation",
        "label": "Saleor notification: order confirmation",
        "group": "notification",
    } in types


@pytest.mark.parametrize("query", ["{ ruleEventTypes { type } }", "{ contactTags { name } }"])
def test_suggestions_need_manage_marketing(client, query):
    # given
    staff(client, "manage_marketing_vouchers")

    # when
    result = post(client, query)

    # then
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
