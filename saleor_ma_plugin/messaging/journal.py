"""The send journal: each message's fate in a claim, appended to Redis the moment it is known.

The outbox gets a batch's results every ``CHECKPOINT`` messages (see ``delivery``); the
journal only narrows what a killed worker leaves in doubt. It is one Redis string per
claim, ``saleor_ma:journal:<claim>``: a marker line naming the Redis server's ``run_id``,
then one record per message, ``<message id><fate><length>:<text>`` (the text is the
provider's message id of a sent message, the error of a failed one).

Writing costs one socket write per message and no wait: the claim opens its own connection,
writes the marker with one ordinary round trip, then asks Redis for no replies (``CLIENT
REPLY OFF``), and each record is one pre-encoded ``APPEND`` handed to the kernel. The
socket is corked (``TCP_CORK``): a record sent at once would wake Redis for each message,
which on a busy two-core host cost the send loop about 12 % of its CPU per message (Redis's
wake-ups, and the workers' share of them); corked, the kernel sends full segments, or what
it holds after at most 200 ms. When the worker is killed (``kill -9``), its kernel closes
the socket and still sends what was written before (a close sends held data ahead of its
FIN); a command cut short never runs (RESP frames it by length), so the journal always
holds whole records, in the order they were written.

The reaper trusts a journal only if its marker is there and names the Redis server that
answers now. A Redis that restarted (its ``run_id`` changes, even when it kept its data),
failed over, was flushed or evicted the key, or could not be reached at all, leaves no
trusted journal: the checkpoints bound the doubt as without one. What no marker can show is
a record that never left the worker's host: see ``delivery`` for what that means.
"""

import contextlib
import logging
import re
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

import redis
from django.conf import settings
from django.db import models

from ..core.redis_url import redis_url
from .channels.base import SendResult

logger = logging.getLogger(__name__)

KEY_PREFIX = "saleor_ma:journal:"
FORMAT = b"saleor-ma-journal/1"
#: Longer than any wait for the reaper (a claim is stale after ten minutes; workers may be
#: down for a while): a journal that expired first only loses the narrowing, never a message.
KEPT = timedelta(days=1)
CONNECT_TIMEOUT_SECONDS = 0.5
#: A write waits this long for room in the socket's buffer, then the journal is given up.
WRITE_TIMEOUT_SECONDS = 1.0
#: After Redis could not be reached, claims go without a journal for this long instead of
#: each waiting for a connection (and saying so).
RETRY_AFTER_SECONDS = 60.0


class Fate(models.TextChoices):
    """A journaled message's fate, one letter in a record."""

    SENT = "S"
    #: Refused for now: tried again later.
    FAILED = "F"
    #: Refused for good, the address at fault: suppressed.
    BOUNCED = "B"
    #: Refused for good, the message at fault (a header we would not write).
    REFUSED = "R"
    #: The connection broke after the content went out.
    UNKNOWN = "U"
    #: Decided without a send (consent, deferral, nobody to send to): decided again.
    NOT_SENT = "N"


_CODES = {fate: fate.value.encode() for fate in Fate}
_RECORD = re.compile(rb"(\d+)([A-Z])(\d+):")


def encode(message_id: int, fate: Fate, text: str = "") -> bytes:
    """One record; the text is length-prefixed, so it may hold any character."""
    data = text.encode()
    return b"%d%s%d:%s" % (message_id, _CODES[fate], len(data), data)


def record_of(result: SendResult) -> bytes:
    if result.ok:
        return encode(result.message_id, Fate.SENT, result.provider_message_id)
    if result.unknown:
        fate = Fate.UNKNOWN
    elif result.permanent:
        fate = Fate.BOUNCED if result.address_at_fault else Fate.REFUSED
    else:
        fate = Fate.FAILED
    return encode(result.message_id, fate, result.error)


@dataclass(frozen=True)
class Entry:
    fate: Fate
    text: str = ""

    def as_result(self, message_id: int) -> SendResult | None:
        """The result as the send loop had it; None for a message decided without a send."""
        if self.fate == Fate.NOT_SENT:
            return None
        if self.fate == Fate.SENT:
            return SendResult(message_id, ok=True, provider_message_id=self.text)
        return SendResult(
            message_id,
            ok=False,
            error=self.text,
            permanent=self.fate in (Fate.BOUNCED, Fate.REFUSED),
            address_at_fault=self.fate != Fate.REFUSED,
            unknown=self.fate == Fate.UNKNOWN,
        )


@dataclass(frozen=True)
class Journal:
    """What Redis holds of one claim: the server that took it, and each message's entry."""

    run_id: str
    entries: dict[int, Entry]


def marker(run_id: str) -> bytes:
    return FORMAT + b" " + run_id.encode() + b"\n"


def parse(value: bytes) -> Journal | None:
    """The journal in ``value``; None without its marker or when damaged (not trusted)."""
    header, newline, body = value.partition(b"\n")
    name, _, run_id = header.partition(b" ")
    if not newline or name != FORMAT or not run_id:
        return None
    entries: dict[int, Entry] = {}
    position = 0
    while position < len(body):
        match = _RECORD.match(body, position)
        if match is None or match[2].decode() not in Fate.values:
            return None
        end = match.end() + int(match[3])
        if end > len(body):
            return None
        text = body[match.end() : end].decode(errors="replace")
        entries.setdefault(int(match[1]), Entry(Fate(match[2].decode()), text))
        position = end
    return Journal(run_id.decode(), entries)


def journal_key(claim: uuid.UUID) -> str:
    return f"{KEY_PREFIX}{claim}"


class SendJournal:
    """One claim's journal as its worker writes it; without a connection it writes nothing."""

    def __init__(self, claim: uuid.UUID, connection=None) -> None:
        self.key, self.connection = journal_key(claim).encode(), connection
        self.head = b"*3\r\n$6\r\nAPPEND\r\n$%d\r\n%s\r\n" % (len(self.key), self.key)
        #: A write failed: what was written since the last checkpoint may be lost.
        self.broken = False
        if connection is not None:
            self.write = _corked(connection)

    @property
    def active(self) -> bool:
        return self.connection is not None

    def note(self, result: SendResult) -> None:
        if self.connection is not None:
            self._append(record_of(result))

    def note_not_sent(self, message_id: int) -> None:
        if self.connection is not None:
            self._append(encode(message_id, Fate.NOT_SENT))

    def _append(self, record: bytes) -> None:
        try:
            self.write(self.head + b"$%d\r\n%s\r\n" % (len(record), record))
        except (redis.RedisError, OSError) as error:
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        # The batch makes its results durable itself from now on; without the marker the
        # reaper will not trust what this journal lacks.
        logger.warning("The send journal stopped (%s); the batch ends early", error)
        self.broken, connection, self.connection = True, self.connection, None
        connection.disconnect()
        forget_journals([self.key.decode()])

    def forget(self) -> None:
        """The claim's results are in the outbox: the journal is not needed any more."""
        if self.connection is None:
            return
        command = b"*2\r\n$3\r\nDEL\r\n$%d\r\n%s\r\n" % (len(self.key), self.key)
        with contextlib.suppress(redis.RedisError, OSError):  # else the key expires
            self.write(command)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.disconnect()
            self.connection = None


def _corked(connection):
    """A socket write for the connection, corked (see the module docstring)."""
    sock = getattr(connection, "_sock", None)  # redis-py keeps it private; none: uncorked
    if sock is None:
        return lambda command: connection.send_packed_command([command], check_health=False)
    with contextlib.suppress(OSError):  # a Unix socket has no cork, and wakes Redis each time
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
    return sock.sendall


_down_until = 0.0


def open_journal(claim: uuid.UUID) -> SendJournal:
    """The claim's journal, its marker written; one that writes nothing if Redis cannot be
    reached or ``SALEOR_MA_SEND_JOURNAL`` is off (the checkpoints bound a crash)."""
    global _down_until
    if not getattr(settings, "SALEOR_MA_SEND_JOURNAL", True) or _down_until > time.monotonic():
        return SendJournal(claim)
    connection = None
    try:
        connection = redis.ConnectionPool.from_url(
            redis_url(),
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=WRITE_TIMEOUT_SECONDS,
        ).make_connection()
        connection.connect()
        connection.send_command("INFO", "server")
        run_id = _run_id(connection.read_response())
        key = journal_key(claim)
        connection.send_command("SET", key, marker(run_id), "EX", int(KEPT.total_seconds()))
        connection.send_command("CLIENT", "SETNAME", f"saleor-ma-journal:{claim}")
        # Off and on again, to see that the server (or a proxy) can do it: replies it sent
        # anyway would sit unread, and a socket closed with unread data is reset, dropping
        # the records it still holds.
        connection.send_command("CLIENT", "REPLY", "OFF")
        connection.send_command("CLIENT", "REPLY", "ON")
        replies = [connection.read_response() for _ in range(3)]
        if replies != [b"OK", b"OK", b"OK"]:
            raise ValueError(f"unexpected replies {replies!r}")
        connection.send_command("CLIENT", "REPLY", "OFF")
    except (redis.RedisError, OSError, ValueError) as error:
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("No send journal (Redis: %s); checkpoints bound a crash", error)
        if connection is not None:
            connection.disconnect()
        return SendJournal(claim)
    return SendJournal(claim, connection)


def _run_id(info: bytes) -> str:
    for line in info.decode().splitlines():
        if line.startswith("run_id:"):
            return line.partition(":")[2].strip()
    raise ValueError("INFO names no run_id")


def recover(claims: set[uuid.UUID]) -> dict[uuid.UUID, Journal]:
    """The trusted journals of ``claims``: marked, and kept by the Redis answering now."""
    claims = sorted(claims)
    if not claims:
        return {}
    try:
        client = _client()
        with client.pipeline(transaction=False) as pipeline:
            pipeline.info("server")
            for claim in claims:
                pipeline.get(journal_key(claim))
            info, *values = pipeline.execute()
        client.close()
    except (redis.RedisError, OSError, ValueError) as error:
        logger.warning("The send journal could not be read (%s); checkpoints bound it", error)
        return {}
    journals = {}
    for claim, value in zip(claims, values, strict=True):
        journal = parse(value) if value else None
        if journal is not None and journal.run_id == info.get("run_id"):
            journals[claim] = journal
    return journals


def forget_journals(keys: list[str]) -> None:
    """Delete journals (best effort: they expire anyway)."""
    if not keys:
        return
    try:
        client = _client()
        client.delete(*keys)
        client.close()
    except (redis.RedisError, OSError, ValueError) as error:
        logger.warning("Send journals not deleted (%s); they expire", error)


def _client() -> redis.Redis:
    return redis.Redis.from_url(
        redis_url(),
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=WRITE_TIMEOUT_SECONDS,
    )
