"""A contact's history: events, messages and consent changes, merged, newest first.

One UNION query pages through the three tables by time (plus one COUNT); the items of a
page are then loaded with at most one query per table.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce

from ...contacts import ConsentChannel, ConsentMethod, ConsentStatus
from ...contacts.models import ConsentEvent
from ...events import EventType
from ...events.models import Event
from ...messaging import MessageChannel, MessageStatus
from ...messaging.models import Message
from ..core.ids import global_id


class TimelineKind(models.TextChoices):
    EVENT = "event", "Event"
    MESSAGE = "message", "Message"
    CONSENT = "consent", "Consent change"


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: datetime
    kind: str
    title: str
    detail: dict


def timeline_rows(contact_id: int):
    """(at, kind, ref) of everything that happened to a contact, newest first."""
    columns = ("at", "kind", "ref")
    events = (
        Event.objects.filter(contact_id=contact_id)
        .annotate(
            at=F("occurred_at"),
            kind=Value(TimelineKind.EVENT.value, output_field=CharField()),
            ref=F("pk"),
        )
        .values(*columns)
    )
    messages = (
        Message.objects.filter(contact_id=contact_id)
        .annotate(
            at=Coalesce("sent_at", "scheduled_at"),
            kind=Value(TimelineKind.MESSAGE.value, output_field=CharField()),
            ref=F("pk"),
        )
        .values(*columns)
    )
    consents = (
        ConsentEvent.objects.filter(contact_id=contact_id)
        .annotate(
            at=F("occurred_at"),
            kind=Value(TimelineKind.CONSENT.value, output_field=CharField()),
            ref=F("pk"),
        )
        .values(*columns)
    )
    return events.union(messages, consents, all=True).order_by("-at", "kind", "-ref")


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _event(event: Event) -> TimelineEntry:
    return TimelineEntry(
        event.occurred_at,
        TimelineKind.EVENT,
        _label(EventType, event.type),
        {"type": event.type, "source": event.source, "payload": event.payload},
    )


def _message(message: Message) -> TimelineEntry:
    status = _label(MessageStatus, message.status)
    return TimelineEntry(
        message.sent_at or message.scheduled_at,
        TimelineKind.MESSAGE,
        f"{_label(MessageChannel, message.channel)} {message.template!r}: {status.lower()}",
        {
            "channel": message.channel,
            "template": message.template,
            "status": message.status,
            "campaignId": global_id("Campaign", message.campaign_id)
            if message.campaign_id
            else None,
            "campaignName": message.campaign.name if message.campaign_id else "",
            "stepKey": message.step_key,
            "topic": message.topic,
            "transactional": message.transactional,
            "scheduledAt": _iso(message.scheduled_at),
            "sentAt": _iso(message.sent_at),
            "deliveredAt": _iso(message.delivered_at),
            "openedAt": _iso(message.opened_at),
            "clickedAt": _iso(message.clicked_at),
            "unsubscribedAt": _iso(message.unsubscribed_at),
            "error": message.last_error,
        },
    )


def _consent(change: ConsentEvent) -> TimelineEntry:
    subject = _label(ConsentChannel, change.channel)
    if change.topic:
        subject = f"{subject} ({change.topic})"
    return TimelineEntry(
        change.occurred_at,
        TimelineKind.CONSENT,
        f"{subject}: {_label(ConsentStatus, change.new_status).lower()}",
        {
            "channel": change.channel,
            "topic": change.topic,
            "previousStatus": change.previous_status,
            "newStatus": change.new_status,
            "method": change.method,
            "methodLabel": _label(ConsentMethod, change.method),
            "wording": change.wording,
            "sourceUrl": change.source_url,
            "ipAddress": change.ip_address,
            "userAgent": change.user_agent,
            "languageCode": change.language_code,
        },
    )


def timeline_entries(rows: list[dict]) -> list[TimelineEntry | None]:
    """The items behind a page of rows, in the rows' order (None: deleted meanwhile)."""
    wanted: dict[str, set[int]] = {kind: set() for kind in TimelineKind.values}
    for row in rows:
        wanted[row["kind"]].add(row["ref"])
    loaded = {}
    if wanted[TimelineKind.EVENT]:
        for event in Event.objects.filter(pk__in=wanted[TimelineKind.EVENT]):
            loaded[(TimelineKind.EVENT.value, event.pk)] = _event(event)
    if wanted[TimelineKind.MESSAGE]:
        for message in Message.objects.filter(pk__in=wanted[TimelineKind.MESSAGE]).select_related(
            "campaign"
        ):
            loaded[(TimelineKind.MESSAGE.value, message.pk)] = _message(message)
    if wanted[TimelineKind.CONSENT]:
        for change in ConsentEvent.objects.filter(pk__in=wanted[TimelineKind.CONSENT]):
            loaded[(TimelineKind.CONSENT.value, change.pk)] = _consent(change)
    return [loaded.get((row["kind"], row["ref"])) for row in rows]
