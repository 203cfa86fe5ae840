"""Delivering webhook steps: signed POSTs, retried with backoff, claimed without overlap.

Webhook URLs are the admins', but our workers make the requests from inside the shop's
network, so they go through the outbound guard (``core.outbound``): no credentials in the
URL, the scheme's default port, a public host, checked again at every connection. A URL
the guard refuses fails its delivery for good. The Django setting
``SALEOR_MA_ALLOW_INTERNAL_WEBHOOKS = True`` (default ``False``) lets webhooks reach
internal hosts, IP literals and other ports, for a shop whose CRM lives in its network.
Redirects are not followed: a 3xx answer fails the delivery like a 4xx.
"""

import json
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from ..core.host import allow_writes, with_writes
from ..core.outbound import OutboundGuard, OutboundRefused, guarded_session
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
def deliver_due_webhooks(batch_size: int = 50, guard: OutboundGuard | None = None) -> int:
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
    with guarded_session(guard or webhook_guard()) as session:
        for delivery in claimed:
            _deliver(session, delivery)
    return len(claimed)


def webhook_guard() -> OutboundGuard:
    """The outbound guard of webhooks: strict unless the shop allows internal targets."""
    return OutboundGuard(
        allow_internal=bool(getattr(settings, "SALEOR_MA_ALLOW_INTERNAL_WEBHOOKS", False))
    )


def check_webhook_url(url: str) -> str | None:
    """Why a webhook URL cannot be used, as a translatable sentence; None when it can.

    No DNS lookup (step configurations are parsed whenever a flow loads): the address is
    checked when the request is made.
    """
    try:
        webhook_guard().check(url)
    except OutboundRefused as refused:
        return refused.message
    return None


def _post(session: requests.Session, delivery: WebhookDelivery) -> tuple[int | None, str, bool]:
    """POST the delivery; its HTTP status, an error, and whether the error is final."""
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder).encode()
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": delivery.idempotency_key,
        SIGNATURE_HEADER: f"sha256={sign(body)}",
    }
    try:
        response = session.post(
            delivery.url,
            data=body,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except OutboundRefused as refused:
        return None, f"refused: {refused}", True
    except requests.RequestException as network_error:
        return None, f"{type(network_error).__name__}: {network_error}", False
    status = response.status_code
    if 200 <= status < 300:
        return status, "", False
    # A 4xx (or a redirect) will not get better by retrying; 429 and 5xx may.
    return status, f"HTTP {status}", status < 500 and status != 429


def _deliver(session: requests.Session, delivery: WebhookDelivery) -> None:
    status, error, final = _post(session, delivery)
    now = timezone.now()
    delivery.response_status, delivery.last_error = status, error[:2000]
    if not error:
        delivery.status, delivery.delivered_at = MessageStatus.SENT, now
    elif final or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = MessageStatus.FAILED
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
