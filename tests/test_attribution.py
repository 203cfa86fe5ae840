"""Revenue attribution: every path an order can take to a campaign step, and the reports."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from saleor_ma_plugin.attribution import AttributionModel, Touch
from saleor_ma_plugin.attribution import attributing as attributing_module
from saleor_ma_plugin.attribution.attributing import (
    attribute_order,
    attribute_order_event,
    order_of,
)
from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.attribution.windows import Windows, attribution_windows
from saleor_ma_plugin.campaigns.editing import StepSpec, remove_step
from saleor_ma_plugin.campaigns.enrolling import enroll
from saleor_ma_plugin.campaigns.holdout import is_held_out
from saleor_ma_plugin.campaigns.models import Campaign, Enrollment, Step
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.configuration import parse_configuration
from saleor_ma_plugin.core.host import forget_settings
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging import MessageStatus
from saleor_ma_plugin.messaging.models import Message
from saleor_ma_plugin.pipeline import process_event
from saleor_ma_plugin.reporting.attribution import (
    attributed_totals,
    attribution_series,
    campaign_attribution,
    flow_order,
)
from saleor_ma_plugin.reporting.stats import campaign_figures
from saleor_ma_plugin.vouchers.models import IssuedVoucher
from tests import factories
from tests.campaign_helpers import campaign, ingest, run_all

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
MANUAL = {"type": "manual"}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def contact():
    return Contact.objects.create(email="anna@example.com")


def mailing(name="Spring", *steps, **fields):
    return campaign(MANUAL, *steps, name=name, **fields)


def sent_message(flow, contact, step_key="send", *, sent=None, clicked=None, opened=None):
    """A message of ``flow``'s step that went out (and was opened or clicked)."""
    run = Enrollment.objects.filter(campaign=flow, contact=contact).first() or enroll(
        flow, contact, "k", now=NOW - timedelta(days=30)
    )
    return Message.objects.create(
        idempotency_key=f"enrollment:{run.pk}:{step_key}",
        contact=contact,
        campaign=flow,
        enrollment=run,
        step_key=step_key,
        channel="email",
        template="t",
        status=MessageStatus.SENT,
        scheduled_at=sent or NOW - timedelta(days=7),
        sent_at=sent or NOW - timedelta(days=7),
        opened_at=opened or clicked,
        clicked_at=clicked,
    )


def place_order(
    email="anna@example.com",
    total="44.80",
    at=NOW,
    voucher_code="",
    source=EventSource.SALEOR,
    currency="EUR",
    **fields,
):
    order = factories.order(
        email=email,
        total_gross=Decimal(total),
        created_at=at,
        updated_at=at,
        voucher_code=voucher_code,
        currency=currency,
        **fields,
    )
    ingest(*order_events(EventType.ORDER_CREATED, order, source))
    return order


# --------------------------------------------------------------------------- last touch


def test_a_click_within_five_days_earns_the_order(contact):
    # given
    flow = mailing()
    message = sent_message(flow, contact, clicked=NOW - timedelta(days=4, hours=23))

    # when
    order = place_order(total="120.50")

    # then
    conversion = Conversion.objects.get()
    assert (conversion.order_id, conversion.model, conversion.touch) == (
        order.order_id,
        AttributionModel.LAST_TOUCH,
        Touch.CLICK,
    )
    assert (conversion.campaign, conversion.step_key, conversion.message) == (
        flow,
        "send",
        message,
    )
    assert conversion.enrollment == message.enrollment
    assert conversion.contact == contact
    assert (conversion.revenue, conversion.currency) == (Decimal("120.50"), "EUR")
    assert conversion.occurred_at == NOW
    assert conversion.touched_at == message.clicked_at


def test_a_click_older_than_five_days_earns_nothing(contact):
    # given
    sent_message(mailing(), contact, clicked=NOW - timedelta(days=5, minutes=1))

    # when
    place_order()

    # then
    assert not Conversion.objects.exists()


def test_a_click_after_the_order_earns_nothing(contact):
    # given an order imported late, then processed after a later click
    sent_message(mailing(), contact, clicked=NOW)

    # when
    place_order(at=NOW - timedelta(hours=1))

    # then
    assert not Conversion.objects.exists()


def test_an_open_within_a_day_earns_the_order(contact):
    # given
    message = sent_message(mailing(), contact, opened=NOW - timedelta(hours=23))

    # when
    place_order()

    # then
    conversion = Conversion.objects.get()
    assert (conversion.touch, conversion.message) == (Touch.OPEN, message)


def test_an_open_older_than_a_day_earns_nothing(contact):
    # given
    sent_message(mailing(), contact, opened=NOW - timedelta(days=1, minutes=1))

    # when
    place_order()

    # then
    assert not Conversion.objects.exists()


def test_a_click_beats_a_later_open(contact):
    # given
    clicked = sent_message(mailing("Clicked"), contact, clicked=NOW - timedelta(days=3))
    sent_message(mailing("Opened"), contact, opened=NOW - timedelta(hours=1))

    # when
    place_order()

    # then
    conversion = Conversion.objects.get()
    assert (conversion.message, conversion.touch) == (clicked, Touch.CLICK)


def test_the_last_click_wins_among_several_campaigns(contact):
    # given
    first, second, third = mailing("First"), mailing("Second"), mailing("Third")
    sent_message(first, contact, clicked=NOW - timedelta(days=3))
    latest = sent_message(second, contact, clicked=NOW - timedelta(hours=5))
    sent_message(third, contact, clicked=NOW - timedelta(days=1))

    # when
    place_order()

    # then
    conversion = Conversion.objects.get()
    assert (conversion.campaign, conversion.message) == (second, latest)


def test_the_last_of_several_steps_of_one_campaign_wins(contact):
    # given
    flow = mailing(
        "Nurture",
        StepSpec("mailing", "send", {"template": "a"}, "follow-up"),
        StepSpec("follow-up", "send", {"template": "b"}),
    )
    sent_message(flow, contact, "mailing", clicked=NOW - timedelta(days=4))
    sent_message(flow, contact, "follow-up", clicked=NOW - timedelta(days=1))

    # when
    place_order()

    # then
    assert Conversion.objects.get().step_key == "follow-up"


def test_messages_of_other_contacts_earn_nothing(contact):
    # given
    other = Contact.objects.create(email="ben@example.com")
    sent_message(mailing(), other, clicked=NOW - timedelta(hours=1))

    # when
    place_order()

    # then
    assert not Conversion.objects.exists()


# --------------------------------------------------------------------------- vouchers


def test_a_redeemed_voucher_beats_a_later_click_and_marks_the_code_redeemed(contact):
    # given a voucher step that sent a code, and a later click in another campaign
    offer = mailing(
        "Offer",
        StepSpec("code", "voucher", {"discount_value": "10"}, "send"),
        StepSpec("send", "send", {"template": "offer"}),
    )
    run = enroll(offer, contact, "k", now=NOW - timedelta(days=9))
    run_all(NOW - timedelta(days=9))
    voucher = IssuedVoucher.objects.get()
    carried = Message.objects.get(campaign=offer)
    Message.objects.filter(pk=carried.pk).update(
        status=MessageStatus.SENT, sent_at=NOW - timedelta(days=9)
    )
    sent_message(mailing("Newsletter"), contact, clicked=NOW - timedelta(hours=2))

    # when the order uses the code (typed in lower case)
    order = place_order(voucher_code=voucher.code.lower(), total="80.00")

    # then
    conversion = Conversion.objects.get()
    assert (conversion.campaign, conversion.step_key, conversion.touch) == (
        offer,
        "code",
        Touch.VOUCHER,
    )
    assert (conversion.enrollment, conversion.message) == (run, carried)
    assert conversion.revenue == Decimal("80.00")
    voucher.refresh_from_db()
    assert (voucher.redeemed_at, voucher.order_id) == (NOW, order.order_id)


def test_a_code_from_outside_any_campaign_leaves_the_order_to_the_click(contact):
    # given
    IssuedVoucher.objects.create(
        code="AAAA-BBBB-CCCC", contact=contact, discount_type="percentage", discount_value=5
    )
    clicked = sent_message(mailing(), contact, clicked=NOW - timedelta(hours=2))

    # when
    place_order(voucher_code="AAAA-BBBB-CCCC")

    # then
    assert Conversion.objects.get().message == clicked
    assert IssuedVoucher.objects.get().redeemed_at == NOW


# --------------------------------------------------------------------------- exactly once


def test_the_same_order_processed_again_is_attributed_once(contact):
    # given
    sent_message(mailing(), contact, clicked=NOW - timedelta(hours=2))
    order = factories.order(email=contact.email, created_at=NOW, updated_at=NOW)
    events = order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)

    # when: a repeated hook, a reprocessed event, and a direct second call
    ingest(*events)
    ingest(*events)
    event = Event.objects.get(type=EventType.ORDER_CREATED)
    Event.objects.filter(pk=event.pk).update(processed_at=None)
    process_event(event.pk)
    again = attribute_order_event(event, contact)

    # then
    assert again == []
    assert Conversion.objects.count() == 1


def test_backfilled_orders_are_not_attributed(contact):
    # given
    sent_message(mailing(), contact, clicked=NOW - timedelta(hours=2))

    # when
    place_order(source=EventSource.BACKFILL)

    # then
    assert not Conversion.objects.exists()
    assert Contact.objects.get().orders_count == 1  # the profile still learns of it


def test_a_failing_attribution_does_not_hold_up_the_event(contact, monkeypatch):
    # given
    sent_message(mailing(), contact, clicked=NOW - timedelta(hours=2))

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(attributing_module, "_touch_credit", broken)

    # when
    place_order()

    # then
    assert not Conversion.objects.exists()
    assert Event.objects.get(type=EventType.ORDER_CREATED).processed_at is not None


# --------------------------------------------------------------------------- windows


def test_windows_come_from_the_plugin_settings(contact, settings):
    # given
    settings.SALEOR_MA_PLUGIN = {
        **settings.SALEOR_MA_PLUGIN,
        "attribution_click_days": "1",
        "attribution_open_days": "0",
    }
    forget_settings()
    sent_message(mailing("Old click"), contact, clicked=NOW - timedelta(days=2))
    sent_message(mailing("Fresh open"), contact, opened=NOW - timedelta(hours=1))

    # when
    place_order()

    # then: the click is too old and opens do not count at all
    assert not Conversion.objects.exists()
    forget_settings()


def test_window_defaults_and_validation():
    # when / then
    assert attribution_windows() == Windows(timedelta(days=5), timedelta(days=1))
    for bad in ("-1", "91", "two", "1.5"):
        with pytest.raises(ValidationError) as refused:
            parse_configuration({"attribution_click_days": bad})
        assert list(refused.value.message_dict) == ["attribution_click_days"]


def test_order_payload_is_read_from_the_event():
    # given
    order = factories.order(total_gross=Decimal("12.300"), voucher_code=" CODE ")
    [event, _] = order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)

    # when
    read = order_of(Event(type=event.type, occurred_at=event.occurred_at, payload=event.payload))

    # then
    assert (read.revenue, read.currency, read.voucher_code) == (Decimal("12.300"), "EUR", "CODE")


# --------------------------------------------------------------------------- holdout


def holdout_split(flow, count=40):
    """Enrol ``count`` contacts; return (held out, treated) contact lists."""
    contacts = [Contact.objects.create(email=f"c{n}@example.com") for n in range(count)]
    for person in contacts:
        enroll(flow, person, "k", now=NOW - timedelta(days=1))
    run_all(NOW - timedelta(days=1))
    held = [c for c in contacts if is_held_out(flow.pk, c.pk, flow.holdout_share)]
    return held, [c for c in contacts if c not in held]


def test_held_out_contacts_get_nothing_but_their_orders_count_for_the_holdout():
    # given a campaign holding out half of its contacts
    flow = mailing(
        "Holdout",
        StepSpec("code", "voucher", {"discount_value": "10"}, "send"),
        StepSpec("send", "send", {"template": "offer"}),
    )
    Campaign.objects.filter(pk=flow.pk).update(holdout_share=50)
    flow.refresh_from_db()
    held, treated = holdout_split(flow)

    # when a held-out and a treated contact order within the window
    place_order(email=held[0].email, total="30.00")
    Message.objects.filter(contact=treated[0]).update(
        status=MessageStatus.SENT, sent_at=NOW - timedelta(days=1), clicked_at=NOW
    )
    place_order(email=treated[0].email, total="50.00")

    # then
    assert held
    assert treated
    assert not Message.objects.filter(contact__in=held).exists()
    assert not IssuedVoucher.objects.filter(contact__in=held).exists()
    assert Message.objects.filter(contact__in=treated).count() == len(treated)
    runs = Enrollment.objects.filter(campaign=flow)
    assert {run.contact_id: run.context["holdout"] for run in runs} == {
        person.pk: person in held for person in held + treated
    }
    holdout_row = Conversion.objects.get(touch=Touch.HOLDOUT)
    assert (holdout_row.model, holdout_row.message, holdout_row.contact) == (
        AttributionModel.HOLDOUT_TEST,
        None,
        held[0],
    )
    assert holdout_row.revenue == Decimal("30.00")
    treated_rows = Conversion.objects.filter(contact=treated[0]).order_by("model")
    assert [(row.model, row.touch) for row in treated_rows] == [
        (AttributionModel.HOLDOUT_TEST, Touch.TREATED),
        (AttributionModel.LAST_TOUCH, Touch.CLICK),
    ]


def test_orders_after_the_window_do_not_count_for_the_holdout(frozen_time):
    # given a finished held-out run
    flow = mailing("Holdout window", conversion_window_days=3)
    Campaign.objects.filter(pk=flow.pk).update(holdout_share=50)
    flow.refresh_from_db()
    held, _ = holdout_split(flow)
    Enrollment.objects.filter(contact=held[0]).update(finished_at=NOW - timedelta(days=1))

    # when
    place_order(email=held[0].email, at=NOW + timedelta(days=2, hours=1))

    # then
    assert not Conversion.objects.exists()


def test_transactional_sends_still_reach_held_out_contacts():
    # given
    flow = mailing("Receipt", StepSpec("send", "send", {"template": "t", "transactional": True}))
    Campaign.objects.filter(pk=flow.pk).update(holdout_share=50)
    flow.refresh_from_db()

    # when
    held, treated = holdout_split(flow, 20)

    # then
    assert Message.objects.count() == len(held) + len(treated)


def test_runs_under_way_before_the_holdout_was_switched_on_stay_unassigned(contact):
    # given a run waiting after its first send
    flow = mailing(
        "Late holdout",
        StepSpec("send", "send", {"template": "a"}, "wait"),
        StepSpec("wait", "wait", {"days": 1}, "again"),
        StepSpec("again", "send", {"template": "b"}),
    )
    enroll(flow, contact, "k", now=NOW)
    run_all(NOW)
    Campaign.objects.filter(pk=flow.pk).update(holdout_share=50)

    # when
    run_all(NOW + timedelta(days=1))

    # then
    assert "holdout" not in Enrollment.objects.get().context
    assert Message.objects.count() == 2


# --------------------------------------------------------------------------- reports


def seed_campaign():
    """The seed's shaving-products campaign, steps listed out of flow order."""
    return mailing(
        "Shaving",
        StepSpec("upsell", "send", {"template": "upsell"}, "wait-discount"),
        StepSpec("discount", "send", {"template": "discount"}, "wait-retention"),
        StepSpec("mailing", "send", {"template": "mailing"}, "wait-follow-up"),
        StepSpec("wait-follow-up", "wait", {"days": 2}, "follow-up"),
        StepSpec("follow-up", "send", {"template": "follow_up"}, "upsell"),
        StepSpec("wait-discount", "wait", {"days": 3}, "discount"),
        StepSpec("wait-retention", "wait", {"days": 60}, "retention"),
        StepSpec("retention", "send", {"template": "retention"}),
        entry_step_key="mailing",
    )


#: (step, order totals) of the seed's table: 5,000 from the mailing, then 1,500 more.
SEED_ORDERS = [
    ("mailing", ["2000.00", "1800.00", "1200.00"]),
    ("follow-up", ["300.00"]),
    ("upsell", ["250.00", "250.00"]),
    ("discount", ["400.00"]),
    ("retention", ["300.00"]),
]


def play_seed(flow):
    day = 0
    for step_key, totals in SEED_ORDERS:
        for total in totals:
            day += 1
            buyer = Contact.objects.create(email=f"buyer{day}@example.com")
            at = NOW - timedelta(days=20 - day)
            sent_message(flow, buyer, step_key, sent=at - timedelta(hours=3), clicked=at)
            place_order(email=buyer.email, total=total, at=at)


def test_the_step_report_reproduces_the_seed_table():
    # given
    flow = seed_campaign()
    play_seed(flow)

    # when
    report = campaign_attribution(flow)

    # then
    rows = [
        (row.key, row.sent, row.clicked, row.conversions, row.revenue, row.cumulative_revenue)
        for row in report.steps
    ]
    assert rows == [
        ("mailing", 3, 3, 3, Decimal("5000.000"), Decimal("5000.000")),
        ("follow-up", 1, 1, 1, Decimal("300.000"), Decimal("5300.000")),
        ("upsell", 2, 2, 2, Decimal("500.000"), Decimal("5800.000")),
        ("discount", 1, 1, 1, Decimal("400.000"), Decimal("6200.000")),
        ("retention", 1, 1, 1, Decimal("300.000"), Decimal("6500.000")),
    ]
    assert (report.total.conversions, report.total.revenue) == (8, Decimal("6500.000"))
    assert report.total.revenue - report.steps[0].revenue == Decimal("1500")  # nurturing
    assert dict(report.total.by_touch) == {"voucher": 0, "click": 8, "open": 0}
    assert (report.currency, report.currencies, report.uplift) == ("EUR", ["EUR"], None)


def test_the_daily_series_and_the_totals_for_lists():
    # given
    flow = seed_campaign()
    play_seed(flow)

    # when
    series = attribution_series(
        flow.pk, datetime(2026, 2, 18, tzinfo=UTC), datetime(2026, 2, 22, tzinfo=UTC)
    )
    totals = attributed_totals([flow.pk, 0])

    # then
    assert [(point.date, point.conversions, point.revenue) for point in series] == [
        (date(2026, 2, 18), 0, Decimal(0)),
        (date(2026, 2, 19), 1, Decimal("2000.000")),
        (date(2026, 2, 20), 1, Decimal("1800.000")),
        (date(2026, 2, 21), 1, Decimal("1200.000")),
    ]
    assert totals == {flow.pk: ("EUR", 8, Decimal("6500.000")), 0: (None, 0, Decimal(0))}


def test_revenue_is_reported_in_one_currency_at_a_time(contact):
    # given
    flow = mailing()
    for index, (currency, total) in enumerate([("EUR", "10"), ("EUR", "20"), ("PLN", "99")]):
        buyer = Contact.objects.create(email=f"b{index}@example.com")
        sent_message(flow, buyer, clicked=NOW - timedelta(hours=1))
        place_order(email=buyer.email, total=total, currency=currency)

    # when
    default, zloty = campaign_attribution(flow), campaign_attribution(flow, "PLN")

    # then
    assert default.currencies == ["EUR", "PLN"]
    assert (default.currency, default.total.conversions, default.total.revenue) == (
        "EUR",
        2,
        Decimal("30.000"),
    )
    assert (zloty.total.conversions, zloty.total.revenue) == (1, Decimal("99.000"))


def test_removed_steps_with_results_keep_their_place(contact):
    # given a linear flow whose middle step was removed after it earned an order
    flow = mailing(
        "Edited",
        StepSpec("first", "send", {"template": "a"}, "middle"),
        StepSpec("middle", "send", {"template": "b"}, "last"),
        StepSpec("last", "send", {"template": "c"}),
    )
    sent_message(flow, contact, "middle", clicked=NOW - timedelta(hours=1))
    place_order()
    remove_step(flow, "middle")

    # when
    report = campaign_attribution(flow)

    # then
    assert [(row.key, row.removed, row.conversions) for row in report.steps] == [
        ("first", False, 0),
        ("middle", True, 1),
        ("last", False, 0),
    ]


def test_flow_order_follows_edges_and_breaks_ties_by_position():
    # given a branch: entry -> (yes | no) -> end, listed backwards
    steps = [
        Step(key="end", type="send", config={"template": "e"}),
        Step(key="no", type="send", config={"template": "n"}, next_key="end"),
        Step(key="yes", type="send", config={"template": "y"}, next_key="end"),
        Step(
            key="check",
            type="branch",
            config={"condition": {"tag": "vip"}, "then": "yes", "else": "no"},
        ),
    ]

    # when
    ordered = [step.key for step in flow_order(steps)]

    # then
    assert ordered == ["check", "no", "yes", "end"]


def test_attribute_order_can_be_called_directly(contact):
    # given
    message = sent_message(mailing(), contact, opened=NOW - timedelta(hours=2))
    order = attributing_module.Order("42", Decimal("9.99"), "EUR", "", NOW)

    # when
    created = attribute_order(order, contact, Windows(timedelta(days=5), timedelta(hours=3)))

    # then
    assert [(row.order_id, row.message) for row in created] == [("42", message)]


# ------------------------------------------------------ one definition of credit


def test_overlapping_campaigns_never_credit_more_than_the_shop_took(contact):
    # given three campaigns whose goal is any order, all of which mailed the contact, two
    # of them clicked; and a second buyer in another currency
    flows = [mailing(name, goal={"event": EventType.ORDER_CREATED}) for name in "ABC"]
    sent_message(flows[0], contact, clicked=NOW - timedelta(days=2))
    sent_message(flows[1], contact, clicked=NOW - timedelta(hours=3))
    sent_message(flows[2], contact, opened=NOW - timedelta(hours=1))
    zofia = Contact.objects.create(email="zofia@example.com")
    sent_message(flows[0], zofia, clicked=NOW - timedelta(hours=2))

    # when both buy
    place_order(total="44.80")
    place_order(email="zofia@example.com", total="120.00", currency="PLN")

    # then each run reached its goal, but each order is credited once, per currency
    figures = campaign_figures([flow.pk for flow in flows])
    assert [figures[flow.pk].goals_reached for flow in flows] == [2, 1, 1]
    assert [figures[flow.pk].converted for flow in flows] == [1, 1, 0]
    assert figures[flows[0].pk].revenues == (("PLN", Decimal("120.000")),)
    assert figures[flows[1].pk].revenues == (("EUR", Decimal("44.800")),)
    assert figures[flows[2].pk].revenues == ()
    credited = {}
    for flow in flows:
        for currency, total in figures[flow.pk].revenues:
            credited[currency] = credited.get(currency, 0) + total
    assert credited == {"EUR": Decimal("44.800"), "PLN": Decimal("120.000")}


def test_a_cancelled_order_takes_its_credit_back(contact):
    # given an order credited to a click
    flow = mailing()
    sent_message(flow, contact, clicked=NOW - timedelta(hours=3))
    placed = place_order(total="44.80")

    # when the shop cancels it
    ingest(*order_events(EventType.ORDER_CANCELLED, placed, EventSource.SALEOR))

    # then
    assert not Conversion.objects.exists()
    assert campaign_figures([flow.pk])[flow.pk].revenues == ()


@pytest.mark.parametrize(
    ("kept", "credit"), [("30.00", Decimal("30.000")), ("0", None), (None, None)]
)
def test_a_refund_lowers_the_credit_to_what_the_shop_kept(contact, kept, credit):
    # given an order of 44.80 credited to a click
    flow = mailing()
    sent_message(flow, contact, clicked=NOW - timedelta(hours=3))
    placed = place_order(total="44.80")

    # when part of it (or all, or an unknown part) is refunded
    refunded = replace(
        placed,
        updated_at=NOW + timedelta(days=1),
        total_charged=None if kept is None else Decimal(kept),
    )
    ingest(*order_events(EventType.ORDER_REFUNDED, refunded, EventSource.SALEOR))

    # then
    assert list(Conversion.objects.values_list("revenue", flat=True)) == (
        [credit] if credit is not None else []
    )
