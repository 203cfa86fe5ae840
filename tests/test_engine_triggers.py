from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from saleor_ma_plugin.campaigns import EnrollmentStatus, ReentryPolicy
from saleor_ma_plugin.campaigns.editing import StepSpec
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.campaigns.scheduled import run_scheduled_triggers
from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast
from saleor_ma_plugin.catalogue.models import CatalogueVariant, NotifyRequest
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import checkout_event, order_events
from saleor_ma_plugin.messaging.models import Message
from tests import factories
from tests.campaign_helpers import campaign, event, ingest, run_all, sent_templates, subscribe

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ORDER_TRIGGER = {"type": "event", "event": "order.created"}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def place(**overrides):
    order = factories.order(**{"created_at": NOW, "updated_at": NOW, **overrides})
    return ingest(*order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))


def test_event_trigger_with_filter_enrols_only_matching_orders():
    # given
    campaign(
        {**ORDER_TRIGGER, "where": {"field": "payload.total_gross", "op": "gte", "value": "50"}},
        reentry_policy=ReentryPolicy.EVERY_TIME,
    )

    # when
    place(total_gross=Decimal("49.990"))
    place(total_gross=Decimal("50.000"))
    run_all(NOW)

    # then
    assert Enrollment.objects.count() == 1
    assert sent_templates() == ["t"]


def test_filter_on_any_line_of_the_order():
    # given
    campaign(
        {
            **ORDER_TRIGGER,
            "where": {"field": "payload.lines.category_id", "op": "eq", "value": "9"},
        },
        reentry_policy=ReentryPolicy.EVERY_TIME,
    )

    # when
    place(lines=(factories.line(category_id="3"), factories.line(category_id="9")))
    place(lines=(factories.line(category_id="3"),))

    # then
    assert Enrollment.objects.count() == 1


def test_the_same_event_delivered_twice_starts_one_run():
    # given
    campaign(ORDER_TRIGGER, reentry_policy=ReentryPolicy.EVERY_TIME)
    order = factories.order(created_at=NOW)

    # when
    ingest(*order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))
    ingest(*order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))
    run_all(NOW)

    # then
    assert Enrollment.objects.count() == 1
    assert Message.objects.count() == 1


def test_imported_history_never_triggers():
    # given
    campaign(ORDER_TRIGGER)

    # when
    ingest(*order_events(EventType.ORDER_CREATED, factories.order(), EventSource.BACKFILL))

    # then
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    ("policy", "period_days", "expected_runs"),
    [
        (ReentryPolicy.ONCE, 0, 1),
        (ReentryPolicy.EVERY_TIME, 0, 3),
        (ReentryPolicy.ONCE_PER_PERIOD, 30, 2),
    ],
)
def test_reentry_policies(frozen_time, policy, period_days, expected_runs):
    # given
    campaign(ORDER_TRIGGER, reentry_policy=policy, reentry_period_days=period_days)

    # when orders on day 0, day 10 and day 40
    for day in (0, 10, 40):
        frozen_time.move_to(NOW + timedelta(days=day))
        place(created_at=NOW + timedelta(days=day))

    # then
    assert Enrollment.objects.count() == expected_runs


def test_audience_requires_consent():
    # given
    campaign(
        ORDER_TRIGGER, audience={"consent": {"channel": "email"}}, reentry_policy="every_time"
    )
    place(email="no-consent@example.com")
    subscribed = Contact.objects.create(email="yes@example.com")
    subscribe(subscribed)

    # when
    place(email="yes@example.com")

    # then
    assert list(Enrollment.objects.values_list("contact__email", flat=True)) == ["yes@example.com"]


ABANDONED = {
    "type": "absence",
    "event": "checkout.updated",
    "absent_event": "order.created",
    "key_field": "token",
    "absent_key_field": "checkout_token",
    "within": {"hours": 2},
}


def test_abandoned_checkout_sends_after_the_window_without_an_order(frozen_time):
    # given
    campaign(ABANDONED, reentry_policy=ReentryPolicy.EVERY_TIME)
    checkout = factories.checkout(last_change=NOW)

    # when
    ingest(checkout_event(EventType.CHECKOUT_UPDATED, checkout))
    early = run_all(NOW + timedelta(hours=1))
    frozen_time.move_to(NOW + timedelta(hours=2, minutes=1))
    run_all(NOW + timedelta(hours=2, minutes=1))

    # then
    assert early == 0
    assert sent_templates() == ["t"]
    assert Enrollment.objects.get().status == EnrollmentStatus.COMPLETED


def test_an_order_for_the_checkout_breaks_the_absence(frozen_time):
    # given
    campaign(ABANDONED, reentry_policy=ReentryPolicy.EVERY_TIME)
    checkout = factories.checkout(last_change=NOW)
    ingest(checkout_event(EventType.CHECKOUT_UPDATED, checkout))

    # when the buyer completes the checkout within the window
    place(checkout_token=checkout.token, created_at=NOW + timedelta(minutes=30))
    run_all(NOW + timedelta(hours=3))

    # then
    enrollment = Enrollment.objects.get()
    assert (enrollment.status, enrollment.exit_reason) == (
        EnrollmentStatus.EXITED,
        "absence_broken",
    )
    assert not Message.objects.exists()


def test_further_cart_changes_restart_the_clock_of_one_run():
    # given
    campaign(ABANDONED, reentry_policy=ReentryPolicy.EVERY_TIME)
    first = factories.checkout(last_change=NOW)
    later = factories.checkout(token=first.token, last_change=NOW + timedelta(minutes=90))

    # when
    ingest(checkout_event(EventType.CHECKOUT_UPDATED, first))
    ingest(checkout_event(EventType.CHECKOUT_UPDATED, later))

    # then
    enrollment = Enrollment.objects.get()
    assert enrollment.next_run_at == NOW + timedelta(minutes=210)
    assert run_all(NOW + timedelta(hours=2, minutes=30)) == 0


def test_browse_abandonment_is_keyed_by_contact(frozen_time):
    # given
    campaign(
        {
            "type": "absence",
            "event": "product.viewed",
            "absent_event": "order.created",
            "within": {"hours": 4},
        }
    )
    Contact.objects.create(email="anna@example.com")
    ingest(
        event("product.viewed", "view-1", {"email": "anna@example.com", "product_id": "72"}, NOW)
    )

    # when
    frozen_time.move_to(NOW + timedelta(hours=5))
    run_all(NOW + timedelta(hours=5))

    # then
    assert sent_templates() == ["t"]


@pytest.mark.parametrize(
    ("trigger", "contact_fields"),
    [
        ({"type": "date", "source": "birthday"}, {"birthday": date(1990, 3, 2)}),
        (
            {"type": "date", "source": "attribute", "attribute": "renewal"},
            {"attributes": {"renewal": "2025-03-02"}},
        ),
        ({"type": "date", "source": "fixed", "date": "2026-03-02"}, {}),
        (
            {"type": "date", "source": "first_order_anniversary"},
            {"first_order_at": datetime(2024, 3, 2, 8, tzinfo=UTC)},
        ),
    ],
)
def test_date_triggers_fire_once_on_the_day_after_send_time(frozen_time, trigger, contact_fields):
    # given
    campaign({**trigger, "at_time": "10:00"}, reentry_policy=ReentryPolicy.EVERY_TIME)
    Contact.objects.create(email="anna@example.com", timezone="Europe/Berlin", **contact_fields)
    Contact.objects.create(
        email="other@example.com",
        birthday=date(1990, 5, 1),
        attributes={"renewal": "2025-05-01"},
        first_order_at=datetime(2024, 5, 1, tzinfo=UTC),
    )

    # when: 09:30 Berlin time, then 13:00 Berlin time twice
    frozen_time.move_to(datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
    before = run_scheduled_triggers()
    frozen_time.move_to(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    first, second = run_scheduled_triggers(), run_scheduled_triggers()

    # then
    expected = 2 if trigger["source"] == "fixed" else 1
    assert (before, first, second) == (0, expected, 0)


def test_birthday_follows_the_contacts_time_zone(frozen_time):
    # given it is 1 March 20:00 UTC: already 2 March 09:00 in Auckland
    campaign({"type": "date", "source": "birthday", "at_time": "09:00"})
    Contact.objects.create(
        email="kiwi@example.com", timezone="Pacific/Auckland", birthday=date(1990, 3, 2)
    )
    Contact.objects.create(
        email="berlin@example.com", timezone="Europe/Berlin", birthday=date(1990, 3, 2)
    )
    frozen_time.move_to(datetime(2026, 3, 1, 20, 0, tzinfo=UTC))

    # when
    run_scheduled_triggers()

    # then
    assert list(Enrollment.objects.values_list("contact__email", flat=True)) == [
        "kiwi@example.com"
    ]


def test_inactivity_enrols_lapsed_customers_once_per_lapse(frozen_time):
    # given
    campaign({"type": "inactivity", "days": 90}, reentry_policy=ReentryPolicy.EVERY_TIME)
    lapsed = Contact.objects.create(
        email="lapsed@example.com", last_order_at=NOW - timedelta(days=91)
    )
    Contact.objects.create(email="recent@example.com", last_order_at=NOW - timedelta(days=10))
    Contact.objects.create(email="never@example.com")

    # when
    first, second = run_scheduled_triggers(), run_scheduled_triggers()
    Contact.objects.filter(pk=lapsed.pk).update(last_order_at=NOW + timedelta(days=1))
    frozen_time.move_to(NOW + timedelta(days=92))
    third = run_scheduled_triggers()

    # then: the second lapse starts a second run; "recent" has lapsed by now as well
    assert (first, second, third) == (1, 0, 2)
    assert Enrollment.objects.filter(contact=lapsed).count() == 2
    assert not Enrollment.objects.filter(contact__email="never@example.com").exists()


def test_replenishment_waits_the_products_own_days():
    # given
    campaign(
        {"type": "replenishment", "days": 30, "products": {"72": 21}}, reentry_policy="every_time"
    )

    # when
    place(lines=(factories.line(product_id="72"),))
    place(lines=(factories.line(product_id="99"),))

    # then
    assert list(Enrollment.objects.values_list("next_run_at", flat=True)) == [
        NOW + timedelta(days=21)
    ]


def test_score_threshold_trigger_fires_when_a_step_crosses_it(django_capture_on_commit_callbacks):
    # given
    campaign(
        ORDER_TRIGGER, StepSpec("score", "update_contact", {"score_delta": 30}), name="scoring"
    )
    target = campaign({"type": "score", "threshold": 25}, name="sales ready")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        place()
        run_all(NOW)

    # then
    assert Enrollment.objects.filter(campaign=target).count() == 1
    assert Contact.objects.get().lead_score == 30


def test_scheduled_broadcast_enrols_the_audience_once_at_its_time(frozen_time):
    # given
    for email in ("a@example.com", "b@example.com"):
        subscribe(Contact.objects.create(email=email))
    Contact.objects.create(email="unsubscribed@example.com")
    news = campaign(
        {"type": "broadcast", "send_at": (NOW + timedelta(hours=1)).isoformat()},
        audience={"consent": {"channel": "email"}},
        kind="newsletter",
    )

    # when
    early = run_scheduled_triggers()
    frozen_time.move_to(NOW + timedelta(hours=1))
    on_time, again = run_scheduled_triggers(), launch_broadcast(news)
    run_all(NOW + timedelta(hours=1))

    # then
    assert (early, on_time, again) == (0, 2, 0)
    assert Message.objects.count() == 2


def test_audience_gate_holds_a_broadcast_until_it_is_big_enough():
    # given
    subscribe(Contact.objects.create(email="a@example.com"))
    news = campaign(
        {"type": "broadcast"},
        audience={"consent": {"channel": "email"}},
        min_audience_size=2,
        kind="newsletter",
    )

    # when / then
    assert launch_broadcast(news) == 0
    assert not Enrollment.objects.exists()


def test_voucher_redeemed_trigger():
    # given
    campaign({"type": "event", "event": "voucher.redeemed"})

    # when
    place(voucher_code="ABCD-EFGH-JKLM")

    # then
    assert Enrollment.objects.get().context["trigger_type"] == "voucher.redeemed"


def test_back_in_stock_notifies_only_when_the_variant_returns(
    frozen_time, django_capture_on_commit_callbacks
):
    # given
    campaign({"type": "event", "event": "product.back_in_stock"}, reentry_policy="every_time")
    contact = Contact.objects.create(email="waiting@example.com")
    NotifyRequest.objects.create(contact=contact, variant_id="301")
    CatalogueVariant.objects.create(
        variant_id="301", product_id="72", name="Beans", stock_quantity=0
    )

    # when
    run_scheduled_triggers()
    empty = Enrollment.objects.count()
    CatalogueVariant.objects.filter(variant_id="301").update(stock_quantity=5)
    with django_capture_on_commit_callbacks(execute=True):
        run_scheduled_triggers()
        run_scheduled_triggers()
    run_all(NOW)

    # then
    assert empty == 0
    assert sent_templates(contact) == ["t"]
    assert NotifyRequest.objects.get().notified_at == NOW
