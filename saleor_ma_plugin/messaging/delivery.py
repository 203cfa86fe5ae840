"""The one send loop for every channel: claim, decide, render, send, record.

Claiming happens in a short transaction (``FOR UPDATE SKIP LOCKED``, status ``sending``,
one claim id for the batch); the provider is called outside any transaction over one
connection per batch. Each channel's messages are handled in claim order, and before every
``CHECKPOINT``-th one the results known so far (statuses, delivery attempts) are written
in one short transaction: results are recorded while the batch goes on. Each message's fate
(its result, or a decision not to send it) is also appended to the claim's ``journal`` in
Redis the moment it is known, without waiting for Redis.

When a worker is killed mid-send (``kill -9``), the reaper (``stale_claims``) gives every
journaled message its result as the worker's next checkpoint would have, and of the rest
only the first ``MAX_UNCONFIRMED_JOURNALED`` per claim and channel, in claim order, can
have reached the provider. Exactly so, because before a message's content goes out every
message before it in claim order has its fate journaled (or checkpointed): decisions as
they are made, results as they are reported, and a backend reports each result before it
writes the next message's content (``CONTENT_IN_FLIGHT``: 1; the SMTP pipeline's other
message in its window, ``PIPELINE_WINDOW``, has not had its content sent and cannot have
been taken). A message whose content was out and whose record was not yet written is the
first unjournaled one. If the journal cannot be written mid-batch, each result is
checkpointed as it comes and nothing more is handed over (the rest is queued again), so
this still holds.

Where no journal is trusted, the last checkpoint bounds the doubt instead, as it did before
there was a journal: the first ``MAX_UNCONFIRMED`` (the ones handed over since the last
checkpoint, at most ``CHECKPOINT``, and the replies still on their way then, at most
``PIPELINE_WINDOW``). That is the case when Redis was unreachable at claim start, lost the
journal (restarted, even with its data kept; failed over; flushed; evicted it) or is
unreachable when the reaper reads it.

What the journal does not cover: records are acknowledged by the worker's kernel only (it
sends them corked, up to 200 ms later; see ``journal``). A crash of the worker's whole host
(power, kernel panic), or a network that drops its last packets for good, loses the records
the kernel still held while the marker stands; so does a worker killed within those 200 ms
after Redis dropped the journal's connection (a write fails only once the kernel has sent
and been refused). Nor does a Redis that starts refusing writes mid-batch (full memory
under ``noeviction``, a failed save with ``stop-writes-on-bgsave-error``): it drops the
records unanswered, and only the next claim's marker is refused, so a worker killed in that
batch leaves a journal without them. The reaper cannot tell these from a killed worker: a
message whose record is missing is queued again instead of resolved as unknown, and may be
sent twice. Such a crash falls back to the checkpoint bound only without the journal
(``SALEOR_MA_SEND_JOURNAL = False``), where the 52 hold for any crash.

The reaper resolves the messages in doubt by the unconfirmed policy and queues the others
again, their try not counted. The unconfirmed policy, also applied when an SMTP reply is
lost after the content was sent: marketing becomes ``unknown`` and is never re-sent
blindly, transactional mail is queued again (at least once) until ``MAX_ATTEMPTS``.
"""

import itertools
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.template import TemplateSyntaxError
from django.utils import timezone

from ..core.collection import collector_paused
from ..core.host import ShopUnavailable, allow_writes, plugin_settings, with_writes
from ..core.instances import share_related
from ..core.lookups import AnyOf
from . import MessageStatus
from .channels.base import OutgoingMessage, SendResult
from .context import ContextBatch
from .journal import SendJournal, open_journal
from .models import DeliveryAttempt, Message, Suppression
from .outcomes import (
    CHECKPOINT,
    UNCONFIRMED,
    apply_result,
    attempt_of,
    suppression_of,
    write_results,
)
from .policy import PolicyBatch
from .render_cache import BatchRenderer
from .rendering import TemplateRefused
from .sending import backend_for, prepare
from .stale_claims import STALE_CLAIM, reap_stale_claims
from .templates_store import MissingTemplate, TemplateStore

logger = logging.getLogger(__name__)

#: Messages per claim. A batch costs a worker about 12 ms of CPU before its first message
#: is sent (the claim, the policy's and the context's lookups, its template rendered once,
#: its SMTP and journal connections), as much as sending some 40 messages; at 1,000 a batch
#: takes about half a second, and its worker holds about 15 MB more than at 500.
BATCH_SIZE = 1000
#: A live worker hands nothing over after this (the rest goes back to the queue), so a
#: claim the reaper takes for dead never has a live worker still sending from it.
HAND_OVER_SECONDS = STALE_CLAIM.total_seconds() / 2
#: A batch that could not get the shop's data is tried again after this pause.
SHOP_RETRY_DELAY = timedelta(minutes=2)


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
        share_related(claimed, "campaign")
        claim_id = uuid.uuid4()
        Message.objects.filter(AnyOf(F("pk"), [m.id for m in claimed])).update(
            status=MessageStatus.SENDING,
            claimed_at=now,
            claim=claim_id,
            attempts=F("attempts") + 1,
        )
    for message in claimed:
        message.attempts += 1
        message.status, message.claim = MessageStatus.SENDING, claim_id
    return claimed


@with_writes
def deliver_due_messages(
    batch_size: int = BATCH_SIZE, now: datetime | None = None, keys: Iterable[str] | None = None
) -> int:
    """Send one batch of due messages (those with these idempotency ``keys``, if given);
    return how many were claimed."""
    with collector_paused():
        # The batch's objects are gone (freed by reference counting) before the collector
        # runs again, so it does not walk them on their way out.
        return _deliver(batch_size, now or timezone.now(), keys)


def _deliver(batch_size: int, now: datetime, keys: Iterable[str] | None) -> int:
    messages = claim(batch_size, now, keys)
    if not messages:
        return 0
    # Opened after the claim: nothing is handed over before its marker is written.
    journal = open_journal(messages[0].claim)
    batch = None
    try:
        batch = DeliveryBatch(messages, plugin_settings(), now, journal)
        for channel in dict.fromkeys(message.channel for message in messages):
            for result in _send(channel, batch.outgoing(channel), batch.settings, batch.record):
                batch.record(result)
        batch.write()
    except ShopUnavailable as error:
        # The shop's API is down: nothing goes out without the products or code it
        # promises; what was not handed over yet is built again after a pause.
        logger.warning("Shop data unavailable, unsent messages wait: %s", error)
        retry_at = now + SHOP_RETRY_DELAY
        if batch is None:
            _release(messages, retry_at, str(error), journal)
        else:
            batch.postpone_unsent(retry_at, str(error))
            batch.write()
    finally:
        journal.close()
    return len(messages)


def _release(messages: list[Message], retry_at: datetime, reason: str, journal) -> None:
    """Give a claimed batch back, its try not counted: nothing of it was prepared."""
    with allow_writes():
        Message.objects.filter(
            pk__in=[message.id for message in messages], claim=messages[0].claim
        ).update(
            status=MessageStatus.QUEUED,
            scheduled_at=retry_at,
            attempts=F("attempts") - 1,
            last_error=reason[:500],
        )
    journal.forget()


class DeliveryBatch:
    """One claimed batch: decided, rendered and sent lazily, its results written as known."""

    def __init__(
        self, messages: list[Message], settings, now: datetime, journal: SendJournal
    ) -> None:
        self.messages, self.settings, self.now = messages, settings, now
        self.journal = journal
        # ``id``, not ``pk``: the send loop asks a message's key a dozen times, and ``pk`` is
        # a property that looks the key field up each time.
        self.by_id = {message.id: message for message in messages}
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
            if self.journal.broken:  # without it, only the checkpoints bound a crash
                return
            if position and position % CHECKPOINT == 0:
                self.checkpoint()
            try:
                prepared = self._prepared(message)
            except ShopUnavailable:  # every message after it would miss the same data
                raise
            except Exception as error:  # one message's surprise must not stop the batch
                logger.exception("Preparing message %s failed", message.id)
                self.record(SendResult(message.id, ok=False, error=_describe(error)))
                continue
            if not prepared:  # decided without a send: written at the next checkpoint
                self.changed[message.id] = message
                self.journal.note_not_sent(message.id)
                if self.journal.broken:
                    self.checkpoint()
                continue
            self.handed_over[message.id] = len(prepared)
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

    def postpone_unsent(self, retry_at: datetime, reason: str) -> None:
        """Messages not handed over yet wait until ``retry_at`` (``write`` queues them)."""
        for message in self.messages:
            if message.id in self.recorded or message.id in self.changed:
                continue
            if message.id not in self.handed_over and message.status == MessageStatus.SENDING:
                message.scheduled_at, message.last_error = retry_at, reason[:500]

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
        self.journal.note(result)
        message = self.by_id[result.message_id]
        apply_result(message, result, self.now)
        self.changed[message.id] = message
        self.attempts.append(attempt_of(message, result))
        if (suppression := suppression_of(message, result)) is not None:
            self.suppressions.append(suppression)
        if self.journal.broken:  # each result durable before the next content goes out
            self.checkpoint()

    def checkpoint(self) -> None:
        """Write what changed since the last checkpoint, in one short transaction."""
        rows, self.changed = list(self.changed.values()), {}
        attempts, self.attempts = self.attempts, []
        suppressions, self.suppressions = self.suppressions, []
        write_results(rows, attempts, suppressions)

    def write(self) -> None:
        """The last checkpoint: what was never handed over goes back to the queue, what was
        handed over without a result follows the unconfirmed policy."""
        for message in self.messages:
            if message.id in self.recorded or message.id in self.changed:
                continue
            if message.id in self.handed_over:
                self.pieces.pop(message.id, None)
                self.handed_over[message.id] = 1
                self.record(SendResult(message.id, ok=False, error=UNCONFIRMED, unknown=True))
            elif message.status == MessageStatus.SENDING:  # the backend stopped early
                message.status, message.attempts = MessageStatus.QUEUED, message.attempts - 1
                self.changed[message.id] = message
        self.checkpoint()
        self.journal.forget()


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
    except ShopUnavailable:  # raised while preparing the next message: the batch pauses
        raise
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


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
