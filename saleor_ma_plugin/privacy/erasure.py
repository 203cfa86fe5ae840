"""Erasure, complete: the contact's profile and everything else that names the person.

``contacts.erasure`` forgets the profile, tags, consents and the identifying keys of the
contact's events. This adds what other domains keep about the person: push subscriptions
(endpoints, user agents), "notify me" requests, segment memberships, suppressions of their
address, what messages and their delivery logs quote (error texts, links with tokens), runs'
trigger keys and awaited values (checkout tokens), webhook payloads, the events' dedupe keys
and error texts, and the storefront events of their anonymous visitor ids.

Kept, because reports are built from them and they name nobody once the profile is gone:
order aggregates and revenue, conversions, issued voucher codes, scores, message statuses
and timestamps, runs' progress. Suppressions are deleted with the address, not kept: nothing
documents a duty to keep them, and a new sign-up needs a fresh double opt-in anyway.

Every step is idempotent: erasing an erased contact again finishes what an older version of
the plugin left behind and otherwise changes nothing.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, Q, QuerySet

from ..campaigns.models import Enrollment
from ..catalogue.models import NotifyRequest
from ..contacts.erasure import erase_contact, scrub_payload
from ..contacts.models import Contact
from ..events.models import Event
from ..messaging import MessageStatus
from ..messaging.models import (
    DeliveryAttempt,
    Message,
    PushSubscription,
    Suppression,
    WebhookDelivery,
)
from ..segments.models import SegmentMembership
from . import AUDIT_LOGGER

audit = logging.getLogger(AUDIT_LOGGER)

BATCH = 500
#: Dedupe keys that name only the shop's or our own ids (orders, messages, contact ids);
#: every other key may hold an email, a Saleor user id, a checkout token or a visitor id.
NEUTRAL_KEY_PREFIXES = (
    "order.",
    "voucher.redeemed:",
    "email.",
    "feedback.given:",
    "contact.score_changed:",
    "newsletter.confirmed:",
    "product.back_in_stock:",
)
#: A deletion notice keyed by the deleted account's shop id keeps its key, so that a repeated
#: notice stays a no-op: the account no longer exists in the shop, so the id names no one.
#: Keyed by an email address (an account without an id), it is replaced like the others.
DELETION_NOTICE_PREFIX = "customer.deleted:"
#: Message context keys that may quote a link with a personal token.
LINK_SUFFIX = "_url"
#: Message context keys that name the person or hold their gift card.
PERSONAL_CONTEXT_KEYS = ("recipient", "gift_card_code")
#: What a run remembers of an awaited event: the awaited value may be a checkout token.
AWAITING = "awaiting"


@dataclass(frozen=True)
class Identifiers:
    """What names the person outside the rows keyed to the contact."""

    email: str
    addresses: tuple[str, ...]
    anonymous_ids: tuple[str, ...]


def erase_person(contact: Contact, via: str) -> Contact:
    """Erase everything that names the contact's person; return the erased contact."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        known = _identifiers(contact)
        if contact.erased_at is None:
            contact = erase_contact(contact)
        PushSubscription.objects.filter(contact=contact).delete()
        NotifyRequest.objects.filter(contact=contact).delete()
        SegmentMembership.objects.filter(contact=contact).delete()
        Suppression.objects.filter(address__in=known.addresses).delete()
        _erase_messages(contact)
        _erase_runs(contact)
        _erase_events(Event.objects.filter(contact=contact))
        _erase_events(_unclaimed_events(contact, known))
    audit.info("contact %s erased, via %s", contact.pk, via)
    return contact


def forget_event(event: Event) -> None:
    """Scrub one event that names a person but is not (yet) theirs: a deletion notice."""
    if _scrub_event(event):
        Event.objects.filter(pk=event.pk).update(
            payload=event.payload,
            dedupe_key=event.dedupe_key,
            processing_error=event.processing_error,
        )


def _unclaimed_events(contact: Contact, known: Identifiers) -> QuerySet:
    """Events naming the person that no contact holds: their anonymous visits (the visitor
    id is indexed), and events not processed yet (few, and indexed)."""
    unclaimed = Event.objects.filter(contact__isnull=True)
    pending = Q(payload__contact_id=contact.pk)
    if known.email:
        pending |= Q(payload__email=known.email)
    naming = Q(processed_at__isnull=True) & pending
    if known.anonymous_ids:
        naming |= Q(payload__anonymous_id__in=known.anonymous_ids)
    return unclaimed.filter(naming)


def _identifiers(contact: Contact) -> Identifiers:
    pushed = PushSubscription.objects.filter(contact=contact).values_list("endpoint", flat=True)
    email = "" if contact.erased_at is not None else contact.email
    addresses = {email, contact.phone, *pushed} - {""}
    visitor_ids = (
        Event.objects.filter(contact=contact, payload__has_key="anonymous_id")
        .values_list("payload__anonymous_id", flat=True)
        .distinct()
    )
    anonymous_ids = tuple(sorted({str(value) for value in visitor_ids if value}))
    return Identifiers(email, tuple(sorted(addresses)), anonymous_ids)


def _batches(queryset: QuerySet, *fields: str) -> Iterable[list[Model]]:
    """The rows in primary key order, ``BATCH`` at a time, with only ``fields`` loaded."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:BATCH])
        if rows:
            yield rows
        if len(rows) < BATCH:
            return
        last = rows[-1].pk


def _scrub_event(event: Event) -> bool:
    changed = scrub_payload(event)
    if not _names_no_one(event.dedupe_key):
        event.dedupe_key, changed = f"erased:{event.pk}", True
    if event.processing_error:
        event.processing_error, changed = "", True
    return changed


def _names_no_one(key: str) -> bool:
    if key.startswith(DELETION_NOTICE_PREFIX):
        return "@" not in key
    return key.startswith(NEUTRAL_KEY_PREFIXES)


def _erase_events(events: QuerySet) -> None:
    for rows in _batches(events, "payload", "dedupe_key", "processing_error"):
        changed = [event for event in rows if _scrub_event(event)]
        Event.objects.bulk_update(changed, ["payload", "dedupe_key", "processing_error"])


def _erase_messages(contact: Contact) -> None:
    messages = Message.objects.filter(contact=contact)
    messages.filter(status=MessageStatus.QUEUED).update(status=MessageStatus.SUPPRESSED)
    for rows in _batches(messages, "context", "last_error"):
        for message in rows:
            message.context = {
                key: value
                for key, value in message.context.items()
                if not key.endswith(LINK_SUFFIX) and key not in PERSONAL_CONTEXT_KEYS
            }
            message.last_error = ""
        Message.objects.bulk_update(rows, ["context", "last_error"])
    DeliveryAttempt.objects.filter(message__contact=contact).exclude(
        error="", provider_response=""
    ).update(error="", provider_response="")


def _erase_runs(contact: Contact) -> None:
    runs = Enrollment.objects.filter(contact=contact)
    for rows in _batches(runs, "trigger_key", "context", "last_error"):
        for run in rows:
            run.trigger_key = f"erased:{run.pk}"
            run.context = {key: value for key, value in run.context.items() if key != AWAITING}
            run.last_error = ""
        Enrollment.objects.bulk_update(rows, ["trigger_key", "context", "last_error"])
    for rows in _batches(WebhookDelivery.objects.filter(enrollment__contact=contact), "payload"):
        for delivery in rows:
            delivery.payload = {**delivery.payload, "contact": {"id": contact.pk}}
        WebhookDelivery.objects.bulk_update(rows, ["payload"])
