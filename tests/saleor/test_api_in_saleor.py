"""Our GraphQL endpoint on Saleor's plugin route, with Saleor's own tokens."""

import json

import pytest
from saleor.graphql.tests.utils import get_graphql_content

from saleor_ma_plugin.campaigns.models import Campaign

pytestmark = pytest.mark.django_db
ENDPOINT = "/plugins/global/saleor_ma_plugin/graphql/"
TOKEN_CREATE = """
mutation login($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field code } }
}
"""
CREATE = """
mutation {
  campaignCreate(input: {name: "Welcome", kind: AUTORESPONDER,
      trigger: {type: "event", event: "newsletter.confirmed"},
      steps: [{key: "hello", type: SEND, config: {template: "welcome_1"}}]}) {
    campaign { id status } errors { field code message }
  }
}
"""
ACTIVATE = """
mutation activate($id: ID!) {
  campaignActivate(id: $id) { campaign { status } errors { field code message } }
}
"""


def call(client, query, variables=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.generic(
        "POST",
        ENDPOINT,
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    return response.json()


def login(api_client, user, password="password"):
    user.set_password(password)
    user.save()
    content = get_graphql_content(
        api_client.post_graphql(TOKEN_CREATE, {"email": user.email, "password": password})
    )
    return content["data"]["tokenCreate"]["token"]


def test_staff_jwt_from_token_create_creates_and_activates_a_campaign(
    marketing_plugin, client, api_client, staff_user, permission_manage_users
):
    # given
    staff_user.user_permissions.add(permission_manage_users)
    token = login(api_client, staff_user)

    # when
    created = call(client, CREATE, token=token)["data"]["campaignCreate"]
    activated = call(client, ACTIVATE, {"id": created["campaign"]["id"]}, token)["data"][
        "campaignActivate"
    ]

    # then
    assert created["errors"] == []
    assert activated == {"campaign": {"status": "ACTIVE"}, "errors": []}
    assert Campaign.objects.get().status == "active"


def test_anonymous_request_is_refused(marketing_plugin, client):
    # when
    result = call(client, CREATE)["data"]["campaignCreate"]

    # then
    assert result["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not Campaign.objects.exists()


def test_staff_without_manage_users_is_refused(marketing_plugin, client, api_client, staff_user):
    # given
    token = login(api_client, staff_user)

    # when
    result = call(client, CREATE, token=token)["data"]["campaignCreate"]

    # then
    assert result["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not Campaign.objects.exists()


def test_customer_token_is_no_admin(marketing_plugin, client, api_client, customer_user):
    # given
    token = login(api_client, customer_user)

    # when
    result = call(client, CREATE, token=token)["data"]["campaignCreate"]

    # then
    assert result["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not Campaign.objects.exists()


def test_app_token_with_manage_users_is_accepted(
    marketing_plugin, client, app, permission_manage_users
):
    # given
    app.permissions.add(permission_manage_users)
    _, token = app.tokens.create(name="marketing")

    # when
    result = call(client, CREATE, token=token)["data"]["campaignCreate"]

    # then
    assert result["errors"] == []
    assert Campaign.objects.count() == 1


def test_an_expired_or_forged_token_is_anonymous_not_a_crash(marketing_plugin, client):
    result = call(client, CREATE, token="eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.forged")
    assert result["data"]["campaignCreate"]["errors"][0]["code"] == "PERMISSION_DENIED"
