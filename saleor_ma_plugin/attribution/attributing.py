"""Crediting an order to the message and step that earned it.

Called in the transaction that processes the ``order.created`` event, after profiles,
goals and triggers, so an order is attributed exactly once, together with its event being
marked processed. The order's contact is the event's.

Last touch, strongest signal first:

1. voucher: the order used a code a voucher step issued; the step that issued it earns
   the order (the code was in the contact's hands, whoever clicked what since);
2. click: the latest click on a campaign message within ``click_days`` before the order;
3. open: otherwise the latest open within ``open_days`` before the order.

Orders without any of these stay unattributed. A cancellation takes the credit back, a
refund lowers it to what the shop kept. Separately, every campaign with a holdout
whose run of this contact covers the order gets a comparison row (held out or treated).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from ..campaigns.models import Enrollment
from ..events import EventSource, EventType
from ..messaging import MessageStatus
from ..messaging.models import Message
from ..vouchers.models import IssuedVoucher
from . import AttributionModel, Touch
from .models import Conversion
from .windows import Windows, attribution_windows

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Order:
    order_id: str
    revenue: Decimal
    currency: str
    voucher_code: str
    placed_at: datetime


def order_of(event) -> Order:
    payload = event.payload
    placed_at = event.occurred_at
    if isinstance(placed_at, str):
        placed_at = parse_datetime(placed_at)
    return Order(
        order_id=str(payload["order_id"])[:64],
        revenue=Decimal(str(payload.get("total_gross") or 0)),
        currency=str(payload.get("currency") or "")[:3],
        voucher_code=str(payload.get("voucher_code") or "").strip(),
        placed_at=placed_at,
    )


def attribute_order_event(event, contact, contact_is_new: bool = False) -> list[Conversion]:
    """The processing hook: credit a live ``order.created``, take credit back for a
    cancellation or refund; never fail the event.

    Attribution is reporting: a bug here is logged and must not hold up the campaigns the
    same event drives, so it runs in its own savepoint. A contact the order has just
    created was never touched by a campaign; only a voucher code can credit one.
    """
    if event.type in (EventType.ORDER_CANCELLED, EventType.ORDER_REFUNDED):
        _guarded(event, lambda: reverse_credit(event))
        return []
    if event.type != EventType.ORDER_CREATED or event.source == EventSource.BACKFILL:
        return []
    if contact is None or (contact_is_new and not event.payload.get("voucher_code")):
        return []
    return _guarded(event, lambda: attribute_order(order_of(event), contact)) or []


def _guarded(event, work):
    try:
        with transaction.atomic():
            return work()
    except Exception:
        logger.exception("Attributing order of event %s failed", event.pk)
        return None


def reverse_credit(event) -> int:
    """A cancelled order earns nothing; a refunded one at most what the shop kept.

    Refund events carry what is still charged; without it the refund is taken as full,
    so that reports never credit money the shop gave back. Returns the rows changed.
    """
    order_id = str(event.payload.get("order_id") or "")[:64]
    credits = Conversion.objects.filter(order_id=order_id)
    kept = event.payload.get("total_charged")
    if event.type == EventType.ORDER_CANCELLED or kept is None or Decimal(str(kept)) <= 0:
        deleted, _by_model = credits.delete()
        return deleted
    return credits.filter(revenue__gt=Decimal(str(kept))).update(revenue=Decimal(str(kept)))


def attribute_order(order: Order, contact, windows: Windows | None = None) -> list[Conversion]:
    """Store the order's conversions (idempotent); return the rows this call created."""
    windows = windows or attribution_windows()
    rows = []
    voucher = _voucher(order)
    if voucher is not None:
        IssuedVoucher.objects.filter(pk=voucher.pk, redeemed_at__isnull=True).update(
            redeemed_at=order.placed_at, order_id=order.order_id
        )
    # A retried order computes its credit again; _exists below keeps the first one.
    credit = _voucher_credit(voucher, order) or _touch_credit(contact, order, windows)
    if credit is not None:
        rows.append(credit)
    rows += _holdout_rows(contact, order)
    for row in rows:
        row.contact = contact
        row.order_id, row.revenue, row.currency = order.order_id, order.revenue, order.currency
        row.occurred_at = order.placed_at
    created = []
    for row in rows:
        # One by one: bulk_create(ignore_conflicts) would not say which rows were new.
        if _exists(row):
            continue
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue  # attributed concurrently: the unique constraints keep one
        created.append(row)
    return created


def _exists(row: Conversion) -> bool:
    existing = Conversion.objects.filter(order_id=row.order_id, model=row.model)
    if row.model == AttributionModel.HOLDOUT_TEST:
        existing = existing.filter(campaign_id=row.campaign_id)
    return existing.exists()


def _voucher(order: Order) -> IssuedVoucher | None:
    if not order.voucher_code:
        return None
    # Codes are issued in upper case and may be typed in lower case; an exact lookup per
    # spelling keeps to the unique index (iexact would scan every issued code).
    spellings = {order.voucher_code, order.voucher_code.upper()}
    return IssuedVoucher.objects.filter(code__in=spellings).order_by("pk").first()


def _voucher_credit(voucher: IssuedVoucher | None, order: Order) -> Conversion | None:
    if voucher is None or voucher.campaign_id is None:
        return None
    message = None
    if voucher.enrollment_id:
        # The message that carried the code, if it went out.
        message = (
            Message.objects.filter(
                enrollment_id=voucher.enrollment_id,
                context__voucher_code=voucher.code,
                status=MessageStatus.SENT,
            )
            .order_by("-sent_at", "-pk")
            .first()
        )
    return Conversion(
        model=AttributionModel.LAST_TOUCH,
        campaign_id=voucher.campaign_id,
        step_key=voucher.step_key,
        enrollment_id=voucher.enrollment_id,
        message=message,
        touch=Touch.VOUCHER,
        touched_at=voucher.issued_at,
    )


def _touch_credit(contact, order: Order, windows: Windows) -> Conversion | None:
    """The latest click in its window, else the latest open in its window (one query)."""
    touches = [
        (touch, column, order.placed_at - window)
        for touch, column, window in (
            (Touch.CLICK, "clicked_at", windows.click),
            (Touch.OPEN, "opened_at", windows.open),
        )
        if window > timedelta(0)
    ]
    if not touches:
        return None
    in_any_window = Q()
    for _, column, since in touches:
        in_any_window |= Q(**{f"{column}__gte": since, f"{column}__lte": order.placed_at})
    messages = list(
        Message.objects.filter(contact=contact, campaign__isnull=False).filter(in_any_window)
    )
    for touch, column, since in touches:
        touched = [
            message
            for message in messages
            if getattr(message, column) and since <= getattr(message, column) <= order.placed_at
        ]
        if touched:
            message = max(touched, key=lambda message: (getattr(message, column), message.pk))
            return Conversion(
                model=AttributionModel.LAST_TOUCH,
                campaign_id=message.campaign_id,
                step_key=message.step_key,
                enrollment_id=message.enrollment_id,
                message=message,
                touch=touch,
                touched_at=getattr(message, column),
            )
    return None


def _holdout_rows(contact, order: Order) -> list[Conversion]:
    """One comparison row per campaign whose assigned run of the contact covers the order.

    A run covers orders from its start until the campaign's conversion window after it
    finished (or for as long as it is active), the same for held-out and treated runs.
    """
    runs = (
        Enrollment.objects.filter(
            contact=contact, context__has_key="holdout", started_at__lte=order.placed_at
        )
        .select_related("campaign")
        .order_by("-started_at", "-pk")
    )
    rows: dict[int, Conversion] = {}
    for run in runs:
        if run.campaign_id in rows:
            continue  # the latest covering run of each campaign gets the order
        if run.finished_at is not None:
            window = timedelta(days=run.campaign.conversion_window_days)
            if order.placed_at > run.finished_at + window:
                continue
        held_out = bool(run.context.get("holdout"))
        rows[run.campaign_id] = Conversion(
            model=AttributionModel.HOLDOUT_TEST,
            campaign_id=run.campaign_id,
            enrollment_id=run.pk,
            touch=Touch.HOLDOUT if held_out else Touch.TREATED,
            touched_at=run.started_at,
        )
    return list(rows.values())
