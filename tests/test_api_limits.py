"""Hostile requests are refused cheaply with a JSON error, never a 500 or a leaked exception."""

import json
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from graphql import parse

from saleor_ma_plugin.graphql_api.campaigns import queries as campaign_queries
from saleor_ma_plugin.graphql_api.core.errors import INTERNAL_MESSAGE
from saleor_ma_plugin.graphql_api.core.limits import LimitExceeded, check_document
from tests.api_helpers import staff

pytestmark = pytest.mark.django_db


def _post(client, body) -> tuple[int, dict]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = client.post("/graphql/", raw, content_type="application/json")
    return response.status_code, response.json()


@contextmanager
def _finishes_within(seconds: int):
    """Turn an endless computation into a failure instead of a hung suite."""

    def give_up(signum, frame):
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _nested_fragments(levels: int, fan_out: int = 10) -> str:
    fragments = ["fragment F0 on Query { __typename }"]
    for level in range(1, levels):
        spreads = " ".join(f"...F{level - 1}" for _ in range(fan_out))
        fragments.append(f"fragment F{level} on Query {{ {spreads} }}")
    return f"query {{ ...F{levels - 1} }}\n" + "\n".join(fragments)


def test_nested_fragments_are_counted_without_expanding_them():
    # given twelve levels of fragments, each spreading the one below ten times (10^11 fields)
    document = parse(_nested_fragments(12))

    # when the limits are checked, then the excess is found without walking every spread
    with _finishes_within(10), pytest.raises(LimitExceeded) as raised:
        check_document(document)
    assert str(raised.value) == "The query selects 500 fields; the limit is 400."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (_nested_fragments(4), "The query selects 500 fields; the limit is 400."),
        (
            "{ __typename " + "@include(if: true) " * 60 + "}",
            "The query uses more than 50 directives.",
        ),
        (
            "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            "The fragment A spreads itself.",
        ),
        (
            "{ " + " ".join(["__typename"] * 40) + " }",
            "The field __typename is selected 40 times in one place; the limit is 10.",
        ),
        (
            "{ campaigns(filter: {search: " + "[" * 3000 + "]" * 3000 + "}) { totalCount } }",
            "The query is nested 3003 levels; the limit is 48.",
        ),
        ("{ __typename }" + " " * 20_001, "The query has 20015 characters; the limit is 20000."),
    ],
)
def test_oversized_queries_are_refused_with_a_json_error(client, query, message):
    # when
    status, body = _post(client, {"query": query})

    # then
    assert status == 400
    assert body == {"errors": [{"message": message, "extensions": {"code": "QUERY_TOO_COMPLEX"}}]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            '{"query": "{ __typename }", "variables": {"v": ' + "[" * 20_000 + "]" * 20_000 + "}}",
            "The body is nested too deeply.",
        ),
        (
            '{"query": "{ __typename }", "variables": {"v": ' + "[" * 40 + "]" * 40 + "}}",
            "The variables are nested deeper than 32 levels.",
        ),
        ('{"query": "{ __typename }", "operationName": 5}', "operationName must be a string."),
        (
            '{"query": "{ __typename }"' + " " * 200_001 + "}",
            "The body is larger than 200000 bytes.",
        ),
    ],
)
def test_hostile_bodies_get_a_400_with_a_json_error(client, raw, message):
    # when
    status, body = _post(client, raw)

    # then
    assert status == 400
    assert body["errors"][0]["message"] == message


def test_an_unexpected_failure_is_logged_and_answered_without_its_text(
    client, monkeypatch, caplog
):
    # given a resolver that fails in a way nobody planned for
    staff(client, "manage_marketing")

    class Broken:
        def items(self):
            raise ValueError('integer out of range: SELECT "saleor_ma_plugin_campaign"."id"')

    monkeypatch.setattr(campaign_queries, "preset_listing", Broken().items)

    # when
    status, body = _post(client, {"query": "{ campaignPresets { slug } }"})

    # then the client learns that it failed, not how; the log has the whole story
    assert status == 200
    assert body["errors"][0]["message"] == INTERNAL_MESSAGE
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_ERROR"}
    assert "SELECT" not in json.dumps(body)
    assert "integer out of range" in caplog.text


def test_errors_we_raise_keep_their_message_and_say_their_code(client):
    # when an anonymous caller asks for an admin field
    status, body = _post(client, {"query": "{ campaignPresets { slug } }"})

    # then
    assert status == 200
    assert body["errors"][0]["message"] == "You need the MANAGE_MARKETING permission."
    assert body["errors"][0]["extensions"] == {"code": "PERMISSION_DENIED"}


def test_the_standard_introspection_query_is_answered(client):
    # given the query GraphiQL sends to learn the schema (graphql-js 16's, as bundled)
    query = (Path(__file__).parent / "data" / "graphiql_introspection.graphql").read_text()

    # when
    response = client.post("/graphql/", {"query": query}, content_type="application/json")

    # then
    body = response.json()
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
