"""Event retention: daily summaries of removed events; score entries outlive their events.

Event rules ask summaries whether a product, category or variant was named
(``subjects ?| array['product_id:72']``), which a GIN index on ``subjects`` serves
(PostgreSQL; the standalone host's SQLite reads without it). The table is new and empty,
so the index is built in the migration's transaction.
"""

import django.db.models.deletion
from django.db import migrations, models


SUBJECTS_INDEX = "ma_event_summary_subjects_idx"


def create_subjects_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("saleor_ma_plugin", "EventSummary")
    table = schema_editor.quote_name(model._meta.db_table)
    schema_editor.execute(f"CREATE INDEX {SUBJECTS_INDEX} ON {table} USING gin (subjects)")


def drop_subjects_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SUBJECTS_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("saleor_ma_plugin", "0021_saleor_installation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="scoreentry",
            name="event",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="saleor_ma_plugin.event",
            ),
        ),
        migrations.CreateModel(
            name="EventSummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("type", models.CharField(max_length=64)),
                ("day", models.DateField(help_text="The day (UTC) the events occurred.")),
                (
                    "count",
                    models.PositiveIntegerField(help_text="Removed events counted in this row."),
                ),
                ("last_at", models.DateTimeField(help_text="When the last of them occurred.")),
                (
                    "subjects",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="Events per product, category or variant id.",
                    ),
                ),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_summaries",
                        to="saleor_ma_plugin.contact",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["type", "day"], name="ma_event_summary_type_idx")
                ],
            },
        ),
        migrations.RunPython(create_subjects_index, drop_subjects_index),
    ]
