"""A contact's campaign runs, as the contact profile shows them."""

from datetime import UTC, datetime, timedelta

import pytest
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns import EnrollmentStatus
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, create_campaign
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.contacts.models import Contact
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db
QUERY = """
query runs($id: ID!, $first: Int) {
  contact(id: $id) {
    campaignRuns(first: $first) { campaignId campaignName status stepKey startedAt exitReason }
  }
}
"""
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def test_the_profile_lists_the_contacts_runs_newest_first(client):
    # given a contact with a finished welcome run and a live win-back run
    staff(client, "manage_marketing")
    contact = Contact.objects.create(email="anna@example.com")
    welcome, win_back = (
        create_campaign(
            CampaignSpec(
                name=name,
                kind="autoresponder",
                trigger={"type": "event", "event": "customer.created"},
                steps=(StepSpec("send", "send", {"template": "welcome_1"}),),
            )
        )
        for name in ("Welcome", "Win-back")
    )
    Enrollment.objects.create(
        campaign=welcome,
        contact=contact,
        trigger_key="a",
        status=EnrollmentStatus.COMPLETED,
        started_at=START,
        finished_at=START + timedelta(days=3),
        exit_reason="completed",
    )
    Enrollment.objects.create(
        campaign=win_back,
        contact=contact,
        trigger_key="b",
        status=EnrollmentStatus.ACTIVE,
        step_key="send",
        started_at=START + timedelta(days=20),
    )

    # when
    answer = post(client, QUERY, {"id": to_global_id("Contact", contact.pk), "first": 10})

    # then
    runs = answer["data"]["contact"]["campaignRuns"]
    assert [(run["campaignName"], run["status"], run["stepKey"]) for run in runs] == [
        ("Win-back", "ACTIVE", "send"),
        ("Welcome", "COMPLETED", ""),
    ]
    assert runs[0]["campaignId"] == to_global_id("Campaign", win_back.pk)
    assert runs[1]["exitReason"] == "completed"
