"""The plugin as the Dashboard sees it: listed, configurable, validated."""

import pytest
from django.core.management import call_command
from saleor.graphql.tests.utils import get_graphql_content
from saleor.plugins.models import PluginConfiguration

from saleor_ma_plugin.contacts import LifecycleStage
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events.models import Event

pytestmark = pytest.mark.django_db

PLUGIN_UPDATE = """
mutation pluginUpdate($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin { id name globalConfiguration { active configuration { name value } } }
    errors { field code message }
  }
}
"""
PLUGINS = """
query { plugins(first: 20) { edges { node { id name description } } } }
"""


def test_plugin_is_listed_in_the_dashboard_api(
    settings, staff_api_client, permission_manage_plugins
):
    # given
    settings.PLUGINS = ["saleor_ma_plugin.plugin.MarketingAutomationPlugin"]
    staff_api_client.user.user_permissions.add(permission_manage_plugins)

    # when
    content = get_graphql_content(staff_api_client.post_graphql(PLUGINS))

    # then
    nodes = [edge["node"] for edge in content["data"]["plugins"]["edges"]]
    assert [(node["id"], node["name"]) for node in nodes] == [
        ("saleor_ma_plugin", "Marketing automation")
    ]


def test_plugin_update_activates_with_valid_configuration(
    settings, staff_api_client, permission_manage_plugins
):
    # given
    settings.PLUGINS = ["saleor_ma_plugin.plugin.MarketingAutomationPlugin"]
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    variables = {
        "id": "saleor_ma_plugin",
        "input": {
            "active": True,
            "configuration": [
                {"name": "sender_address", "value": "shop@example.com"},
                {"name": "quiet_hours", "value": "22:00-07:00"},
            ],
        },
    }

    # when
    content = get_graphql_content(staff_api_client.post_graphql(PLUGIN_UPDATE, variables))

    # then
    data = content["data"]["pluginUpdate"]
    assert data["errors"] == []
    assert data["plugin"]["globalConfiguration"]["active"] is True
    stored = PluginConfiguration.objects.get(identifier="saleor_ma_plugin")
    assert stored.active is True
    values = {item["name"]: item["value"] for item in stored.configuration}
    assert values["quiet_hours"] == "22:00-07:00"


def test_plugin_update_rejects_invalid_values_and_keeps_the_stored_ones(
    settings, staff_api_client, permission_manage_plugins, marketing_plugin
):
    # given
    staff_api_client.user.user_permissions.add(permission_manage_plugins)
    before = PluginConfiguration.objects.get(pk=marketing_plugin.pk).configuration
    variables = {
        "id": "saleor_ma_plugin",
        "input": {"configuration": [{"name": "sender_address", "value": "not-an-address"}]},
    }

    # when
    content = get_graphql_content(staff_api_client.post_graphql(PLUGIN_UPDATE, variables))

    # then
    errors = content["data"]["pluginUpdate"]["errors"]
    assert [(error["field"], error["code"]) for error in errors] == [("senderAddress", "INVALID")]
    assert PluginConfiguration.objects.get(pk=marketing_plugin.pk).configuration == before


def test_backfill_imports_customers_and_orders_once(
    marketing_plugin, customer_user, order_with_lines
):
    # given
    order_with_lines.user = customer_user
    order_with_lines.user_email = customer_user.email
    order_with_lines.save()

    # when
    call_command("marketing_backfill", batch_size=1)
    first_run = list(Event.objects.order_by("pk").values_list("dedupe_key", "source"))
    call_command("marketing_backfill", restart=True)

    # then
    assert sorted(first_run) == sorted(
        [
            (f"customer.created:{customer_user.pk}", "backfill"),
            (f"order.created:{order_with_lines.pk}", "backfill"),
        ]
    )
    assert list(Event.objects.order_by("pk").values_list("dedupe_key", "source")) == first_run
    contact = Contact.objects.get(email=customer_user.email)
    assert contact.saleor_user_id == str(customer_user.pk)
    assert contact.orders_count == 1
    assert contact.lifecycle_stage == LifecycleStage.CUSTOMER


def test_deleting_a_customer_in_saleor_erases_the_contact(
    marketing_plugin,
    customer_user,
    staff_api_client,
    permission_manage_users,
    django_capture_on_commit_callbacks,
):
    # given
    call_command("marketing_backfill", only="customers")
    staff_api_client.user.user_permissions.add(permission_manage_users)
    mutation = """
    mutation customerDelete($id: ID!) { customerDelete(id: $id) { errors { field code } } }
    """
    from saleor.graphql.core.utils import to_global_id_or_none

    # when
    with django_capture_on_commit_callbacks(execute=True):
        content = get_graphql_content(
            staff_api_client.post_graphql(mutation, {"id": to_global_id_or_none(customer_user)})
        )

    # then
    assert content["data"]["customerDelete"]["errors"] == []
    contact = Contact.objects.get()
    assert contact.lifecycle_stage == LifecycleStage.ERASED
    assert contact.email.endswith("@erased.invalid")
    assert Event.objects.filter(type="customer.deleted", processed_at__isnull=False).count() == 1
