"""The outbox keeps only the indexes its queries read; ESP events find messages by id.

The dropped indexes are Django's defaults for foreign keys and slugs, each the first column
of a composite index already there (or never filtered on alone). They are dropped by name
rather than by altering the fields, so the foreign keys are not dropped and validated again:
that would lock a large outbox for as long as a full scan takes.
"""

import django.db.models.deletion
from django.db import migrations, models

UNREAD_INDEXES = {
    "saleor_ma_plugin_message_campaign_id_79ba3e85": "campaign_id",
    "saleor_ma_plugin_message_contact_id_109f1400": "contact_id",
    "saleor_ma_plugin_message_step_key_b2ed3de4": "step_key",
    "saleor_ma_plugin_message_step_key_b2ed3de4_like": "step_key",
    "saleor_ma_plugin_message_template_ecbfcbda": "template",
    "saleor_ma_plugin_message_template_ecbfcbda_like": "template",
    "saleor_ma_plugin_message_topic_fa008190": "topic",
    "saleor_ma_plugin_message_topic_fa008190_like": "topic",
}


class Migration(migrations.Migration):
    dependencies = [
        ("saleor_ma_plugin", "0016_product_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="message",
                    name="campaign",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="messages",
                        to="saleor_ma_plugin.campaign",
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="contact",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="saleor_ma_plugin.contact",
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="step_key",
                    field=models.SlugField(blank=True, db_index=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="template",
                    field=models.SlugField(
                        db_index=False, help_text="Template key to render.", max_length=100
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="topic",
                    field=models.SlugField(blank=True, db_index=False, max_length=64),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [f"DROP INDEX IF EXISTS {name}" for name in UNREAD_INDEXES],
                    [
                        f"CREATE INDEX IF NOT EXISTS {name} ON saleor_ma_plugin_message ({column})"
                        for name, column in UNREAD_INDEXES.items()
                        if not name.endswith("_like")
                    ],
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(fields=["provider_message_id"], name="ma_message_provider_id_idx"),
        ),
    ]
