"""Delivering webhook steps: signed POSTs, retried with backoff, claimed without overlap."""

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from ..core.host import allow_writes, with_writes
from ..core.signing import sign
from . import MessageStatus
from .models import WebhookDelivery

logger = logging.getLogger(__name__)

#: Wait before attempt n+1 (the last entry repeats); after this many failures, give up.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10
#: A claim older than this belongs to a worker that died; the delivery is offered again.
STALE_CLAIM = timedelta(minutes=5)
SIGNATURE_HEADER = "X-Marketing-Signature"


@with_writes
def deliver_due_webhooks(batch_size: int = 50) -> int:
    """Claim due deliveries, POST each outside any transaction, record the outcome."""
    now = timezone.now()
    with allow_writes(), transaction.atomic():
        WebhookDelivery.objects.filter(
            status=MessageStatus.SENDING, next_attempt_at__lte=now - STALE_CLAIM
        ).update(status=MessageStatus.QUEUED)
        claimed = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:batch_size]
        )
        for delivery in claimed:
            delivery.status, delivery.attempts = MessageStatus.SENDING, delivery.attempts + 1
            delivery.next_attempt_at = now
        WebhookDelivery.objects.bulk_update(claimed, ["status", "attempts", "next_attempt_at"])
    for delivery in claimed:
        _deliver(delivery)
    return len(claimed)


def _deliver(delivery: WebhookDelivery) -> None:
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder).encode()
    request = urllib.request.Request(
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": delivery.idempotency_key,
            SIGNATURE_HEADER: f"sha256={sign(body)}",
        },
    )
    error, status = "", None
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as http_error:
        status, error = http_error.code, f"HTTP {http_error.code}"
    except (urllib.error.URLError, OSError) as network_error:
        error = f"{type(network_error).__name__}: {network_error}"
    now = timezone.now()
    delivery.response_status, delivery.last_error = status, error[:2000]
    if not error:
        delivery.status, delivery.delivered_at = MessageStatus.SENT, now
    elif delivery.attempts >= MAX_ATTEMPTS or (status and 400 <= status < 500 and status != 429):
        delivery.status = MessageStatus.FAILED  # a 4xx will not get better by retrying
    else:
        delivery.status = MessageStatus.QUEUED
        delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
    with allow_writes():
        delivery.save(
            update_fields=[
                "status",
                "response_status",
                "last_error",
                "delivered_at",
                "next_attempt_at",
            ]
        )
