"""Anonymous storefront activity, and attaching it to the contact once the visitor is known.

Events of a visitor nobody knows yet are stored with ``{"anonymous_id": ...}`` and no email.
When the same anonymous id arrives identified (logged in, or through a link in one of our
emails), those events get the contact and its email, and recent ones are processed again so
that profiles and campaigns see them (``merge_anonymous_events``).

Looking for a visitor's anonymous events reads the events table by a payload key. So that
this does not happen on every identified event, a Redis marker remembers which anonymous
ids have events waiting; without Redis every identified event with an anonymous id looks.
"""

import logging
from datetime import timedelta

import redis
from django.db import router, transaction
from django.utils import timezone

from ...contacts.models import Contact
from ...core.queue import Work, wake_after_commit
from ...events import EventSource
from ...events.models import Event
from .rate_limit import digest, redis_client, redis_failed
from .visitors import Visitor

logger = logging.getLogger(__name__)

MARKER_PREFIX = "saleor_ma:anon:"
#: How long an anonymous id is remembered as having events to merge.
MARKER_TTL_SECONDS = 90 * 24 * 60 * 60
#: Merged events this recent are processed again (profiles, campaign triggers); older ones
#: only get their contact, so an old anonymous view cannot start e.g. a browse-abandonment
#: mail weeks after the fact.
REPROCESS_WITHIN = timedelta(days=1)


def marker_key(anonymous_id: str) -> str:
    return f"{MARKER_PREFIX}{digest(anonymous_id)}"


def remember(anonymous_id: str) -> None:
    """Note that this anonymous id has events waiting for a contact."""
    client = redis_client()
    if client is None:
        return
    try:
        client.set(marker_key(anonymous_id), 1, ex=MARKER_TTL_SECONDS)
    except redis.RedisError as error:
        redis_failed(error, "remembering an anonymous visitor")


def may_have_events(anonymous_id: str) -> bool:
    """False only when Redis says there is nothing to merge; without Redis, look anyway."""
    client = redis_client()
    if client is None:
        return True
    try:
        return bool(client.exists(marker_key(anonymous_id)))
    except redis.RedisError as error:
        redis_failed(error, "looking up an anonymous visitor")
        return True


def forget(anonymous_id: str) -> None:
    client = redis_client()
    if client is None:
        return
    try:
        client.delete(marker_key(anonymous_id))
    except redis.RedisError as error:
        redis_failed(error, "forgetting an anonymous visitor")


def anonymous_events(anonymous_id: str):
    """The visitor's events that no contact has claimed yet, locked for the merge."""
    return (
        Event.objects.select_for_update()
        .filter(
            payload__anonymous_id=anonymous_id,
            source=EventSource.STOREFRONT,
            contact__isnull=True,
        )
        .exclude(payload__has_key="email")
        .order_by("pk")
    )


def merge_anonymous_events(anonymous_id: str, visitor: Visitor, contact: Contact) -> list[int]:
    """Give the visitor's anonymous events their contact; return the ids processed again."""
    if not may_have_events(anonymous_id):
        return []
    events = list(anonymous_events(anonymous_id))
    if events:
        recent = timezone.now() - REPROCESS_WITHIN
        for event in events:
            event.contact = contact
            event.payload = {**event.payload, **visitor.identity_payload()}
            if event.occurred_at >= recent:
                event.processed_at = None
                event.attempts = 0
                event.processing_error = ""
        Event.objects.bulk_update(
            events, ["contact", "payload", "processed_at", "attempts", "processing_error"]
        )
    reprocess = [event.pk for event in events if event.processed_at is None]
    if reprocess:
        wake_after_commit(Work.PROCESS_EVENTS, *reprocess, using=router.db_for_write(Event))
    transaction.on_commit(lambda: forget(anonymous_id), using=router.db_for_write(Event))
    if events:
        logger.info("Attached %s anonymous events to contact %s.", len(events), contact.pk)
    return reprocess
