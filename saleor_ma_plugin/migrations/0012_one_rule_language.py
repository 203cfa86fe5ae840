"""Campaign conditions and audiences in the one rule language; step types from the registry.

Stored campaign conditions (trigger and goal filters, exit conditions, branch conditions),
score-rule filters and audiences are rewritten into the rule language segments use. An
event condition without a time bound meant "since the run started", and says so now. A
value that cannot be rewritten is left as it was (and logged); the API still reads it.
"""

import logging

from django.db import migrations, models

from saleor_ma_plugin.segments.rules.legacy import upgrade_audience, upgrade_condition

logger = logging.getLogger(__name__)


def _condition(value):
    return upgrade_condition(value, assume_legacy=True) if value else value


def _goal(goal):
    if isinstance(goal, dict) and goal.get("where"):
        return {**goal, "where": _condition(goal["where"])}
    return goal


def _trigger(trigger):
    if isinstance(trigger, dict) and trigger.get("where"):
        return {**trigger, "where": _condition(trigger["where"])}
    return trigger


def _branch(config):
    if isinstance(config, dict) and "condition" in config:
        return {**config, "condition": _condition(config["condition"])}
    return config


def _rewrite(row, **changes) -> bool:
    """Set the changed values on the row; False (and nothing set) if one cannot be rewritten."""
    try:
        new = {name: upgrade(getattr(row, name)) for name, upgrade in changes.items()}
    except ValueError:
        logger.warning("Left %s %s in its old shape.", type(row).__name__, row.pk)
        return False
    changed = {name: value for name, value in new.items() if value != getattr(row, name)}
    for name, value in changed.items():
        setattr(row, name, value)
    return bool(changed)


def forwards(apps, schema_editor):
    Campaign = apps.get_model("saleor_ma_plugin", "Campaign")
    Step = apps.get_model("saleor_ma_plugin", "Step")
    ScoreRule = apps.get_model("saleor_ma_plugin", "ScoreRule")
    for campaign in Campaign.objects.all().iterator():
        if _rewrite(
            campaign,
            audience=upgrade_audience,
            trigger=_trigger,
            goal=_goal,
            exit_condition=_condition,
        ):
            campaign.save(update_fields=["audience", "trigger", "goal", "exit_condition"])
    for step in Step.objects.filter(type="branch").iterator():
        if _rewrite(step, config=_branch):
            step.save(update_fields=["config"])
    for rule in ScoreRule.objects.all().iterator():
        if _rewrite(rule, where=_condition):
            rule.save(update_fields=["where"])


class Migration(migrations.Migration):

    dependencies = [
        ("saleor_ma_plugin", "0011_permission_codenames"),
    ]

    operations = [
        migrations.AlterField(
            model_name="step",
            name="type",
            field=models.CharField(
                help_text="A step type of the registry (campaigns.steps).", max_length=16
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
