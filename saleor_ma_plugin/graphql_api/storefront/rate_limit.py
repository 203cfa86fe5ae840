"""Fixed-window request counters in Redis that fail open.

Each check is one ``INCR`` and ``EXPIRE`` of a key per scope, identity and time window, sent
in a single pipeline (one round trip for all checks of a request). Identities (IP addresses,
email addresses) are hashed, so Redis never holds them in clear text.

A shop must keep selling when Redis is down: an unreachable Redis lets every request through
and logs a warning, then is left alone for ``RETRY_AFTER_SECONDS`` so that shoppers do not
each wait for a connection timeout.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass

import redis

from ...core.redis_url import redis_url
from ..core.errors import MarketingErrorCode, MutationError

logger = logging.getLogger(__name__)

KEY_PREFIX = "saleor_ma:rl:"
#: Connect and command timeout: a slow Redis must not slow the storefront noticeably.
SOCKET_TIMEOUT_SECONDS = 0.25
#: After a failure, Redis is not asked again for this long (requests pass meanwhile).
RETRY_AFTER_SECONDS = 5.0


@dataclass(frozen=True)
class Limit:
    """At most ``requests`` per ``seconds`` (a fixed window) for one identity in ``scope``."""

    scope: str
    requests: int
    seconds: int


NEWSLETTER_PER_IP = Limit("newsletter:ip", 10, 60)
NEWSLETTER_PER_EMAIL = Limit("newsletter:email", 3, 60 * 60)
NOTIFY_PER_IP = Limit("notify:ip", 10, 60)
NOTIFY_PER_EMAIL = Limit("notify:email", 3, 60 * 60)
TRACK_PER_IP = Limit("track:ip", 120, 60)

_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}
_down_until: dict[str, float] = {}


def redis_client() -> redis.Redis | None:
    """A client for the configured Redis; None while it is known to be unreachable."""
    url = redis_url()
    if _down_until.get(url, 0.0) > time.monotonic():
        return None
    with _lock:
        client = _clients.get(url)
        if client is None:
            try:
                client = redis.Redis.from_url(
                    url,
                    socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
                    socket_timeout=SOCKET_TIMEOUT_SECONDS,
                )
            except ValueError as error:  # a malformed URL: as good as unreachable
                _down_until[url] = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning(
                    "Redis URL %s is invalid (%s); not rate limiting.", _safe(url), error
                )
                return None
            _clients[url] = client
    return client


def redis_failed(error: Exception, doing: str) -> None:
    """Remember that Redis is unreachable and say so once per retry period."""
    url = redis_url()
    _down_until[url] = time.monotonic() + RETRY_AFTER_SECONDS
    logger.warning(
        "Redis at %s is unreachable while %s (%s: %s); letting requests through.",
        _safe(url),
        doing,
        type(error).__name__,
        error,
    )


def reset() -> None:
    """Forget clients and outages (tests switch Redis URLs)."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
        _down_until.clear()


def digest(identity: str) -> str:
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def window_key(limit: Limit, identity: str, now: float | None = None) -> str:
    window = int((time.time() if now is None else now) // limit.seconds)
    return f"{KEY_PREFIX}{limit.scope}:{digest(identity)}:{window}"


def over_limit(*checks: tuple[Limit, str]) -> bool:
    """Count this request against every ``(limit, identity)``; True if any is exceeded.

    Checks without an identity (e.g. no client IP) are skipped. Fails open.
    """
    checks = tuple((limit, identity) for limit, identity in checks if identity)
    if not checks:
        return False
    client = redis_client()
    if client is None:
        return False
    try:
        with client.pipeline(transaction=True) as pipe:
            for limit, identity in checks:
                key = window_key(limit, identity)
                pipe.incr(key)
                pipe.expire(key, limit.seconds)
            counts = pipe.execute()[::2]
    except redis.RedisError as error:
        redis_failed(error, "rate limiting")
        return False
    return any(count > limit.requests for count, (limit, _) in zip(counts, checks, strict=True))


def enforce(*checks: tuple[Limit, str]) -> None:
    """Refuse the request with RATE_LIMITED when it exceeds any of the limits."""
    if over_limit(*checks):
        raise MutationError(
            "Too many requests. Please try again later.", MarketingErrorCode.RATE_LIMITED
        )


def _safe(url: str) -> str:
    """The URL without a password, for logs."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, _credentials = head.partition("://")
    return f"{scheme}://***@{tail}"
