""" "Notify me when in stock": pending requests become events once the variant is back.

Saleor 3.23 has no plugin hook for stock coming back, so the scheduled tick asks the
shop about the few variants somebody is waiting for. In App mode Saleor also says so
itself (its PRODUCT_VARIANT_BACK_IN_STOCK webhook): both paths make the same events with
the same dedupe keys, so whichever comes second stores nothing.
"""

from datetime import datetime

from django.db import transaction

from ..core import host
from ..events import EventSource, EventType
from ..events.intake import NewEvent, record_events
from .models import NotifyRequest


def notify_back_in_stock(now: datetime) -> int:
    """Turn pending "notify me" requests for variants now in stock into events."""
    pending = NotifyRequest.objects.filter(notified_at__isnull=True)
    variant_ids = list(pending.values_list("variant_id", flat=True).distinct()[:1000])
    if not variant_ids:
        return 0
    in_stock = host.current().variants_in_stock(variant_ids)
    return notify_variants_back(in_stock, now)


def notify_variants_back(variant_ids, now: datetime) -> int:
    """Pending requests for these variants, known to be in stock, become events, once."""
    with transaction.atomic():
        requests = list(
            NotifyRequest.objects.filter(notified_at__isnull=True, variant_id__in=variant_ids)
            .select_for_update(skip_locked=True)
            .order_by("pk")
        )
        record_events(
            [
                NewEvent(
                    EventType.BACK_IN_STOCK,
                    now,
                    f"{EventType.BACK_IN_STOCK}:{request.pk}",
                    {
                        "contact_id": request.contact_id,
                        "variant_id": request.variant_id,
                        "channel": request.channel,
                    },
                    EventSource.SYSTEM,
                )
                for request in requests
            ]
        )
        NotifyRequest.objects.filter(pk__in=[request.pk for request in requests]).update(
            notified_at=now
        )
    return len(requests)
