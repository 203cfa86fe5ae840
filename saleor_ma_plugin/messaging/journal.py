"""What a send loop learnt about each claimed message, kept the moment it learnt it.

The send loop writes its results to the outbox every ``CHECKPOINT`` messages: one statement
for many rows is cheap, one per message is not (waking the database server for each costs
a quarter of the loop's speed). Between two checkpoints a killed worker would leave every
message since the last one in doubt. So each result, and each decision not to send, is
also appended to the claim's journal in Redis, before the next message is handed over: one
``RPUSH`` on a connection that asked for no replies, written into the socket and not waited
for. A killed process's socket still delivers what was written into it, and with no reply
ever unread it closes cleanly, so Redis takes every entry.

The reaper reads it back: a stale claim's journaled messages get their results, and of the
others only the first ``PIPELINE_WINDOW`` in claim order can have reached the provider.

The outbox stays the truth: the journal only narrows the doubt about a dead worker's last
messages. A claim's entries are one list whose first entry marks its start; a list without
it (Redis restarted, evicted the key, or could not be reached) is not trusted, and the last
checkpoint bounds the doubt as before. A journal that cannot be written stops the batch.
"""

import contextlib
import json
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import redis
from django.utils.dateparse import parse_datetime

from ..core.redis_url import redis_url
from .channels.base import SendResult

logger = logging.getLogger(__name__)

KEY_PREFIX = "saleor_ma:journal:"
START = b"start"
#: A dead worker's claim is reaped by the next claim after ``STALE_CLAIM``; a shop that
#: sends nothing for this long loses only the narrowing, never a message.
KEPT_SECONDS = 2 * 24 * 3600
CONNECT_TIMEOUT_SECONDS = 0.5
#: After Redis could not be reached, batches go without a journal for this long rather than
#: each wait for a connection.
RETRY_AFTER_SECONDS = 60.0


class Outcome:
    SENT, FAILED, FAILED_FOR_GOOD, UNKNOWN, NOT_SENT = range(1, 6)


class JournalUnavailable(RuntimeError):
    """The journal could not be written: the batch stops, its claim goes to the reaper."""


class Journal:
    """One claim's journal, written through this process's reply-less connection."""

    def __init__(self, claim: uuid.UUID) -> None:
        self.claim = claim
        self.key = f"{KEY_PREFIX}{claim}".encode()
        self.writer = _writer()

    @property
    def enabled(self) -> bool:
        return self.writer is not None

    def start(self) -> None:
        self._send(b"RPUSH", self.key, START)
        self._send(b"EXPIRE", self.key, str(KEPT_SECONDS).encode())

    def note_result(self, result: SendResult, at: datetime) -> None:
        if result.ok:
            outcome = Outcome.SENT
        elif result.unknown:
            outcome = Outcome.UNKNOWN
        else:
            outcome = Outcome.FAILED_FOR_GOOD if result.permanent else Outcome.FAILED
        entry = [result.message_id, outcome, result.provider_message_id, result.error]
        self._send(b"RPUSH", self.key, _dumps([*entry, at.isoformat()]).encode())

    def note_not_sent(self, message_id: int) -> None:
        self._send(b"RPUSH", self.key, b"[%d,%d]" % (message_id, Outcome.NOT_SENT))

    def forget(self) -> None:
        self._send(b"DEL", self.key)

    def _send(self, *words: bytes) -> None:
        if self.writer is None:
            return
        # RESP by hand: the command is two lines per word; redis-py's packer costs more
        # than the rest of the write.
        command = b"*%d\r\n" % len(words) + b"".join(
            b"$%d\r\n%s\r\n" % (len(word), word) for word in words
        )
        try:
            self.writer.send_packed_command([command], check_health=False)
        except (redis.RedisError, OSError) as error:
            _forget_writer()
            raise JournalUnavailable(f"The send journal could not be written: {error}") from None


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_local = threading.local()


def _writer():
    """This thread's connection to Redis that asked for no replies; None without Redis."""
    writer = getattr(_local, "writer", None)
    if writer is not None and _local.pid == os.getpid():  # never a forked parent's socket
        return writer
    if getattr(_local, "down_until", 0.0) > time.monotonic():
        return None
    try:
        connection = redis.ConnectionPool.from_url(
            redis_url(), socket_connect_timeout=CONNECT_TIMEOUT_SECONDS
        ).make_connection()
        connection.connect()  # authenticates and selects the database
        connection.send_command("CLIENT", "REPLY", "OFF")
    except (redis.RedisError, OSError, ValueError) as error:
        _local.down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("No send journal (Redis unreachable: %s): checkpoints bound a crash", error)
        return None
    _local.writer, _local.pid = connection, os.getpid()
    return connection


def _forget_writer() -> None:
    connection, _local.writer = getattr(_local, "writer", None), None
    if connection is not None:
        connection.disconnect()


@dataclass(frozen=True)
class Entry:
    outcome: int
    provider_message_id: str = ""
    error: str = ""
    recorded_at: datetime | None = None

    def as_result(self, message_id: int) -> SendResult | None:
        """The send's result as the loop had it; None for a message never handed over."""
        if self.outcome == Outcome.NOT_SENT:
            return None
        return SendResult(
            message_id,
            ok=self.outcome == Outcome.SENT,
            provider_message_id=self.provider_message_id,
            error=self.error,
            permanent=self.outcome == Outcome.FAILED_FOR_GOOD,
            # Whether the address was at fault is not kept: a dead worker's bounce
            # suppresses nothing, the next bounce will.
            address_at_fault=False,
            unknown=self.outcome == Outcome.UNKNOWN,
        )


@dataclass(frozen=True)
class Recovery:
    #: Claims whose journal was kept from their start: it can be trusted.
    started: frozenset
    entries: dict  # message id -> Entry


def recover(claims: set) -> Recovery:
    """What the journal knows of ``claims``; nothing where Redis cannot say."""
    claims = sorted(str(claim) for claim in claims if claim is not None)
    if not claims:
        return Recovery(frozenset(), {})
    try:
        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
        with client.pipeline(transaction=False) as pipeline:
            for claim in claims:
                pipeline.lrange(f"{KEY_PREFIX}{claim}", 0, -1)
            lists = pipeline.execute()
    except (redis.RedisError, OSError, ValueError) as error:
        logger.warning("The send journal could not be read (%s): checkpoints bound it", error)
        return Recovery(frozenset(), {})
    started, entries = set(), {}
    for claim, items in zip(claims, lists, strict=True):
        if not items or items[0] != START:
            continue
        started.add(uuid.UUID(claim))
        for item in items[1:]:
            message_id, outcome, *rest = json.loads(item)
            provider, error, at = [*rest, "", "", None][:3]
            entries[message_id] = Entry(outcome, provider, error, at and parse_datetime(at))
    return Recovery(frozenset(started), entries)


def forget_claims(claims: set) -> None:
    keys = [f"{KEY_PREFIX}{claim}" for claim in claims if claim is not None]
    if not keys:
        return
    with contextlib.suppress(redis.RedisError, OSError, ValueError):  # else they expire
        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
        client.delete(*keys)
