"""The lawful-mail settings inside Saleor: pluginUpdate takes and refuses them, and a
marketing campaign is activated only once the imprint is set there."""

import pytest
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.models import PluginConfiguration

from saleor_ma_plugin.campaigns import CampaignStatus
from saleor_ma_plugin.campaigns.editing import activate
from saleor_ma_plugin.campaigns.presets import create_from_preset
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.core.host import forget_settings, plugin_settings

pytestmark = pytest.mark.django_db

PLUGIN_UPDATE = """
mutation pluginUpdate($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin { id globalConfiguration { configuration { name value } } }
    errors { field code message }
  }
}
"""
IMPRINT = "Kaffee & Co GmbH\nRöstereiweg 7\n20457 Hamburg"


def update(client, configuration: list[dict]) -> dict:
    variables = {"id": "saleor_ma_plugin", "input": {"configuration": configuration}}
    content = get_graphql_content(client.post_graphql(PLUGIN_UPDATE, variables))
    forget_settings()
    return content["data"]["pluginUpdate"]


def test_plugin_update_takes_the_lawful_mail_settings(
    staff_api_client, permission_manage_plugins, marketing_plugin
):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_plugins)

    # when
    data = update(
        staff_api_client,
        [
            {"name": "max_marketing_per_day", "value": "1"},
            {"name": "max_marketing_per_week", "value": "3"},
            {"name": "feedback_consent", "value": "existing_customer"},
            {"name": "imprint", "value": IMPRINT},
        ],
    )

    # then
    assert data["errors"] == []
    settings = plugin_settings()
    assert (
        settings.max_marketing_per_day,
        settings.max_marketing_per_week,
        settings.feedback_consent,
        settings.imprint,
    ) == (1, 3, "existing_customer", IMPRINT)


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("max_marketing_per_day", "-1", "maxMarketingPerDay"),
        ("max_marketing_per_week", "lots", "maxMarketingPerWeek"),
        ("feedback_consent", "maybe", "feedbackConsent"),
        ("imprint", "x" * 2001, "imprint"),
    ],
    ids=["negative-daily-cap", "wordy-weekly-cap", "unknown-consent-rule", "long-imprint"],
)
def test_plugin_update_refuses_bad_lawful_mail_settings(
    staff_api_client, permission_manage_plugins, marketing_plugin, name, value, field
):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    before = PluginConfiguration.objects.get(pk=marketing_plugin.pk).configuration

    # when
    data = update(staff_api_client, [{"name": name, "value": value}])

    # then
    assert [(error["field"], error["code"]) for error in data["errors"]] == [(field, "INVALID")]
    assert PluginConfiguration.objects.get(pk=marketing_plugin.pk).configuration == before


def test_a_marketing_campaign_activates_only_with_the_imprint_set_in_saleor(
    staff_api_client, permission_manage_plugins, marketing_plugin
):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    update(staff_api_client, [{"name": "imprint", "value": ""}])
    campaign = create_from_preset("thank_you_voucher", {"discount_percent": 10})

    # when
    with pytest.raises(FieldError) as refused:
        activate(campaign)
    update(staff_api_client, [{"name": "imprint", "value": IMPRINT}])
    activated = activate(campaign)

    # then
    assert refused.value.field == "imprint"
    assert activated.status == CampaignStatus.ACTIVE
