"""Saleor's customer notifications sent as our transactional mail.

The pipeline hands every ``notify.*`` event here once its contact is known: one message
per event (its idempotency key is the event's id), queued now, transactional (no consent
gate, no frequency cap, no quiet hours; retried; tracked). A one-time link (password
reset) moves from the event into the message's context, is never click-tracked (a
redirect would put it into another URL and into click events), and is dropped from the
context once the message is finished (sent, failed or unknown).
"""

from django.utils import timezone

from ..contacts.models import Contact
from ..core.queue import Work, wake_after_commit
from ..core.transactional import (
    ACCOUNT_PASSWORD_RESET,
    ORDER_CONFIRMATION,
    ORDER_FULFILLMENT_CONFIRMATION,
)
from ..events.models import Event
from ..events.notifications import SECRET_KEYS, notification_name
from . import MessageChannel, MessageStatus
from .models import Message

#: The shipped template of each notification we send.
TEMPLATES = {
    ACCOUNT_PASSWORD_RESET: "password_reset",
    ORDER_CONFIRMATION: "order_confirmation",
    ORDER_FULFILLMENT_CONFIRMATION: "order_shipped",
}
#: A message in one of these states will not be sent again: its secrets can go.
FINISHED = (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.UNKNOWN)


def queue_notification(event: Event, contact: Contact | None) -> Message | None:
    """Queue the mail for a notification event; None for other events or nobody to mail."""
    template = TEMPLATES.get(notification_name(event.type))
    if template is None or contact is None:
        return None
    secrets = {key: event.payload[key] for key in SECRET_KEYS if event.payload.get(key)}
    message, _created = Message.objects.get_or_create(
        idempotency_key=f"notify:{event.pk}",
        defaults={
            "contact": contact,
            "channel": MessageChannel.EMAIL,
            "template": template,
            "transactional": True,
            "scheduled_at": timezone.now(),
            "context": {"trigger_event_id": event.pk, **secrets},
        },
    )
    if secrets:
        # The message holds the link now; the event log keeps no copy of it.
        event.payload = without_secrets(event.payload)
        Event.objects.filter(pk=event.pk).update(payload=event.payload)
    wake_after_commit(Work.DELIVER_MESSAGES)
    return message


def has_secrets(context: dict) -> bool:
    return any(key in context for key in SECRET_KEYS)


def without_secrets(values: dict) -> dict:
    return {key: value for key, value in values.items() if key not in SECRET_KEYS}


def secret_links(data: dict) -> set[str]:
    """Links in a message's data that must not be click-tracked."""
    return {data[key] for key in SECRET_KEYS if data.get(key)}


def forget_secrets(messages: list[Message]) -> list[Message]:
    """Drop one-time links from finished messages; return the ones changed."""
    changed = [m for m in messages if m.status in FINISHED and has_secrets(m.context)]
    for message in changed:
        message.context = without_secrets(message.context)
    return changed
