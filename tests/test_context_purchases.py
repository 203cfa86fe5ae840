"""Recommendations leave out what each reader of a batch bought: from the orders still
stored as events, and from those the retention has folded into summaries."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from saleor_ma_plugin.catalogue.models import CatalogueProduct
from saleor_ma_plugin.contacts.models import Contact
from saleor_ma_plugin.core.host import plugin_settings
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.models import Event, EventSummary
from saleor_ma_plugin.events.summaries import subject
from saleor_ma_plugin.messaging.context import ContextBatch
from saleor_ma_plugin.messaging.models import Message
from tests.messaging_helpers import queue

pytestmark = pytest.mark.django_db
ORDERED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_each_reader_is_recommended_only_what_they_have_not_bought():
    # given four coffees, most popular first
    for number in range(1, 5):
        CatalogueProduct.objects.create(
            product_id=f"coffee-{number}",
            name=f"Coffee {number}",
            slug=f"coffee-{number}",
            category_id="coffee",
            image_url=f"https://cdn.shop.example/{number}.jpg",
            price=Decimal("9.900"),
            popularity=10 - number,
        )
    # and a reader whose order is stored, one whose order only a summary keeps, a newcomer
    stored, summarized, newcomer = (
        Contact.objects.create(email=f"{name}@example.com")
        for name in ("stored", "summarized", "newcomer")
    )
    Event.objects.create(
        type=EventType.ORDER_CREATED,
        source=EventSource.SALEOR,
        occurred_at=ORDERED_AT,
        dedupe_key="order:1",
        contact=stored,
        payload={"order_id": "1", "lines": [{"product_id": "coffee-1"}]},
    )
    EventSummary.objects.create(
        contact=summarized,
        type=EventType.ORDER_CREATED,
        day=date(2024, 1, 5),
        count=1,
        last_at=ORDERED_AT.replace(year=2024),
        subjects={subject("product_id", "coffee-2"): 1},
    )
    for contact in (stored, summarized, newcomer):
        queue(contact, "newsletter")

    # when the batch builds each reader's context
    messages = list(Message.objects.select_related("contact").order_by("pk"))
    batch = ContextBatch(messages, plugin_settings())
    shown = {
        message.contact.email: [
            product["name"] for product in batch.build(message, marketing_allowed=True)["products"]
        ]
        for message in messages
    }

    # then nobody is offered what they bought, whichever way the order is kept
    assert shown == {
        "stored@example.com": ["Coffee 2", "Coffee 3", "Coffee 4"],
        "summarized@example.com": ["Coffee 1", "Coffee 3", "Coffee 4"],
        "newcomer@example.com": ["Coffee 1", "Coffee 2", "Coffee 3", "Coffee 4"],
    }
