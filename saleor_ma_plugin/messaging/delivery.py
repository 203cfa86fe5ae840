"""The one send loop for every channel: claim, decide, render, send, record.

Claiming happens in a short transaction (``FOR UPDATE SKIP LOCKED``, status ``sending``);
the provider is called outside any transaction over one connection per batch; results are
written in bulk. A message claimed by a worker that died is resolved by policy: marketing
becomes ``unknown`` and is never re-sent blindly, transactional mail is queued again.
"""

import itertools
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.template import TemplateSyntaxError
from django.utils import timezone

from ..core.bulk import bulk_update_rows
from ..core.host import allow_writes, plugin_settings, with_writes
from . import MessageChannel, MessageStatus
from .channels.base import OutgoingMessage, SendResult
from .context import ContextBatch
from .models import DeliveryAttempt, Message, Suppression
from .policy import PolicyBatch, address_of
from .render_cache import BatchRenderer
from .rendering import TemplateRefused
from .sending import backend_for, prepare
from .templates_store import MissingTemplate, TemplateStore

logger = logging.getLogger(__name__)

#: Messages per claim. Claiming, the policy's lookups and writing results back cost about
#: as much per batch as sending 100 messages; at 500 a batch takes about half a second.
BATCH_SIZE = 500
MAX_ATTEMPTS = 5
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
#: A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)
RESULT_FIELDS = (
    "status",
    "sent_at",
    "provider_message_id",
    "last_error",
    "scheduled_at",
    "attempts",
)


def reap_stale_claims(now: datetime) -> int:
    """Resolve messages left in ``sending``: unknown for marketing, retry for transactional."""
    stale = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    unknown = stale.filter(transactional=False).update(
        status=MessageStatus.UNKNOWN, last_error="worker stopped before confirming the send"
    )
    retried = stale.filter(transactional=True).update(
        status=MessageStatus.QUEUED, scheduled_at=now
    )
    return unknown + retried


def claim(batch_size: int, now: datetime) -> list[Message]:
    with allow_writes(), transaction.atomic():
        reap_stale_claims(now)
        claimed = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=MessageStatus.QUEUED, scheduled_at__lte=now)
            .order_by("scheduled_at", "pk")
            .select_related("contact", "campaign")[:batch_size]
        )
        Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    for message in claimed:
        message.attempts += 1
    return claimed


@with_writes
def deliver_due_messages(batch_size: int = BATCH_SIZE, now: datetime | None = None) -> int:
    """Send one batch of due messages; return how many were claimed."""
    now = now or timezone.now()
    messages = claim(batch_size, now)
    if not messages:
        return 0
    batch = DeliveryBatch(messages, plugin_settings(), now)
    for channel in dict.fromkeys(message.channel for message in messages):
        for result in _send(channel, batch.outgoing(channel), batch.settings):
            batch.record(result)
    batch.write()
    return len(messages)


class DeliveryBatch:
    """One claimed batch: decided, rendered and sent lazily, its results written at once."""

    def __init__(self, messages: list[Message], settings, now: datetime) -> None:
        self.messages, self.settings, self.now = messages, settings, now
        self.by_id = {message.pk: message for message in messages}
        self.policy = PolicyBatch(messages, settings, now)
        self.contexts = ContextBatch(messages, settings)
        self.store, self.renderer = TemplateStore(), BatchRenderer()
        self.attempts: list[DeliveryAttempt] = []
        self.suppressions: list[Suppression] = []

    def outgoing(self, channel: str) -> Iterator[OutgoingMessage]:
        """Decide and render lazily, so a backend sends one message while the next renders."""
        for message in self.messages:
            if message.channel == channel:
                yield from self._prepared(message)

    def _prepared(self, message: Message) -> list[OutgoingMessage]:
        decision = self.policy.decide(message)
        if decision.defer_until:
            message.status, message.scheduled_at = MessageStatus.QUEUED, decision.defer_until
            message.attempts -= 1  # a deferral is not a failed try
            return []
        if not decision.send:
            message.status, message.last_error = MessageStatus.SUPPRESSED, decision.reason
            return []
        try:
            prepared = prepare(
                message, self.contexts, self.store, self.settings, self.policy, self.renderer
            )
        except (MissingTemplate, TemplateRefused, TemplateSyntaxError) as error:
            message.status = MessageStatus.FAILED
            message.last_error = f"{type(error).__name__}: {error}"
            self.attempts.append(
                DeliveryAttempt(message=message, succeeded=False, error=message.last_error)
            )
            return []
        if not prepared:
            message.status, message.last_error = MessageStatus.SUPPRESSED, "no_address"
            return []
        self.policy.note_sent(message)
        return prepared

    def record(self, result: SendResult) -> None:
        message = self.by_id[result.message_id]
        _apply(message, result, self.now)
        self.attempts.append(
            DeliveryAttempt(
                message=message,
                succeeded=result.ok,
                error=result.error,
                provider_response=result.provider_message_id,
            )
        )
        if result.permanent and message.channel != MessageChannel.PUSH:
            self.suppressions.append(
                Suppression(
                    channel=message.channel,
                    address=address_of(message),
                    reason=Suppression.Reason.HARD_BOUNCE,
                    detail=result.error,
                )
            )

    def write(self) -> None:
        with allow_writes(), transaction.atomic():
            bulk_update_rows(Message, self.messages, RESULT_FIELDS)
            DeliveryAttempt.objects.bulk_create(self.attempts)
            Suppression.objects.bulk_create(self.suppressions, ignore_conflicts=True)


def _send(channel: str, batch: Iterable[OutgoingMessage], settings) -> list[SendResult]:
    batch = iter(batch)
    first = next(batch, None)
    if first is None:
        return []  # nothing left to send after the policy: no connection to open
    batch = itertools.chain([first], batch)
    backend = backend_for(channel, settings)
    try:
        backend.open()
    except Exception as error:  # the provider is down: every message is retried later
        logger.warning("Opening the %s backend failed: %s", channel, error)
        return [
            SendResult(m.message_id, ok=False, error=f"{type(error).__name__}: {error}")
            for m in batch
        ]
    try:
        results = backend.send(batch)
    finally:
        backend.close()
    return _merge_per_message(results)


def _merge_per_message(results: list[SendResult]) -> list[SendResult]:
    """Push fans out to several subscriptions; a message succeeded if any of them did."""
    merged: dict[int, SendResult] = {}
    for result in results:
        known = merged.get(result.message_id)
        if known is None or (result.ok and not known.ok):
            merged[result.message_id] = result
    return list(merged.values())


def _apply(message: Message, result: SendResult, now: datetime) -> None:
    if result.ok:
        message.status, message.sent_at = MessageStatus.SENT, now
        message.provider_message_id, message.last_error = result.provider_message_id, ""
    elif result.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status, message.last_error = MessageStatus.FAILED, result.error
    else:
        message.status, message.last_error = MessageStatus.QUEUED, result.error
        message.scheduled_at = now + RETRY_AFTER[min(message.attempts, len(RETRY_AFTER)) - 1]
