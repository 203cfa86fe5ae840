"""The dashboard area of the API: the viewer, an order's attribution, revenue widgets."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from graphql_relay import to_global_id

from saleor_ma_plugin.attribution import AttributionModel, Touch
from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.campaigns.editing import StepSpec
from saleor_ma_plugin.campaigns.models import Campaign
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.models import Event
from tests.api_helpers import post, staff
from tests.campaign_helpers import campaign

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

VIEWER = "{ marketingViewer { kind email permissions } }"
ORDER = """query ($id: ID!) { orderAttribution(orderId: $id) {
  orderId campaign { name } stepKey stepName stepType touch revenue currency } }"""
CUSTOMER = "query ($id: ID!) { customerContact(customerId: $id) { email } }"
REVENUE = """query ($days: Int) { automationRevenue(days: $days) {
  totals { currency amount conversions } series { date currency amount }
  campaigns { campaign { name } totals { currency amount } } } }"""
REVENUES = """query ($ids: [ID!]!) { campaignRevenues(ids: $ids) {
  campaign { name } totals { currency amount conversions } } }"""


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin(client):
    return staff(client, "manage_marketing")


def flow(name="Welcome"):
    return campaign(
        {"type": "manual"},
        StepSpec("mail", "send", {"template": "t"}, name="First mail"),
        name=name,
    )


def conversion(flow, order_id, revenue="40.00", currency="EUR", days_ago=1, touch=Touch.CLICK):
    return Conversion.objects.create(
        order_id=order_id,
        model=AttributionModel.LAST_TOUCH,
        campaign=flow,
        step_key="mail",
        revenue=Decimal(revenue),
        currency=currency,
        touch=touch,
        touched_at=NOW - timedelta(days=days_ago, hours=1),
        occurred_at=NOW - timedelta(days=days_ago),
    )


def test_anonymous_viewer_is_told_it_is_anonymous(client):
    # when
    data = post(client, VIEWER)["data"]

    # then
    assert data["marketingViewer"] == {"kind": "ANONYMOUS", "email": "", "permissions": []}


def test_staff_viewer_sees_its_permissions(client, admin):
    # when
    data = post(client, VIEWER)["data"]

    # then
    assert data["marketingViewer"] == {
        "kind": "STAFF",
        "email": "staff@example.com",
        "permissions": ["MANAGE_MARKETING"],
    }


def test_order_attribution_names_the_campaign_step(client, admin):
    # given
    welcome = flow()
    conversion(welcome, "3f1c0a54-7a1e-4d7b-9a0e-1b2c3d4e5f60", touch=Touch.VOUCHER)

    # when
    data = post(
        client, ORDER, {"id": to_global_id("Order", "3f1c0a54-7a1e-4d7b-9a0e-1b2c3d4e5f60")}
    )

    # then
    assert data["data"]["orderAttribution"] == {
        "orderId": "3f1c0a54-7a1e-4d7b-9a0e-1b2c3d4e5f60",
        "campaign": {"name": "Welcome"},
        "stepKey": "mail",
        "stepName": "First mail",
        "stepType": "SEND",
        "touch": "VOUCHER",
        "revenue": "40.000",
        "currency": "EUR",
    }


def test_an_order_no_campaign_earned_has_no_attribution(client, admin):
    # when
    data = post(client, ORDER, {"id": to_global_id("Order", "unknown-order")})

    # then
    assert data == {"data": {"orderAttribution": None}}


def test_an_id_of_another_type_is_refused_at_the_field(client, admin):
    # when
    data = post(client, ORDER, {"id": to_global_id("User", "17")})

    # then
    assert data["data"]["orderAttribution"] is None
    assert data["errors"][0]["message"] == "Not a valid Order id."
    assert data["errors"][0]["extensions"]["code"] == "INVALID"


def test_widgets_refuse_a_viewer_without_marketing_permission(client):
    # given
    staff(client)

    # when
    data = post(client, ORDER, {"id": to_global_id("Order", "x")})

    # then
    assert data["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_customer_contact_is_found_by_the_saleor_user_id(client, admin):
    # given
    Contact.objects.create(email="anna@example.com", saleor_user_id="17")

    # when
    data = post(client, CUSTOMER, {"id": to_global_id("User", "17")})

    # then
    assert data == {"data": {"customerContact": {"email": "anna@example.com"}}}


def test_automation_revenue_sums_the_period_per_currency(client, admin):
    # given
    welcome, winback = flow(), flow("Win-back")
    conversion(welcome, "o1", "40.00", days_ago=1)
    conversion(welcome, "o2", "10.00", days_ago=2)
    conversion(winback, "o3", "99.00", "PLN", days_ago=3)
    conversion(winback, "o4", "500.00", days_ago=45)  # before the period

    # when
    data = post(client, REVENUE, {"days": 30})["data"]["automationRevenue"]

    # then
    assert data["totals"] == [
        {"currency": "PLN", "amount": "99.000", "conversions": 1},
        {"currency": "EUR", "amount": "50.000", "conversions": 2},
    ]
    assert [point["date"] for point in data["series"]] == [
        "2026-03-07",
        "2026-03-08",
        "2026-03-09",
    ]
    assert [row["campaign"]["name"] for row in data["campaigns"]] == ["Win-back", "Welcome"]


@pytest.mark.parametrize("days", [0, 367, -5])
def test_automation_revenue_refuses_a_period_out_of_bounds(client, admin, days):
    # when
    data = post(client, REVENUE, {"days": days})

    # then
    assert data["errors"][0]["extensions"]["code"] == "INVALID"


def test_campaign_revenues_come_in_the_order_asked_with_null_for_unknown(client, admin):
    # given
    welcome, winback = flow(), flow("Win-back")
    conversion(welcome, "o1", "40.00")
    conversion(welcome, "o2", "15.00", "PLN")
    ids = [
        to_global_id("Campaign", winback.pk),
        to_global_id("Campaign", 999_999),
        to_global_id("Campaign", welcome.pk),
    ]

    # when
    data = post(client, REVENUES, {"ids": ids})["data"]["campaignRevenues"]

    # then
    assert data == [
        {"campaign": {"name": "Win-back"}, "totals": []},
        None,
        {
            "campaign": {"name": "Welcome"},
            "totals": [
                {"currency": "EUR", "amount": "40.000", "conversions": 1},
                {"currency": "PLN", "amount": "15.000", "conversions": 1},
            ],
        },
    ]


def test_campaign_revenues_refuse_more_than_a_page(client, admin):
    # when
    data = post(client, REVENUES, {"ids": [to_global_id("Campaign", n) for n in range(101)]})

    # then
    assert data["errors"][0]["message"] == "Ask for at most 100 campaigns."


PREVIEW = """query ($preset: String!, $params: JSON) {
  campaignPresetPreview(preset: $preset, params: $params) {
    name kind entryStepKey steps { key type nextKey config } } }"""


def test_a_preset_preview_draws_the_flow_without_storing_anything(client, admin):
    # when
    data = post(client, PREVIEW, {"preset": "win_back", "params": {"days": 45}})

    # then
    preview = data["data"]["campaignPresetPreview"]
    assert preview["kind"] == "NURTURING"
    assert [(step["key"], step["type"], step["nextKey"]) for step in preview["steps"]] == [
        ("miss_you", "SEND", "wait_offer"),
        ("wait_offer", "WAIT", "code"),
        ("code", "VOUCHER", "offer"),
        ("offer", "SEND", ""),
    ]
    assert preview["entryStepKey"] == "miss_you"
    assert not Campaign.objects.exists()


def test_a_preset_preview_names_an_unknown_parameter(client, admin):
    # when
    data = post(client, PREVIEW, {"preset": "win_back", "params": {"colour": "red"}})

    # then
    assert data["data"]["campaignPresetPreview"] is None
    assert data["errors"][0]["message"] == "This preset has no such parameter."
    assert data["errors"][0]["extensions"]["field"] == "params.colour"


TIMELINE = """query ($id: ID!) { contact(id: $id) {
  timeline(first: 1) { edges { node { title } } } } }"""


@pytest.mark.parametrize(
    ("accept_language", "title"),
    [
        ("de", "Bestellung erstellt"),
        ("pl-PL,pl;q=0.9", "Zamówienie utworzone"),
        ("fr", "Order created"),
        (None, "Order created"),
    ],
)
def test_the_api_answers_in_the_language_the_app_asks_for(client, admin, accept_language, title):
    # given
    contact = Contact.objects.create(email="anna@example.com")
    Event.objects.create(
        type="order.created",
        source=EventSource.SALEOR,
        occurred_at=NOW,
        dedupe_key="language-1",
        contact=contact,
    )
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    # when
    response = client.post(
        "/graphql/",
        json.dumps({"query": TIMELINE, "variables": {"id": to_global_id("Contact", contact.pk)}}),
        content_type="application/json",
        **headers,
    )

    # then
    edges = response.json()["data"]["contact"]["timeline"]["edges"]
    assert [edge["node"]["title"] for edge in edges] == [title]
