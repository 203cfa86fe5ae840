"""Turning snapshots into stored events: the only work done on the shop's request path.

Each fact is one INSERT ... ON CONFLICT DO NOTHING RETURNING id, so a repeated hook is a
no-op without a savepoint or a prior SELECT, followed by an after-commit wake-up of a worker.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections, router
from django.utils import timezone

from ..core.queue import Work, wake_after_commit
from . import EventSource, EventType
from .models import Event
from .snapshots import CheckoutSnapshot, CustomerSnapshot, OrderSnapshot, to_payload


@dataclass(frozen=True)
class NewEvent:
    """An event ready to be stored."""

    type: str
    occurred_at: datetime
    dedupe_key: str
    payload: dict[str, Any]
    source: str = EventSource.SALEOR


def order_events(event_type: EventType, order: OrderSnapshot, source: str) -> list[NewEvent]:
    """The events one order hook produces; ``order.created`` with a code also redeems it."""
    payload = to_payload(order)
    # Only refunds can repeat for one order; their key carries the order's state.
    state = f":{order.updated_at.isoformat()}" if event_type == EventType.ORDER_REFUNDED else ""
    occurred_at = order.created_at if event_type == EventType.ORDER_CREATED else order.updated_at
    events = [
        NewEvent(event_type, occurred_at, f"{event_type}:{order.order_id}{state}", payload, source)
    ]
    if event_type == EventType.ORDER_CREATED and order.voucher_code:
        redemption = {
            "voucher_code": order.voucher_code,
            "order_id": order.order_id,
            "email": order.email,
            "user_id": order.user_id,
            "channel": order.channel,
            "currency": order.currency,
            "total_gross": order.total_gross,
        }
        events.append(
            NewEvent(
                EventType.VOUCHER_REDEEMED,
                order.created_at,
                f"{EventType.VOUCHER_REDEEMED}:{order.order_id}:{order.voucher_code}",
                redemption,
                source,
            )
        )
    return events


def checkout_event(event_type: EventType, checkout: CheckoutSnapshot) -> NewEvent:
    """A checkout event; updates are keyed by Saleor's ``last_change`` so repeats collapse."""
    suffix = (
        f":{checkout.last_change.isoformat()}" if event_type == EventType.CHECKOUT_UPDATED else ""
    )
    occurred_at = (
        checkout.created_at if event_type == EventType.CHECKOUT_CREATED else checkout.last_change
    )
    return NewEvent(
        event_type, occurred_at, f"{event_type}:{checkout.token}{suffix}", to_payload(checkout)
    )


def customer_event(event_type: EventType, customer: CustomerSnapshot, source: str) -> NewEvent:
    """A customer event; updates are keyed by the user's ``updated_at``."""
    suffix = (
        f":{customer.updated_at.isoformat()}" if event_type == EventType.CUSTOMER_UPDATED else ""
    )
    occurred_at = {
        EventType.CUSTOMER_CREATED: customer.date_joined,
        EventType.CUSTOMER_UPDATED: customer.updated_at,
    }.get(event_type) or timezone.now()
    # Saleor may hand over a deleted user without a primary key; the email still identifies it.
    identity = customer.user_id or customer.email
    return NewEvent(
        event_type,
        occurred_at,
        f"{event_type}:{identity}{suffix}",
        to_payload(customer),
        source,
    )


def record_events(events: Sequence[NewEvent]) -> list[int]:
    """Store events and wake a worker once the caller's transaction commits.

    The wake-up names no events: the worker takes every fresh one, so a burst of hooks
    (and the hooks of many web processes) shares one task instead of queueing one each.
    """
    event_ids = store_events(events)
    if event_ids:
        wake_after_commit(Work.PROCESS_EVENTS, using=router.db_for_write(Event))
    return event_ids


def store_events(events: Sequence[NewEvent]) -> list[int]:
    """Insert events that are not stored yet; return the ids of the new rows only."""
    if not events:
        return []
    alias = router.db_for_write(Event)
    connection = connections[alias]
    fields = {name: Event._meta.get_field(name) for name in _COLUMNS}
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(events))
    received_at = timezone.now()
    params: list[Any] = []
    for event in events:
        row = {
            "type": str(event.type),
            "source": str(event.source),
            "occurred_at": event.occurred_at,
            "received_at": received_at,
            "dedupe_key": event.dedupe_key,
            "payload": event.payload,
            "attempts": 0,
            "processing_error": "",
        }
        params.extend(fields[name].get_db_prep_save(row[name], connection) for name in _COLUMNS)
    columns = ", ".join(connection.ops.quote_name(fields[name].column) for name in _COLUMNS)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Event._meta.db_table)} ({columns}) "
        f"VALUES {placeholders} ON CONFLICT ({connection.ops.quote_name('dedupe_key')}) "
        "DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


_COLUMNS = (
    "type",
    "source",
    "occurred_at",
    "received_at",
    "dedupe_key",
    "payload",
    "attempts",
    "processing_error",
)
