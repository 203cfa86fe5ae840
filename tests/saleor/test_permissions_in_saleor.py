"""Installed into Saleor, our permissions never take one of Saleor's codenames."""

import pytest
from saleor.graphql.tests.utils import get_graphql_content
from saleor.permission.enums import get_permissions_codename
from saleor.permission.models import Permission

from saleor_ma_plugin.core.auth import DJANGO_CODENAMES

pytestmark = pytest.mark.django_db

ACCOUNT_PERMISSIONS = """
query {
  me { userPermissions { code } }
  shop { permissions { code } }
}
"""
GROUP_PERMISSIONS = """
query { permissionGroups(first: 50) { edges { node { name permissions { code } } } } }
"""


def test_no_permission_of_ours_repeats_a_saleor_codename():
    # given every permission row of our app, as migrations and post_migrate made them
    ours = set(
        Permission.objects.filter(content_type__app_label="saleor_ma_plugin").values_list(
            "codename", flat=True
        )
    )

    # then ours are there, none is Saleor's, and Saleor's lookups by codename stay unique
    assert set(DJANGO_CODENAMES.values()) <= ours
    assert not ours & set(get_permissions_codename())
    for codename in get_permissions_codename():
        assert Permission.objects.filter(codename=codename).count() <= 1, codename


def test_saleor_lists_a_superusers_permissions_without_errors(
    marketing_plugin, superuser_api_client
):
    # given the plugin installed and active
    # when the Dashboard asks at login what its user and the shop may do
    content = get_graphql_content(superuser_api_client.post_graphql(ACCOUNT_PERMISSIONS))

    # then both lists answer, with Saleor's own codes and none of ours
    user_codes = {item["code"] for item in content["data"]["me"]["userPermissions"]}
    shop_codes = {item["code"] for item in content["data"]["shop"]["permissions"]}
    assert "MANAGE_DISCOUNTS" in user_codes
    assert user_codes == shop_codes
    assert not any("MARKETING" in code for code in user_codes)


def test_saleor_lists_permission_groups_without_errors(
    marketing_plugin, staff_api_client, permission_manage_staff, permission_group_manage_users
):
    # given the plugin installed and active, and a group holding Saleor's permissions
    # when the Dashboard lists the permission groups
    response = staff_api_client.post_graphql(
        GROUP_PERMISSIONS, permissions=[permission_manage_staff]
    )

    # then every group lists its permissions
    groups = [
        edge["node"] for edge in get_graphql_content(response)["data"]["permissionGroups"]["edges"]
    ]
    assert {
        "name": permission_group_manage_users.name,
        "permissions": [{"code": "MANAGE_USERS"}],
    } in groups
