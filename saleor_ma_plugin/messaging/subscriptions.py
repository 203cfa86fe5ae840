"""Newsletter sign-up with double opt-in, confirmation, unsubscribe and preferences."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..contacts import GENERAL_TOPIC, ConsentChannel, ConsentStatus
from ..contacts.consent import ConsentProof, change_consent, hash_token
from ..contacts.models import Consent, Contact
from ..contacts.profiles import resolve_contact
from ..core.host import plugin_settings
from ..core.queue import Work, wake_after_commit
from ..events import EventSource, EventType
from ..events.intake import NewEvent, record_events
from .links import route_url
from .models import Message

#: A confirmation link older than this no longer confirms.
CONFIRMATION_VALIDITY = timedelta(days=7)
CONFIRMATION_TEMPLATE = "double_opt_in_confirmation"


def mask_email(email: str) -> str:
    """``anna@example.com`` -> ``a***@example.com``: enough to recognise, not to harvest.

    Pages and API answers reached through a link show this, never the address: links in
    emails get forwarded, and a preference page must not tell the next reader whose it is.
    """
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def _wake_delivery() -> None:
    wake_after_commit(Work.DELIVER_MESSAGES)


def subscribe(email: str, topics: list[str], language: str, proof: ConsentProof) -> Contact | None:
    """Start a subscription: pending with a confirmation mail sent at once, or direct.

    Callers answer the same whatever happens here, so the result never reveals whether
    the address was known or already subscribed.
    """
    with transaction.atomic():
        contact = resolve_contact(email)
        if contact is None:
            return None
        if language and not contact.language_code:
            contact.language_code = language
            contact.save(update_fields=["language_code", "updated_at"])
        wanted = [GENERAL_TOPIC, *[topic for topic in topics if topic]]
        current = dict(
            Consent.objects.filter(
                contact=contact, channel=ConsentChannel.EMAIL, topic__in=wanted
            ).values_list("topic", "status")
        )
        missing = [topic for topic in wanted if current.get(topic) != ConsentStatus.SUBSCRIBED]
        if not missing:
            return contact
        if not plugin_settings().double_opt_in:
            for topic in missing:
                change_consent(
                    contact, ConsentChannel.EMAIL, ConsentStatus.SUBSCRIBED, proof, topic
                )
            _confirmed_event(contact, wanted)
            return contact
        token = secrets.token_urlsafe(32)
        for topic in missing:
            change_consent(
                contact,
                ConsentChannel.EMAIL,
                ConsentStatus.PENDING,
                proof,
                topic,
                confirmation_token=token,
            )
        Message.objects.create(
            idempotency_key=f"doi:{contact.pk}:{hash_token(token)[:32]}",
            contact=contact,
            channel="email",
            template=CONFIRMATION_TEMPLATE,
            transactional=True,
            scheduled_at=timezone.now(),
            context={"confirm_url": route_url(f"confirm/{token}/")},
        )
        _wake_delivery()
    return contact


def confirm(token: str, proof: ConsentProof) -> Contact | None:
    """Confirm every consent the token's sign-up asked for; None if the link is invalid."""
    digest = hash_token(token)
    with transaction.atomic():
        pending = list(
            Consent.objects.select_for_update()
            .select_related("contact")
            .filter(
                confirmation_token_hash=digest,
                status=ConsentStatus.PENDING,
                requested_at__gte=timezone.now() - CONFIRMATION_VALIDITY,
            )
        )
        if not pending:
            return None
        contact = pending[0].contact
        for consent in pending:
            change_consent(
                contact, consent.channel, ConsentStatus.SUBSCRIBED, proof, consent.topic
            )
        _confirmed_event(contact, [consent.topic for consent in pending])
    return contact


def _confirmed_event(contact: Contact, topics: list[str]) -> None:
    now = timezone.now()
    record_events(
        [
            NewEvent(
                EventType.NEWSLETTER_CONFIRMED,
                now,
                f"{EventType.NEWSLETTER_CONFIRMED}:{contact.pk}:{now.isoformat()}",
                {"contact_id": contact.pk, "topics": [topic for topic in topics if topic]},
                EventSource.SYSTEM,
            )
        ]
    )


def unsubscribe(
    contact: Contact, topic: str, proof: ConsentProof, message_id: int | None = None
) -> None:
    """Stop marketing email: from one topic, or (no topic) from all marketing email."""
    now = timezone.now()
    with transaction.atomic():
        change_consent(contact, ConsentChannel.EMAIL, ConsentStatus.UNSUBSCRIBED, proof, topic)
        if message_id:
            Message.objects.filter(
                pk=message_id, contact=contact, unsubscribed_at__isnull=True
            ).update(unsubscribed_at=now)
        record_events(
            [
                NewEvent(
                    EventType.EMAIL_UNSUBSCRIBED,
                    now,
                    f"{EventType.EMAIL_UNSUBSCRIBED}:{contact.pk}:{now.isoformat()}",
                    {"contact_id": contact.pk, "topic": topic, "message_id": message_id},
                    EventSource.SYSTEM,
                )
            ]
        )


def update_preferences(
    contact: Contact, email_on: bool, topics: dict[str, bool], pause_days: int, proof: ConsentProof
) -> None:
    """Apply the preference centre's form; every change is logged with its proof."""
    with transaction.atomic():
        general = Consent.objects.filter(
            contact=contact, channel=ConsentChannel.EMAIL, topic=GENERAL_TOPIC
        ).first()
        was_on = general is not None and general.status == ConsentStatus.SUBSCRIBED
        if email_on != was_on:
            status = ConsentStatus.SUBSCRIBED if email_on else ConsentStatus.UNSUBSCRIBED
            change_consent(contact, ConsentChannel.EMAIL, status, proof)
        current = dict(
            Consent.objects.filter(contact=contact, channel=ConsentChannel.EMAIL).values_list(
                "topic", "status"
            )
        )
        for topic, wanted in topics.items():
            status = ConsentStatus.SUBSCRIBED if wanted else ConsentStatus.UNSUBSCRIBED
            if current.get(topic, ConsentStatus.UNSUBSCRIBED) != status:
                change_consent(contact, ConsentChannel.EMAIL, status, proof, topic)
        contact.marketing_paused_until = (
            timezone.now() + timedelta(days=pause_days) if pause_days > 0 else None
        )
        contact.save(update_fields=["marketing_paused_until", "updated_at"])
