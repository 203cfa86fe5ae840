"""Payload values the database copies into columns, and rules that read them from indexes."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from saleor_ma_plugin.contacts.erasure import scrub_event_payloads
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.events import EventSource
from saleor_ma_plugin.events import columns as event_columns
from saleor_ma_plugin.events.columns import PENDING, columns_filled, fill_payload_columns
from saleor_ma_plugin.events.intake import NewEvent, store_events
from saleor_ma_plugin.events.models import Event, ImportCursor
from saleor_ma_plugin.segments.rules import count_contacts, matching_contact_ids, parse_rules
from saleor_ma_plugin.segments.rules.events import PayloadCondition, Reading, payload_condition
from tests.db_indexes import indexes_of

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
INDEX_NAMES = {"ma_event_category_key_idx", "ma_event_url_time_idx", "ma_event_long_url_idx"}
ESPRESSO = "https://shop.example.com/c/espresso"
VIEWED_NINE_OR_TWELVE = {
    "event": {"type": "product.viewed", "where": {"category_id": {"in": ["9", "12"]}}}
}
VIEWED_NINE = {
    "event": {
        "type": "product.viewed",
        "where": {"category_id": "9"},
        "min_count": 2,
        "within_days": 30,
    }
}
CLICKED_ESPRESSO = {
    "event": {"type": "email.clicked", "where": {"url": {"contains": "/c/ESPRESSO"}}}
}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger"),
]


def _store(event_type: str, payload: dict, key: str, contact: Contact | None = None) -> Event:
    [event_id] = store_events(
        [NewEvent(event_type, NOW - timedelta(days=1), key, payload, EventSource.STOREFRONT)]
    )
    if contact is not None:
        Event.objects.filter(pk=event_id).update(contact=contact)
    return Event.objects.get(pk=event_id)


@contextmanager
def _stored_before_the_trigger():
    """Events stored inside are as the rows a shop had before migration 0027."""
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with connection.cursor() as cursor:
        # The contact's foreign key is checked at commit; ALTER TABLE wants it done.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _columns(event: Event) -> tuple:
    event.refresh_from_db()
    return event.payload_category, event.payload_url_upper


@pytest.fixture
def filled_state_unknown():
    """This process has not yet seen the columns filled (it remembers only that)."""
    remembered = set(event_columns._filled_aliases)
    event_columns._filled_aliases.clear()
    yield
    event_columns._filled_aliases.update(remembered)


@pytest.fixture
def columns_not_yet_filled(filled_state_unknown):
    """The state after migration 0027 on a shop with history: rules wait for the backfill."""
    ImportCursor.objects.create(name=PENDING, position="0")


def test_the_database_copies_a_text_category_and_a_url_on_insert():
    # given events with a category as text, as a number, as a text too long for a shop
    # id, a click with a URL, one whose URL is JSON null, and an order naming neither
    stored = {
        "text": _store("product.viewed", {"category_id": "9"}, "v1"),
        "number": _store("product.viewed", {"category_id": 9}, "v2"),
        "long": _store("product.viewed", {"category_id": "9" * 201}, "v3"),
        "click": _store("email.clicked", {"url": ESPRESSO}, "c1"),
        "null url": _store("email.clicked", {"url": None}, "c2"),
        "order": _store("order.created", {"lines": [{"category_id": "9"}]}, "o1"),
    }

    # when their columns are read back
    found = {label: _columns(event) for label, event in stored.items()}

    # then only a short text category and a URL's text (upper-cased) were copied
    assert found == {
        "text": ("9", None),
        "number": (None, None),
        "long": (None, None),
        "click": (None, ESPRESSO.upper()),
        "null url": (None, None),
        "order": (None, None),
    }


def test_a_payload_rewrite_refreshes_the_columns_and_an_erasure_clears_the_url():
    # given anna clicked a link and viewed category 9
    anna = Contact.objects.create(email="anna@example.com")
    click = _store("email.clicked", {"url": ESPRESSO}, "c1", contact=anna)
    view = _store("product.viewed", {"category_id": "9"}, "v1", contact=anna)

    # when the view's payload is rewritten and anna's events are scrubbed of personal data
    Event.objects.filter(pk=view.pk).update(payload={"category_id": "12"})
    scrub_event_payloads(anna)

    # then the view names its new category and the click no longer keeps the URL anywhere
    assert _columns(view) == ("12", None)
    assert _columns(click) == (None, None)
    assert "url" not in click.payload
    assert count_contacts(CLICKED_ESPRESSO, NOW) == 0


def test_rules_read_the_payload_until_the_backfill_has_filled_every_older_event(
    columns_not_yet_filled,
):
    # given events stored before the trigger existed: anna viewed category 9 twice and
    # clicked, bert viewed it once, cara viewed category 19 twice
    anna, bert, cara = (
        Contact.objects.create(email=f"{name}@example.com") for name in ("anna", "bert", "cara")
    )
    with _stored_before_the_trigger():
        older = [
            _store("product.viewed", {"category_id": "9"}, "a1", anna),
            _store("product.viewed", {"category_id": "9"}, "a2", anna),
            _store("email.clicked", {"url": ESPRESSO}, "a3", anna),
            _store("product.viewed", {"category_id": "9"}, "b1", bert),
            _store("product.viewed", {"category_id": "19"}, "c1", cara),
            _store("product.viewed", {"category_id": "19"}, "c2", cara),
            _store("order.created", {"total_gross": "10"}, "c3", cara),
        ]
    before = (
        columns_filled(),
        count_contacts(VIEWED_NINE, NOW),
        count_contacts(CLICKED_ESPRESSO, NOW),
    )

    # when the backfill runs in batches of two event ids
    rewritten = fill_payload_columns(batch_size=2)

    # then the rules gave the right answer from the payload before, and from the columns now
    assert before == (False, 1, 1)
    assert rewritten == 6
    assert [_columns(event) for event in older] == [
        ("9", None),
        ("9", None),
        (None, ESPRESSO.upper()),
        ("9", None),
        ("19", None),
        ("19", None),
        (None, None),
    ]
    cursor = ImportCursor.objects.get(name=PENDING)
    assert cursor.completed_at is not None
    assert cursor.position == str(older[-1].pk)
    assert columns_filled() is True
    assert count_contacts(VIEWED_NINE, NOW) == 1
    assert list(matching_contact_ids(CLICKED_ESPRESSO, NOW)) == [{"member_id": anna.pk}]
    # and a later tick finds nothing left to do
    assert fill_payload_columns() == 0


def test_a_backfill_out_of_time_goes_on_where_it_stopped(columns_not_yet_filled):
    # given three views stored before the trigger
    with _stored_before_the_trigger():
        views = [_store("product.viewed", {"category_id": "9"}, f"v{n}") for n in range(3)]

    # when a run has no time left after its first batch of one, and a second run follows
    first = fill_payload_columns(batch_size=1, budget_seconds=0)
    halfway = ImportCursor.objects.get(name=PENDING)
    filled_halfway = [_columns(view)[0] for view in views]
    second = fill_payload_columns(batch_size=1)

    # then the first filled one view and kept its place, the second the rest
    assert (first, halfway.position, halfway.completed_at) == (1, str(views[0].pk), None)
    assert filled_halfway == ["9", None, None]
    assert second == 2
    assert [_columns(view)[0] for view in views] == ["9", "9", "9"]


def test_a_click_on_a_url_too_long_for_the_index_is_still_found():
    # given anna clicked a URL of 2,100 bytes that names the page at its end, bert a
    # short one
    anna, bert = (Contact.objects.create(email=f"{name}@example.com") for name in ("anna", "bert"))
    long_url = "https://shop.example.com/" + "x" * 2060 + "/c/espresso"
    _store("email.clicked", {"url": long_url}, "a1", anna)
    _store("email.clicked", {"url": ESPRESSO}, "b1", bert)

    # when the segment is counted
    found = {row["member_id"] for row in matching_contact_ids(CLICKED_ESPRESSO, NOW)}

    # then both clicks count, the long one read from the payload
    assert len(long_url.encode()) > event_columns.MAX_INDEXED_URL_BYTES
    assert found == {anna.pk, bert.pk}


def _plan(rules) -> str:
    ids = matching_contact_ids(rules, NOW)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(Event._meta.db_table)}")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        return ids.explain()


@pytest.mark.django_db(transaction=True)
def test_rules_on_a_category_and_a_clicked_url_read_covering_indexes_alone():
    # given 300 views and 300 clicks, a few of category 9 and of the espresso page,
    # vacuumed, so that the index knows every row is visible
    anna = Contact.objects.create(email="anna@example.com")
    for n in range(300):
        _store("product.viewed", {"category_id": "9" if n % 50 == 0 else str(n % 30)}, f"v{n}")
        _store("email.clicked", {"url": ESPRESSO if n % 50 == 0 else f"{ESPRESSO}-{n}"}, f"c{n}")
    Event.objects.update(contact=anna)

    # when PostgreSQL plans the rules without reading the whole table
    named = {"views": VIEWED_NINE, "either": VIEWED_NINE_OR_TWELVE, "clicks": CLICKED_ESPRESSO}
    plans = {name: _plan(rules) for name, rules in named.items()}

    # then each reads its covering index, and never the events themselves
    assert "Index Only Scan using ma_event_category_key_idx" in plans["views"]
    assert "Index Only Scan using ma_event_category_key_idx" in plans["either"]
    assert "payload_category = ANY ('{9,12}'::text[])" in plans["either"]
    assert "Index Only Scan using ma_event_url_time_idx" in plans["clicks"]
    for plan in plans.values():
        assert "ma_event_payload_gin_idx" not in plan


def test_text_in_a_url_is_found_in_the_column_exactly_as_in_the_payload():
    # given clicks on URLs with capitals, accents, a sharp s, and LIKE's own wildcards
    urls = [
        "https://shop.example.com/c/Espresso?deal=50%_off",
        "https://shop.example.com/c/espresso?deal=50-off",
        "https://shop.example.com/c/CAFÉ-crème",
        "https://shop.example.com/c/straße",
        "https://shop.example.com/c/STRASSE",
    ]
    for number, url in enumerate(urls):
        _store("email.clicked", {"url": url}, f"c{number}")
    texts = ["espresso", "50%_off", "50_", "café", "CRÈME", "straße", "ss", "%", "_"]

    # when each text is looked for in the payload and in the copied column
    def found(text: str, reading: Reading) -> list[str]:
        condition = PayloadCondition("url", "contains", text)
        events = Event.objects.filter(type="email.clicked").filter(
            payload_condition(condition, reading)
        )
        return sorted(events.values_list("payload__url", flat=True))

    in_payload = {text: found(text, Reading(postgres=True)) for text in texts}
    in_column = {text: found(text, Reading(True, True, True)) for text in texts}

    # then both find the same clicks, wildcards taken literally
    assert in_column == in_payload
    assert in_column["50%_off"] == [urls[0]]
    assert in_column["%"] == [urls[0]]
    assert in_column["café"] == [urls[2]]


@pytest.mark.django_db(transaction=True)
def test_the_migration_on_a_shop_with_events_leaves_them_to_the_backfill(
    back_to_the_latest_schema, filled_state_unknown
):
    # given a click stored before migration 0027
    click = _store("email.clicked", {"url": ESPRESSO}, "c1")
    executor = MigrationExecutor(connection)
    executor.migrate([("saleor_ma_plugin", "0026_segment_rows_leave_out_erased_contacts")])
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(cursor, Event._meta.db_table)
        }
    gone = ("payload_url_upper" in columns, indexes_of(Event).keys() & INDEX_NAMES)

    # when the migration runs on the table that holds it
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("saleor_ma_plugin", "0027_event_payload_columns")])
    waiting = (columns_filled(), _columns(click))
    fill_payload_columns()

    # then the columns, indexes and triggers came back, the click waited for the backfill,
    # and rules read the columns once it had its URL
    assert gone == (False, set())
    assert indexes_of(Event).keys() >= INDEX_NAMES
    assert waiting == (False, (None, None))
    assert _columns(click) == (None, ESPRESSO.upper())
    assert columns_filled() is True


def test_categories_in_a_list_are_found_in_the_column_exactly_as_in_the_payload():
    # given views of category "9" (anna), "12" (bert), 12 as a number (cara), "19" (dave)
    for name, category in (("anna", "9"), ("bert", "12"), ("cara", 12), ("dave", "19")):
        contact = Contact.objects.create(email=f"{name}@example.com")
        _store("product.viewed", {"category_id": category}, name, contact)
    [condition] = parse_rules(VIEWED_NINE_OR_TWELVE).where

    # when the list is looked for in the payload and in the copied column
    def found(reading: Reading) -> list[str]:
        events = Event.objects.filter(payload_condition(condition, reading))
        return sorted(events.values_list("contact__email", flat=True))

    # then both find anna's and bert's views, not the number nor the other category
    assert found(Reading(postgres=True)) == ["anna@example.com", "bert@example.com"]
    assert found(Reading(True, True)) == ["anna@example.com", "bert@example.com"]
