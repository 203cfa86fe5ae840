"""Changing consent, always together with its proof."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from . import GENERAL_TOPIC, ConsentChannel, ConsentMethod, ConsentStatus
from .models import Consent, ConsentEvent, Contact


@dataclass(frozen=True)
class ConsentProof:
    """What the law asks us to be able to show about a consent decision."""

    method: ConsentMethod
    ip_address: str | None = None
    user_agent: str = ""
    source_url: str = ""
    wording: str = ""
    language_code: str = ""
    occurred_at: datetime | None = None


def hash_token(token: str) -> str:
    """Store only a digest of double opt-in tokens: a leaked table confirms nobody."""
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


def change_consent(
    contact: Contact,
    channel: ConsentChannel,
    new_status: ConsentStatus,
    proof: ConsentProof,
    topic: str = GENERAL_TOPIC,
    confirmation_token: str = "",
) -> Consent:
    """Set a consent and append its proof in one transaction; a no-op change is still logged.

    Logging repeats keeps the record of every time a person expressed a choice, which is
    what a regulator asks for, not only the transitions.
    """
    occurred_at = proof.occurred_at or timezone.now()
    with transaction.atomic():
        consent, _ = Consent.objects.select_for_update().get_or_create(
            contact=contact, channel=channel, topic=topic
        )
        previous_status = consent.status
        consent.status = new_status
        if new_status == ConsentStatus.PENDING:
            consent.requested_at = occurred_at
            consent.confirmation_token_hash = hash_token(confirmation_token)
        else:
            consent.confirmation_token_hash = ""
            if new_status == ConsentStatus.SUBSCRIBED:
                consent.confirmed_at = occurred_at
        consent.save()
        ConsentEvent.objects.create(
            consent=consent,
            contact=contact,
            channel=channel,
            topic=topic,
            previous_status=previous_status,
            new_status=new_status,
            method=proof.method,
            occurred_at=occurred_at,
            ip_address=proof.ip_address,
            user_agent=proof.user_agent,
            source_url=proof.source_url,
            wording=proof.wording,
            language_code=proof.language_code,
        )
    return consent


def has_consent(contact: Contact, channel: ConsentChannel, topic: str = GENERAL_TOPIC) -> bool:
    """Marketing may go out only with a confirmed channel consent and, for a topic, its own."""
    statuses = dict(
        Consent.objects.filter(
            contact=contact, channel=channel, topic__in={GENERAL_TOPIC, topic}
        ).values_list("topic", "status")
    )
    if statuses.get(GENERAL_TOPIC) != ConsentStatus.SUBSCRIBED:
        return False
    return topic == GENERAL_TOPIC or statuses.get(topic) == ConsentStatus.SUBSCRIBED
