"""The segments API: permissions, happy paths, invalid input stores nothing.

Operations are the example documents in graphql/operations/admin/, so the examples are
exercised too.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import F
from graphql_relay import to_global_id

from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, archive
from saleor_ma_plugin.campaigns.editing import create_campaign as create_campaign_
from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.segments.editing import create_segment
from saleor_ma_plugin.segments.models import Segment, SegmentMembership
from tests.api_helpers import post, staff

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations" / "admin"
PERMISSION_MESSAGE = "You need the MANAGE_MARKETING permission."


def operation(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")


def is_mutation(name: str) -> bool:
    return operation(name).lstrip().startswith("mutation")


def run(client, name: str, variables: dict | None = None) -> dict:
    return post(client, operation(name), variables)


def gid(segment: Segment) -> str:
    return to_global_id("Segment", segment.pk)


def snapshot() -> dict:
    """Every row of the app's tables."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("saleor_ma_plugin").get_models()
    }


@dataclass
class World:
    anna: Contact
    bert: Contact
    coffee: Segment


@pytest.fixture
def world() -> World:
    anna = Contact.objects.create(email="anna@example.com", orders_count=3, lead_score=70)
    bert = Contact.objects.create(email="bert@example.com", orders_count=1)
    ContactTag.objects.create(contact=anna, name="coffee")
    return World(anna, bert, create_segment("Coffee lovers", {"tag": "coffee"}))


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


def campaign_using(**fields):
    return create_campaign_(
        CampaignSpec(
            name=fields.pop("name", "Uses it"),
            kind="autoresponder",
            steps=(StepSpec("send", "send", {"template": "t"}),),
            **{"trigger": {"type": "manual"}, **fields},
        )
    )


MATRIX = {
    "segments": lambda w: {"first": 10},
    "segment": lambda w: {"id": gid(w.coffee)},
    "segmentCountPreview": lambda w: {"rules": {"field": "orders_count", "op": "gte", "value": 1}},
    "segmentSamplePreview": lambda w: {"rules": {}, "first": 2},
    "segmentPresets": lambda w: {"currency": "EUR"},
    "segmentCreate": lambda w: {
        "input": {"name": "Repeat", "rules": {"rfm": {"frequency_min": 2}}}
    },
    "segmentUpdate": lambda w: {"id": gid(w.coffee), "input": {"rules": {}}},
    "segmentDelete": lambda w: {"id": gid(w.coffee)},
    "segmentRefresh": lambda w: {"id": gid(w.coffee)},
}


def as_anonymous(client):
    return client


def as_customer(client):
    user = User.objects.create_user("customer@example.com", "customer@example.com", "x")
    client.force_login(user)
    return client


def as_staff_without_permission(client):
    staff(client, "manage_marketing_vouchers")
    return client


DENIED = {
    "anonymous": as_anonymous,
    "customer": as_customer,
    "staff-without-manage-marketing": as_staff_without_permission,
}


def test_the_matrix_covers_every_segment_operation_file():
    assert sorted(MATRIX) == sorted(path.stem for path in OPERATIONS.glob("segment*.graphql"))


@pytest.mark.parametrize("requestor", DENIED)
@pytest.mark.parametrize("name", MATRIX)
def test_without_manage_marketing_nothing_is_read_or_changed(client, world, name, requestor):
    # given
    caller = DENIED[requestor](client)
    before = snapshot()

    # when
    result = run(caller, name, MATRIX[name](world))

    # then
    payload = (result.get("data") or {}).get(name)
    if is_mutation(name):
        assert payload["errors"] == [
            {"field": None, "code": "PERMISSION_DENIED", "message": PERMISSION_MESSAGE}
        ]
        assert all(value is None for key, value in payload.items() if key != "errors")
    else:
        assert payload is None
        assert [error["message"] for error in result["errors"]] == [PERMISSION_MESSAGE]
    assert snapshot() == before


@pytest.mark.parametrize("name", MATRIX)
def test_staff_with_manage_marketing_succeeds(marketer, world, name):
    # when
    result = run(marketer, name, MATRIX[name](world))

    # then
    assert "errors" not in result, result["errors"]
    payload = result["data"][name]
    assert payload is not None
    if isinstance(payload, dict) and "errors" in payload:
        assert payload["errors"] == []


def test_create_counts_and_stores_the_members(marketer, world):
    # when
    data = run(
        marketer,
        "segmentCreate",
        {
            "input": {
                "name": " Repeat buyers ",
                "description": "Two orders or more",
                "rules": {"field": "orders_count", "op": "gte", "value": 2},
            }
        },
    )["data"]["segmentCreate"]

    # then
    assert data["errors"] == []
    assert data["segment"]["name"] == "Repeat buyers"
    assert data["segment"]["memberCount"] == 1
    assert data["segment"]["countedAt"] is not None
    segment = Segment.objects.get(name="Repeat buyers")
    assert list(
        SegmentMembership.objects.filter(segment=segment).values_list("contact", flat=True)
    ) == [world.anna.pk]


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        (
            {"input": {"name": "X", "rules": {"all": [{"field": "orders_count", "op": "like"}]}}},
            ("rules.all[0].op", "INVALID"),
        ),
        (
            {"input": {"name": "X", "rules": {"event": {"type": "x", "min_count": 0}}}},
            ("rules.event.minCount", "INVALID"),
        ),
        ({"input": {"name": "X", "rules": {"segment": 999999}}}, ("rules", "NOT_FOUND")),
        ({"input": {"name": "  ", "rules": {}}}, ("name", "REQUIRED")),
        ({"input": {"name": "X" * 201, "rules": {}}}, ("name", "INVALID")),
        ({"input": {"name": "X", "rules": "everyone"}}, ("rules", "INVALID")),
    ],
)
def test_invalid_create_answers_with_a_field_error_and_stores_nothing(
    marketer, world, variables, error
):
    # given
    before = snapshot()

    # when
    data = run(marketer, "segmentCreate", variables)["data"]["segmentCreate"]

    # then
    assert [(item["field"], item["code"]) for item in data["errors"]] == [error]
    assert data["segment"] is None
    assert snapshot() == before


def test_update_with_new_rules_refreshes_and_a_cycle_changes_nothing(marketer, world):
    # given
    tester = create_segment("Tester", {"segment": world.coffee.pk})

    # when
    data = run(
        marketer,
        "segmentUpdate",
        {
            "id": gid(world.coffee),
            "input": {"name": "Buyers", "rules": {"rfm": {"frequency_min": 1}}},
        },
    )["data"]["segmentUpdate"]

    # then
    assert data["errors"] == []
    assert (data["segment"]["name"], data["segment"]["memberCount"]) == ("Buyers", 2)

    # when
    before = snapshot()
    data = run(
        marketer,
        "segmentUpdate",
        {"id": gid(world.coffee), "input": {"name": "Loop", "rules": {"segment": tester.pk}}},
    )["data"]["segmentUpdate"]

    # then
    assert [(item["field"], item["code"]) for item in data["errors"]] == [("rules", "CYCLE")]
    assert snapshot() == before


def test_update_of_an_unknown_segment(marketer, world):
    data = run(
        marketer, "segmentUpdate", {"id": to_global_id("Segment", 0), "input": {"name": "X"}}
    )["data"]["segmentUpdate"]

    assert [(item["field"], item["code"]) for item in data["errors"]] == [("id", "NOT_FOUND")]
    data = run(marketer, "segmentRefresh", {"id": to_global_id("Campaign", 1)})["data"][
        "segmentRefresh"
    ]
    assert [(item["field"], item["code"]) for item in data["errors"]] == [("id", "INVALID")]


@pytest.mark.parametrize("use", ["audience", "trigger"])
def test_a_segment_an_active_campaign_uses_is_not_deleted(marketer, world, use):
    # given
    if use == "audience":
        used_by = campaign_using(audience={"segment": world.coffee.pk})
    else:
        used_by = campaign_using(trigger={"type": "segment_entry", "segment": world.coffee.pk})
    activate(used_by)
    before = snapshot()

    # when
    data = run(marketer, "segmentDelete", {"id": gid(world.coffee)})["data"]["segmentDelete"]

    # then
    assert [(item["field"], item["code"]) for item in data["errors"]] == [("id", "INVALID")]
    assert "Uses it" in data["errors"][0]["message"]
    assert snapshot() == before

    # when the campaign is archived
    archive(used_by)
    data = run(marketer, "segmentDelete", {"id": gid(world.coffee)})["data"]["segmentDelete"]

    # then
    assert data["errors"] == []
    assert data["segment"]["id"] == gid(world.coffee)
    assert not Segment.objects.exists()
    assert not SegmentMembership.objects.exists()


def test_refresh_reports_entries_and_departures(marketer, world):
    # given
    ContactTag.objects.create(contact=world.bert, name="coffee")
    ContactTag.objects.filter(contact=world.anna).delete()

    # when
    data = run(marketer, "segmentRefresh", {"id": gid(world.coffee)})["data"]["segmentRefresh"]

    # then
    assert data["errors"] == []
    assert (data["entered"], data["left"], data["segment"]["memberCount"]) == (1, 1, 1)


def test_count_preview_is_live_and_stores_nothing(marketer, world):
    # given
    before = snapshot()

    # when
    preview = run(marketer, "segmentCountPreview", {"rules": {"score": {"gte": 50}}})
    everyone = run(marketer, "segmentCountPreview", {"rules": {}})
    members = run(marketer, "segmentCountPreview", {"rules": {"segment": world.coffee.pk}})

    # then
    assert preview["data"]["segmentCountPreview"] == 1
    assert everyone["data"]["segmentCountPreview"] == 2
    assert members["data"]["segmentCountPreview"] == 1
    assert snapshot() == before


def test_sample_preview_shows_matching_contacts_most_recently_seen_first(marketer, world):
    # given
    before = snapshot()

    # when
    everyone = run(marketer, "segmentSamplePreview", {"rules": {}, "first": 5})
    scored = run(marketer, "segmentSamplePreview", {"rules": {"score": {"gte": 50}}})

    # then
    emails = [contact["email"] for contact in everyone["data"]["segmentSamplePreview"]]
    expected = list(
        Contact.objects.order_by(F("last_seen_at").desc(nulls_last=True), "-pk").values_list(
            "email", flat=True
        )
    )
    assert emails == expected
    assert [c["email"] for c in scored["data"]["segmentSamplePreview"]] == [
        c.email for c in (world.anna, world.bert) if c.lead_score >= 50
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"tag": ""}, "Name a tag."),
        ({"segment": 999999}, "There is no segment 999999."),
        ({"rfm": {"monetary_min": 5}}, "Amounts need their currency"),
    ],
)
def test_count_preview_of_invalid_rules_is_an_error(marketer, world, rules, message):
    result = run(marketer, "segmentCountPreview", {"rules": rules})

    assert result["data"]["segmentCountPreview"] is None
    assert result["errors"][0]["message"].startswith(message)


def test_presets_with_and_without_currency(marketer, world):
    # when
    with_eur = run(marketer, "segmentPresets", {"currency": "eur"})["data"]["segmentPresets"]
    plain = run(marketer, "segmentPresets")["data"]["segmentPresets"]
    wrong = run(marketer, "segmentPresets", {"currency": "euro"})

    # then
    assert [preset["slug"] for preset in plain] == [
        "champions",
        "loyal",
        "at_risk",
        "hibernating",
        "new_customers",
    ]
    champions = with_eur[0]["rules"]["all"][0]["rfm"]
    assert (champions["currency"], champions["monetary_min"]) == ("EUR", "500")
    assert "currency" not in plain[0]["rules"]["all"][0]["rfm"]
    assert wrong["data"] is None


def test_presets_create_segments(marketer, world):
    # given
    [preset] = [
        preset
        for preset in run(marketer, "segmentPresets")["data"]["segmentPresets"]
        if preset["slug"] == "loyal"
    ]

    # when
    data = run(
        marketer, "segmentCreate", {"input": {"name": preset["title"], "rules": preset["rules"]}}
    )["data"]["segmentCreate"]

    # then
    assert data["errors"] == []


def test_list_filters_and_paginates_in_few_queries(marketer, world, django_assert_max_num_queries):
    # given
    for name in ("Alpha", "Beta", "Gamma"):
        create_segment(name, {})

    # when
    with django_assert_max_num_queries(8):  # 2 for the statement timeout
        first = run(marketer, "segments", {"first": 2})["data"]["segments"]
    second = run(marketer, "segments", {"first": 2, "after": first["pageInfo"]["endCursor"]})
    found = run(marketer, "segments", {"filter": {"search": "amm"}})["data"]["segments"]

    # then
    assert first["totalCount"] == 4
    assert [edge["node"]["name"] for edge in first["edges"]] == ["Alpha", "Beta"]
    assert [edge["node"]["name"] for edge in second["data"]["segments"]["edges"]] == [
        "Coffee lovers",
        "Gamma",
    ]
    assert [edge["node"]["name"] for edge in found["edges"]] == ["Gamma"]


def test_segment_by_id_and_as_node(client, world):
    # given
    query = "query($id: ID!) { node(id: $id) { id ... on Segment { name memberCount } } }"

    # when
    hidden = post(client, query, {"id": gid(world.coffee)})["data"]["node"]
    staff(client, "manage_marketing")
    shown = post(client, query, {"id": gid(world.coffee)})["data"]["node"]
    segment = run(client, "segment", {"id": gid(world.coffee)})["data"]["segment"]

    # then
    assert hidden is None
    assert shown == {"id": gid(world.coffee), "name": "Coffee lovers", "memberCount": 1}
    assert segment["rules"] == {"tag": "coffee"}
    assert run(client, "segment", {"id": to_global_id("Segment", 0)})["data"]["segment"] is None
