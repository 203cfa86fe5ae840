"""What the live segment count relies on in PostgreSQL: its indexes and its planner settings."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.segments.rules import (
    SEGMENT_RANDOM_PAGE_COST,
    count_contacts,
    parse_rules,
    segment_contacts,
    tune_for_segments,
)
from saleor_ma_plugin.segments.rules.events import payload_condition

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CLICKED_ESPRESSO = {
    "event": {
        "type": "email.clicked",
        "where": {"url": {"contains": "/c/espresso"}},
        "within_days": 30,
    }
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's indexes and planner settings"
    ),
]


def _click(contact: Contact, payload: dict, days: int = 1) -> None:
    Event.objects.create(
        type="email.clicked",
        source=EventSource.SYSTEM,
        occurred_at=NOW - timedelta(days=days),
        dedupe_key=f"click:{contact.pk}:{len(payload)}:{days}",
        contact=contact,
        payload=payload,
    )


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_text_in_a_clicked_url_ignores_clicks_without_one():
    # given anna clicked the URL (in capitals), bert a URL that is JSON null, cara a click
    # with no URL, dave a URL given as a number, erin the URL too long ago
    anna, bert, cara, dave, erin = (
        Contact.objects.create(email=f"{name}@example.com")
        for name in ("anna", "bert", "cara", "dave", "erin")
    )
    _click(anna, {"url": "HTTPS://SHOP.EXAMPLE.COM/C/ESPRESSO?utm_campaign=7"})
    _click(bert, {"url": None})
    _click(cara, {"link": "https://shop.example.com/c/espresso"})
    _click(dave, {"url": 2026})
    _click(erin, {"url": "https://shop.example.com/c/espresso"}, days=40)

    # when
    found = set(segment_contacts(CLICKED_ESPRESSO, NOW).values_list("email", flat=True))
    others = set(segment_contacts({"not": CLICKED_ESPRESSO}, NOW).values_list("email", flat=True))
    year = {"event": {"type": "email.clicked", "where": {"url": {"contains": "202"}}}}

    # then
    assert found == {"anna@example.com"}
    assert others == {
        "bert@example.com",
        "cara@example.com",
        "dave@example.com",
        "erin@example.com",
    }
    assert count_contacts(year, NOW) == 1


def test_a_contact_in_several_parts_of_an_any_is_one_match():
    # given anna has both tags and clicked, bert only clicked, cara has neither
    anna, bert, _cara = (
        Contact.objects.create(email=f"{name}@example.com") for name in ("anna", "bert", "cara")
    )
    ContactTag.objects.bulk_create(
        [ContactTag(contact=anna, name="coffee"), ContactTag(contact=anna, name="tea")]
    )
    _click(anna, {"url": "https://shop.example.com/c/espresso"})
    _click(bert, {"url": "https://shop.example.com/c/espresso"})
    rules = {"any": [{"tag": "coffee"}, CLICKED_ESPRESSO, {"tag": "tea"}]}

    # when
    found = list(segment_contacts(rules, NOW).values_list("email", flat=True))

    # then
    assert sorted(found) == ["anna@example.com", "bert@example.com"]
    assert count_contacts(rules, NOW) == 2
    assert count_contacts({"not": rules}, NOW) == 1


def test_the_text_of_a_clicked_url_is_looked_up_in_the_trigram_index():
    # given the condition a rule on the text of the clicked URL puts on events
    [condition] = parse_rules(CLICKED_ESPRESSO).where
    events = Event.objects.filter(payload_condition(condition, postgres=True))

    # when PostgreSQL plans it without reading the whole table
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = events.explain()

    # then the partial trigram index of the URLs answers it
    assert "ma_event_url_trgm_idx" in plan


def test_segment_queries_reckon_with_cached_pages_unless_the_server_already_does():
    # given a server setting above the segments' cost of a random page, then one below it
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 4")

        # when segment queries are tuned
        tune_for_segments()
        lowered = _setting("random_page_cost")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1")
        tune_for_segments()
        kept = _setting("random_page_cost")

    # then the higher one is lowered for the transaction, the lower one is kept
    assert (lowered, kept) == (str(SEGMENT_RANDOM_PAGE_COST), "1")
