"""Saleor's customers and orders as backfill streams."""

from collections.abc import Iterator

from saleor.account.models import User
from saleor.order import OrderStatus
from saleor.order.models import Order

from ..events import EventSource, EventType
from ..events.backfill import BackfillStream, Batch
from ..events.intake import customer_event, order_events
from .snapshots import customer_snapshot, order_line_rows, order_snapshot


def _customers_after(position: str):
    customers = User.objects.customers().order_by("pk")
    return customers.filter(pk__gt=int(position)) if position else customers


def _customer_batches(position: str, batch_size: int) -> Iterator[Batch]:
    while True:
        users = list(_customers_after(position)[:batch_size])
        if not users:
            return
        position = str(users[-1].pk)
        events = [
            customer_event(
                EventType.CUSTOMER_CREATED, customer_snapshot(user), EventSource.BACKFILL
            )
            for user in users
        ]
        yield Batch(last_position=position, objects_count=len(users), events=events)


def _orders_after(position: str):
    orders = Order.objects.exclude(status=OrderStatus.DRAFT).order_by("number")
    return orders.filter(number__gt=int(position)) if position else orders


def _order_batches(position: str, batch_size: int) -> Iterator[Batch]:
    while True:
        orders = list(_orders_after(position).select_related("channel")[:batch_size])
        if not orders:
            return
        position = str(orders[-1].number)
        rows = order_line_rows([order.pk for order in orders])
        events = []
        for order in orders:
            snapshot = order_snapshot(order, rows.get(order.pk, []))
            events += order_events(EventType.ORDER_CREATED, snapshot, EventSource.BACKFILL)
            if order.status == OrderStatus.CANCELED:
                events += order_events(EventType.ORDER_CANCELLED, snapshot, EventSource.BACKFILL)
        yield Batch(last_position=position, objects_count=len(orders), events=events)


CUSTOMERS = BackfillStream(
    name="saleor.customers",
    count_after=lambda position: _customers_after(position).count(),
    batches_after=_customer_batches,
)
ORDERS = BackfillStream(
    name="saleor.orders",
    count_after=lambda position: _orders_after(position).count(),
    batches_after=_order_batches,
)
STREAMS = {"customers": CUSTOMERS, "orders": ORDERS}
