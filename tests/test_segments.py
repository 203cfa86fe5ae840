"""Segments: every rule, nesting, one query, stored membership, segment-entry trigger, audience."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from saleor_ma_plugin.campaigns import EnrollmentStatus, ReentryPolicy
from saleor_ma_plugin.campaigns import audience as audience_module
from saleor_ma_plugin.campaigns.audience import audience_contacts, parse_audience
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.campaigns.scheduled import run_scheduled_triggers
from saleor_ma_plugin.campaigns.triggers import parse_trigger
from saleor_ma_plugin.campaigns.triggers.broadcast import launch_broadcast
from saleor_ma_plugin.campaigns.triggers.segment_entry import SegmentEntryTrigger, entry_key
from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.contacts.models import Contact, ContactRevenue, ContactTag
from saleor_ma_plugin.core.errors import FieldError
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.events.snapshots import to_payload
from saleor_ma_plugin.segments.editing import (
    create_segment,
    delete_segment,
    update_segment,
    validate_rules,
)
from saleor_ma_plugin.segments.membership import (
    refresh_all_segments,
    refresh_segment,
)
from saleor_ma_plugin.segments.models import Segment, SegmentMembership
from saleor_ma_plugin.segments.presets import PRESETS, preset_rules, segment_presets
from saleor_ma_plugin.segments.rules import (
    MAX_DEPTH,
    count_contacts,
    parse_rules,
    segment_contacts,
)
from tests import factories
from tests.campaign_helpers import campaign, run_all, subscribe

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
_keys = iter(range(1, 1_000_000))


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_gate():
    audience_module._gate_cache.clear()
    yield
    audience_module._gate_cache.clear()


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def person(email: str, **fields) -> Contact:
    return Contact.objects.create(email=f"{email}@example.com", **fields)


def record(contact: Contact | None, event_type: str, payload: dict, at: datetime) -> Event:
    return Event.objects.create(
        type=event_type,
        source=EventSource.SALEOR,
        occurred_at=at,
        dedupe_key=f"{event_type}:test-{next(_keys)}",
        contact=contact,
        payload=payload,
        processed_at=at,
    )


def order(contact: Contact, at: datetime, *lines) -> Event:
    snapshot = factories.order(
        email=contact.email, created_at=at, lines=lines or (factories.line(),)
    )
    return record(contact, "order.created", to_payload(snapshot), at)


def names(rules) -> set[str]:
    """Local parts of the matching contacts' emails; the live count agrees."""
    found = {
        email.split("@")[0] for email in segment_contacts(rules).values_list("email", flat=True)
    }
    assert count_contacts(rules) == len(found)
    return found


# --------------------------------------------------------------------------- contact fields


@pytest.fixture
def people():
    anna = person(
        "anna",
        country="DE",
        first_name="Anna",
        lead_score=10,
        language_code="de",
        attributes={"plan": "pro", "seats": 5, "contains": "x"},
    )
    bert = person(
        "bert",
        country="AT",
        orders_count=2,
        lifecycle_stage="repeat_customer",
        first_order_at=days_ago(100),
        last_order_at=days_ago(10),
        birthday=date(1990, 5, 1),
        lead_score=60,
        attributes={"plan": "basic", "seats": 1},
    )
    cara = person(
        "cara",
        country="FR",
        orders_count=5,
        lifecycle_stage="repeat_customer",
        first_order_at=days_ago(400),
        last_order_at=days_ago(200),
        phone="+4930123",
        saleor_user_id="17",
        birthday=date(1985, 12, 24),
        lead_score=50,
    )
    return anna, bert, cara


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"field": "country", "op": "eq", "value": "DE"}, {"anna"}),
        ({"field": "country", "op": "ne", "value": "DE"}, {"bert", "cara"}),
        ({"field": "country", "op": "in", "value": ["DE", "FR"]}, {"anna", "cara"}),
        ({"field": "country", "op": "not_in", "value": ["DE", "FR"]}, {"bert"}),
        ({"field": "email", "op": "eq", "value": "BERT@example.com"}, {"bert"}),
        ({"field": "email", "op": "contains", "value": "AR"}, {"cara"}),
        ({"field": "phone", "op": "exists"}, {"cara"}),
        ({"field": "phone", "op": "exists", "value": False}, {"anna", "bert"}),
        ({"field": "saleor_user_id", "op": "exists"}, {"cara"}),
        ({"field": "lifecycle_stage", "op": "eq", "value": "subscriber"}, {"anna"}),
        ({"field": "lifecycle_stage", "op": "ne", "value": "subscriber"}, {"bert", "cara"}),
        ({"field": "lifecycle_stage", "op": "in", "value": ["repeat_customer"]}, {"bert", "cara"}),
        ({"field": "lifecycle_stage", "op": "not_in", "value": ["repeat_customer"]}, {"anna"}),
        ({"field": "orders_count", "op": "eq", "value": 2}, {"bert"}),
        ({"field": "orders_count", "op": "ne", "value": 2}, {"anna", "cara"}),
        ({"field": "orders_count", "op": "gt", "value": 2}, {"cara"}),
        ({"field": "orders_count", "op": "gte", "value": "2"}, {"bert", "cara"}),
        ({"field": "orders_count", "op": "lt", "value": 2}, {"anna"}),
        ({"field": "orders_count", "op": "lte", "value": 2}, {"anna", "bert"}),
        ({"field": "orders_count", "op": "in", "value": [0, 5]}, {"anna", "cara"}),
        ({"field": "orders_count", "op": "not_in", "value": [0, 5]}, {"bert"}),
        ({"field": "last_order_at", "op": "within_days", "value": 30}, {"bert"}),
        ({"field": "last_order_at", "op": "older_than_days", "value": 30}, {"cara"}),
        ({"field": "last_order_at", "op": "exists"}, {"bert", "cara"}),
        ({"field": "last_order_at", "op": "exists", "value": False}, {"anna"}),
        ({"field": "first_order_at", "op": "gte", "value": "2025-11-01"}, {"bert"}),
        ({"field": "first_order_at", "op": "lt", "value": "2025-11-01T00:00:00Z"}, {"cara"}),
        ({"field": "first_order_at", "op": "gt", "value": "2025-01-01"}, {"bert", "cara"}),
        ({"field": "first_order_at", "op": "lte", "value": "2025-01-01"}, set()),
        ({"field": "birthday", "op": "eq", "value": "1990-05-01"}, {"bert"}),
        ({"field": "birthday", "op": "lt", "value": "1990-01-01"}, {"cara"}),
        ({"field": "birthday", "op": "exists", "value": False}, {"anna"}),
        ({"field": "created_at", "op": "within_days", "value": 1}, {"anna", "bert", "cara"}),
        ({"attribute": {"key": "plan", "op": "eq", "value": "pro"}}, {"anna"}),
        ({"attribute": {"key": "plan", "op": "ne", "value": "pro"}}, {"bert", "cara"}),
        ({"attribute": {"key": "plan", "op": "in", "value": ["pro", "basic"]}}, {"anna", "bert"}),
        ({"attribute": {"key": "plan", "op": "not_in", "value": ["pro"]}}, {"bert", "cara"}),
        ({"attribute": {"key": "seats", "op": "gt", "value": 1}}, {"anna"}),
        ({"attribute": {"key": "seats", "op": "gte", "value": 1}}, {"anna", "bert"}),
        ({"attribute": {"key": "seats", "op": "lt", "value": 5}}, {"bert"}),
        ({"attribute": {"key": "seats", "op": "lte", "value": 5}}, {"anna", "bert"}),
        ({"attribute": {"key": "plan", "op": "contains", "value": "BAS"}}, {"bert"}),
        ({"attribute": {"key": "plan", "op": "exists"}}, {"anna", "bert"}),
        ({"attribute": {"key": "plan", "op": "exists", "value": False}}, {"cara"}),
        ({"attribute": {"key": "contains", "op": "eq", "value": "x"}}, {"anna"}),
        ({"score": {"gte": 50}}, {"bert", "cara"}),
        ({"score": {"gt": 50}}, {"bert"}),
        ({"score": {"gte": 10, "lt": 60}}, {"anna", "cara"}),
        ({"score": {"lte": 10}}, {"anna"}),
        ({"score": {"eq": 50}}, {"cara"}),
        ({"score": {"ne": 50}}, {"anna", "bert"}),
    ],
)
def test_contact_field_attribute_and_score_rules(people, rule, expected):
    assert names(rule) == expected


def test_empty_rules_match_everyone_but_the_erased(people):
    # given
    person("gone", erased_at=NOW)

    # then
    assert names({}) == {"anna", "bert", "cara"}
    assert names({"all": []}) == {"anna", "bert", "cara"}


# --------------------------------------------------------------------------- tags, consent


def test_tag_rule(people):
    # given
    anna, bert, _ = people
    ContactTag.objects.create(contact=anna, name="coffee")
    ContactTag.objects.create(contact=bert, name="tea")

    # then
    assert names({"tag": "coffee"}) == {"anna"}
    assert names({"not": {"tag": "coffee"}}) == {"bert", "cara"}


def _consent(contact, status, topic=""):
    change_consent(contact, ConsentChannel.EMAIL, status, ConsentProof(ConsentMethod.FORM), topic)


def test_consent_rules(people):
    # given anna: email + topic "news"; bert: email only; cara: pending double opt-in
    anna, bert, cara = people
    subscribe(anna)
    subscribe(anna, "news")
    subscribe(bert)
    _consent(cara, ConsentStatus.PENDING)

    # then
    assert names({"consent": {"channel": "email"}}) == {"anna", "bert"}
    assert names({"consent": {"channel": "email", "topic": "news"}}) == {"anna"}
    assert names({"consent": {"channel": "sms"}}) == set()
    assert names({"consent": {"channel": "email", "status": "pending"}}) == {"cara"}
    assert names({"consent": {"channel": "email", "status": "unsubscribed"}}) == {"cara"}
    assert names({"consent": {"channel": "email", "topic": "news", "status": "unsubscribed"}}) == {
        "bert",
        "cara",
    }


def test_consent_topic_needs_the_channel_consent_too(people):
    # given a topic subscription whose channel consent was withdrawn
    anna, *_ = people
    subscribe(anna, "news")
    _consent(anna, ConsentStatus.UNSUBSCRIBED)

    # then
    assert names({"consent": {"channel": "email", "topic": "news"}}) == set()


# --------------------------------------------------------------------------- RFM


@pytest.fixture
def customers():
    """recent: 4 orders, 300 EUR, 5 days ago; lapsed: 2 orders, 80 EUR, 120 days ago;
    usd: 6 orders, 900 USD, 3 days ago; never: no orders."""
    recent = person("recent", orders_count=4, last_order_at=days_ago(5))
    ContactRevenue.objects.create(
        contact=recent, currency="EUR", orders_count=4, total_gross=Decimal("300")
    )
    lapsed = person("lapsed", orders_count=2, last_order_at=days_ago(120))
    ContactRevenue.objects.create(
        contact=lapsed, currency="EUR", orders_count=2, total_gross=Decimal("80")
    )
    usd = person("usd", orders_count=6, last_order_at=days_ago(3))
    ContactRevenue.objects.create(
        contact=usd, currency="USD", orders_count=6, total_gross=Decimal("900")
    )
    person("never")


@pytest.mark.parametrize(
    ("rfm", "expected"),
    [
        ({"recency_days_max": 30}, {"recent", "usd"}),
        ({"recency_days_min": 90}, {"lapsed"}),
        ({"recency_days_min": 4, "recency_days_max": 200}, {"recent", "lapsed"}),
        ({"frequency_min": 3}, {"recent", "usd"}),
        ({"frequency_max": 2}, {"lapsed", "never"}),
        ({"frequency_min": 2, "frequency_max": 4}, {"recent", "lapsed"}),
        ({"monetary_min": "100", "currency": "EUR"}, {"recent"}),
        ({"monetary_min": 80, "monetary_max": "100", "currency": "EUR"}, {"lapsed"}),
        # Without EUR orders a contact has spent 0 EUR.
        ({"monetary_max": "100", "currency": "EUR"}, {"lapsed", "usd", "never"}),
        ({"monetary_min": "500", "currency": "USD"}, {"usd"}),
        (
            {"recency_days_max": 30, "frequency_min": 3, "monetary_min": "100", "currency": "EUR"},
            {"recent"},
        ),
    ],
)
def test_rfm_rules(customers, rfm, expected):
    assert names({"rfm": rfm}) == expected


# --------------------------------------------------------------------------- events


def test_event_count_within_days_and_payload_filter():
    # given views of category 9: anna 3 recent, bert 2 recent + 1 old, cara 3 of category 4
    anna, bert, cara = person("anna"), person("bert"), person("cara")
    for at in (days_ago(1), days_ago(2), days_ago(29)):
        record(anna, "product.viewed", {"product_id": "72", "category_id": "9"}, at)
    for at in (days_ago(1), days_ago(3), days_ago(45)):
        record(bert, "product.viewed", {"product_id": "72", "category_id": "9"}, at)
    for at in (days_ago(1), days_ago(2), days_ago(3)):
        record(cara, "product.viewed", {"product_id": "5", "category_id": "4"}, at)
    record(None, "product.viewed", {"category_id": "9", "anonymous_id": "a1"}, days_ago(1))
    rule = {
        "event": {
            "type": "product.viewed",
            "where": {"category_id": "9"},
            "min_count": 3,
            "within_days": 30,
        }
    }

    # then
    assert names(rule) == {"anna"}
    assert names({"not": rule}) == {"bert", "cara"}
    rule["event"]["within_days"] = 60
    assert names(rule) == {"anna", "bert"}
    assert names({"event": {"type": "product.viewed", "where": {"category_id": 9}}}) == {
        "anna",
        "bert",
    }
    assert names({"event": {"type": "product.viewed", "category_id": ["4", "8"]}}) == {"cara"}
    assert names({"event": {"type": "product.viewed", "where": {"category_id": ["4", "9"]}}}) == {
        "anna",
        "bert",
        "cara",
    }


def test_bought_product_matches_any_order_line():
    # given
    anna, bert, cara = person("anna"), person("bert"), person("cara")
    order(anna, days_ago(3), factories.line(product_id="1", category_id="2"), factories.line())
    order(bert, days_ago(100), factories.line(product_id="72", category_id="9"))
    order(cara, days_ago(1), factories.line(product_id="720", category_id="3"))
    record(cara, "checkout.updated", {"lines": [{"product_id": "72"}]}, days_ago(1))

    # then
    assert names({"event": {"type": "order.created", "product_id": "72"}}) == {"anna", "bert"}
    assert names({"event": {"type": "order.created", "product_id": 72, "within_days": 30}}) == {
        "anna"
    }
    assert names({"event": {"type": "order.created", "category_id": ["3", "2"]}}) == {
        "anna",
        "cara",
    }
    # Saleor global ids are decoded: UHJvZHVjdDo3Mg== is Product:72.
    assert names({"event": {"type": "order.created", "product_id": "UHJvZHVjdDo3Mg=="}}) == {
        "anna",
        "bert",
    }
    assert names({"event": {"type": "checkout.updated", "product_id": "72"}}) == {"cara"}
    assert names({"event": {"type": "order.created", "product_id": "72", "min_count": 2}}) == set()


def test_clicked_niche_content():
    # given
    anna, bert = person("anna"), person("bert")
    record(
        anna,
        "email.clicked",
        {"contact_id": anna.pk, "campaign_id": 7, "url": "https://shop.example.com/c/Espresso"},
        days_ago(2),
    )
    record(bert, "email.clicked", {"contact_id": bert.pk, "campaign_id": 8, "url": "/c/tea"}, NOW)

    # then
    assert names(
        {"event": {"type": "email.clicked", "where": {"url": {"contains": "/c/espresso"}}}}
    ) == {"anna"}
    assert names({"event": {"type": "email.clicked", "where": {"campaign_id": 8}}}) == {"bert"}
    assert names(
        {"event": {"type": "email.clicked", "where": {"campaign_id": {"in": [7, 8]}}}}
    ) == {
        "anna",
        "bert",
    }
    assert names({"event": {"type": "email.clicked", "within_days": 1}}) == {"bert"}


# --------------------------------------------------------------------------- segment, nesting


def test_segment_rule_tests_the_stored_membership(people):
    # given
    vip = create_segment("VIP", {"score": {"gte": 50}})

    # when cara's score drops, until the next refresh
    Contact.objects.filter(email="cara@example.com").update(lead_score=0)

    # then
    assert names({"segment": vip.pk}) == {"bert", "cara"}
    refresh_segment(vip)
    assert names({"segment": vip.pk}) == {"bert"}
    assert names({"not": {"segment": vip.pk}}) == {"anna", "cara"}


def test_and_or_not_nest(people):
    # given
    anna, _, cara = people
    ContactTag.objects.create(contact=anna, name="coffee")
    ContactTag.objects.create(contact=cara, name="coffee")
    subscribe(cara)
    rules = {
        "all": [
            {"tag": "coffee"},
            {
                "any": [
                    {"consent": {"channel": "email"}},
                    {"not": {"field": "country", "op": "in", "value": ["FR", "AT"]}},
                ]
            },
        ]
    }

    # then
    assert names(rules) == {"anna", "cara"}
    assert names({"not": rules}) == {"bert"}
    assert names({"any": [{"tag": "coffee"}, {"score": {"gte": 60}}]}) == {"anna", "bert", "cara"}
    assert names({"all": [{"tag": "coffee"}, {"not": {"consent": {"channel": "email"}}}]}) == {
        "anna"
    }
    # A never-ordered contact is "not ordered within 30 days", not unknown.
    assert names({"not": {"field": "last_order_at", "op": "within_days", "value": 30}}) == {
        "anna",
        "cara",
    }


def test_any_of_set_rules_is_one_union(people, django_assert_num_queries):
    # given anna has the tag, bert viewed category 9 three times, cara bought product 72,
    # dave is in a segment, erin has nothing
    anna, bert, cara = people
    person("dave", lead_score=1)
    erin = person("erin")
    ContactTag.objects.create(contact=anna, name="coffee")
    for hours in (1, 2, 3):
        record(bert, "product.viewed", {"category_id": "9"}, NOW - timedelta(hours=hours))
    record(erin, "product.viewed", {"category_id": "9"}, NOW)
    order(cara, days_ago(2))
    dave_only = create_segment("Dave", {"score": {"eq": 1}})
    rules = {
        "any": [
            {"tag": "coffee"},
            {"event": {"type": "product.viewed", "category_id": "9", "min_count": 3}},
            {"event": {"type": "order.created", "product_id": "72", "within_days": 7}},
            {"segment": dave_only.pk},
            {"field": "country", "op": "eq", "value": "XX"},
        ]
    }

    # then
    with django_assert_num_queries(1):
        assert segment_contacts(rules).count() == 4
    assert names(rules) == {"anna", "bert", "cara", "dave"}
    assert names({"not": rules}) == {"erin"}
    assert names({"all": [{"score": {"gte": 10}}, rules]}) == {"anna", "bert", "cara"}


def test_a_deep_tree_is_one_query(people, django_assert_num_queries):
    # given
    rules = {
        "all": [
            {"field": "orders_count", "op": "gte", "value": 0},
            {"not": {"tag": "wholesale"}},
            {"any": [{"consent": {"channel": "email"}}, {"score": {"gte": 0}}]},
            {"rfm": {"frequency_max": 10, "monetary_max": "1000", "currency": "EUR"}},
            {"not": {"event": {"type": "product.viewed", "category_id": "9", "min_count": 3}}},
            {"not": {"event": {"type": "order.created", "product_id": "72"}}},
            {"not": {"attribute": {"key": "blocked", "op": "eq", "value": True}}},
        ]
    }

    # when
    with django_assert_num_queries(1):
        found = list(segment_contacts(rules).values_list("email", flat=True))

    # then
    assert len(found) == 3


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("rules", "field", "code"),
    [
        ([], "rules", "invalid"),
        ({"tag": "a", "score": {"gte": 1}}, "rules", "invalid"),
        ({"color": "blue"}, "rules", "invalid"),
        ({"any": []}, "rules.any", "required"),
        ({"all": [{"any": []}]}, "rules.all[0].any", "required"),
        ({"all": {"tag": "x"}}, "rules.all", "invalid"),
        ({"not": {"tag": ""}}, "rules.not.tag", "required"),
        ({"field": "password", "op": "eq", "value": "x"}, "rules.field", "invalid"),
        ({"field": "orders_count", "op": "contains", "value": 1}, "rules.op", "invalid"),
        ({"field": "orders_count", "op": "gte", "value": "many"}, "rules.value", "invalid"),
        ({"field": "orders_count", "op": "gte"}, "rules.value", "required"),
        ({"field": "country", "op": "in", "value": "DE"}, "rules.value", "invalid"),
        ({"field": "lifecycle_stage", "op": "eq", "value": "vip"}, "rules.value", "invalid"),
        ({"field": "last_order_at", "op": "gte", "value": "yesterday"}, "rules.value", "invalid"),
        ({"field": "last_order_at", "op": "within_days", "value": 0}, "rules.value", "invalid"),
        ({"field": "country", "op": "eq", "value": "DE", "x": 1}, "rules.x", "invalid"),
        (
            {"attribute": {"key": "a__b", "op": "eq", "value": 1}},
            "rules.attribute.key",
            "required",
        ),
        ({"attribute": {"key": "a", "op": "like", "value": 1}}, "rules.attribute.op", "invalid"),
        (
            {"attribute": {"key": "a", "op": "eq", "value": [1]}},
            "rules.attribute.value",
            "invalid",
        ),
        ({"consent": {"channel": "fax"}}, "rules.consent.channel", "invalid"),
        ({"consent": {"channel": "email", "status": "yes"}}, "rules.consent.status", "invalid"),
        ({"rfm": {}}, "rules.rfm", "required"),
        ({"rfm": {"monetary_min": "10"}}, "rules.rfm.currency", "required"),
        ({"rfm": {"frequency_min": 1, "currency": "EUR"}}, "rules.rfm.currency", "invalid"),
        ({"rfm": {"frequency_min": 3, "frequency_max": 2}}, "rules.rfm.frequency_max", "invalid"),
        ({"rfm": {"recency_days_max": -1}}, "rules.rfm.recency_days_max", "invalid"),
        (
            {"rfm": {"monetary_min": "lots", "currency": "EUR"}},
            "rules.rfm.monetary_min",
            "invalid",
        ),
        ({"rfm": {"days": 3}}, "rules.rfm.days", "invalid"),
        ({"event": {"where": {}}}, "rules.event.type", "required"),
        ({"event": {"type": "x", "min_count": 0}}, "rules.event.min_count", "invalid"),
        ({"event": {"type": "x", "within_days": "a"}}, "rules.event.within_days", "invalid"),
        ({"event": {"type": "x", "within": 3}}, "rules.event.within", "invalid"),
        ({"event": {"type": "x", "where": {"a b": 1}}}, "rules.event.where.a b", "invalid"),
        (
            {"event": {"type": "x", "where": {"u": {"like": "a"}}}},
            "rules.event.where.u",
            "invalid",
        ),
        ({"event": {"type": "x", "product_id": []}}, "rules.event.product_id", "invalid"),
        ({"segment": "twelve"}, "rules.segment", "invalid"),
        ({"segment": 0}, "rules.segment", "invalid"),
        ({"score": {"above": 3}}, "rules.score.above", "invalid"),
        ({"score": {}}, "rules.score", "required"),
    ],
)
def test_invalid_rules_name_the_part_at_fault(rules, field, code):
    with pytest.raises(FieldError) as error:
        parse_rules(rules)

    assert (error.value.field, error.value.code) == (field, code)


def test_trees_are_limited_in_depth_and_size():
    deep: dict = {"tag": "x"}
    for _ in range(MAX_DEPTH):
        deep = {"not": deep}
    with pytest.raises(FieldError, match="levels deep"):
        parse_rules(deep)
    with pytest.raises(FieldError, match="at most 100 rules"):
        parse_rules({"any": [{"tag": f"t{i}"} for i in range(100)]})


def test_referenced_segments_must_exist_and_not_lead_back():
    # given
    first = create_segment("First", {"tag": "a"})
    second = create_segment("Second", {"segment": first.pk})

    # then
    with pytest.raises(FieldError) as missing:
        validate_rules({"segment": 999_999})
    assert missing.value.code == "not_found"
    with pytest.raises(FieldError) as cycle:
        update_segment(first, rules={"any": [{"tag": "b"}, {"segment": second.pk}]})
    assert (cycle.value.field, cycle.value.code) == ("rules", "cycle")
    with pytest.raises(FieldError) as itself:
        update_segment(first, rules={"segment": first.pk})
    assert itself.value.code == "cycle"
    first.refresh_from_db()
    assert first.rules == {"tag": "a"}


# --------------------------------------------------------------------------- membership


def test_refresh_records_entries_and_departures(frozen_time):
    # given
    anna, bert, cara = (
        person(name, orders_count=n) for name, n in (("anna", 0), ("bert", 2), ("cara", 3))
    )
    segment = create_segment("Repeat", {"field": "orders_count", "op": "gte", "value": 2})
    assert (segment.member_count, segment.counted_at) == (2, NOW)

    # when anna enters, bert leaves, cara stays
    frozen_time.move_to(NOW + timedelta(hours=1))
    Contact.objects.filter(pk=anna.pk).update(orders_count=2)
    Contact.objects.filter(pk=bert.pk).update(orders_count=0)
    entered, left = refresh_segment(segment)

    # then
    assert (entered, left) == ([anna.pk], 1)
    members = dict(
        SegmentMembership.objects.filter(segment=segment).values_list("contact_id", "entered_at")
    )
    assert members == {anna.pk: NOW + timedelta(hours=1), cara.pk: NOW}
    segment.refresh_from_db()
    assert (segment.member_count, segment.counted_at) == (2, NOW + timedelta(hours=1))
    assert refresh_segment(segment) == ([], 0)


def test_erased_contacts_leave_at_the_next_refresh():
    # given
    anna = person("anna")
    segment = create_segment("Everyone", {})
    Contact.objects.filter(pk=anna.pk).update(erased_at=NOW)

    # then
    assert refresh_segment(segment) == ([], 1)
    assert segment.member_count == 0


def test_one_pass_sees_fresh_dependencies():
    # given B (lower id) tests A's membership; A's rules change without a refresh
    anna = person("anna", lead_score=80)
    placeholder = create_segment("B", {})
    source = create_segment("A", {"score": {"gte": 90}})
    Segment.objects.filter(pk=placeholder.pk).update(rules={"segment": source.pk})
    Segment.objects.filter(pk=source.pk).update(rules={"score": {"gte": 50}})

    # when
    refresh_all_segments()

    # then B already contains anna: A was refreshed before it
    assert list(
        SegmentMembership.objects.filter(segment=placeholder).values_list("contact", flat=True)
    ) == [anna.pk]


def test_a_broken_segment_does_not_stop_the_others(caplog):
    # given
    person("anna")
    broken = create_segment("Broken", {})
    Segment.objects.filter(pk=broken.pk).update(rules={"color": "blue"})
    fine = create_segment("Fine", {"tag": "x"})
    ContactTag.objects.create(contact=Contact.objects.get(), name="x")

    # when
    refresh_all_segments()

    # then
    assert SegmentMembership.objects.filter(segment=fine).count() == 1
    assert "Could not refresh segment" in caplog.text


# --------------------------------------------------------------------------- segment-entry trigger


def test_segment_entry_trigger_parses():
    assert parse_trigger({"type": "segment_entry", "segment": 4}) == SegmentEntryTrigger(4)
    with pytest.raises(FieldError) as error:
        parse_trigger({"type": "segment_entry"})
    assert error.value.field == "trigger.segment"


def test_entering_a_segment_enrols_once(frozen_time):
    # given
    anna, bert = person("anna"), person("bert")
    segment = create_segment("Fans", {"tag": "fan"})
    welcome = campaign({"type": "segment_entry", "segment": segment.pk})
    ContactTag.objects.create(contact=anna, name="fan")

    # when
    refresh_segment(segment)
    refresh_segment(segment)

    # then
    [run] = Enrollment.objects.all()
    assert (run.campaign_id, run.contact_id, run.trigger_key) == (welcome.pk, anna.pk, "once")
    assert run_all(NOW) >= 1
    run.refresh_from_db()
    assert run.status == EnrollmentStatus.COMPLETED

    # when anna leaves and comes back, and bert enters
    frozen_time.move_to(NOW + timedelta(days=1))
    ContactTag.objects.filter(contact=anna).delete()
    refresh_segment(segment)
    ContactTag.objects.create(contact=anna, name="fan")
    ContactTag.objects.create(contact=bert, name="fan")
    refresh_segment(segment)

    # then "once ever": anna is not enrolled again
    assert sorted(Enrollment.objects.values_list("contact_id", flat=True)) == sorted(
        [anna.pk, bert.pk]
    )


def test_every_entry_enrols_with_every_time_policy(frozen_time):
    # given
    anna = person("anna")
    segment = create_segment("Fans", {"tag": "fan"})
    campaign(
        {"type": "segment_entry", "segment": segment.pk},
        reentry_policy=ReentryPolicy.EVERY_TIME,
    )

    # when anna enters, leaves, enters again
    ContactTag.objects.create(contact=anna, name="fan")
    refresh_segment(segment)
    frozen_time.move_to(NOW + timedelta(days=2))
    ContactTag.objects.filter(contact=anna).delete()
    refresh_segment(segment)
    ContactTag.objects.create(contact=anna, name="fan")
    refresh_segment(segment)

    # then
    assert sorted(Enrollment.objects.values_list("trigger_key", flat=True)) == [
        entry_key(segment.pk, NOW),
        entry_key(segment.pk, NOW + timedelta(days=2)),
    ]


def test_once_per_period_policy_applies(frozen_time):
    # given
    anna = person("anna")
    segment = create_segment("Fans", {"tag": "fan"})
    campaign(
        {"type": "segment_entry", "segment": segment.pk},
        reentry_policy=ReentryPolicy.ONCE_PER_PERIOD,
        reentry_period_days=30,
    )

    # when anna enters three times: day 0, day 10, day 40
    for day in (0, 10, 40):
        frozen_time.move_to(NOW + timedelta(days=day))
        ContactTag.objects.create(contact=anna, name="fan")
        refresh_segment(segment)
        ContactTag.objects.filter(contact=anna).delete()
        refresh_segment(segment)

    # then
    assert Enrollment.objects.count() == 2


def test_segment_entry_respects_the_campaign_audience():
    # given
    anna, bert = person("anna"), person("bert")
    subscribe(bert)
    segment = create_segment("Fans", {"tag": "fan"})
    campaign(
        {"type": "segment_entry", "segment": segment.pk},
        audience={"consent": {"channel": "email"}},
    )
    for contact in (anna, bert):
        ContactTag.objects.create(contact=contact, name="fan")

    # when
    refresh_segment(segment)

    # then
    assert list(Enrollment.objects.values_list("contact_id", flat=True)) == [bert.pk]


def test_campaigns_of_other_segments_and_paused_ones_do_not_enrol():
    # given
    person("anna")
    segment, other = create_segment("All", {}), create_segment("None", {"tag": "nobody"})
    campaign({"type": "segment_entry", "segment": other.pk})
    paused = campaign({"type": "segment_entry", "segment": segment.pk})
    paused.status = "paused"
    paused.save()
    Contact.objects.create(email="bert@example.com")

    # when
    refresh_segment(segment)

    # then
    assert not Enrollment.objects.exists()


def test_the_scheduled_tick_refreshes_watched_segments_and_enrols():
    # given
    anna = person("anna")
    segment = create_segment("Fans", {"tag": "fan"})
    unwatched = create_segment("Unwatched", {"tag": "fan"})
    campaign({"type": "segment_entry", "segment": segment.pk})
    ContactTag.objects.create(contact=anna, name="fan")

    # when
    started = run_scheduled_triggers(NOW)

    # then
    assert started == 1
    assert Enrollment.objects.get().contact_id == anna.pk
    segment.refresh_from_db()
    unwatched.refresh_from_db()
    assert (segment.member_count, unwatched.member_count) == (1, 0)


# --------------------------------------------------------------------------- audience


def test_audience_by_segment_uses_the_stored_membership():
    # given
    anna, _ = person("anna", lead_score=70), person("bert")
    segment = create_segment("Hot", {"score": {"gte": 50}})
    audience = parse_audience({"segment": segment.pk})

    # then
    assert list(audience_contacts(audience)) == [anna]
    with pytest.raises(FieldError) as error:
        parse_audience({"segment": "hot"})
    assert error.value.field == "audience.segment"


def test_gate_counts_the_segment():
    # given a broadcast to a segment that needs at least 3 contacts
    for name in ("anna", "bert"):
        person(name, lead_score=70)
    segment = create_segment("Hot", {"score": {"gte": 50}})
    broadcast = campaign(
        {"type": "broadcast"},
        kind="standalone",
        audience={"segment": segment.pk},
        min_audience_size=3,
    )

    # when the segment has 2 members
    assert launch_broadcast(broadcast, NOW) == 0

    # when a third enters
    person("cara", lead_score=90)
    refresh_segment(segment)
    audience_module._gate_cache.clear()

    # then
    assert launch_broadcast(broadcast, NOW) == 3


# --------------------------------------------------------------------------- presets, deleting


def test_presets_are_valid_rules_and_find_their_customers():
    # given
    champion = person(
        "champion", orders_count=6, first_order_at=days_ago(300), last_order_at=days_ago(3)
    )
    ContactRevenue.objects.create(
        contact=champion, currency="EUR", orders_count=6, total_gross=Decimal("800")
    )
    person("at_risk", orders_count=3, first_order_at=days_ago(300), last_order_at=days_ago(150))
    person("sleeper", orders_count=1, first_order_at=days_ago(250), last_order_at=days_ago(250))
    person("newbie", orders_count=1, first_order_at=days_ago(4), last_order_at=days_ago(4))

    # then
    for preset, rules in segment_presets("EUR"):
        parse_rules(rules)
        assert preset.title
    assert names(preset_rules("champions", "EUR")) == {"champion"}
    assert "monetary_min" not in str(preset_rules("champions"))
    assert names(preset_rules("loyal", "EUR")) == {"champion"}
    assert names(preset_rules("at_risk")) == {"at_risk"}
    assert names(preset_rules("hibernating")) == {"sleeper"}
    assert names(preset_rules("new_customers")) == {"newbie"}
    assert set(PRESETS) == {"champions", "loyal", "at_risk", "hibernating", "new_customers"}


def test_a_used_segment_is_not_deleted():
    # given
    anna = person("anna")
    used = create_segment("Used", {})
    tested = create_segment("Tested", {})
    create_segment("Tester", {"segment": tested.pk})
    free = create_segment("Free", {})
    campaign({"type": "manual"}, audience={"segment": used.pk})

    # then
    with pytest.raises(FieldError, match="campaign 'Test campaign'"):
        delete_segment(used)
    with pytest.raises(FieldError, match="segment 'Tester'"):
        delete_segment(tested)
    delete_segment(free)
    assert not SegmentMembership.objects.filter(segment_id=free.pk).exists()
    assert SegmentMembership.objects.filter(contact=anna).count() == 3
