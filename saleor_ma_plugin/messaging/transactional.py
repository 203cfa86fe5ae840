"""Saleor's customer notifications sent as our transactional mail.

The pipeline hands every ``notify.*`` event here once its contact is known: one message
per event (its idempotency key is the event's id), a batch's messages queued together in
one INSERT, transactional (no consent gate, no frequency cap, no quiet hours; retried;
tracked). A one-time link (password reset) moves from the event into the message's
context, is never click-tracked (a redirect would put it into another URL and into click
events), and is dropped from the context once the message is finished (sent, failed or
unknown).
"""

from django.utils import timezone

from ..contacts.models import Contact
from ..core import transactional as saleor
from ..core.bulk import insert_rows
from ..core.queue import Work, wake_after_commit
from ..events.models import Event
from ..events.notifications import SECRET_KEYS, notification_name
from . import MessageChannel, MessageStatus
from .models import Message

#: The shipped template of each notification we send.
TEMPLATES = {
    saleor.ACCOUNT_CONFIRMATION: "account_confirmation",
    saleor.ACCOUNT_PASSWORD_RESET: "password_reset",
    saleor.ACCOUNT_CHANGE_EMAIL_REQUEST: "email_change_request",
    saleor.ACCOUNT_CHANGE_EMAIL_CONFIRM: "email_changed",
    saleor.ACCOUNT_DELETE: "account_delete",
    saleor.ACCOUNT_SET_CUSTOMER_PASSWORD: "set_password",
    saleor.INVOICE_READY: "invoice_ready",
    saleor.ORDER_CONFIRMATION: "order_confirmation",
    saleor.ORDER_CONFIRMED: "order_confirmed",
    saleor.ORDER_FULFILLMENT_CONFIRMATION: "order_shipped",
    saleor.ORDER_FULFILLMENT_UPDATE: "shipping_update",
    saleor.ORDER_PAYMENT_CONFIRMATION: "payment_confirmation",
    saleor.ORDER_CANCELED: "order_canceled",
    saleor.ORDER_REFUND_CONFIRMATION: "order_refunded",
    saleor.SEND_GIFT_CARD: "gift_card",
}
#: A message in one of these states will not be sent again: its secrets can go.
FINISHED = (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.UNKNOWN)


#: Order mails that tell a reader with marketing consent which products run out.
CONSUMABLES_SHOWN = (saleor.ORDER_CONFIRMATION, saleor.ORDER_CONFIRMED)


def offers_consumables(event: Event) -> bool:
    return notification_name(event.type) in CONSUMABLES_SHOWN and bool(event.payload.get("lines"))


def notification_message(
    event: Event, contact: Contact | None, consumables: list[dict] = ()
) -> Message | None:
    """The mail for a notification event, unsaved (``queue_notifications`` stores a batch's
    at once); None for other events or nobody to mail. Its idempotency key is the event's,
    so an event processed again queues nothing new.

    ``consumables``: the order's products that run out (shown only with marketing consent).
    """
    template = TEMPLATES.get(notification_name(event.type))
    if template is None or contact is None:
        return None
    secrets = {key: event.payload[key] for key in SECRET_KEYS if event.payload.get(key)}
    recipient = event.payload.get("recipient", "")
    # An email change is confirmed at the new address and reported to the old one.
    addressed = {"recipient": recipient} if recipient and recipient != contact.email else {}
    message = Message(
        idempotency_key=f"notify:{event.pk}",
        contact=contact,
        channel=MessageChannel.EMAIL,
        template=template,
        transactional=True,
        scheduled_at=timezone.now(),
        context={
            "trigger_event_id": event.pk,
            **secrets,
            **addressed,
            **({"consumables": list(consumables)} if consumables else {}),
        },
    )
    if secrets:
        # The message holds the link now; the event log keeps no copy of it (written in
        # the event's own savepoint: if the event fails, its payload keeps the link).
        event.payload = without_secrets(event.payload)
        Event.objects.filter(pk=event.pk).update(payload=event.payload)
    return message


def queue_notifications(messages: list[Message]) -> None:
    """Store a batch's notification mails in one INSERT ... ON CONFLICT DO NOTHING (a
    message already queued for its event stays as it is) and wake the sender once."""
    if not messages:
        return
    insert_rows(messages, skip_conflicts=True)
    wake_after_commit(Work.DELIVER_MESSAGES)


def notice_details(payload: dict, context: dict) -> dict:
    """What a notification's mail shows besides the order: its one-time link, the
    account's addresses, the gift card, invoice, payment or refund."""
    data = {key: context[key] for key in SECRET_KEYS if key in context}
    if payload.get("old_email") or payload.get("new_email"):
        data["account"] = {
            "old_email": payload.get("old_email", ""),
            "new_email": payload.get("new_email", ""),
        }
    if "gift_card" in payload:
        data["gift_card"] = {
            **payload["gift_card"],
            "code": context.get("gift_card_code", ""),
            "resending": payload.get("resending", False),
        }
    if "invoice_number" in payload:
        data["invoice"] = {
            "number": payload["invoice_number"],
            "url": context.get("invoice_url", ""),
        }
    for key in ("payment", "refund"):
        if key in payload:
            data[key] = dict(payload[key])
    return data


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
