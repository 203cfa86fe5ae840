"""The attribution and experiment API: permissions, results, forced winners, bad input.

Operations are the example documents in graphql/operations/admin/.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import User
from graphql_relay import to_global_id

from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.campaigns.editing import StepSpec
from saleor_ma_plugin.campaigns.enrolling import enroll
from saleor_ma_plugin.campaigns.models import Campaign, ExperimentDecision
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.models import Message
from tests import factories
from tests.api_helpers import post, staff
from tests.campaign_helpers import campaign, ingest, run_all

pytestmark = pytest.mark.django_db

OPERATIONS = Path(__file__).resolve().parent.parent / "graphql" / "operations" / "admin"
PERMISSION_MESSAGE = "You need the MANAGE_MARKETING permission."
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def run(client, name: str, variables: dict) -> dict:
    return post(client, (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8"), variables)


def snapshot() -> dict:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("saleor_ma_plugin").get_models()
    }


@pytest.fixture
def flow():
    """A split campaign holding out 20 %, with 30 runs and one clicked, bought message."""
    flow = campaign(
        {"type": "manual"},
        StepSpec(
            "ab",
            "split",
            {
                "variants": [
                    {"name": "A", "weight": 1, "next": "send-a"},
                    {"name": "B", "weight": 1, "next": "send-b"},
                ],
                "winner": {"min_recipients": 100},
            },
        ),
        StepSpec("send-a", "send", {"template": "subject_a"}),
        StepSpec("send-b", "send", {"template": "subject_b"}),
        name="Subject test",
    )
    Campaign.objects.filter(pk=flow.pk).update(holdout_share=20)
    flow.refresh_from_db()
    contacts = Contact.objects.bulk_create([Contact(email=f"p{n}@example.com") for n in range(30)])
    for contact in contacts:
        enroll(flow, contact, "k", now=NOW - timedelta(days=2))
    run_all(NOW - timedelta(days=2))
    Message.objects.update(status=MessageStatus.SENT, sent_at=NOW - timedelta(days=2))
    buyer = Message.objects.order_by("pk").first()
    Message.objects.filter(pk=buyer.pk).update(clicked_at=NOW - timedelta(hours=1))
    order = factories.order(
        email=buyer.contact.email, total_gross=Decimal("64.000"), created_at=NOW, updated_at=NOW
    )
    ingest(*order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))
    return flow


def gid(flow) -> str:
    return to_global_id("Campaign", flow.pk)


@pytest.fixture
def marketer(client):
    staff(client, "manage_marketing")
    return client


def as_anonymous(client):
    return client


def as_customer(client):
    client.force_login(User.objects.create_user("c@example.com", "c@example.com", "x"))
    return client


def as_staff_without_permission(client):
    staff(client, "manage_marketing_vouchers")
    return client


OPERATIONS_WITH_VARIABLES = {
    "campaignAttribution": lambda flow: {"id": gid(flow)},
    "experimentResults": lambda flow: {"campaignId": gid(flow), "stepKey": "ab"},
    "experimentDecide": lambda flow: {"campaignId": gid(flow), "stepKey": "ab", "variant": "B"},
}


@pytest.mark.parametrize("requestor", [as_anonymous, as_customer, as_staff_without_permission])
@pytest.mark.parametrize("name", OPERATIONS_WITH_VARIABLES)
def test_without_manage_marketing_nothing_is_read_or_changed(client, flow, name, requestor):
    # given
    caller = requestor(client)
    before = snapshot()

    # when
    result = run(caller, name, OPERATIONS_WITH_VARIABLES[name](flow))

    # then
    payload = (result.get("data") or {}).get(name)
    if name == "experimentDecide":
        assert payload == {
            "experiment": None,
            "errors": [
                {"field": None, "code": "PERMISSION_DENIED", "message": PERMISSION_MESSAGE}
            ],
        }
    else:
        assert payload is None
        assert [error["message"] for error in result["errors"]] == [PERMISSION_MESSAGE]
    assert snapshot() == before


def test_campaign_attribution(marketer, flow):
    # when
    result = run(
        marketer,
        "campaignAttribution",
        {
            "id": gid(flow),
            "from": (NOW - timedelta(days=1)).isoformat(),
            "to": (NOW + timedelta(hours=1)).isoformat(),
        },
    )

    # then
    assert "errors" not in result, result["errors"]
    report = result["data"]["campaignAttribution"]
    conversion = Conversion.objects.get(model="last_touch")
    sent = {key: Message.objects.filter(step_key=key).count() for key in ("send-a", "send-b")}
    earned = {key: 1 if conversion.step_key == key else 0 for key in sent}
    assert report["campaign"]["name"] == "Subject test"
    assert (report["currency"], report["currencies"]) == ("EUR", ["EUR"])
    assert (report["clickWindowDays"], report["openWindowDays"]) == (5.0, 1.0)
    assert [
        (step["key"], step["type"], step["sent"], step["conversions"]) for step in report["steps"]
    ] == [(key, "SEND", sent[key], earned[key]) for key in ("send-a", "send-b")]
    assert report["steps"][-1]["cumulativeRevenue"] == "64.000"
    assert report["total"] == {
        "sent": sum(sent.values()),
        "opened": 1,
        "clicked": 1,
        "conversions": 1,
        "revenue": "64.000",
        "voucherConversions": 0,
        "clickConversions": 1,
        "openConversions": 0,
    }
    uplift = report["uplift"]
    held_out = 30 - sum(sent.values())
    assert (uplift["holdoutShare"], uplift["holdoutContacts"]) == (20, held_out)
    assert (uplift["treatedContacts"], uplift["treatedConversions"]) == (30 - held_out, 1)
    assert uplift["treatedRate"] == pytest.approx(1 / (30 - held_out))
    assert (uplift["holdoutRate"], uplift["holdoutConversions"]) == (0.0, 0)
    assert uplift["low"] < uplift["uplift"] < uplift["high"]
    assert report["series"] == [
        {"date": "2026-03-09", "conversions": 0, "revenue": "0.000"},
        {"date": "2026-03-10", "conversions": 1, "revenue": "64.000"},
    ]


def test_experiment_results_and_a_forced_winner(marketer, flow):
    # when
    results = run(
        marketer, "experimentResults", OPERATIONS_WITH_VARIABLES["experimentResults"](flow)
    )
    decided = run(
        marketer, "experimentDecide", OPERATIONS_WITH_VARIABLES["experimentDecide"](flow)
    )

    # then
    experiment = results["data"]["experimentResults"]
    assert experiment["rule"] == {"minRecipients": 100, "probability": 0.9}
    assert [variant["name"] for variant in experiment["variants"]] == ["A", "B"]
    assert sum(variant["recipients"] for variant in experiment["variants"]) == (
        Message.objects.count()
    )
    assert sum(variant["probabilityBest"] for variant in experiment["variants"]) == (
        pytest.approx(1.0)
    )
    assert experiment["leader"] in ("A", "B")
    assert experiment["decision"] is None
    payload = decided["data"]["experimentDecide"]
    assert payload["errors"] == []
    assert payload["experiment"]["decision"]["winner"] == "B"
    assert payload["experiment"]["decision"]["source"] == "MANUAL"
    assert ExperimentDecision.objects.get().winner == "B"


def test_unknown_campaigns_and_steps_read_as_null(marketer, flow):
    # when
    unknown_campaign = run(
        marketer, "campaignAttribution", {"id": to_global_id("Campaign", flow.pk + 1)}
    )
    unknown_step = run(marketer, "experimentResults", {"campaignId": gid(flow), "stepKey": "x"})

    # then
    assert unknown_campaign["data"]["campaignAttribution"] is None
    assert unknown_step["data"]["experimentResults"] is None


@pytest.mark.parametrize(
    ("name", "variables", "message"),
    [
        ("campaignAttribution", {"id": "nope"}, "Not a valid Campaign id."),
        ("campaignAttribution", {"currency": "euro"}, "Use a three-letter currency code."),
        (
            "campaignAttribution",
            {"from": "2026-03-10T00:00:00+00:00", "to": "2026-03-01T00:00:00+00:00"},
            "The range must end after it starts.",
        ),
        ("experimentResults", {"stepKey": "send-a"}, "Step 'send-a' is not an A/B split."),
    ],
)
def test_bad_query_arguments_are_graphql_errors(marketer, flow, name, variables, message):
    # given
    arguments = {**OPERATIONS_WITH_VARIABLES[name](flow), **variables}

    # when
    result = run(marketer, name, arguments)

    # then
    assert result["data"][name] is None
    assert [error["message"] for error in result["errors"]] == [message]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"variant": "C"}, ("variant", "INVALID")),
        ({"stepKey": "nope"}, ("stepKey", "NOT_FOUND")),
        ({"stepKey": "send-a"}, ("stepKey", "INVALID")),
        ({"campaignId": "nope"}, ("campaignId", "INVALID")),
        ({"campaignId": to_global_id("Campaign", 0)}, ("campaignId", "NOT_FOUND")),
        ({"campaignId": to_global_id("Contact", 1)}, ("campaignId", "INVALID")),
    ],
)
def test_invalid_decisions_answer_with_errors_and_change_nothing(
    marketer, flow, variables, expected
):
    # given
    arguments = {**OPERATIONS_WITH_VARIABLES["experimentDecide"](flow), **variables}
    before = snapshot()

    # when
    result = run(marketer, "experimentDecide", arguments)

    # then
    assert "errors" not in result, result["errors"]
    payload = result["data"]["experimentDecide"]
    assert payload["experiment"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == expected
    assert snapshot() == before


def test_campaign_reports_carry_the_attributed_totals(marketer, flow):
    # given
    other = campaign({"type": "manual"}, name="Quiet")
    query = """query($ids: [ID!]!) { campaignReports(ids: $ids) {
        attributedConversions attributedRevenue attributedCurrency } }"""

    # when
    result = post(marketer, query, {"ids": [gid(flow), gid(other)]})

    # then
    assert result["data"]["campaignReports"] == [
        {"attributedConversions": 1, "attributedRevenue": "64.000", "attributedCurrency": "EUR"},
        {"attributedConversions": 0, "attributedRevenue": "0.000", "attributedCurrency": None},
    ]
