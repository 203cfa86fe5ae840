import pytest

from saleor_ma_plugin.campaigns.models import Campaign, Step
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing", "manage_marketing_vouchers")
    return client


CREATE = """
mutation create($input: CampaignCreateInput!) {
  campaignCreate(input: $input) {
    campaign { id name status kind steps { key type nextKey } figures { sent } }
    errors { field code message }
  }
}
"""
LIST = """
query list($first: Int, $after: String) {
  campaigns(first: $first, after: $after, sortBy: {field: NAME, direction: ASC}) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { name status figures { enrolled sent converted revenue } } }
  }
}
"""
VALID_INPUT = {
    "name": "Thanks",
    "kind": "AUTORESPONDER",
    "trigger": {"type": "event", "event": "order.created"},
    "steps": [
        {"key": "code", "type": "VOUCHER", "config": {"discount_value": "10"}, "nextKey": "send"},
        {"key": "send", "type": "SEND", "config": {"template": "thank_you_voucher"}},
    ],
}


def test_staff_creates_a_campaign(marketer):
    # when
    data = post(marketer, CREATE, {"input": VALID_INPUT})["data"]["campaignCreate"]

    # then
    assert data["errors"] == []
    assert data["campaign"]["status"] == "DRAFT"
    assert [step["key"] for step in data["campaign"]["steps"]] == ["code", "send"]
    assert Campaign.objects.get().name == "Thanks"


def test_invalid_flow_answers_with_a_field_error_and_stores_nothing(marketer):
    # given
    broken = {**VALID_INPUT, "steps": [{"key": "send", "type": "SEND", "config": {}}]}

    # when
    data = post(marketer, CREATE, {"input": broken})["data"]["campaignCreate"]

    # then
    assert data["errors"] == [
        {
            "field": "steps[0].config.template",
            "code": "REQUIRED",
            "message": "This field is required.",
        }
    ]
    assert not Campaign.objects.exists()
    assert not Step.objects.exists()


def test_a_name_too_long_for_its_column_is_a_field_error_and_stores_nothing(marketer):
    # when
    data = post(marketer, CREATE, {"input": {**VALID_INPUT, "name": "N" * 201}})
    payload = data["data"]["campaignCreate"]

    # then (it was a database error before)
    assert "errors" not in data
    assert payload["errors"] == [
        {"field": "name", "code": "INVALID", "message": "At most 200 characters."}
    ]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("permissions", [(), ("manage_marketing_vouchers",)])
def test_without_manage_marketing_nothing_is_created(client, permissions):
    # given
    staff(client, *permissions)

    # when
    data = post(client, CREATE, {"input": VALID_INPUT})["data"]["campaignCreate"]

    # then
    assert data["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not Campaign.objects.exists()


def test_voucher_steps_need_manage_discounts(client):
    # given
    staff(client, "manage_marketing")

    # when
    data = post(client, CREATE, {"input": VALID_INPUT})["data"]["campaignCreate"]

    # then
    assert (data["errors"][0]["field"], data["errors"][0]["code"]) == (
        "steps",
        "PERMISSION_DENIED",
    )
    assert not Campaign.objects.exists()


def test_anonymous_cannot_list_campaigns(client):
    # when
    result = post(client, LIST)

    # then
    assert result["data"]["campaigns"] is None
    assert result["errors"][0]["message"] == "You need the MANAGE_MARKETING permission."


def test_list_paginates_with_total_count_in_few_queries(marketer, django_assert_max_num_queries):
    # given
    for number in range(5):
        post(marketer, CREATE, {"input": {**VALID_INPUT, "name": f"Campaign {number}"}})

    # when
    with django_assert_max_num_queries(13):  # 2 for the statement timeout
        first = post(marketer, LIST, {"first": 3})["data"]["campaigns"]
    second = post(marketer, LIST, {"first": 3, "after": first["pageInfo"]["endCursor"]})["data"][
        "campaigns"
    ]

    # then
    assert first["totalCount"] == 5
    assert [edge["node"]["name"] for edge in first["edges"]] == [
        "Campaign 0",
        "Campaign 1",
        "Campaign 2",
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["name"] for edge in second["edges"]] == ["Campaign 3", "Campaign 4"]
    assert second["pageInfo"]["hasNextPage"] is False
