"""The sections of a personal data export: one per kind of data kept about a person.

Each section reads its rows in chunks of ``CHUNK`` by primary key, so a person with a hundred
thousand events is written out without holding them in memory. The keys of every section are
documented in ``docs/personal-data-export.md``.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from ..attribution.models import Conversion
from ..campaigns.models import Enrollment, Step
from ..catalogue.models import NotifyRequest
from ..contacts.models import Consent, ConsentEvent, Contact, ContactRevenue, ContactTag
from ..events.models import Event, EventSummary
from ..messaging.models import (
    DeliveryAttempt,
    Message,
    PushSubscription,
    Suppression,
    WebhookDelivery,
)
from ..scoring.models import ScoreEntry
from ..segments.models import SegmentMembership
from ..vouchers.models import IssuedVoucher
from .runs import run_rows

CHUNK = 500

PROFILE_FIELDS = (
    "id",
    "email",
    "saleor_user_id",
    "first_name",
    "last_name",
    "language_code",
    "timezone",
    "country",
    "phone",
    "birthday",
    "attributes",
    "lead_score",
    "lifecycle_stage",
    "orders_count",
    "first_order_at",
    "last_order_at",
    "last_seen_at",
    "created_at",
    "updated_at",
    "erased_at",
    "marketing_paused_until",
)


@dataclass(frozen=True)
class Section:
    key: str
    #: The models whose rows the section shows.
    models: tuple[type[Model], ...]
    rows: Callable[[Contact], Iterator[dict]]


def chunked(queryset: QuerySet, *fields: str) -> Iterator[dict]:
    """The rows' ``fields`` (``pk`` included as ``id``), by primary key, ``CHUNK`` at a time."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:CHUNK])
        for row in rows:
            row["id"] = row.pop("pk")
            yield row
        if len(rows) < CHUNK:
            return
        last = rows[-1]["id"]


def _without_id(rows: Iterator[dict]) -> Iterator[dict]:
    for row in rows:
        del row["id"]
        yield row


def profile(contact: Contact) -> Iterator[dict]:
    row = Contact.objects.filter(pk=contact.pk).values(*PROFILE_FIELDS).get()
    row["tags"] = sorted(ContactTag.objects.filter(contact=contact).values_list("name", flat=True))
    row["revenue"] = list(
        ContactRevenue.objects.filter(contact=contact)
        .order_by("currency")
        .values("currency", "orders_count", "total_gross")
    )
    yield row


def consents(contact: Contact) -> Iterator[dict]:
    fields = ("channel", "topic", "status", "requested_at", "confirmed_at", "updated_at")
    return _without_id(chunked(Consent.objects.filter(contact=contact), *fields))


def consent_log(contact: Contact) -> Iterator[dict]:
    fields = (
        "occurred_at",
        "channel",
        "topic",
        "previous_status",
        "new_status",
        "method",
        "ip_address",
        "user_agent",
        "source_url",
        "wording",
        "language_code",
    )
    return _without_id(chunked(ConsentEvent.objects.filter(contact=contact), *fields))


def events(contact: Contact) -> Iterator[dict]:
    fields = ("type", "source", "occurred_at", "payload")
    return chunked(Event.objects.filter(contact=contact), *fields)


def event_summaries(contact: Contact) -> Iterator[dict]:
    fields = ("type", "day", "count", "last_at", "subjects")
    return _without_id(chunked(EventSummary.objects.filter(contact=contact), *fields))


def messages(contact: Contact) -> Iterator[dict]:
    fields = (
        "channel",
        "template",
        "topic",
        "transactional",
        "variant",
        "status",
        "campaign_id",
        "campaign__name",
        "enrollment_id",
        "step_key",
        "scheduled_at",
        "sent_at",
        "delivered_at",
        "opened_at",
        "clicked_at",
        "unsubscribed_at",
    )
    for row in chunked(Message.objects.filter(contact=contact), *fields):
        row["campaign"] = row.pop("campaign__name")
        row["run_id"] = row.pop("enrollment_id")
        yield row


def delivery_attempts(contact: Contact) -> Iterator[dict]:
    fields = ("message_id", "attempted_at", "succeeded", "error")
    return _without_id(chunked(DeliveryAttempt.objects.filter(message__contact=contact), *fields))


def conversions(contact: Contact) -> Iterator[dict]:
    fields = (
        "order_id",
        "model",
        "campaign_id",
        "campaign__name",
        "step_key",
        "enrollment_id",
        "message_id",
        "revenue",
        "currency",
        "touch",
        "touched_at",
        "occurred_at",
    )
    for row in _without_id(chunked(Conversion.objects.filter(contact=contact), *fields)):
        row["campaign"] = row.pop("campaign__name")
        row["run_id"] = row.pop("enrollment_id")
        yield row


def vouchers(contact: Contact) -> Iterator[dict]:
    fields = (
        "code",
        "campaign_id",
        "step_key",
        "discount_type",
        "discount_value",
        "channel",
        "valid_until",
        "issued_at",
        "redeemed_at",
        "order_id",
    )
    return _without_id(chunked(IssuedVoucher.objects.filter(contact=contact), *fields))


def push_subscriptions(contact: Contact) -> Iterator[dict]:
    # The browser's encryption keys are left out: they are secrets, not information.
    fields = ("endpoint", "user_agent", "created_at", "expired_at")
    return _without_id(chunked(PushSubscription.objects.filter(contact=contact), *fields))


def notify_requests(contact: Contact) -> Iterator[dict]:
    fields = ("variant_id", "channel", "created_at", "notified_at")
    return _without_id(chunked(NotifyRequest.objects.filter(contact=contact), *fields))


def segments(contact: Contact) -> Iterator[dict]:
    fields = ("segment_id", "segment__name", "entered_at")
    for row in _without_id(chunked(SegmentMembership.objects.filter(contact=contact), *fields)):
        row["segment"] = row.pop("segment__name")
        yield row


def score_entries(contact: Contact) -> Iterator[dict]:
    fields = ("rule_id", "rule__name", "event_id", "points", "created_at")
    for row in _without_id(chunked(ScoreEntry.objects.filter(contact=contact), *fields)):
        row["rule"] = row.pop("rule__name")
        yield row


def webhook_deliveries(contact: Contact) -> Iterator[dict]:
    fields = ("enrollment_id", "url", "payload", "status", "created_at", "delivered_at")
    queryset = WebhookDelivery.objects.filter(enrollment__contact=contact)
    for row in _without_id(chunked(queryset, *fields)):
        row["run_id"] = row.pop("enrollment_id")
        yield row


def suppressions(contact: Contact) -> Iterator[dict]:
    addresses = [address for address in (contact.email, contact.phone) if address]
    fields = ("channel", "address", "reason", "created_at")
    return _without_id(chunked(Suppression.objects.filter(address__in=addresses), *fields))


#: In document order.
SECTIONS = (
    Section("consents", (Consent,), consents),
    Section("consent_log", (ConsentEvent,), consent_log),
    Section("events", (Event,), events),
    Section("event_summaries", (EventSummary,), event_summaries),
    Section("messages", (Message,), messages),
    Section("delivery_attempts", (DeliveryAttempt,), delivery_attempts),
    Section("campaign_runs", (Enrollment, Step), run_rows),
    Section("conversions", (Conversion,), conversions),
    Section("vouchers", (IssuedVoucher,), vouchers),
    Section("push_subscriptions", (PushSubscription,), push_subscriptions),
    Section("notify_requests", (NotifyRequest,), notify_requests),
    Section("segments", (SegmentMembership,), segments),
    Section("score_entries", (ScoreEntry,), score_entries),
    Section("webhook_deliveries", (WebhookDelivery,), webhook_deliveries),
    Section("suppressions", (Suppression,), suppressions),
)
PROFILE = Section("profile", (Contact, ContactTag, ContactRevenue), profile)
