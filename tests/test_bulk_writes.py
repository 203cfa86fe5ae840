"""Many rows written in one statement read back exactly as they were set."""

import datetime
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone

from saleor_ma_plugin.catalogue.models import CatalogueProduct
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.bulk import bulk_update_rows, insert_rows
from saleor_ma_plugin.core.bulk_log import update_rows_and_log
from saleor_ma_plugin.messaging.models import DeliveryAttempt, Message

pytestmark = pytest.mark.django_db

AWKWARD_TEXTS = [
    "",
    'quote " and \\ backslash',
    "Jürgen Groß ✓ 😀",
    "line\nbreak\ttab",
    "{not json}",
]


def _messages(count: int) -> list[Message]:
    contact = Contact.objects.create(email="anna@example.com")
    return [
        Message.objects.create(
            idempotency_key=f"bulk:{number}",
            contact=contact,
            channel="email",
            template="newsletter",
            scheduled_at=timezone.now(),
        )
        for number in range(count)
    ]


def test_updated_rows_keep_microseconds_uuids_json_and_awkward_text():
    # given messages with values a text round trip could bend
    messages = _messages(len(AWKWARD_TEXTS))
    moment = datetime.datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=datetime.UTC)
    for number, (message, text) in enumerate(zip(messages, AWKWARD_TEXTS, strict=True)):
        message.status = "sent"
        message.sent_at = moment + datetime.timedelta(microseconds=number)
        message.claim = uuid.UUID(int=number + 1)
        message.last_error = text
        message.context = {"text": text, "nested": {"list": [1, 2.5, None, True]}, "n": number}
        message.attempts = 32767 - number
    messages[0].sent_at, messages[0].claim = None, None

    # when they are written in one statement
    bulk_update_rows(
        Message, messages, ("status", "sent_at", "claim", "last_error", "context", "attempts")
    )

    # then every value reads back exactly
    stored = {m.pk: m for m in Message.objects.all()}
    for number, message in enumerate(messages):
        row = stored[message.pk]
        assert row.status == "sent"
        assert row.sent_at == (
            None if number == 0 else moment + datetime.timedelta(microseconds=number)
        )
        assert row.claim == (None if number == 0 else uuid.UUID(int=number + 1))
        assert row.last_error == AWKWARD_TEXTS[number]
        assert row.context == message.context
        assert row.attempts == 32767 - number


def test_decimals_keep_their_places():
    # given products whose prices a float would round
    products = [
        CatalogueProduct.objects.create(product_id=f"p{n}", name=f"P{n}", slug=f"p{n}")
        for n in range(3)
    ]
    prices = [Decimal("0.001"), Decimal("123456789.999"), Decimal("0.100")]
    for product, price in zip(products, prices, strict=True):
        product.price = price

    # when
    bulk_update_rows(CatalogueProduct, products, ("price",))

    # then
    assert [p.price for p in CatalogueProduct.objects.order_by("product_id")] == prices


def test_rows_and_their_log_are_written_together():
    # given two messages with results and their delivery attempts
    first, second = _messages(2)
    first.status, second.status = "sent", "failed"
    attempts = [
        DeliveryAttempt(message=first, succeeded=True, provider_response="<id@shop>"),
        DeliveryAttempt(message=second, succeeded=False, error="550 no such user ✗"),
    ]

    # when
    update_rows_and_log(Message, [first, second], ("status",), attempts)

    # then both rows changed and both attempts are logged with their own times
    assert dict(Message.objects.values_list("pk", "status")) == {
        first.pk: "sent",
        second.pk: "failed",
    }
    logged = list(
        DeliveryAttempt.objects.order_by("message_id").values_list(
            "message_id", "succeeded", "error", "provider_response"
        )
    )
    assert logged == [
        (first.pk, True, "", "<id@shop>"),
        (second.pk, False, "550 no such user ✗", ""),
    ]
    assert DeliveryAttempt.objects.filter(attempted_at__isnull=True).count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps any integer")
def test_a_refused_value_changes_no_row_and_logs_nothing():
    # given two results, one with a value its column cannot hold, and their log entries
    first, second = _messages(2)
    first.status, second.status = "sent", "sent"
    first.attempts = 70_000  # beyond smallint
    attempts = [DeliveryAttempt(message=m, succeeded=True) for m in (first, second)]

    # when the write is refused
    with pytest.raises(DataError), transaction.atomic():
        update_rows_and_log(Message, [first, second], ("status", "attempts"), attempts)

    # then nothing of it was stored: neither row, nor any log entry
    assert list(Message.objects.values_list("status", flat=True)) == ["queued", "queued"]
    assert DeliveryAttempt.objects.count() == 0


def test_inserted_rows_keep_their_values_and_get_their_creation_time():
    # given two new messages with microseconds, JSON and awkward text
    contact = Contact.objects.create(email="anna@example.com")
    due = datetime.datetime(2026, 5, 1, 8, 30, 15, 123456, tzinfo=datetime.UTC)
    rows = [
        Message(
            idempotency_key=f"new:{number}",
            contact=contact,
            channel="email",
            template="newsletter",
            scheduled_at=due,
            context={"note": text, "n": number},
        )
        for number, text in enumerate(AWKWARD_TEXTS[1:3])
    ]

    # when
    before = timezone.now()
    insert_rows(rows)

    # then
    stored = list(Message.objects.order_by("idempotency_key"))
    assert [(m.idempotency_key, m.scheduled_at, m.context, m.status) for m in stored] == [
        ("new:0", due, {"note": AWKWARD_TEXTS[1], "n": 0}, "queued"),
        ("new:1", due, {"note": AWKWARD_TEXTS[2], "n": 1}, "queued"),
    ]
    assert all(before <= m.created_at <= timezone.now() for m in stored)


def _unsaved(key: str, contact_id: int, template: str = "newsletter") -> Message:
    return Message(
        idempotency_key=key,
        contact_id=contact_id,
        channel="email",
        template=template,
        scheduled_at=timezone.now(),
    )


def test_skipping_conflicts_keeps_the_stored_row_and_inserts_the_rest():
    # given a message already stored under a key
    (first,) = _messages(1)
    again = _unsaved(first.idempotency_key, first.contact_id, template="other")
    fresh = _unsaved("bulk:fresh", first.contact_id)

    # when
    insert_rows([again, fresh], skip_conflicts=True)

    # then
    assert list(Message.objects.order_by("pk").values_list("idempotency_key", "template")) == [
        ("bulk:0", "newsletter"),
        ("bulk:fresh", "newsletter"),
    ]


def test_without_skipping_a_conflict_inserts_nothing():
    # given
    (first,) = _messages(1)
    rows = [
        _unsaved("bulk:new", first.contact_id),
        _unsaved(first.idempotency_key, first.contact_id),
    ]

    # when
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(rows)

    # then
    assert list(Message.objects.values_list("idempotency_key", flat=True)) == ["bulk:0"]


def test_inserted_rows_get_their_automatic_times_on_the_instances_too():
    # given new contacts, whose created_at and updated_at are set on saving
    rows = [Contact(email=f"new{number}@example.com") for number in range(2)]

    # when
    before = timezone.now()
    insert_rows(rows)

    # then each instance holds the times its row was stored with, as save() would leave it
    stored = {c.email: (c.created_at, c.updated_at) for c in Contact.objects.all()}
    for row in rows:
        assert before <= row.created_at <= timezone.now()
        assert stored[row.email] == (row.created_at, row.updated_at)


def test_a_deferred_field_is_read_from_its_row_before_writing_it_back():
    # given a message loaded without its error text, whose status changes
    (message,) = _messages(1)
    Message.objects.filter(pk=message.pk).update(last_error="550 kept")
    loaded = Message.objects.only("pk", "status").get()
    loaded.status = "failed"

    # when both are written
    bulk_update_rows(Message, [loaded], ("status", "last_error"))

    # then the deferred value went back as it was stored, not as null or empty
    assert Message.objects.values_list("status", "last_error").get() == ("failed", "550 kept")


def test_naive_and_other_zone_times_are_stored_as_django_stores_them():
    # given a naive time (read in the current time zone, with Django's warning) and one
    # in another zone
    (first, second) = _messages(2)
    first.sent_at = datetime.datetime(2026, 1, 2, 3, 4, 5, 6)
    second.sent_at = datetime.datetime(
        2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )

    # when
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        bulk_update_rows(Message, [first, second], ("sent_at",))

    # then
    stored = dict(Message.objects.values_list("pk", "sent_at"))
    assert stored[first.pk] == datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    assert stored[second.pk] == datetime.datetime(2026, 1, 2, 1, 4, 5, 6, tzinfo=datetime.UTC)


def test_rows_sharing_one_moment_and_rows_with_their_own_read_back_exactly():
    # given three messages sent at one moment (one object) and three at moments of their own,
    # in other zones, interleaved
    messages = _messages(6)
    shared = datetime.datetime(2026, 3, 29, 1, 59, 59, 123_456, tzinfo=datetime.UTC)
    berlin = datetime.timezone(datetime.timedelta(hours=2))
    for number, message in enumerate(messages):
        message.status = "sent"
        message.sent_at = (
            shared
            if number % 2 == 0
            else datetime.datetime(2026, 3, 29, 4, 0, number, tzinfo=berlin)
        )

    # when they are written in one statement
    bulk_update_rows(Message, messages, ("status", "sent_at"))

    # then each reads back as its own moment
    stored = dict(Message.objects.values_list("idempotency_key", "sent_at"))
    assert [stored[message.idempotency_key] for message in messages] == [
        shared,
        datetime.datetime(2026, 3, 29, 2, 0, 1, tzinfo=datetime.UTC),
        shared,
        datetime.datetime(2026, 3, 29, 2, 0, 3, tzinfo=datetime.UTC),
        shared,
        datetime.datetime(2026, 3, 29, 2, 0, 5, tzinfo=datetime.UTC),
    ]


def test_equal_moments_as_separate_objects_in_other_zones_read_back_as_that_instant():
    # given messages due at one instant, each its own object, written in three zones
    messages = _messages(3)
    instant = datetime.datetime(2026, 10, 25, 0, 30, 0, 250_000, tzinfo=datetime.UTC)
    zones = (datetime.UTC, datetime.timezone(datetime.timedelta(hours=2)), ZoneInfo("Asia/Tokyo"))
    for message, zone in zip(messages, zones, strict=True):
        message.scheduled_at = instant.astimezone(zone)

    # when they are written in one statement
    bulk_update_rows(Message, messages, ("scheduled_at",))

    # then each row holds that instant
    assert list(Message.objects.values_list("scheduled_at", flat=True).distinct()) == [instant]


def test_rows_inserted_together_share_their_automatic_time():
    # given three new contacts
    rows = [Contact(email=f"together{number}@example.com") for number in range(3)]

    # when they are inserted in one statement
    before = timezone.now()
    insert_rows(rows)

    # then they were created at one moment, the instances and the rows alike
    created = {row.created_at for row in rows}
    assert len(created) == 1
    assert before <= rows[0].created_at <= timezone.now()
    assert set(Contact.objects.values_list("created_at", flat=True)) == {rows[0].created_at}
