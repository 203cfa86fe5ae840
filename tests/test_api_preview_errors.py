"""Refused previews answer in plain words, name the part at fault apart, and log nothing;
an unexpected failure is still logged with its traceback."""

import logging
from pathlib import Path

import pytest

from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.graphql_api.core.errors import INTERNAL_MESSAGE
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations" / "admin"


def run(client, name: str, variables: dict) -> dict:
    return post(client, (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8"), variables)


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    anna = Contact.objects.create(email="anna@example.com")
    ContactTag.objects.create(contact=anna, name="coffee")
    return client


def logged_errors(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("name", ["segmentCountPreview", "segmentSamplePreview"])
@pytest.mark.parametrize(
    ("rules", "message", "code", "field"),
    [
        ({"tag": ""}, "Name a tag.", "REQUIRED", "rules.tag"),
        (
            {"rfm": {"monetary_min": 5}},
            "Amounts need their currency",
            "REQUIRED",
            "rules.rfm.currency",
        ),
        (
            {"all": [{"tag": "coffee"}, {"field": "orders_count", "op": "gte", "value": "x"}]},
            "Enter a whole number.",
            "INVALID",
            "rules.all[1].value",
        ),
        ({"segment": 999999}, "There is no segment 999999.", "NOT_FOUND", "rules"),
    ],
)
def test_an_invalid_rule_is_refused_in_words_without_a_logged_traceback(
    marketer, caplog, name, rules, message, code, field
):
    # given
    caplog.set_level(logging.DEBUG)

    # when
    result = run(marketer, name, {"rules": rules})

    # then
    [error] = result["errors"]
    assert error["message"].startswith(message)
    assert "_" not in error["message"]
    assert error["extensions"] == {"code": code, "field": field}
    assert result["data"] is None or result["data"][name] is None
    assert logged_errors(caplog) == []
    assert not [record for record in caplog.records if "Traceback" in record.getMessage()]


def test_a_refused_template_preview_names_its_field_and_logs_nothing(marketer, caplog):
    # given
    caplog.set_level(logging.DEBUG)

    # when
    result = run(
        marketer,
        "templatePreview",
        {"key": "welcome_1", "language": "en", "source": "{% load x %}"},
    )

    # then
    [error] = result["errors"]
    assert error["extensions"] == {"code": "TEMPLATE_REFUSED", "field": "source"}
    assert "is not allowed" in error["message"]
    assert result["data"]["templatePreview"] is None
    assert logged_errors(caplog) == []


def test_an_unexpected_failure_in_a_preview_is_still_logged(marketer, caplog, monkeypatch):
    # given
    def broken(rule):
        raise RuntimeError("connection to the replica lost")

    monkeypatch.setattr("saleor_ma_plugin.graphql_api.segments.queries.count_contacts", broken)
    caplog.set_level(logging.DEBUG)

    # when
    result = run(marketer, "segmentCountPreview", {"rules": {"tag": "coffee"}})

    # then
    assert result["errors"] == [
        {
            "message": INTERNAL_MESSAGE,
            "locations": [{"line": 2, "column": 3}],
            "path": ["segmentCountPreview"],
            "extensions": {"code": "INTERNAL_ERROR"},
        }
    ]
    assert any(
        record.exc_info and isinstance(record.exc_info[1], RuntimeError)
        for record in logged_errors(caplog)
    )
