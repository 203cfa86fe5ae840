"""Who may enter a campaign, as one SQL query over contacts.

``{"consent": {"channel": "email", "topic": "news"}, "tags_any": ["coffee"],
"tags_none": ["wholesale"], "lifecycle_stages": ["customer"], "min_orders": 1,
"segment": 12}``; a segment is tested by its stored membership (as of its last refresh).
"""

import time
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from ..contacts import GENERAL_TOPIC, ConsentStatus, LifecycleStage
from ..contacts.models import Consent, Contact, ContactTag
from ..segments.models import SegmentMembership
from .errors import FlowError

AUDIENCE_KEYS = {"consent", "tags_any", "tags_none", "lifecycle_stages", "min_orders", "segment"}
#: The "at least N contacts" gate re-counts at most this often per campaign and process.
GATE_RECOUNT_SECONDS = 60
_gate_cache: dict[int, tuple[float, int]] = {}


@dataclass(frozen=True)
class Audience:
    consent_channel: str = ""
    consent_topic: str = ""
    tags_any: tuple[str, ...] = ()
    tags_none: tuple[str, ...] = ()
    lifecycle_stages: tuple[str, ...] = ()
    min_orders: int = 0
    segment_id: int | None = None


def parse_audience(data: dict | None) -> Audience:
    data = data or {}
    unknown = set(data) - AUDIENCE_KEYS
    if unknown:
        raise FlowError(f"audience.{sorted(unknown)[0]}", "Unknown audience rule.")
    consent = data.get("consent") or {}
    stages = tuple(data.get("lifecycle_stages", []))
    if set(stages) - set(LifecycleStage.values):
        raise FlowError("audience.lifecycle_stages", "Unknown lifecycle stage.")
    segment = data.get("segment")
    if segment is not None and (
        isinstance(segment, bool) or not isinstance(segment, int) or segment <= 0
    ):
        raise FlowError("audience.segment", "Give the segment's id.")
    return Audience(
        consent_channel=str(consent.get("channel", "")),
        consent_topic=str(consent.get("topic", "")),
        tags_any=tuple(data.get("tags_any", [])),
        tags_none=tuple(data.get("tags_none", [])),
        lifecycle_stages=stages,
        min_orders=int(data.get("min_orders", 0)),
        segment_id=segment,
    )


def _subscribed(channel: str, topic: str):
    return Exists(
        Consent.objects.filter(
            contact=OuterRef("pk"), channel=channel, topic=topic, status=ConsentStatus.SUBSCRIBED
        )
    )


def audience_contacts(audience: Audience) -> QuerySet[Contact]:
    """Every contact in the audience; erased contacts never are."""
    contacts = Contact.objects.filter(erased_at__isnull=True)
    if audience.consent_channel:
        contacts = contacts.filter(_subscribed(audience.consent_channel, GENERAL_TOPIC))
        if audience.consent_topic:
            contacts = contacts.filter(
                _subscribed(audience.consent_channel, audience.consent_topic)
            )
    if audience.tags_any:
        contacts = contacts.filter(
            Exists(ContactTag.objects.filter(contact=OuterRef("pk"), name__in=audience.tags_any))
        )
    if audience.tags_none:
        contacts = contacts.exclude(
            Exists(ContactTag.objects.filter(contact=OuterRef("pk"), name__in=audience.tags_none))
        )
    if audience.lifecycle_stages:
        contacts = contacts.filter(lifecycle_stage__in=audience.lifecycle_stages)
    if audience.min_orders:
        contacts = contacts.filter(orders_count__gte=audience.min_orders)
    if audience.segment_id:
        contacts = contacts.filter(
            Exists(
                SegmentMembership.objects.filter(
                    segment_id=audience.segment_id, contact=OuterRef("pk")
                )
            )
        )
    return contacts


def in_audience(audience: Audience, contact: Contact) -> bool:
    if audience == Audience():
        return contact.erased_at is None
    return audience_contacts(audience).filter(pk=contact.pk).exists()


def gate_open(campaign, audience: Audience) -> bool:
    """The "start only while the audience has at least N contacts" gate."""
    if not campaign.min_audience_size:
        return True
    counted_at, size = _gate_cache.get(campaign.pk, (0.0, 0))
    if time.monotonic() - counted_at > GATE_RECOUNT_SECONDS:
        size = audience_contacts(audience).count()
        _gate_cache[campaign.pk] = (time.monotonic(), size)
    return size >= campaign.min_audience_size
