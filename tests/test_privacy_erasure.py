"""Erasure, complete: after it no text or JSON column of any model names the person."""

import logging

import pytest
from django.apps import apps
from graphql_relay import to_global_id

from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.catalogue.models import NotifyRequest
from saleor_ma_plugin.contacts import LifecycleStage
from saleor_ma_plugin.contacts.erasure import PERSONAL_PAYLOAD_KEYS
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import customer_event
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.models import Message, PushSubscription, Suppression
from saleor_ma_plugin.privacy.erasure import erase_person
from saleor_ma_plugin.privacy.inventory import NO_PERSONAL_DATA, PERSONAL_DATA
from saleor_ma_plugin.privacy.sections import PROFILE, SECTIONS
from saleor_ma_plugin.vouchers.models import IssuedVoucher
from tests import factories
from tests.api_helpers import post, staff
from tests.campaign_helpers import ingest
from tests.privacy_person import (
    ENDPOINT,
    PHONE,
    engine_rows,
    identifiers,
    leftovers,
    storefront_events,
)
from tests.test_api_admin import snapshot

pytestmark = pytest.mark.django_db

ERASE = """
mutation($id: ID!) { contactErase(id: $id) { contact { lifecycleStage } errors { code } } }
"""
#: Models the fixture writes the person's identifiers into (kept rows name no one).
MODELS_NAMING_THE_PERSON = {
    "Contact",
    "ConsentEvent",
    "Event",
    "Message",
    "DeliveryAttempt",
    "WebhookDelivery",
    "Enrollment",
    "PushSubscription",
    "Suppression",
}


def customer_snapshot(**overrides):
    values = {
        "user_id": "8675309",
        "email": "zelda.quist@example.org",
        "first_name": "Zelda",
        "last_name": "Quistorpel",
        "phone": PHONE,
        "birthday": "1990-04-01",
        "attributes": {"anniversary": "2019-05-05"},
    }
    return factories.customer(**{**values, **overrides})


@pytest.fixture
def person() -> Contact:
    ingest(customer_event(EventType.CUSTOMER_CREATED, customer_snapshot(), EventSource.SALEOR))
    contact = Contact.objects.get(email="zelda.quist@example.org")
    storefront_events(contact)
    engine_rows(contact)
    return contact


@pytest.fixture
def bystander() -> Contact:
    """Someone else, whose data erasure must not touch."""
    other = Contact.objects.create(
        email="bea@example.com", first_name="Beatrix-Ovid", phone="+4930123"
    )
    PushSubscription.objects.create(
        contact=other, endpoint="https://push.example.com/bea", p256dh="B", auth="a"
    )
    Suppression.objects.create(channel="email", address="bea@example.com", reason="complaint")
    return other


def models_naming(values: set[str]) -> set[str]:
    return {found.split(".")[0] for found in leftovers(values)}


def test_every_model_is_in_the_privacy_inventory():
    # given
    models = {model.__name__ for model in apps.get_app_config("saleor_ma_plugin").get_models()}

    # then
    assert set(PERSONAL_DATA) & set(NO_PERSONAL_DATA) == set()
    assert set(PERSONAL_DATA) | set(NO_PERSONAL_DATA) == models


def test_every_model_with_personal_data_is_exported():
    # given
    exported = {model.__name__ for section in (PROFILE, *SECTIONS) for model in section.models}

    # then
    assert set(PERSONAL_DATA) - exported == set()


def test_deleting_the_customer_leaves_no_identifier_of_the_person_in_any_model(person):
    # given
    values = identifiers(person)
    assert models_naming(values) == MODELS_NAMING_THE_PERSON

    # when
    deleted = customer_snapshot(updated_at=factories.PLACED_AT)
    ingest(customer_event(EventType.CUSTOMER_DELETED, deleted, EventSource.SALEOR))

    # then
    assert leftovers(values) == []
    contact = Contact.objects.get(pk=person.pk)
    assert contact.lifecycle_stage == LifecycleStage.ERASED
    notice = Event.objects.get(type=EventType.CUSTOMER_DELETED)
    assert notice.contact_id == person.pk
    assert set(notice.payload) & PERSONAL_PAYLOAD_KEYS == set()
    # The deleted account's shop id stays only as the notice's dedupe key.
    assert leftovers({"8675309"}) == ["Event.dedupe_key: 8675309"]
    assert notice.dedupe_key == "customer.deleted:8675309"


def test_a_repeated_deletion_notice_stores_nothing_new(person):
    # given
    deleted = customer_snapshot(updated_at=factories.PLACED_AT)
    ingest(customer_event(EventType.CUSTOMER_DELETED, deleted, EventSource.SALEOR))

    # when
    ingest(customer_event(EventType.CUSTOMER_DELETED, deleted, EventSource.SALEOR))

    # then
    assert Event.objects.filter(type=EventType.CUSTOMER_DELETED).count() == 1


def test_a_deletion_notice_keyed_by_email_keeps_no_email():
    # given
    deleted = customer_snapshot(user_id="", email="gone@example.com")

    # when
    ingest(customer_event(EventType.CUSTOMER_DELETED, deleted, EventSource.SALEOR))

    # then
    notice = Event.objects.get()
    assert notice.dedupe_key == f"erased:{notice.pk}"
    assert leftovers({"gone@example.com", "Zelda", "Quistorpel", PHONE}) == []


def test_the_admin_erasure_leaves_no_identifier_of_the_person_in_any_model(client, person):
    # given
    staff(client, "manage_marketing")
    values = identifiers(person)

    # when
    result = post(client, ERASE, {"id": to_global_id("Contact", person.pk)})

    # then
    assert result["data"]["contactErase"] == {
        "contact": {"lifecycleStage": "ERASED"},
        "errors": [],
    }
    assert leftovers(values) == []


def test_erasure_leaves_other_people_alone(person, bystander):
    # given
    others = {"bea@example.com", "Beatrix-Ovid", "+4930123", "https://push.example.com/bea"}
    before = leftovers(others)

    # when
    erase_person(person, via="test")

    # then
    assert leftovers(others) == before
    assert Suppression.objects.get().address == "bea@example.com"
    assert PushSubscription.objects.get().contact_id == bystander.pk


def test_erasure_keeps_what_reports_need_and_deletes_what_only_serves_the_person(person):
    # when
    erase_person(person, via="test")

    # then
    assert Conversion.objects.get().contact_id == person.pk
    assert IssuedVoucher.objects.get().code == "ZQ-CODE-1"
    message = Message.objects.get(contact=person)
    assert (message.status, message.context) == ("sent", {"voucher_code": "ZQ-CODE-1"})
    assert not PushSubscription.objects.filter(endpoint=ENDPOINT).exists()
    assert not NotifyRequest.objects.exists()
    assert not person.segment_memberships.exists()


def test_a_message_still_queued_is_suppressed(person):
    # given
    Message.objects.filter(contact=person).update(status="queued", sent_at=None)

    # when
    erase_person(person, via="test")

    # then
    assert Message.objects.get(contact=person).status == "suppressed"


def test_erasing_an_erased_person_again_changes_nothing(person):
    # given
    erase_person(person, via="test")
    before = snapshot()

    # when
    erase_person(person, via="test")

    # then
    assert snapshot() == before


def test_erasure_is_audited_by_contact_id_only(person, caplog):
    # given
    values = identifiers(person)

    # when
    with caplog.at_level(logging.INFO, logger="saleor_ma_plugin.privacy"):
        erase_person(person, via="api")

    # then
    lines = [record.getMessage() for record in caplog.records]
    assert lines == [f"contact {person.pk} erased, via api"]
    assert [value for value in values if value in lines[0]] == []
