"""What the live segment count relies on in PostgreSQL: its indexes and its planner settings."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from saleor_ma_plugin.contacts import ConsentChannel, ConsentStatus
from saleor_ma_plugin.contacts.models import Consent, Contact, ContactTag
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.segments.rules import (
    SEGMENT_RANDOM_PAGE_COST,
    contact_matches,
    count_contacts,
    matching_contact_ids,
    parse_rules,
    segment_contacts,
    tune_for_segments,
)
from saleor_ma_plugin.segments.rules.events import Reading, payload_condition
from tests.db_indexes import indexes_of

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


def _view(contact: Contact, payload: dict, days: int = 1, kind: str = "product.viewed") -> None:
    Event.objects.create(
        type=kind,
        source=EventSource.STOREFRONT,
        occurred_at=NOW - timedelta(days=days),
        dedupe_key=f"{kind}:{contact.pk}:{Event.objects.count()}",
        contact=contact,
        payload=payload,
    )


def _plan(queryset) -> str:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        return queryset.explain()


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
    events = Event.objects.filter(payload_condition(condition, Reading(postgres=True)))

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


def test_a_category_matches_only_as_the_same_string_at_the_top_of_the_payload():
    # given views of category "9" (anna, twice; and an erased contact's), of 9 as a number
    # (bert), of ["9"] (cara), of {"id": "9"} (dave), too long ago (erin), without a
    # category (finn), of another category (gina), and an order with a category-9 line (hana)
    anna, bert, cara, dave, erin, finn, gina, hana, gone = (
        Contact.objects.create(email=f"{name}@example.com")
        for name in ("anna", "bert", "cara", "dave", "erin", "finn", "gina", "hana", "gone")
    )
    _view(anna, {"category_id": "9", "product_id": "72"})
    _view(anna, {"category_id": "9"}, days=3)
    _view(bert, {"category_id": 9})
    _view(cara, {"category_id": ["9"]})
    _view(dave, {"category_id": {"id": "9"}})
    _view(erin, {"category_id": "9"}, days=40)
    _view(finn, {"product_id": "9"})
    _view(gina, {"category_id": "19"})
    _view(hana, {"lines": [{"category_id": "9"}]}, kind="order.created")
    _view(gone, {"category_id": "9"})
    gone.erased_at = NOW
    gone.save(update_fields=["erased_at"])
    viewed = {"type": "product.viewed", "where": {"category_id": "9"}, "within_days": 30}
    ordered = {"type": "order.created", "category_id": "9", "within_days": 30}
    rules = {
        "viewed": {"event": viewed},
        "viewed twice": {"event": {**viewed, "min_count": 2}},
        "viewed, id form": {"event": {**viewed, "where": {}, "category_id": "9"}},
        "viewed one of": {"event": {**viewed, "where": {"category_id": ["9", "19"]}}},
        "not viewed": {"not": {"event": viewed}},
        "ordered": {"event": ordered},
    }

    # when
    found = {
        label: set(segment_contacts(rule, NOW).values_list("email", flat=True))
        for label, rule in rules.items()
    }

    # then only string "9" at the top level counts, for the erased contact never
    everyone = {f"{name}@example.com" for name in ("bert", "cara", "dave", "erin", "finn")}
    assert found == {
        "viewed": {"anna@example.com"},
        "viewed twice": {"anna@example.com"},
        "viewed, id form": {"anna@example.com"},
        "viewed one of": {"anna@example.com", "gina@example.com"},
        "not viewed": everyone | {"gina@example.com", "hana@example.com"},
        "ordered": {"hana@example.com"},
    }
    assert {label: count_contacts(rule, NOW) for label, rule in rules.items()} == {
        label: len(emails) for label, emails in found.items()
    }
    # and one contact's evaluation agrees with the set's
    contacts = [anna, bert, cara, dave, erin, finn, gina, hana, gone]
    for label, rule in rules.items():
        matching = {c.email for c in contacts if contact_matches(parse_rules(rule), c, NOW)}
        assert (label, matching) == (label, found[label])


def test_a_category_rule_reads_the_type_category_and_time_index():
    # given the events a rule on a viewed category selects, among 300 recent views of
    # other categories, with statistics that know them (on an empty table every index
    # looks alike, and which one is planned depends on earlier tests' leftovers)
    anna = Contact.objects.create(email="anna@example.com")
    Event.objects.bulk_create(
        Event(
            type="product.viewed",
            source=EventSource.STOREFRONT,
            occurred_at=NOW - timedelta(hours=n),
            dedupe_key=f"view:{n}",
            contact=anna,
            payload={"category_id": "9" if n % 100 == 0 else str(10 + n % 30)},
        )
        for n in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Event._meta.db_table}")
    rule = parse_rules(
        {"event": {"type": "product.viewed", "where": {"category_id": "9"}, "within_days": 30}}
    )
    window = NOW - timedelta(days=30)
    events = Event.objects.filter(type="product.viewed", occurred_at__gte=window).filter(
        payload_condition(rule.where[0], Reading(postgres=True))
    )

    # when PostgreSQL plans it without reading the whole table
    plan = _plan(events)

    # then the partial index of migration 0024 answers type, category and time at once
    [condition] = [line for line in plan.splitlines() if "Index Cond" in line]
    assert "ma_event_category_time_idx" in plan
    assert "category_id" in condition
    assert "occurred_at" in condition


def test_erased_contacts_with_tags_and_consents_are_never_counted():
    # given anna and the erased gone carry the tag and both consents; bert lacks the topic
    anna, bert, gone = (
        Contact.objects.create(email=f"{name}@example.com") for name in ("anna", "bert", "gone")
    )
    for contact in (anna, bert, gone):
        ContactTag.objects.create(contact=contact, name="coffee")
        Consent.objects.create(
            contact=contact, channel=ConsentChannel.EMAIL, status=ConsentStatus.SUBSCRIBED
        )
    for contact in (anna, gone):
        Consent.objects.create(
            contact=contact,
            channel=ConsentChannel.EMAIL,
            topic="news",
            status=ConsentStatus.SUBSCRIBED,
        )
    Contact.objects.filter(pk=gone.pk).update(erased_at=NOW)
    rules = {"all": [{"consent": {"channel": "email", "topic": "news"}}, {"tag": "coffee"}]}

    # when
    found = set(segment_contacts(rules, NOW).values_list("email", flat=True))
    others = set(segment_contacts({"not": rules}, NOW).values_list("email", flat=True))

    # then the erased contact is in neither the segment nor its complement
    assert (found, others) == ({"anna@example.com"}, {"bert@example.com"})
    assert count_contacts(rules, NOW) == 1
    assert count_contacts({"not": rules}, NOW) == 1


def test_presence_of_found_contacts_is_read_from_the_partial_index():
    # given a tag rule's contacts, of whom only those not erased count
    query = segment_contacts({"tag": "coffee"}, NOW).values("pk")

    # when PostgreSQL plans it without reading the whole contacts table
    plan = _plan(query)

    # then the partial index of contacts not erased answers without their rows
    assert "Index Only Scan using ma_contact_present_idx" in plan


def test_a_count_that_needs_a_tag_starts_from_the_tags_and_reads_no_contact():
    # given a segment of tagged contacts with both consents, not wholesale
    rules = {
        "all": [
            {"consent": {"channel": "email", "topic": "news"}},
            {"tag": "coffee"},
            {"not": {"tag": "wholesale"}},
        ]
    }

    # when PostgreSQL plans its ids without reading whole tables
    plan = _plan(matching_contact_ids(rules, NOW))

    # then it starts from the tag's rows, and of the contacts reads only the erased ones
    assert "Index Only Scan using ma_tag_name_contact_idx" in plan
    assert "Index Only Scan using ma_contact_erased_idx" in plan
    assert "ma_contact_present_idx" not in plan
    assert "saleor_ma_plugin_contact_pkey" not in plan


def test_a_rule_on_a_contact_column_still_reads_the_contact_of_each_row():
    # given anna and bert carry the tag, anna has ordered twice, the erased gone too
    anna, bert, gone = (
        Contact.objects.create(email=f"{name}@example.com", orders_count=count)
        for name, count in (("anna", 2), ("bert", 0), ("gone", 2))
    )
    for contact in (anna, bert, gone):
        ContactTag.objects.create(contact=contact, name="coffee")
    Contact.objects.filter(pk=gone.pk).update(erased_at=NOW)
    ordered = {"field": "orders_count", "op": "gte", "value": 1}

    # when the ids of the tagged who ordered, and of the tagged who did not, are taken
    buyers = matching_contact_ids({"all": [{"tag": "coffee"}, ordered]}, NOW)
    others = matching_contact_ids({"all": [{"tag": "coffee"}, {"not": ordered}]}, NOW)

    # then each holds its one contact, and the erased one is in neither
    assert list(buyers.values_list("member_id", flat=True)) == [anna.pk]
    assert list(others.values_list("member_id", flat=True)) == [bert.pk]


@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_the_index_of_erased_contacts_and_takes_it_back(
    back_to_the_latest_schema,
):
    # given the schema after migration 0026
    assert "WHERE (erased_at IS NOT NULL)" in indexes_of(Contact)["ma_contact_erased_idx"]

    # when it is migrated back
    executor = MigrationExecutor(connection)
    executor.migrate([("saleor_ma_plugin", "0025_message_fewer_index_writes")])

    # then the index is gone, the one of present contacts stays
    before = indexes_of(Contact)
    assert "ma_contact_erased_idx" not in before
    assert "ma_contact_present_idx" in before

    # and forward again, it is back
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("saleor_ma_plugin", "0026_segment_rows_leave_out_erased_contacts")])
    assert "WHERE (erased_at IS NOT NULL)" in indexes_of(Contact)["ma_contact_erased_idx"]
