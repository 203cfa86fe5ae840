"""A campaign for an interest group in one call: the segment of its tag, then a draft broadcast.

The operation is the example document in graphql/operations/admin/, so the example is
exercised too.
"""

import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns.models import Campaign
from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.segments.editing import create_segment, segment_of_tag
from saleor_ma_plugin.segments.models import Segment, SegmentMembership
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

OPERATION = (
    Path(__file__).resolve().parent.parent
    / "graphql"
    / "operations"
    / "admin"
    / "campaignCreateForInterestGroup.graphql"
).read_text(encoding="utf-8")
TAG = "interest:espresso"


def create(client, **changes) -> dict:
    variables = {
        "input": {
            "tag": TAG,
            "name": "Espresso mailing",
            "segmentName": "Interested in espresso",
            **changes,
        }
    }
    return post(client, OPERATION, variables)["data"]["campaignCreateForInterestGroup"]


def snapshot() -> dict:
    """Every row of the app's tables."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("saleor_ma_plugin").get_models()
    }


def members(segment_id: int) -> set[str]:
    return set(
        SegmentMembership.objects.filter(segment_id=segment_id).values_list(
            "contact__email", flat=True
        )
    )


@pytest.fixture
def espresso_fans() -> list[Contact]:
    """Two contacts in the espresso group, one in another group."""
    fans = [Contact.objects.create(email=f"{name}@example.com") for name in ("anna", "bert")]
    for fan in fans:
        ContactTag.objects.create(contact=fan, name=TAG)
    other = Contact.objects.create(email="cara@example.com")
    ContactTag.objects.create(contact=other, name="interest:decaf")
    return fans


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


def test_creates_the_segment_of_the_tag_and_a_draft_broadcast_to_it(marketer, espresso_fans):
    # when
    data = create(marketer)

    # then
    assert data["errors"] == []
    segment = Segment.objects.get()
    assert (segment.name, segment.rules) == ("Interested in espresso", {"all": [{"tag": TAG}]})
    assert data["segmentCreated"] is True
    assert data["segment"] == {
        "id": to_global_id("Segment", segment.pk),
        "name": "Interested in espresso",
        "memberCount": 2,
    }
    assert members(segment.pk) == {"anna@example.com", "bert@example.com"}
    campaign = Campaign.objects.get()
    assert data["campaign"] == {
        "id": to_global_id("Campaign", campaign.pk),
        "name": "Espresso mailing",
        "kind": "STANDALONE",
        "status": "DRAFT",
        "audience": {"all": [{"segment": segment.pk}, {"consent": {"channel": "email"}}]},
    }
    assert campaign.preset == "standalone_broadcast"
    assert campaign.trigger == {"type": "broadcast", "send_at": None}
    assert list(campaign.steps.values_list("key", "type")) == [("send", "send")]


def test_a_segment_of_exactly_that_tag_is_reused_and_counted_again(marketer, espresso_fans):
    # given a segment of only the tag, counted before a third contact showed the interest,
    # and a segment of the tag and more, which is not the group's
    narrower = create_segment("Espresso and VIP", {"all": [{"tag": TAG}, {"tag": "vip"}]})
    earlier = create_segment("Espresso people", {"tag": TAG})
    late = Contact.objects.create(email="dora@example.com")
    ContactTag.objects.create(contact=late, name=TAG)

    # when
    data = create(marketer)

    # then the earlier segment is the campaign's, with today's members; no segment is added
    assert data["errors"] == []
    assert data["segmentCreated"] is False
    assert data["segment"] == {
        "id": to_global_id("Segment", earlier.pk),
        "name": "Espresso people",
        "memberCount": 3,
    }
    assert members(earlier.pk) == {"anna@example.com", "bert@example.com", "dora@example.com"}
    assert sorted(Segment.objects.values_list("pk", flat=True)) == [narrower.pk, earlier.pk]
    assert Campaign.objects.get().audience["all"][0] == {"segment": earlier.pk}


def test_a_second_campaign_for_the_group_shares_its_segment(marketer, espresso_fans):
    # given
    first = create(marketer)

    # when
    second = create(marketer, name="Espresso mailing, part 2")

    # then
    assert second["errors"] == []
    assert second["segment"]["id"] == first["segment"]["id"]
    assert second["segmentCreated"] is False
    assert Segment.objects.count() == 1
    assert Campaign.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"name": "E" * 201},
            {"field": "name", "code": "INVALID", "message": "At most 200 characters."},
        ),
        ({"name": "  "}, {"field": "name", "code": "REQUIRED", "message": "Name the campaign."}),
        (
            {"segmentName": ""},
            {"field": "segmentName", "code": "REQUIRED", "message": "Name the segment."},
        ),
        ({"tag": "  "}, {"field": "tag", "code": "REQUIRED", "message": "Name a tag."}),
        (
            {"tag": "interest:" + "x" * 92},
            {"field": "tag", "code": "INVALID", "message": "At most 100 characters."},
        ),
    ],
)
def test_anything_refused_leaves_no_segment_and_no_campaign(
    marketer, espresso_fans, changes, error
):
    # given
    before = snapshot()

    # when
    data = create(marketer, **changes)

    # then
    assert data == {"campaign": None, "segment": None, "segmentCreated": None, "errors": [error]}
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_two_admins_at_once_get_one_segment():
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    # given a first admin's request that has its segment but has not committed yet
    ContactTag.objects.create(contact=Contact.objects.create(email="anna@example.com"), name=TAG)
    first_holds_it = threading.Event()
    second_done = threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                outcomes["first"] = segment_of_tag(TAG, "First")
                first_holds_it.set()
                # commits only once the second has finished, or has waited a while
                second_done.wait(timeout=2)
        finally:
            connections.close_all()

    def second():
        first_holds_it.wait()
        try:
            outcomes["second"] = segment_of_tag(TAG, "Second")
        finally:
            second_done.set()
            connections.close_all()

    # when a second admin asks for the same group meanwhile
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the second waited for the first and reused its segment
    (segment, created), (reused, created_again) = outcomes["first"], outcomes["second"]
    assert (created, created_again) == (True, False)
    assert reused.pk == segment.pk
    assert list(Segment.objects.values_list("name", flat=True)) == ["First"]
    assert reused.member_count == 1
