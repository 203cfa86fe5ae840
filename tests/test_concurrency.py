"""Two workers on the same rows: each event is applied once."""

import threading

import pytest
from django.db import connection, connections

from saleor_ma_plugin.contacts.models import Contact, ContactRevenue
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import order_events, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.pipeline import process_events
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_apply_each_event_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    # given 60 orders of 6 buyers, all stored, none processed
    orders = [factories.order(email=f"buyer{number % 6}@example.com") for number in range(60)]
    event_ids = store_events(
        [
            event
            for order in orders
            for event in order_events(EventType.ORDER_CREATED, order, EventSource.SALEOR)
        ]
    )
    processed_counts = []
    barrier = threading.Barrier(4)

    def worker():
        barrier.wait()
        try:
            processed_counts.append(process_events(event_ids))
        finally:
            connections.close_all()

    # when four workers race over the same ids
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert sum(processed_counts) == 60
    assert not Event.objects.filter(processed_at__isnull=True).exists()
    assert sorted(Contact.objects.values_list("orders_count", flat=True)) == [10] * 6
    assert sum(ContactRevenue.objects.values_list("orders_count", flat=True)) == 60
