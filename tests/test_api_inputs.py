"""Inputs are checked where they enter: a field error for the admin, nothing stored, no 500."""

import json

import pytest
from django.db import OperationalError, connection, transaction
from graphql_relay import to_global_id

from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.database import statement_timeout, was_cancelled
from saleor_ma_plugin.graphql_api.contacts import queries as contact_queries
from saleor_ma_plugin.graphql_api.core.errors import TIMEOUT_MESSAGE
from tests.api_helpers import post, staff
from tests.campaign_helpers import campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


def _raw(client, query: str, variables: dict | None = None):
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "variables",
    [
        {"input": {"email": "anna\u0000@example.com"}},
        {"input": {"email": "anna@example.com", "topics": ["news\u0000"]}},
    ],
)
def test_text_with_nul_is_refused_before_anything_is_stored(client, variables):
    # when a storefront sends text PostgreSQL cannot store
    status, body = _raw(
        client,
        "mutation($input: NewsletterSubscribeInput!) "
        "{ newsletterSubscribe(input: $input) { errors { message } } }",
        variables,
    )

    # then it is refused as bad input, and no contact was created
    assert status == 400
    assert body["errors"] == [
        {
            "message": "Text must not contain NUL characters (\\u0000).",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]
    assert not Contact.objects.exists()


def test_a_list_longer_than_any_input_needs_is_refused(marketer):
    # when
    status, body = _raw(
        marketer,
        "query($ids: [ID!]!) { campaignReports(ids: $ids) { campaign { name } } }",
        {"ids": ["x"] * 501},
    )

    # then
    assert status == 400
    assert body["errors"][0]["message"] == "Lists have at most 500 items."


def test_the_contacts_filter_takes_a_bounded_number_of_tags(marketer):
    # when
    data = post(
        marketer,
        "query($tags: [String!]) { contacts(filter: {tags: $tags}) { totalCount } }",
        {"tags": [f"t{n}" for n in range(21)]},
    )

    # then
    assert data["errors"][0]["message"] == "Filter by at most 20 tags."
    assert data["errors"][0]["extensions"] == {"code": "INVALID", "field": "filter.tags"}


@pytest.mark.parametrize(
    ("settings_input", "field", "message"),
    [
        ("{conversionWindowDays: -1}", "conversionWindowDays", "from 0 to 36500"),
        ("{minAudienceSize: -5}", "minAudienceSize", "from 0 to 2147483647"),
        (
            '{trigger: {type: "absence", event: "a", absent_event: "b", '
            "within: {days: 99999999999}}}",
            "trigger.within",
            "at most 36500 days",
        ),
        (
            '{trigger: {type: "inactivity", days: 99999999999999999999}}',
            "trigger.days",
            "at most 36500",
        ),
    ],
)
def test_numbers_beyond_what_the_engine_can_hold_are_field_errors(
    marketer, settings_input, field, message
):
    # given
    existing = campaign({"type": "broadcast"})
    before = existing.__class__.objects.values().get(pk=existing.pk)

    # when
    data = post(
        marketer,
        f'mutation {{ campaignUpdate(id: "{to_global_id("Campaign", existing.pk)}", '
        f"input: {settings_input}) {{ errors {{ field message }} }} }}",
    )

    # then
    [error] = data["data"]["campaignUpdate"]["errors"]
    assert error["field"] == field
    assert message in error["message"]
    assert existing.__class__.objects.values().get(pk=existing.pk) == before


def test_json_keeps_large_integers_instead_of_turning_them_into_null(marketer):
    # given a rule with a number JSON can carry but the engine bounds
    # when
    data = post(
        marketer,
        'mutation { segmentCreate(input: {name: "Far", rules: {rfm: {recency_days_max: '
        "99999999999}}}) { errors { field message } } }",
    )

    # then the number reaches the validation (before, it arrived as null: "Give bounds")
    assert data["data"]["segmentCreate"]["errors"] == [
        {"field": "rules.rfm.recencyDaysMax", "message": "Enter a whole number of at most 36500."}
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_statement_over_the_timeout_is_cancelled_and_the_setting_restored():
    # given
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        (before,) = cursor.fetchone()

    # when a statement runs longer than the block allows
    with pytest.raises(OperationalError) as raised, statement_timeout(0.05):  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    # then it was cancelled by the database, and the session is as it was
    assert was_cancelled(raised.value)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone() == (before,)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_slow_admin_query_is_stopped_with_a_clear_error(marketer, settings, monkeypatch):
    # given a contacts query that would keep the database busy
    settings.SALEOR_MA_API_STATEMENT_TIMEOUT = 0.05
    Contact.objects.create(email="anna@example.com")
    slow = contact_queries.contacts_matching

    def contacts_matching(filter, sort_by=None):
        return slow(filter, sort_by).extra(where=["pg_sleep(1) IS NOT NULL"])

    monkeypatch.setattr(contact_queries, "contacts_matching", contacts_matching)

    # when
    data = post(marketer, "{ contacts { totalCount } }")

    # then
    assert data["errors"][0]["message"] == TIMEOUT_MESSAGE
    assert data["errors"][0]["extensions"] == {"code": "TIMEOUT"}
