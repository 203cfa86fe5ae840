"""Each message a worker claims carries its claim's id.

With it, a dead worker's messages are told apart per claim: the few it may have handed to
the provider follow the unconfirmed policy, the rest are queued again.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("saleor_ma_plugin", "0012_one_rule_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="claim",
            field=models.UUIDField(
                blank=True,
                help_text="The worker's claim it belongs to: tells a dead worker's claims apart.",
                null=True,
            ),
        ),
    ]
