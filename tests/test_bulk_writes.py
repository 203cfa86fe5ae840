"""Many rows written in one statement read back exactly as they were set."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import DataError, connection, transaction
from django.utils import timezone

from saleor_ma_plugin.catalogue.models import CatalogueProduct
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.bulk import bulk_update_rows
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
