"""Rename the voucher permission out of Saleor's namespace, keeping every grant.

Saleor looks permissions up by codename alone; a second ``manage_discounts`` (ours, on
Campaign) broke ``me { userPermissions }`` and Saleor's own permission lookups. The row is
renamed in place, so the users and groups it was granted to keep it.
"""

from django.db import migrations

OLD = ("manage_discounts", "Configure voucher steps")
NEW = ("manage_marketing_vouchers", "Configure voucher steps of campaigns")


def _permission_model(apps):
    """Django's auth Permission, or Saleor's (Saleor replaces django.contrib.auth)."""
    for label in ("auth", "permission"):
        try:
            return apps.get_model(label, "Permission")
        except LookupError:
            continue
    return None


def _move(apps, old, new):
    Permission = _permission_model(apps)
    if Permission is None:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="saleor_ma_plugin", model="campaign").first()
    if content_type is None:
        return  # a fresh database: post_migrate creates the new codename
    stale = Permission.objects.filter(content_type=content_type, codename=old[0]).first()
    if stale is None:
        return
    current = Permission.objects.filter(content_type=content_type, codename=new[0]).first()
    if current is None:
        stale.codename, stale.name = new
        stale.save(update_fields=["codename", "name"])
        return
    # Both exist (post_migrate ran between a rollback and this): move every grant, in
    # whichever user or group model the host has (Django's, or Saleor's account models).
    for model in apps.get_models():
        for field in model._meta.many_to_many:
            if field.remote_field.model._meta.label_lower != Permission._meta.label_lower:
                continue
            through = field.remote_field.through
            holder, permission = field.m2m_field_name(), field.m2m_reverse_field_name()
            granted = through.objects.filter(**{permission: current}).values(holder)
            through.objects.filter(**{permission: stale}).exclude(
                **{f"{holder}__in": granted}
            ).update(**{permission: current})
    stale.delete()


def forwards(apps, schema_editor):
    _move(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _move(apps, NEW, OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("saleor_ma_plugin", "0010_message_claim_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="campaign",
            options={
                "permissions": [
                    ("manage_marketing", "Manage campaigns, templates, contacts and reports"),
                    NEW,
                ]
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
