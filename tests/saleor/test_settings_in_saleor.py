"""The settings page inside Saleor: marketingSettingsUpdate writes Saleor's own plugin
configuration, which Saleor's manager and plugin page then show; refusals change nothing."""

import json

import pytest
from saleor.plugins.manager import get_plugins_manager
from saleor.plugins.models import PluginConfiguration

from saleor_ma_plugin.core.host import forget_settings, plugin_settings

from .test_api_in_saleor import login

pytestmark = pytest.mark.django_db
ENDPOINT = "/plugins/global/saleor_ma_plugin/graphql/"
UPDATE = """
mutation update($input: MarketingSettingsInput!, $expectedVersion: String) {
  marketingSettingsUpdate(input: $input, expectedVersion: $expectedVersion) {
    settings { quietHours smartSendingHours version host lockedFields signingSecretSet }
    errors { field code message }
  }
}
"""
READ = "{ marketingSettings { quietHours version host lockedFields signingSecretSet } }"


def call(client, token, query, variables=None):
    response = client.generic(
        "POST",
        ENDPOINT,
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    forget_settings()
    return response.json()["data"]


@pytest.fixture
def token(api_client, staff_user, permission_manage_users):
    staff_user.user_permissions.add(permission_manage_users)
    return login(api_client, staff_user)


def stored(plugin) -> dict:
    configuration = PluginConfiguration.objects.get(pk=plugin.pk).configuration
    return {item["name"]: item["value"] for item in configuration}


def test_a_change_lands_in_saleors_plugin_configuration(marketing_plugin, client, token):
    # given
    loaded = call(client, token, READ)["marketingSettings"]

    # when
    data = call(
        client,
        token,
        UPDATE,
        {
            "input": {"quietHours": "22:00-07:00", "smartSendingHours": 8},
            "expectedVersion": loaded["version"],
        },
    )["marketingSettingsUpdate"]

    # then
    assert data["errors"] == []
    assert (data["settings"]["host"], data["settings"]["lockedFields"]) == ("SALEOR", [])
    assert stored(marketing_plugin) == {
        "sender_address": "shop@example.com",
        "storefront_url": "https://shop.example.com",
        "imprint": "Example Shop Inc.\n1 Main Street\nSpringfield",
        "quiet_hours": "22:00-07:00",
        "smart_sending_hours": "8",
    }
    saleors = get_plugins_manager(allow_replica=False).get_plugin("saleor_ma_plugin")
    shown = {item["name"]: item["value"] for item in saleors.configuration}
    assert (shown["quiet_hours"], shown["smart_sending_hours"]) == ("22:00-07:00", "8")
    assert plugin_settings().smart_sending_hours == 8


def test_a_refused_value_or_an_outdated_copy_changes_nothing(marketing_plugin, client, token):
    # given
    before = stored(marketing_plugin)
    loaded = call(client, token, READ)["marketingSettings"]["version"]
    PluginConfiguration.objects.filter(pk=marketing_plugin.pk).update(
        configuration=[*marketing_plugin.configuration, {"name": "quiet_hours", "value": ""}]
    )
    changed = stored(marketing_plugin)

    # when
    refused = call(client, token, UPDATE, {"input": {"quietHours": "25:00-08:00"}})
    outdated = call(
        client, token, UPDATE, {"input": {"smartSendingHours": 4}, "expectedVersion": loaded}
    )

    # then
    assert [
        (error["field"], error["code"]) for error in refused["marketingSettingsUpdate"]["errors"]
    ] == [("quietHours", "INVALID")]
    assert [
        (error["field"], error["code"]) for error in outdated["marketingSettingsUpdate"]["errors"]
    ] == [("expectedVersion", "CONFLICT")]
    assert changed == {**before, "quiet_hours": ""}
    assert stored(marketing_plugin) == changed


def test_the_signing_secret_is_written_but_never_read_back(marketing_plugin, client, token):
    # when
    data = call(client, token, UPDATE, {"input": {"signingSecret": "s" * 40}})

    # then
    assert data["marketingSettingsUpdate"]["settings"]["signingSecretSet"] is True
    assert "s" * 40 not in json.dumps(data)
    assert stored(marketing_plugin)["signing_secret"] == "s" * 40
