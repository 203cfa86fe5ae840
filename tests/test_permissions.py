"""Our permissions live beside Saleor's without ever taking one of its codenames."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from saleor_ma_plugin.campaigns.models import Campaign
from saleor_ma_plugin.core.auth import DJANGO_CODENAMES, MarketingPermission

BEFORE = [("saleor_ma_plugin", "0010_message_claim_indexes")]
AFTER = [("saleor_ma_plugin", "0011_permission_codenames")]


def test_every_permission_codename_names_marketing():
    # given the permissions the app declares and the ones the API maps to Django codenames
    declared = {codename for codename, _ in Campaign._meta.permissions}

    # then each is in our own namespace (Saleor's codenames never mention marketing)
    assert declared == set(DJANGO_CODENAMES.values())
    assert all("marketing" in codename for codename in declared)
    assert set(DJANGO_CODENAMES) == set(MarketingPermission)


def _before_the_rename() -> ContentType:
    """Migrate back to before the rename, without any permission of Campaign's."""
    MigrationExecutor(connection).migrate(BEFORE)
    content_type = ContentType.objects.get_for_model(Campaign)
    Permission.objects.filter(content_type=content_type).delete()
    return content_type


def _rename() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)


@pytest.mark.django_db(transaction=True)
def test_renaming_the_voucher_permission_keeps_its_grants(back_to_the_latest_schema):
    # given a database before the rename, with the old permission granted to a user and a group
    content_type = _before_the_rename()
    old = Permission.objects.create(
        content_type=content_type, codename="manage_discounts", name="Configure voucher steps"
    )
    user = User.objects.create_user("staff@example.com", is_staff=True)
    user.user_permissions.add(old)
    group = Group.objects.create(name="Marketing")
    group.permissions.add(old)

    # when the rename runs
    _rename()

    # then the same row carries the new codename, so both grants hold, and the old is gone
    renamed = Permission.objects.get(pk=old.pk)
    assert renamed.codename == "manage_marketing_vouchers"
    assert list(user.user_permissions.values_list("codename", flat=True)) == [
        "manage_marketing_vouchers"
    ]
    assert list(group.permissions.values_list("codename", flat=True)) == [
        "manage_marketing_vouchers"
    ]
    assert not Permission.objects.filter(content_type=content_type, codename="manage_discounts")
    assert User.objects.get(pk=user.pk).has_perm("saleor_ma_plugin.manage_marketing_vouchers")


@pytest.mark.django_db(transaction=True)
def test_renaming_merges_into_an_existing_new_permission(back_to_the_latest_schema):
    # given both codenames, each granted to a different user, one user holding both
    content_type = _before_the_rename()
    old = Permission.objects.create(content_type=content_type, codename="manage_discounts")
    new = Permission.objects.create(
        content_type=content_type, codename="manage_marketing_vouchers"
    )
    only_old = User.objects.create_user("a@example.com", is_staff=True)
    only_old.user_permissions.add(old)
    both = User.objects.create_user("b@example.com", is_staff=True)
    both.user_permissions.add(old, new)

    # when the rename runs
    _rename()

    # then the old row is gone and everyone who had it holds the new one, once
    assert not Permission.objects.filter(pk=old.pk).exists()
    for user in (only_old, both):
        assert list(user.user_permissions.values_list("pk", flat=True)) == [new.pk]
