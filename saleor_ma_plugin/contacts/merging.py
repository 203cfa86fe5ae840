"""Merging two contacts that turn out to be one person."""

from django.db import transaction
from django.db.models import F

from ..events.models import Event, EventSummary
from . import ConsentStatus, stage_for_orders
from .models import Consent, ConsentEvent, Contact, ContactRevenue, ContactTag

#: When both contacts hold a consent for the same channel and topic, the stronger wins.
CONSENT_STRENGTH = {
    ConsentStatus.UNSUBSCRIBED: 0,
    ConsentStatus.PENDING: 1,
    ConsentStatus.SUBSCRIBED: 2,
}


def merge_contacts(source: Contact, target: Contact) -> Contact:
    """Move everything of ``source`` onto ``target`` and delete ``source``.

    An explicit unsubscribe is never overridden: a merged consent is subscribed only when
    neither side has opted out after the other opted in.
    """
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])  # lock in a fixed order: no deadlock
        locked = Contact.objects.select_for_update().in_bulk([first, second])
        source, target = locked[source.pk], locked[target.pk]
        Event.objects.filter(contact=source).update(contact=target)
        EventSummary.objects.filter(contact=source).update(contact=target)
        ConsentEvent.objects.filter(contact=source).update_contact(target)
        _merge_revenue(source, target)
        _merge_tags(source, target)
        _merge_consents(source, target)
        target.orders_count += source.orders_count
        target.lead_score += source.lead_score
        target.first_order_at = _earliest(target.first_order_at, source.first_order_at)
        target.last_order_at = _latest(target.last_order_at, source.last_order_at)
        target.last_seen_at = _latest(target.last_seen_at, source.last_seen_at)
        for name in ("first_name", "last_name", "language_code", "country", "timezone", "phone"):
            if not getattr(target, name):
                setattr(target, name, getattr(source, name))
        target.birthday = target.birthday or source.birthday
        target.attributes = {**source.attributes, **target.attributes}
        if source.orders_count:
            target.lifecycle_stage = stage_for_orders(target.orders_count)
        source.delete()
        target.save()
    return target


def _merge_revenue(source: Contact, target: Contact) -> None:
    for revenue in ContactRevenue.objects.filter(contact=source):
        kept, _ = ContactRevenue.objects.get_or_create(contact=target, currency=revenue.currency)
        ContactRevenue.objects.filter(pk=kept.pk).update(
            orders_count=F("orders_count") + revenue.orders_count,
            total_gross=F("total_gross") + revenue.total_gross,
        )


def _merge_tags(source: Contact, target: Contact) -> None:
    existing = set(target.tags.values_list("name", flat=True))
    ContactTag.objects.bulk_create(
        [
            ContactTag(contact=target, name=tag.name)
            for tag in source.tags.all()
            if tag.name not in existing
        ]
    )


def _merge_consents(source: Contact, target: Contact) -> None:
    kept = {(consent.channel, consent.topic): consent for consent in target.consents.all()}
    for consent in source.consents.all():
        other = kept.get((consent.channel, consent.topic))
        if other is None:
            Consent.objects.filter(pk=consent.pk).update(contact=target)
        elif _should_replace(other, consent):
            Consent.objects.filter(pk=other.pk).delete()
            Consent.objects.filter(pk=consent.pk).update(contact=target)


def _should_replace(kept: Consent, incoming: Consent) -> bool:
    """The most recent decision stands, so a later unsubscribe beats an earlier opt-in."""
    if kept.updated_at != incoming.updated_at:
        return incoming.updated_at > kept.updated_at
    return CONSENT_STRENGTH[incoming.status] > CONSENT_STRENGTH[kept.status]


def _earliest(first, second):
    return min(value for value in (first, second) if value) if first or second else None


def _latest(first, second):
    return max(value for value in (first, second) if value) if first or second else None
