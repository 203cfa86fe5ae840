"""Saleor's own settings, plus a clock on its webhook sends: bench/webhook_intake.py --saleor.

Nothing of Saleor's changes but one function reference, and only in a Celery worker started
with ``BENCH_SEND_LOG_URL`` set: when the worker starts, Saleor's
``send_webhook_using_scheme_method`` (the HTTP request of ``send_webhook_request_async``,
after the delivery and its payload were read) is wrapped so that the moment it starts is
pushed, with the Saleor event, the delivery's kind and the order's buyer, onto a Redis list.
The entry is pushed after the request returns, so the clock costs the request nothing.
"""

import json
import os
import time

from celery import signals
from saleor.settings import *  # noqa: F403

#: Redis list the worker pushes one JSON entry per send onto.
SEND_LOG_KEY = "bench:webhook_sends"


def _order_email(data: bytes) -> tuple[str, bool]:
    """The order's buyer and whether it is a mail (notification) delivery."""
    try:
        payload = json.loads(data)
    except ValueError:
        return "", False
    order = payload.get("order") or {}
    email = order.get("userEmail") or order.get("email") or order.get("user_email") or ""
    return email, "notification" in payload


@signals.worker_init.connect
def _clock_webhook_sends(**_) -> None:
    url = os.environ.get("BENCH_SEND_LOG_URL")
    if not url:
        return
    import redis
    from saleor.webhook.transport.asynchronous import transport

    log = redis.Redis.from_url(url)
    send = transport.send_webhook_using_scheme_method

    def clocked(target_url, domain, secret, event_type, data, *args, **kwargs):
        started = time.time()
        response = send(target_url, domain, secret, event_type, data, *args, **kwargs)
        email, notification = _order_email(data)
        entry = {
            "sent_at": started,
            "answered_at": time.time(),
            "event": event_type,
            "email": email,
            "notification": notification,
            "status": str(response.status),
        }
        log.rpush(SEND_LOG_KEY, json.dumps(entry))
        return response

    transport.send_webhook_using_scheme_method = clocked
