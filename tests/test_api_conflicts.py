"""Two admins editing the same campaign, segment or template never overwrite each other:
an edit of an outdated copy is refused with CONFLICT and changes nothing."""

import pytest
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, create_campaign
from saleor_ma_plugin.campaigns.models import Campaign, Step
from saleor_ma_plugin.messaging.models import Template
from saleor_ma_plugin.segments.editing import create_segment
from saleor_ma_plugin.segments.models import Segment
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

CAMPAIGN = "query c($id: ID!) { campaign(id: $id) { updatedAt name } }"
RENAME = """
mutation rename($id: ID!, $name: String!, $seen: DateTime) {
  campaignUpdate(id: $id, input: {name: $name}, expectedUpdatedAt: $seen) {
    campaign { name updatedAt }
    errors { field code message }
  }
}
"""
EDIT_STEP = """
mutation step($id: ID!, $config: JSON, $seen: DateTime) {
  campaignStepUpdate(campaignId: $id, key: "send", config: $config, expectedUpdatedAt: $seen) {
    campaign { updatedAt }
    errors { field code message }
  }
}
"""
SEGMENT = """
mutation seg($id: ID!, $name: String!, $seen: DateTime) {
  segmentUpdate(id: $id, input: {name: $name}, expectedUpdatedAt: $seen) {
    segment { name updatedAt }
    errors { field code message }
  }
}
"""
TEMPLATE = """
mutation tpl($id: ID!, $source: String!, $seen: Int) {
  templateUpdate(id: $id, source: $source, expectedVersion: $seen) {
    template { version }
    errors { field code message }
  }
}
"""
SOURCE = '{% extends "saleor_ma_plugin/email/layout.html" %}{% block subject %}Hi{% endblock %}'


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


@pytest.fixture
def flow() -> Campaign:
    return create_campaign(
        CampaignSpec(
            name="Welcome",
            kind="autoresponder",
            trigger={"type": "event", "event": "customer.created"},
            steps=(StepSpec("send", "send", {"template": "welcome_1"}),),
        )
    )


def test_a_step_saved_by_someone_else_refuses_a_rename_from_the_older_copy(marketer, flow):
    # given two admins opened the campaign; the first changes a step
    gid = to_global_id("Campaign", flow.pk)
    seen = post(marketer, CAMPAIGN, {"id": gid})["data"]["campaign"]["updatedAt"]
    first = post(
        marketer, EDIT_STEP, {"id": gid, "config": {"template": "welcome_2"}, "seen": seen}
    )["data"]["campaignStepUpdate"]
    assert first["errors"] == []

    # when the second saves a rename based on what they loaded
    answer = post(marketer, RENAME, {"id": gid, "name": "Hello", "seen": seen})["data"]

    # then it is refused and the first admin's change stands
    (error,) = answer["campaignUpdate"]["errors"]
    assert (error["field"], error["code"]) == ("expectedUpdatedAt", "CONFLICT")
    assert error["message"].startswith("Someone else saved this at ")
    assert error["message"].endswith("Reload to see their changes, then make yours again.")
    flow.refresh_from_db()
    assert flow.name == "Welcome"
    assert Step.objects.get(campaign=flow, key="send").config["template"] == "welcome_2"


def test_saves_from_the_newest_copy_go_through_one_after_the_other(marketer, flow):
    # given
    gid = to_global_id("Campaign", flow.pk)
    seen = post(marketer, CAMPAIGN, {"id": gid})["data"]["campaign"]["updatedAt"]

    # when an admin saves twice, each time with the copy the last answer gave
    first = post(marketer, RENAME, {"id": gid, "name": "Hello", "seen": seen})["data"]
    seen = first["campaignUpdate"]["campaign"]["updatedAt"]
    second = post(
        marketer, EDIT_STEP, {"id": gid, "config": {"template": "welcome_3"}, "seen": seen}
    )

    # then both are stored
    assert second["data"]["campaignStepUpdate"]["errors"] == []
    flow.refresh_from_db()
    assert flow.name == "Hello"
    assert Step.objects.get(campaign=flow, key="send").config["template"] == "welcome_3"


def test_without_an_expected_time_the_last_save_wins_as_before(marketer, flow):
    # when
    answer = post(marketer, RENAME, {"id": to_global_id("Campaign", flow.pk), "name": "Hi"})

    # then
    assert answer["data"]["campaignUpdate"]["errors"] == []
    assert Campaign.objects.get().name == "Hi"


def test_a_segment_renamed_elsewhere_refuses_the_older_copy(marketer):
    # given
    segment = create_segment(
        "Coffee lovers", {"field": "lifecycle_stage", "op": "eq", "value": "lead"}
    )
    gid = to_global_id("Segment", segment.pk)
    seen = segment.updated_at.isoformat()
    assert (
        post(marketer, SEGMENT, {"id": gid, "name": "Coffee fans", "seen": seen})["data"][
            "segmentUpdate"
        ]["errors"]
        == []
    )

    # when the other admin saves from the same copy
    answer = post(marketer, SEGMENT, {"id": gid, "name": "Espresso people", "seen": seen})

    # then
    (error,) = answer["data"]["segmentUpdate"]["errors"]
    assert (error["field"], error["code"]) == ("expectedUpdatedAt", "CONFLICT")
    assert Segment.objects.get().name == "Coffee fans"


def test_a_template_version_saved_elsewhere_refuses_the_older_copy(marketer):
    # given version 1, and someone else saved version 2 from it
    template = Template.objects.create(key="welcome_1", language="en", source=SOURCE)
    gid = to_global_id("Template", template.pk)
    saved = post(marketer, TEMPLATE, {"id": gid, "source": SOURCE + " ", "seen": 1})
    assert saved["data"]["templateUpdate"]["template"]["version"] == 2

    # when the other admin saves their edit of version 1
    answer = post(marketer, TEMPLATE, {"id": gid, "source": SOURCE + "  ", "seen": 1})

    # then it is refused, and version 2 stays the newest
    (error,) = answer["data"]["templateUpdate"]["errors"]
    assert (error["field"], error["code"]) == ("expectedVersion", "CONFLICT")
    assert error["message"] == (
        "Someone else saved version 2 after you opened version 1. Reload to see it, then "
        "make your change again."
    )
    assert list(Template.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
