"""Event retention: old processed events become summaries, and nothing that reads them changes."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.campaigns import EnrollmentStatus
from saleor_ma_plugin.campaigns.models import Campaign, Enrollment
from saleor_ma_plugin.contacts.merging import merge_contacts
from saleor_ma_plugin.contacts.models import Contact, ContactRevenue
from saleor_ma_plugin.core.configuration import parse_configuration
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import NewEvent, order_events, store_events
from saleor_ma_plugin.events.models import Event, EventSummary
from saleor_ma_plugin.reporting.stats import campaign_figures
from saleor_ma_plugin.retention import remove_expired_events
from saleor_ma_plugin.scoring.models import ScoreEntry, ScoreRule
from saleor_ma_plugin.segments.rules import (
    Scope,
    Subject,
    count_contacts,
    evaluate,
    parse_condition,
)
from tests import factories
from tests.campaign_helpers import ingest

NOW = timezone.now().replace(microsecond=0)

#: Rules whose windows reach past the retention period (400 days), and RFM.
RULES = {
    "bought 72 ever": {"event": {"type": "order.created", "product_id": "72"}},
    "bought 73 or 99": {"event": {"type": "order.created", "product_id": ["73", "99"]}},
    "bought 72 twice": {"event": {"type": "order.created", "product_id": "72", "min_count": 2}},
    "3 views in 2 years": {
        "event": {"type": "product.viewed", "min_count": 3, "within_days": 730}
    },
    "a view in 500 days": {"event": {"type": "product.viewed", "within_days": 500}},
    "viewed category 9 twice": {
        "event": {"type": "product.viewed", "category_id": "9", "min_count": 2}
    },
    "repeat buyer": {"rfm": {"frequency_min": 2}},
    "spent 80 EUR": {"rfm": {"monetary_min": "80", "currency": "EUR"}},
    "no order in a year": {"rfm": {"recency_days_min": 365}},
}


def _order(email: str, days_ago: int, product_id: str = "72") -> None:
    placed = NOW - timedelta(days=days_ago)
    order = factories.order(
        email=email,
        created_at=placed,
        updated_at=placed,
        lines=(factories.line(product_id=product_id),),
    )
    ingest(*order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR))


def _view(email: str, days_ago: int, product_id: str = "72", category_id: str = "9") -> None:
    ingest(
        NewEvent(
            EventType.PRODUCT_VIEWED,
            NOW - timedelta(days=days_ago),
            f"view:{email}:{days_ago}:{product_id}",
            {"email": email, "product_id": product_id, "category_id": category_id},
            EventSource.STOREFRONT,
        )
    )


def _figures() -> dict:
    return {name: count_contacts(rules, now=NOW) for name, rules in RULES.items()}


def _condition_for(email: str, rules: dict) -> bool:
    contact = Contact.objects.get(email=email)
    subject = Subject(contact=contact, payload={}, context={}, now=NOW)
    return evaluate(parse_condition(rules, "condition", Scope.CONTACT), subject)


@pytest.mark.django_db
def test_segment_counts_conditions_rfm_and_reports_are_the_same_after_a_retention_run():
    # given two years of orders and views of three people, processed as the pipeline does
    for days_ago in (700, 600, 30):
        _order("anna@example.com", days_ago)
    _order("bert@example.com", 650)
    _order("bert@example.com", 450, product_id="73")
    _order("cara@example.com", 20, product_id="73")
    for days_ago in (690, 480, 410, 100):
        _view("anna@example.com", days_ago)
    for days_ago in (720, 520):
        _view("bert@example.com", days_ago, category_id="4")
    _view("cara@example.com", 5)
    campaign = Campaign.objects.create(name="Win-back", kind="autoresponder")
    anna = Contact.objects.get(email="anna@example.com")
    old_run = Enrollment.objects.create(
        campaign=campaign,
        contact=anna,
        trigger_key="order",
        status=EnrollmentStatus.COMPLETED,
        trigger_event=Event.objects.filter(contact=anna).order_by("occurred_at").first(),
        started_at=NOW - timedelta(days=700),
    )
    Conversion.objects.create(
        order_id="o-1",
        contact=anna,
        campaign=campaign,
        enrollment=old_run,
        revenue=Decimal("44.800"),
        currency="EUR",
        touch="click",
        occurred_at=NOW - timedelta(days=600),
    )
    before = _figures()
    conditions = [
        _condition_for("anna@example.com", RULES["bought 72 twice"]),
        _condition_for("bert@example.com", RULES["viewed category 9 twice"]),
        _condition_for("anna@example.com", RULES["3 views in 2 years"]),
    ]
    rfm_values = Contact.objects.order_by("email").values_list("orders_count", "last_order_at")
    rfm = list(rfm_values)
    revenue = list(ContactRevenue.objects.order_by("contact_id").values_list("total_gross"))
    report = campaign_figures([campaign.pk])

    # when
    removed = remove_expired_events(now=NOW)

    # then the 9 of 13 events older than 400 days are gone, counted in summaries
    assert removed == 9
    assert not Event.objects.filter(occurred_at__lt=NOW - timedelta(days=400)).exists()
    assert Event.objects.filter(type__in=["order.created", "product.viewed"]).count() == 4
    assert before == {
        "bought 72 ever": 2,
        "bought 73 or 99": 2,
        "bought 72 twice": 1,
        "3 views in 2 years": 1,
        "a view in 500 days": 2,
        "viewed category 9 twice": 1,
        "repeat buyer": 2,
        "spent 80 EUR": 2,
        "no order in a year": 1,
    }
    assert _figures() == before
    assert (
        [
            _condition_for("anna@example.com", RULES["bought 72 twice"]),
            _condition_for("bert@example.com", RULES["viewed category 9 twice"]),
            _condition_for("anna@example.com", RULES["3 views in 2 years"]),
        ]
        == conditions
        == [True, False, True]
    )
    assert list(
        Contact.objects.order_by("email").values_list("orders_count", "last_order_at")
    ) == (rfm)
    assert list(ContactRevenue.objects.order_by("contact_id").values_list("total_gross")) == (
        revenue
    )
    assert campaign_figures([campaign.pk]) == report
    old_run.refresh_from_db()
    assert old_run.trigger_event_id is None


@pytest.mark.django_db
def test_new_events_unprocessed_events_and_triggers_of_active_runs_are_kept():
    # given processed events 399 days old, an unprocessed one 900 days old, and an old event
    # that started a run which is still active
    _view("anna@example.com", 399)
    store_events(
        [
            NewEvent(
                EventType.PRODUCT_VIEWED,
                NOW - timedelta(days=900),
                "view:unprocessed",
                {"email": "anna@example.com", "product_id": "72"},
                EventSource.STOREFRONT,
            )
        ]
    )
    _order("anna@example.com", 800)
    anna = Contact.objects.get(email="anna@example.com")
    trigger = Event.objects.get(type=EventType.ORDER_CREATED)
    campaign = Campaign.objects.create(name="Anniversary", kind="autoresponder")
    Enrollment.objects.create(
        campaign=campaign,
        contact=anna,
        trigger_key="order",
        status=EnrollmentStatus.ACTIVE,
        trigger_event=trigger,
        started_at=NOW - timedelta(days=800),
    )
    stored = set(Event.objects.values_list("pk", flat=True))

    # when
    removed = remove_expired_events(now=NOW)

    # then nothing was removed or summarized
    assert removed == 0
    assert set(Event.objects.values_list("pk", flat=True)) == stored
    assert not EventSummary.objects.exists()


@pytest.mark.django_db
def test_score_entries_outlive_their_events_and_keep_counting_towards_caps():
    # given a view that earned points 500 days ago
    _view("anna@example.com", 500)
    rule = ScoreRule.objects.create(name="Views", event_type="product.viewed", points=5)
    anna = Contact.objects.get(email="anna@example.com")
    event = Event.objects.get()
    entry = ScoreEntry.objects.create(
        contact=anna, rule=rule, event=event, points=5, created_at=event.occurred_at
    )

    # when
    removed = remove_expired_events(now=NOW)

    # then the entry stays, without its event
    assert removed == 1
    entry.refresh_from_db()
    assert (entry.event_id, entry.points) == (None, 5)


@pytest.mark.django_db
def test_retention_set_to_zero_keeps_every_event(settings):
    # given
    settings.SALEOR_MA_PLUGIN = {**settings.SALEOR_MA_PLUGIN, "event_retention_days": "0"}
    from saleor_ma_plugin.core.host import forget_settings

    forget_settings()
    _view("anna@example.com", 3000)

    try:
        # when
        removed = remove_expired_events(now=NOW)
    finally:
        forget_settings()

    # then
    assert removed == 0
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_merging_contacts_adds_up_their_summaries():
    # given anna and her second address both viewed product 72 on the same day, long ago
    _view("anna@example.com", 600)
    ingest(
        NewEvent(
            EventType.PRODUCT_VIEWED,
            NOW - timedelta(days=600, hours=1),
            "view:other",
            {"email": "anna.b@example.com", "product_id": "72", "category_id": "9"},
            EventSource.STOREFRONT,
        )
    )
    remove_expired_events(now=NOW)
    anna = Contact.objects.get(email="anna@example.com")
    other = Contact.objects.get(email="anna.b@example.com")

    # when
    merge_contacts(other, anna)

    # then anna's summaries count both views
    rows = EventSummary.objects.filter(contact=anna).values_list("count", "subjects")
    assert sorted(rows) == [(1, {"category_id:9": 1, "product_id:72": 1})] * 2
    assert not EventSummary.objects.exclude(contact=anna).exists()
    bought_72 = {"event": {"type": "product.viewed", "product_id": "72", "min_count": 2}}
    assert _condition_for("anna@example.com", bought_72)


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_remove_and_count_every_event_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # given 1,200 processed views of 40 contacts, all past retention
    contacts = Contact.objects.bulk_create(
        Contact(email=f"c{number}@example.com") for number in range(40)
    )
    Event.objects.bulk_create(
        Event(
            type=EventType.PRODUCT_VIEWED,
            source=EventSource.STOREFRONT,
            occurred_at=NOW - timedelta(days=401 + number % 30, minutes=number),
            dedupe_key=f"view:{number}",
            contact=contacts[number % 40],
            payload={"product_id": str(number % 7)},
            processed_at=NOW,
        )
        for number in range(1200)
    )
    removed_by_run = []
    barrier = threading.Barrier(4)

    def run():
        barrier.wait()
        try:
            removed_by_run.append(remove_expired_events(now=NOW, batch_size=50))
        finally:
            connections.close_all()

    # when four runs race
    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every event was removed by exactly one run and counted exactly once
    assert sum(removed_by_run) == 1200
    assert not Event.objects.exists()
    assert sum(EventSummary.objects.values_list("count", flat=True)) == 1200
    by_product = [
        count
        for subjects in EventSummary.objects.values_list("subjects", flat=True)
        for count in subjects.values()
    ]
    assert sum(by_product) == 1200


@pytest.mark.django_db
def test_the_hook_still_stores_an_event_with_one_insert_and_nothing_else():
    # given
    order = factories.order()
    events = order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)

    # when
    with CaptureQueriesContext(connection) as queries:
        store_events(events)

    # then one INSERT into the events table, as before retention existed
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert sql.startswith(f'INSERT INTO "{Event._meta.db_table}"')
    assert "ON CONFLICT" in sql
    assert "summary" not in sql.lower()
    if connection.vendor == "postgresql":
        # and the only triggers are those copying payload columns, whose conditions (checked
        # before any function is called) an order's payload never meets
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
                [Event._meta.db_table],
            )
            triggers = dict(cursor.fetchall())
        assert list(triggers) == [
            "ma_event_payload_columns_insert",
            "ma_event_payload_columns_update",
        ]
        assert "BEFORE INSERT" in triggers["ma_event_payload_columns_insert"]
        assert (
            "WHEN (((new.payload ? 'category_id'::text) OR (new.payload ? 'url'::text)))"
            in (triggers["ma_event_payload_columns_insert"])
        )
        assert all(not {"category_id", "url"} & event.payload.keys() for event in events)


def test_retention_days_default_to_400_and_accept_0_or_90_to_3650():
    assert parse_configuration({}).event_retention_days == 400
    assert parse_configuration({"event_retention_days": "0"}).event_retention_days == 0
    assert parse_configuration({"event_retention_days": " 90 "}).event_retention_days == 90
    assert parse_configuration({"event_retention_days": 3650}).event_retention_days == 3650


@pytest.mark.parametrize("bad", ["89", "3651", "-1", "a year", "1.5"])
def test_retention_days_outside_the_bounds_are_refused_at_the_field(bad):
    with pytest.raises(ValidationError) as refused:
        parse_configuration({"event_retention_days": bad})
    assert list(refused.value.message_dict) == ["event_retention_days"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "de",
            "Geben Sie 0 ein, um alle Ereignisse zu behalten, oder eine ganze Zahl von Tagen "
            "von 90 bis 3650.",
        ),
        (
            "pl",
            "Podaj 0, aby zachować wszystkie zdarzenia, lub liczbę całkowitą dni od 90 do 3650.",
        ),
    ],
)
def test_the_retention_error_is_translated(language, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        parse_configuration({"event_retention_days": "30"})
    assert refused.value.message_dict == {"event_retention_days": [message]}
