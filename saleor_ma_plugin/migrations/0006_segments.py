"""Segments and their stored membership; a GIN index on event payloads (PostgreSQL).

Behavioural segment rules ("bought product 72", "viewed category 9") test event payloads
with jsonb containment (``payload @> '{"lines": [{"product_id": "72"}]}'``), which a GIN
``jsonb_path_ops`` index serves. The events table is large and written inside Saleor's
checkout transaction, so the index is built ``CONCURRENTLY`` (no write lock); that cannot
run inside a transaction, hence ``atomic = False``. A build interrupted earlier leaves an
invalid index behind, which is dropped and built again. Other databases get no index: the
standalone host's SQLite evaluates those rules without one.
"""

import django.db.models.deletion
from django.db import migrations, models

PAYLOAD_INDEX = "ma_event_payload_gin_idx"


def create_payload_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("saleor_ma_plugin", "Event")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
            [PAYLOAD_INDEX],
        )
        row = cursor.fetchone()
        if row is not None and row[0]:
            return
        if row is not None:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {PAYLOAD_INDEX}")
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {PAYLOAD_INDEX} "
            f"ON {table} USING gin (payload jsonb_path_ops)"
        )


def drop_payload_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {PAYLOAD_INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("saleor_ma_plugin", "0005_event_anonymous_index")]

    operations = [
        migrations.CreateModel(
            name="Segment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("description", models.TextField(blank=True)),
                (
                    "rules",
                    models.JSONField(blank=True, default=dict, help_text="Validated rule tree."),
                ),
                (
                    "member_count",
                    models.PositiveIntegerField(
                        default=0, help_text="Stored members at the last refresh."
                    ),
                ),
                (
                    "counted_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When the membership was last refreshed.",
                        null=True,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "indexes": [models.Index(fields=["name"], name="ma_segment_name_idx")],
            },
        ),
        migrations.CreateModel(
            name="SegmentMembership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("entered_at", models.DateTimeField()),
                (
                    "contact",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="segment_memberships",
                        to="saleor_ma_plugin.contact",
                    ),
                ),
                (
                    "segment",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="saleor_ma_plugin.segment",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["segment", "entered_at"], name="ma_segment_entered_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("segment", "contact"), name="ma_segment_member_uniq"
                    )
                ],
            },
        ),
        migrations.RunPython(create_payload_index, drop_payload_index, elidable=False),
    ]
