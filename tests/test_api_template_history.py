"""The message templates' list, history, revert and test send, as the dashboard uses them."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import override_settings
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, create_campaign
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.messaging.models import Template
from saleor_ma_plugin.messaging.templates_store import TemplateStore, shipped_keys, shipped_source
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

SUMMARIES = """
query summaries($filter: TemplateSummaryFilterInput) {
  templateSummaries(filter: $filter) {
    key language channels kind shipped activeVersion versionCount updatedAt
  }
}
"""
REVERT = """
mutation revert($id: ID!, $seen: Int) {
  templateRevert(id: $id, expectedVersion: $seen) {
    template { version source revertedFrom isActive }
    errors { field code message }
  }
}
"""
HISTORY = """
query history($key: String!, $language: String!) {
  templates(filter: {key: $key, language: $language}, first: 20) {
    edges { node { version revertedFrom } }
  }
}
"""
SEND_TEST = """
mutation send($email: String!, $contactId: ID) {
  templateSendTest(key: "sms_hello", language: "en", email: $email, contactId: $contactId) {
    errors { field code message }
  }
}
"""


def source(text: str) -> str:
    return (
        f"{{% block subject %}}{text} {{{{ contact.first_name }}}}{{% endblock %}}"
        f"{{% block text_body %}}{text}, {{{{ contact.first_name }}}}{{% endblock %}}"
    )


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


def version(number: int, text: str, key: str = "sms_hello", active: bool = True) -> Template:
    return Template.objects.create(
        key=key, language="en", version=number, source=source(text), is_active=active
    )


def summaries(client, **filter) -> list[dict]:
    result = post(client, SUMMARIES, {"filter": filter})
    assert "errors" not in result, result["errors"]
    return result["data"]["templateSummaries"]


def gid(template: Template) -> str:
    return to_global_id("Template", template.pk)


def test_summaries_list_every_shipped_key_per_language_with_the_default_in_use(marketer):
    # when
    rows = summaries(marketer)

    # then
    shipped = {(row["key"], row["language"]) for row in rows if row["shipped"]}
    assert shipped == {
        (key, language) for language in ("de", "en", "pl") for key in shipped_keys(language)
    }
    welcome = next(row for row in rows if (row["key"], row["language"]) == ("nurture_1", "de"))
    assert welcome == {
        "key": "nurture_1",
        "language": "de",
        "channels": ["EMAIL"],
        "kind": "MARKETING",
        "shipped": True,
        "activeVersion": None,
        "versionCount": 0,
        "updatedAt": None,
    }


def test_a_summary_names_the_active_version_and_the_last_change(marketer):
    # given
    first = version(1, "Hi")
    newest = version(2, "Hello", active=False)
    Template.objects.filter(pk=first.pk).update(created_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    Template.objects.filter(pk=newest.pk).update(created_at=datetime(2026, 3, 2, 9, tzinfo=UTC))

    # when
    [row] = summaries(marketer, search="sms_hello")

    # then
    assert row["activeVersion"] == 1
    assert row["versionCount"] == 2
    assert row["updatedAt"] == "2026-03-02T09:00:00+00:00"
    assert row["shipped"] is False


def test_summaries_take_channels_and_kind_from_the_send_steps_using_a_key(marketer):
    # given
    version(1, "Hi")
    create_campaign(
        CampaignSpec(
            name="Texts",
            kind="autoresponder",
            trigger={"type": "event", "event": "newsletter.confirmed"},
            steps=(
                StepSpec("sms", "send", {"template": "sms_hello", "channel": "sms"}, "push"),
                StepSpec(
                    "push",
                    "send",
                    {"template": "sms_hello", "channel": "push", "transactional": True},
                ),
            ),
        )
    )

    # when
    [row] = summaries(marketer, search="SMS_HEL")

    # then
    assert row["channels"] == ["SMS", "PUSH"]
    assert row["kind"] == "TRANSACTIONAL"


def test_summaries_filter_by_channel_kind_and_language(marketer):
    # given
    version(1, "Hi")
    create_campaign(
        CampaignSpec(
            name="Texts",
            kind="autoresponder",
            trigger={"type": "event", "event": "newsletter.confirmed"},
            steps=(StepSpec("sms", "send", {"template": "sms_hello", "channel": "sms"}),),
        )
    )

    # when
    by_channel = summaries(marketer, channel="SMS")
    transactional = summaries(marketer, kind="TRANSACTIONAL", language="de")

    # then
    assert [(row["key"], row["language"]) for row in by_channel] == [("sms_hello", "en")]
    assert {row["language"] for row in transactional} == {"de"}
    assert "order_confirmation" in {row["key"] for row in transactional}
    assert "nurture_1" not in {row["key"] for row in transactional}


def test_revert_saves_the_old_source_as_a_new_version_that_names_it(marketer):
    # given
    first = version(1, "Hi")
    version(2, "Hello")

    # when
    result = post(marketer, REVERT, {"id": gid(first), "seen": 2})["data"]["templateRevert"]

    # then
    assert result == {
        "errors": [],
        "template": {
            "version": 3,
            "source": first.source,
            "revertedFrom": 1,
            "isActive": True,
        },
    }
    assert TemplateStore().get("sms_hello", "en").source == first.source
    history = post(marketer, HISTORY, {"key": "sms_hello", "language": "en"})["data"]
    assert [edge["node"] for edge in history["templates"]["edges"]] == [
        {"version": 3, "revertedFrom": 1},
        {"version": 2, "revertedFrom": None},
        {"version": 1, "revertedFrom": None},
    ]


def test_revert_of_an_outdated_copy_is_refused_and_changes_nothing(marketer):
    # given
    first = version(1, "Hi")
    version(2, "Hello")
    version(3, "Hey")

    # when
    result = post(marketer, REVERT, {"id": gid(first), "seen": 2})["data"]["templateRevert"]

    # then
    assert result["template"] is None
    [error] = result["errors"]
    assert (error["field"], error["code"]) == ("expectedVersion", "CONFLICT")
    assert "version 3" in error["message"]
    assert Template.objects.count() == 3


def test_reverting_to_the_version_in_use_is_refused(marketer):
    # given
    version(1, "Hi")
    newest = version(2, "Hello")

    # when
    result = post(marketer, REVERT, {"id": gid(newest), "seen": 2})["data"]["templateRevert"]

    # then
    assert result["errors"] == [
        {"field": "id", "code": "INVALID", "message": "Version 2 is the newest already."}
    ]
    assert Template.objects.count() == 2


def test_reverting_to_a_deleted_newest_version_brings_it_back(marketer):
    # given
    version(1, "Hi")
    deleted = version(2, "Hello", active=False)

    # when
    result = post(marketer, REVERT, {"id": gid(deleted), "seen": 2})["data"]["templateRevert"]

    # then
    assert result["errors"] == []
    assert (result["template"]["version"], result["template"]["revertedFrom"]) == (3, 2)
    assert TemplateStore().get("sms_hello", "en").version == 3


def test_a_test_send_for_a_contact_renders_with_their_data(marketer):
    # given
    version(1, "Hi")
    contact = Contact.objects.create(email="anna@example.com", first_name="Anna")

    # when
    result = post(
        marketer,
        SEND_TEST,
        {"email": "me@example.com", "contactId": to_global_id("Contact", contact.pk)},
    )

    # then
    assert result["data"]["templateSendTest"]["errors"] == []
    [message] = mail.outbox
    assert (message.subject, message.to) == ("[Test] Hi Anna", ["me@example.com"])


def test_a_test_send_for_an_unknown_contact_is_refused_at_the_field(marketer):
    # given
    version(1, "Hi")

    # when
    result = post(
        marketer,
        SEND_TEST,
        {"email": "me@example.com", "contactId": to_global_id("Contact", 0)},
    )

    # then
    assert result["data"]["templateSendTest"]["errors"] == [
        {"field": "contactId", "code": "NOT_FOUND", "message": "No such contact."}
    ]
    assert mail.outbox == []


class RefusingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp.internal.example:25 said: password 'hunter2' wrong")


@override_settings(EMAIL_BACKEND="tests.test_api_template_history.RefusingBackend")
def test_a_refused_test_send_says_so_without_the_backend_s_words(marketer):
    # given
    version(1, "Hi")

    # when
    result = post(marketer, SEND_TEST, {"email": "me@example.com"})

    # then
    [error] = result["data"]["templateSendTest"]["errors"]
    assert error["code"] == "GRAPHQL_ERROR"
    assert "did not accept the test message" in error["message"]
    assert "hunter2" not in error["message"]
    assert "smtp.internal" not in error["message"]


CREATE = """
mutation create($source: String!, $seen: Int) {
  templateCreate(
    input: {key: "sms_hello", language: "en", source: $source}, expectedVersion: $seen
  ) {
    template { version }
    errors { field code message }
  }
}
"""


def test_a_first_save_expecting_no_version_is_refused_once_someone_saved_one(marketer):
    # given
    version(1, "Hi")

    # when
    result = post(marketer, CREATE, {"source": source("Hello"), "seen": 0})["data"]

    # then
    [error] = result["templateCreate"]["errors"]
    assert (error["field"], error["code"]) == ("expectedVersion", "CONFLICT")
    assert Template.objects.count() == 1


def test_a_first_save_expecting_no_version_is_version_1(marketer):
    # when
    result = post(marketer, CREATE, {"source": source("Hello"), "seen": 0})["data"]

    # then
    assert result["templateCreate"] == {"errors": [], "template": {"version": 1}}


IN_USE = """
query inUse($language: String!) {
  templateInUse(key: "birthday", language: $language) { source version language shippedSource }
}
"""


def test_the_source_in_use_is_the_shipped_default_until_a_version_is_saved(marketer):
    # when
    before = post(marketer, IN_USE, {"language": "de"})["data"]["templateInUse"]
    Template.objects.create(key="birthday", language="de", version=1, source=source("Hallo"))
    after = post(marketer, IN_USE, {"language": "de"})["data"]["templateInUse"]

    # then
    shipped = shipped_source("birthday", "de")
    assert "Alles Gute zum Geburtstag" in shipped
    assert before == {"source": shipped, "version": 0, "language": "de", "shippedSource": shipped}
    assert after == {
        "source": source("Hallo"),
        "version": 1,
        "language": "de",
        "shippedSource": shipped,
    }


def test_a_language_without_a_template_is_sent_in_english(marketer):
    # when
    result = post(marketer, IN_USE, {"language": "fr"})["data"]["templateInUse"]

    # then
    assert (result["language"], result["version"], result["shippedSource"]) == ("en", 0, None)


ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GERMAN_DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def test_a_preview_writes_dates_in_the_templates_language_as_the_send_does(marketer):
    # given the shipped German order confirmation, whose subject names the delivery day
    # when an admin previews it (the request itself in English)
    data = post(
        marketer,
        '{ templatePreview(key: "order_confirmation", language: "de") { subject } }',
    )

    # then the day is written in German, as the mail will be
    subject = data["data"]["templatePreview"]["subject"]
    assert subject.startswith("Bestellbestätigung")
    assert [day for day in GERMAN_DAYS if day in subject] != []
    assert [day for day in ENGLISH_DAYS if day in subject] == []
