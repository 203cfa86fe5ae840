"""Step types, trigger types, rule kinds and tasks are each found in one registry."""

import pytest
from django.utils import translation
from jsonschema import Draft7Validator

from saleor_ma_plugin.campaigns.presets import PRESETS, build_preset
from saleor_ma_plugin.campaigns.steps import StepType, step_kinds
from saleor_ma_plugin.campaigns.triggers import TriggerType, trigger_kind, trigger_kinds
from saleor_ma_plugin.core.queue import Work
from saleor_ma_plugin.segments.rules import rule_kinds
from saleor_ma_plugin.standalone import celery_app
from saleor_ma_plugin.tasks import BEAT_SCHEDULE
from tests.api_helpers import post, staff

KINDS = [*step_kinds(), *trigger_kinds(), *rule_kinds()]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: f"{type(kind).__name__}")
def test_every_kind_describes_itself_with_a_valid_json_schema(kind):
    # then its schema is a JSON Schema and its texts are there
    Draft7Validator.check_schema(kind.schema)
    assert str(kind.label).strip()
    assert str(kind.description).strip()


@pytest.mark.parametrize("slug", list(PRESETS))
def test_every_preset_fits_the_schemas_its_forms_are_built_from(slug):
    # given the campaign a preset builds
    spec = build_preset(slug)

    # then its trigger and every step's configuration validate against their kind's schema
    trigger = {key: value for key, value in spec.trigger.items() if key != "type"}
    assert list(Draft7Validator(trigger_kind(spec.trigger).schema).iter_errors(trigger)) == []
    kinds = {kind.type: kind for kind in step_kinds()}
    for step in spec.steps:
        errors = list(Draft7Validator(kinds[step.type].schema).iter_errors(step.config))
        assert errors == [], (step.key, [error.message for error in errors])


def test_enums_are_the_registries():
    assert StepType.values == [kind.type for kind in step_kinds()]
    assert TriggerType.values == [kind.type for kind in trigger_kinds()]
    assert len({kind.key for kind in rule_kinds()}) == len(rule_kinds())


def test_every_named_work_is_a_registered_task_and_every_tick_runs_one():
    # then each name domain code may wake has a task, and beat only names those
    assert {str(work) for work in Work} <= set(celery_app.tasks)
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} <= {str(work) for work in Work}
    assert len(BEAT_SCHEDULE) == 12


DEFINITIONS = """
query {
  campaignStepTypes { type label configSchema writes reachesContact final }
  campaignTriggerTypes { type label schema }
  ruleKinds { key scope schema }
  ruleFields { name valueType operators }
}
"""


@pytest.mark.django_db
def test_the_api_serves_the_registries_for_the_dashboards_forms(client):
    # given
    staff(client, "manage_marketing")

    # when
    data = post(client, DEFINITIONS)["data"]

    # then
    steps = {item["type"]: item for item in data["campaignStepTypes"]}
    assert list(steps) == [kind.type.upper() for kind in step_kinds()]
    assert steps["SEND"]["configSchema"]["required"] == ["template"]
    assert (
        steps["VOUCHER"]["writes"],
        steps["MOVE"]["final"],
        steps["WAIT"]["reachesContact"],
    ) == (
        True,
        True,
        False,
    )
    assert [item["type"] for item in data["campaignTriggerTypes"]] == TriggerType.values
    scopes = {item["key"]: item["scope"] for item in data["ruleKinds"]}
    assert (scopes["tag"], scopes["message"]) == ("CONTACT", "RUN")
    fields = {item["name"]: item for item in data["ruleFields"]}
    assert fields["orders_count"]["valueType"] == "int"
    assert "within_days" in fields["last_order_at"]["operators"]


@pytest.mark.django_db
def test_the_registries_are_not_served_without_permission(client):
    # when an anonymous caller asks
    response = post(client, "{ campaignStepTypes { type } }")

    # then it is refused
    assert response["data"] is None
    assert response["errors"][0]["message"] == "You need the MANAGE_MARKETING permission."


@pytest.mark.parametrize("language", ["de", "pl"])
def test_every_kind_is_described_in_each_shipped_language(language):
    # when the kinds' names and descriptions are read in another language
    with translation.override(language):
        untranslated = [
            str(text)
            for kind in KINDS
            for text in (kind.label, kind.description)
            if str(text) == _english(text) and str(text) not in SAME_IN_EVERY_LANGUAGE
        ]

    # then every one of them is translated
    assert untranslated == []


#: Names that read the same in the shipped languages.
SAME_IN_EVERY_LANGUAGE = {"Segment", "Lead score", "Webhook", "Event", "Tag"}


def _english(text) -> str:
    with translation.override("en"):
        return str(text)
