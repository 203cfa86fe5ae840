"""A template version restored from an earlier one says which: the history stays honest."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("saleor_ma_plugin", "0017_message_indexes")]

    operations = [
        migrations.AddField(
            model_name="template",
            name="reverted_from",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The earlier version whose source this one restores; empty for an edit.",
                null=True,
            ),
        ),
    ]
