"""The personal data export: through the admin API's download link and the management command."""

import io
import json
import logging
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import customer_event
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.privacy import EXPORT_FORMAT, EXPORT_VERSION
from saleor_ma_plugin.privacy.erasure import erase_person
from saleor_ma_plugin.privacy.export import document_chunks, document_keys, parse_document
from saleor_ma_plugin.privacy.links import LINK_SECONDS
from tests.api_helpers import post, staff
from tests.campaign_helpers import ingest
from tests.privacy_person import (
    CHECKOUT_TOKEN,
    CUSTOM_VALUE,
    ENDPOINT,
    IP,
    PHONE,
    SEARCH,
    USER_AGENT,
    engine_rows,
    storefront_events,
)
from tests.test_privacy_erasure import customer_snapshot

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parent.parent / "docs" / "personal-data-export.md"
OPERATION = (
    Path(__file__).resolve().parent.parent
    / "graphql"
    / "operations"
    / "admin"
    / "contactPersonalDataExport.graphql"
).read_text()
AUDIT = "saleor_ma_plugin.privacy"


@pytest.fixture
def person():
    ingest(customer_event(EventType.CUSTOMER_CREATED, customer_snapshot(), EventSource.SALEOR))
    contact = Event.objects.get().contact
    storefront_events(contact)
    engine_rows(contact)
    return contact


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


def export_link(client, **variables) -> dict:
    return post(client, OPERATION, variables)["data"]["contactPersonalDataExport"]


def download(client, url: str):
    return client.get(urlsplit(url).path.removeprefix("/plugins/global/saleor_ma_plugin"))


def read(response) -> dict:
    return parse_document(b"".join(response.streaming_content).decode())


def test_the_api_hands_out_a_link_to_everything_kept_about_the_person(marketer, person):
    # when
    payload = export_link(marketer, email="Zelda.Quist@example.org")
    response = download(marketer, payload["url"])

    # then
    assert payload["errors"] == []
    assert payload["contact"]["email"] == "zelda.quist@example.org"
    assert (response.status_code, response["Content-Type"]) == (
        200,
        "application/json; charset=utf-8",
    )
    assert (
        response["Content-Disposition"] == f'attachment; filename="personal-data-{person.pk}.json"'
    )
    document = read(response)
    assert tuple(document) == document_keys()
    assert (document["format"], document["version"]) == (EXPORT_FORMAT, EXPORT_VERSION)
    profile = document["profile"]
    assert (profile["first_name"], profile["last_name"], profile["phone"]) == (
        "Zelda",
        "Quistorpel",
        PHONE,
    )
    assert (profile["birthday"], profile["attributes"], profile["tags"]) == (
        "1990-04-01",
        {"anniversary": "2019-05-05"},
        ["coffee"],
    )
    [proof] = document["consent_log"]
    assert (proof["ip_address"], proof["user_agent"], proof["method"]) == (IP, USER_AGENT, "form")
    assert [consent["status"] for consent in document["consents"]] == ["subscribed"]
    payloads = json.dumps([event["payload"] for event in document["events"]])
    assert [value in payloads for value in (SEARCH, CUSTOM_VALUE, CHECKOUT_TOKEN)] == [True] * 3
    [message] = document["messages"]
    assert (message["template"], message["status"], message["campaign"]) == (
        "t",
        "sent",
        "Abandoned checkout",
    )
    assert message["clicked_at"] > message["opened_at"] > message["sent_at"]
    [run] = document["campaign_runs"]
    assert (run["campaign"], run["steps"]) == (
        "Abandoned checkout",
        [{"key": "send", "name": "", "type": "send"}],
    )
    [conversion] = document["conversions"]
    assert (conversion["order_id"], conversion["revenue"], conversion["currency"]) == (
        "order-1",
        "44.800",
        "EUR",
    )
    assert [voucher["code"] for voucher in document["vouchers"]] == ["ZQ-CODE-1"]
    assert [push["endpoint"] for push in document["push_subscriptions"]] == [ENDPOINT]
    assert [notify["variant_id"] for notify in document["notify_requests"]] == ["207"]
    assert [segment["segment"] for segment in document["segments"]] == ["Coffee lovers"]
    assert [row["reason"] for row in document["suppressions"]] == ["hard_bounce"]
    assert [row["url"] for row in document["webhook_deliveries"]] == [
        "https://crm.example.com/hook"
    ]


def test_every_key_of_the_document_is_documented():
    # given
    documented = set(re.findall(r"^\| `(\w+)` \|", DOCS.read_text(), flags=re.MULTILINE))

    # then
    assert set(document_keys()) - documented == set()


def test_a_person_with_many_events_is_written_in_pieces_without_losing_one(person):
    # given
    Event.objects.bulk_create(
        Event(
            type=EventType.PRODUCT_VIEWED,
            source=EventSource.STOREFRONT,
            occurred_at=timezone.now(),
            dedupe_key=f"bulk:{number}",
            contact=person,
            payload={"product_id": str(number), "note": "x" * 200},
        )
        for number in range(3000)
    )
    total = Event.objects.filter(contact=person).count()

    # when
    chunks = list(document_chunks(person))

    # then
    assert len(chunks) > 5
    assert max(len(chunk) for chunk in chunks) < 80_000
    assert len(parse_document("".join(chunks))["events"]) == total


def test_the_link_is_made_and_opened_with_an_audit_line_naming_no_one(marketer, person, caplog):
    # when
    with caplog.at_level(logging.INFO, logger=AUDIT):
        url = export_link(marketer, id=to_global_id("Contact", person.pk))["url"]
        read(download(marketer, url))

    # then
    lines = [record.getMessage() for record in caplog.records if record.name == AUDIT]
    assert lines == [
        f"personal data export link issued ({LINK_SECONDS} s): contact {person.pk}, by staff "
        f"{marketer.session['_auth_user_id']}",
        f"personal data export downloaded: contact {person.pk}, by signed link",
    ]
    assert not any("zelda" in line.lower() for line in lines)


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        ({"id": to_global_id("Contact", 987654)}, ("id", "NOT_FOUND", "No such contact.")),
        ({"email": "nobody@example.org"}, ("email", "NOT_FOUND", "No such contact.")),
        ({"email": "not-an-address"}, ("email", "NOT_FOUND", "No such contact.")),
        ({"id": to_global_id("Campaign", 1)}, ("id", "INVALID", "Not a valid Contact id.")),
        ({}, ("id", "REQUIRED", "Give the contact's id or email.")),
        (
            {"id": to_global_id("Contact", 1), "email": "zelda.quist@example.org"},
            ("email", "INVALID", "Give either id or email, not both."),
        ),
    ],
)
def test_unknown_or_ambiguous_people_are_field_errors_and_nothing_is_exported(
    marketer, person, caplog, variables, error
):
    # when
    with caplog.at_level(logging.INFO, logger=AUDIT):
        payload = export_link(marketer, **variables)

    # then
    field, code, message = error
    assert payload == {
        "url": None,
        "expiresAt": None,
        "contact": None,
        "errors": [{"field": field, "code": code, "message": message}],
    }
    assert [record for record in caplog.records if record.name == AUDIT] == []


def test_an_erased_persons_email_finds_no_one(marketer, person):
    # given
    erase_person(person, via="test")

    # when
    payload = export_link(marketer, email="zelda.quist@example.org")

    # then
    assert payload["errors"] == [
        {"field": "email", "code": "NOT_FOUND", "message": "No such contact."}
    ]


def test_a_forged_or_expired_link_shows_nothing(marketer, person, caplog):
    # given
    url = export_link(marketer, id=to_global_id("Contact", person.pk))["url"]
    forged = url.replace("/privacy/export/", "/privacy/export/x")

    # when
    with caplog.at_level(logging.INFO, logger=AUDIT):
        caplog.clear()
        forged_response = download(marketer, forged)
        with time_machine.travel(timezone.now() + timedelta(seconds=LINK_SECONDS + 1)):
            expired_response = download(marketer, url)

    # then
    assert (forged_response.status_code, expired_response.status_code) == (404, 404)
    assert b"zelda" not in forged_response.content + expired_response.content
    assert [record for record in caplog.records if record.name == AUDIT] == []


def test_the_command_writes_the_document_to_a_file(person, tmp_path, caplog):
    # given
    output = tmp_path / "zelda.json"

    # when
    with caplog.at_level(logging.INFO, logger=AUDIT):
        call_command("marketing_export_person", str(person.pk), output=str(output))

    # then
    document = parse_document(output.read_text(encoding="utf-8"))
    assert document["profile"]["email"] == "zelda.quist@example.org"
    [line] = [record.getMessage() for record in caplog.records if record.name == AUDIT]
    assert line.startswith(f"personal data export written to a file: contact {person.pk}, by ")


def test_the_command_prints_the_document_for_an_email_address(person):
    # given
    out = io.StringIO()

    # when
    call_command("marketing_export_person", "zelda.quist@example.org", stdout=out)

    # then
    assert parse_document(out.getvalue())["profile"]["id"] == person.pk


def test_the_command_refuses_an_unknown_person_and_writes_nothing(person, tmp_path):
    # given
    output = tmp_path / "nobody.json"

    # when
    with pytest.raises(CommandError, match=r"^No contact with this email address or id\.$"):
        call_command("marketing_export_person", "nobody@example.org", output=str(output))

    # then
    assert not output.exists()
