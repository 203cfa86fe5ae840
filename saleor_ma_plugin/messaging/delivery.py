"""The one send loop for every channel: claim, decide, render, send, record.

Claiming happens in a short transaction (``FOR UPDATE SKIP LOCKED``, status ``sending``,
one claim id for the batch); the provider is called outside any transaction over one
connection per batch. Each channel's messages are handled in claim order, and before every
``CHECKPOINT``-th one the results known so far (statuses, delivery attempts) are written
in one short transaction: results are recorded while the batch goes on.

So when a worker is killed mid-send, among its claim's messages still ``sending`` only the
first ``MAX_UNCONFIRMED`` per channel, in claim order, can have reached the provider: the
ones handed over since the last checkpoint (at most ``CHECKPOINT``) and the ones whose
reply was still on its way then (at most ``PIPELINE_WINDOW``). The reaper resolves those by
the unconfirmed policy and queues the others again. The unconfirmed policy, also applied
when an SMTP reply is lost after the content was sent: marketing becomes ``unknown`` and is
never re-sent blindly, transactional mail is queued again (at least once) until
``MAX_ATTEMPTS``.
"""

import itertools
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateSyntaxError
from django.utils import timezone

from ..core.bulk import bulk_update_rows
from ..core.bulk_log import update_rows_and_log
from ..core.host import allow_writes, plugin_settings, with_writes
from . import MessageChannel, MessageStatus
from .channels.base import OutgoingMessage, SendResult
from .channels.smtp_stream import PIPELINE_WINDOW
from .context import ContextBatch
from .models import DeliveryAttempt, Message, Suppression
from .policy import PolicyBatch, address_of
from .render_cache import BatchRenderer
from .rendering import TemplateRefused
from .sending import backend_for, prepare
from .templates_store import MissingTemplate, TemplateStore
from .transactional import forget_secrets

logger = logging.getLogger(__name__)

#: Messages per claim. Claiming, the policy's lookups and writing results back cost about
#: as much per batch as sending 100 messages; at 500 a batch takes about half a second.
BATCH_SIZE = 500
#: Results are written every this many messages of a channel: few enough to lose little
#: to a crash, enough that the writes cost little.
CHECKPOINT = 50
#: At most this many messages per claim and channel are unconfirmed after a crash.
MAX_UNCONFIRMED = CHECKPOINT + PIPELINE_WINDOW
MAX_ATTEMPTS = 5
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
#: A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=10)
#: A live worker hands nothing over after this (the rest goes back to the queue), so a
#: claim the reaper takes for dead never has a live worker still sending from it.
HAND_OVER_SECONDS = STALE_CLAIM.total_seconds() / 2
RESULT_FIELDS = (
    "status",
    "sent_at",
    "provider_message_id",
    "last_error",
    "scheduled_at",
    "attempts",
)
UNCONFIRMED = "worker stopped before confirming the send"


def reap_stale_claims(now: datetime) -> int:
    """Resolve messages a dead worker left in ``sending`` (see the module docstring)."""
    stale = Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    rows = list(stale.order_by("scheduled_at", "pk").values_list("pk", "claim", "channel"))
    if not rows:
        return 0
    unsure, untouched = _split_claims(rows)
    released = stale.filter(pk__in=untouched).update(
        status=MessageStatus.QUEUED, attempts=F("attempts") - 1
    )
    unsure_rows = stale.filter(pk__in=unsure)
    unknown = unsure_rows.filter(Q(transactional=False) | Q(attempts__gte=MAX_ATTEMPTS)).update(
        status=MessageStatus.UNKNOWN, last_error=UNCONFIRMED
    )
    retried = unsure_rows.filter(transactional=True).update(
        status=MessageStatus.QUEUED, scheduled_at=now
    )
    return released + unknown + retried


def _split_claims(rows) -> tuple[list[int], list[int]]:
    """The messages a dead worker may have handed over, and those it never reached."""
    seen: dict[tuple, int] = defaultdict(int)
    unsure, untouched = [], []
    for pk, claim_id, channel in rows:
        seen[claim_id, channel] += 1
        # Without a claim id (claimed before claims had one) nothing is known: all unsure.
        if claim_id is None or seen[claim_id, channel] <= MAX_UNCONFIRMED:
            unsure.append(pk)
        else:
            untouched.append(pk)
    return unsure, untouched


def claim(batch_size: int, now: datetime, keys: Iterable[str] | None = None) -> list[Message]:
    """Claim due messages (with these idempotency ``keys``, if given) no other worker holds."""
    due = Message.objects.filter(status=MessageStatus.QUEUED, scheduled_at__lte=now)
    if keys is not None:
        due = due.filter(idempotency_key__in=list(keys))
    with allow_writes(), transaction.atomic():
        reap_stale_claims(now)
        claimed = list(
            due.select_for_update(skip_locked=True, of=("self",))
            .order_by("scheduled_at", "pk")
            .select_related("contact")[:batch_size]
        )
        _share_campaigns(claimed)
        Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=MessageStatus.SENDING,
            claimed_at=now,
            claim=uuid.uuid4(),
            attempts=F("attempts") + 1,
        )
    for message in claimed:
        message.attempts += 1
        message.status = MessageStatus.SENDING
    return claimed


def _share_campaigns(messages: list[Message]) -> None:
    """One campaign object for all its messages: a broadcast's 500 rows would otherwise
    each read the campaign's row, its JSON settings included."""
    ids = {message.campaign_id for message in messages} - {None}
    campaigns = Message._meta.get_field("campaign").related_model.objects.in_bulk(ids)
    for message in messages:
        if message.campaign_id is not None:
            message.campaign = campaigns[message.campaign_id]


@with_writes
def deliver_due_messages(
    batch_size: int = BATCH_SIZE, now: datetime | None = None, keys: Iterable[str] | None = None
) -> int:
    """Send one batch of due messages (those with these idempotency ``keys``, if given);
    return how many were claimed."""
    now = now or timezone.now()
    messages = claim(batch_size, now, keys)
    if not messages:
        return 0
    batch = DeliveryBatch(messages, plugin_settings(), now)
    for channel in dict.fromkeys(message.channel for message in messages):
        for result in _send(channel, batch.outgoing(channel), batch.settings, batch.record):
            batch.record(result)
    batch.write()
    return len(messages)


class DeliveryBatch:
    """One claimed batch: decided, rendered and sent lazily, its results written as known."""

    def __init__(self, messages: list[Message], settings, now: datetime) -> None:
        self.messages, self.settings, self.now = messages, settings, now
        self.by_id = {message.pk: message for message in messages}
        self.policy = PolicyBatch(messages, settings, now)
        self.contexts = ContextBatch(messages, settings)
        self.store, self.renderer = TemplateStore(), BatchRenderer()
        self.attempts: list[DeliveryAttempt] = []
        self.suppressions: list[Suppression] = []
        #: Changed since the last checkpoint, to be written at the next one.
        self.changed: dict[int, Message] = {}
        #: Handed to the provider: how many pieces each (push fans out), and results so far.
        self.handed_over: dict[int, int] = {}
        self.pieces: dict[int, list[SendResult]] = defaultdict(list)
        self.recorded: set[int] = set()
        self.hand_over_until = time.monotonic() + HAND_OVER_SECONDS

    def outgoing(self, channel: str) -> Iterator[OutgoingMessage]:
        """Decide and render lazily, so a backend sends one message while the next renders."""
        mine = (message for message in self.messages if message.channel == channel)
        for position, message in enumerate(mine):
            if time.monotonic() > self.hand_over_until:
                logger.warning("Delivery batch too slow: the rest is queued again")
                return
            if position and position % CHECKPOINT == 0:
                self.checkpoint()
            try:
                prepared = self._prepared(message)
            except Exception as error:  # one message's surprise must not stop the batch
                logger.exception("Preparing message %s failed", message.pk)
                self.record(SendResult(message.pk, ok=False, error=_describe(error)))
                continue
            if not prepared:  # decided without a send: written at the next checkpoint
                self.changed[message.pk] = message
                continue
            self.handed_over[message.pk] = len(prepared)
            yield from prepared

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
        """Take a result (once per message; push's pieces merged); written at a checkpoint."""
        if result.message_id in self.recorded:
            return
        if self.handed_over.get(result.message_id, 1) > 1:
            pieces = self.pieces[result.message_id]
            pieces.append(result)
            if len(pieces) < self.handed_over[result.message_id]:
                return  # a push message is judged when all its subscriptions have answered
            result = _merge_per_message(pieces)[0]
        self.recorded.add(result.message_id)
        message = self.by_id[result.message_id]
        _apply(message, result, self.now)
        self.changed[message.pk] = message
        self.attempts.append(
            DeliveryAttempt(
                message=message,
                succeeded=result.ok,
                error=result.error,
                provider_response=result.provider_message_id,
            )
        )
        if result.permanent and result.address_at_fault and message.channel != MessageChannel.PUSH:
            self.suppressions.append(
                Suppression(
                    channel=message.channel,
                    address=address_of(message),
                    reason=Suppression.Reason.HARD_BOUNCE,
                    detail=result.error,
                )
            )

    def checkpoint(self) -> None:
        """Write what changed since the last checkpoint, in one short transaction."""
        rows, self.changed = list(self.changed.values()), {}
        attempts, self.attempts = self.attempts, []
        suppressions, self.suppressions = self.suppressions, []
        with allow_writes():
            # One statement, atomic by itself: the write costs one round trip.
            update_rows_and_log(Message, rows, RESULT_FIELDS, attempts)
            # A one-time link (password reset) is kept no longer than its message needs it.
            bulk_update_rows(Message, forget_secrets(rows), ("context",))
            if suppressions:
                Suppression.objects.bulk_create(suppressions, ignore_conflicts=True)

    def write(self) -> None:
        """The last checkpoint: what was never handed over goes back to the queue, what was
        handed over without a result follows the unconfirmed policy."""
        for message in self.messages:
            if message.pk in self.recorded or message.pk in self.changed:
                continue
            if message.pk in self.handed_over:
                self.pieces.pop(message.pk, None)
                self.handed_over[message.pk] = 1
                self.record(SendResult(message.pk, ok=False, error=UNCONFIRMED, unknown=True))
            elif message.status == MessageStatus.SENDING:  # the backend stopped early
                message.status, message.attempts = MessageStatus.QUEUED, message.attempts - 1
                self.changed[message.pk] = message
        self.checkpoint()


def _send(
    channel: str,
    batch: Iterable[OutgoingMessage],
    settings,
    on_result: Callable[[SendResult], None],
) -> list[SendResult]:
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
        results = backend.send(batch, on_result=on_result)
    except Exception:  # a backend broke its promise: results so far stand, the rest is unsure
        logger.exception("The %s backend failed in the middle of a batch", channel)
        return []
    finally:
        backend.close()
    return results


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
    elif result.unknown:
        _unconfirmed(message, result.error, now)
    elif result.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status, message.last_error = MessageStatus.FAILED, result.error
    else:
        message.status, message.last_error = MessageStatus.QUEUED, result.error
        message.scheduled_at = now + RETRY_AFTER[min(message.attempts, len(RETRY_AFTER)) - 1]


def _unconfirmed(message: Message, error: str, now: datetime) -> None:
    """The stale-claim policy (``reap_stale_claims``) for one message the provider may have
    taken: marketing is never re-sent blindly, transactional mail is queued again."""
    if message.transactional and message.attempts < MAX_ATTEMPTS:
        message.status, message.scheduled_at = MessageStatus.QUEUED, now
    else:
        message.status = MessageStatus.UNKNOWN
    message.last_error = error


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
