"""Delivery events from email service providers, through django-anymail's tracking signal.

One mapping table turns anymail's normalized event types into our message timestamps,
suppressions and consent changes, whichever ESP reported them.
"""

from anymail.signals import tracking
from django.dispatch import receiver
from django.utils import timezone

from ..contacts import ConsentChannel, ConsentMethod, ConsentStatus
from ..contacts.consent import ConsentProof, change_consent
from ..contacts.models import Contact
from ..core.emails import normalize_email
from ..core.host import allow_writes
from . import MessageChannel, MessageStatus
from .models import Message, Suppression

#: anymail event type -> (message field to stamp, suppression reason or None)
MAPPING = {
    "delivered": ("delivered_at", None),
    "opened": ("opened_at", None),
    "clicked": ("clicked_at", None),
    "bounced": (None, Suppression.Reason.HARD_BOUNCE),
    "rejected": (None, Suppression.Reason.INVALID),
    "complained": (None, Suppression.Reason.COMPLAINT),
    "unsubscribed": ("unsubscribed_at", None),
}


def handle_tracking_event(
    event_type: str, provider_message_id: str, recipient: str, detail: str = ""
) -> None:
    """Apply one ESP event; unknown types and unknown messages change nothing."""
    if event_type not in MAPPING:
        return
    field, reason = MAPPING[event_type]
    now = timezone.now()
    email = normalize_email(recipient)
    with allow_writes():
        messages = (
            Message.objects.filter(provider_message_id=provider_message_id)
            if provider_message_id
            else Message.objects.none()
        )
        if field:
            messages.filter(**{f"{field}__isnull": True}).update(**{field: now})
        if reason:
            messages.update(
                status=MessageStatus.FAILED, last_error=f"{event_type}: {detail}"[:2000]
            )
            if email:
                Suppression.objects.get_or_create(
                    channel=MessageChannel.EMAIL,
                    address=email,
                    defaults={"reason": reason, "detail": detail},
                )
        if event_type in ("complained", "unsubscribed") and email:
            contact = Contact.objects.filter(email=email).first()
            if contact is not None:
                method = (
                    ConsentMethod.COMPLAINT
                    if event_type == "complained"
                    else ConsentMethod.UNSUBSCRIBE_LINK
                )
                change_consent(
                    contact, ConsentChannel.EMAIL, ConsentStatus.UNSUBSCRIBED, ConsentProof(method)
                )


def connect() -> None:
    """Listen to anymail's tracking signal (called from the app's ready())."""

    @receiver(tracking, weak=False, dispatch_uid="saleor_ma_plugin.esp_events")
    def on_tracking(sender, event, esp_name, **kwargs):
        handle_tracking_event(
            event.event_type,
            event.message_id or "",
            event.recipient or "",
            str(event.description or event.mta_response or ""),
        )
