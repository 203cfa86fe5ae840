"""Saleor's webhook signatures: a detached JWS (RS256, ``b64: false``) over the raw body.

Saleor signs each delivery with its private key (``saleor/core/jwt_manager.py``,
``jws_encode(..., is_payload_detached=True)``) and publishes the public keys at
``/.well-known/jwks.json``. The key set is fetched from the configured Saleor only
(never from a URL a request names), through the outbound guard, cached, and fetched
again when a signature names a key we do not hold (key rotation), at most once in
``REFETCH_SECONDS``.
"""

import json
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import jwt
from django.conf import settings
from django.core.cache import cache

from ..core.outbound import OutboundGuard, OutboundRefused, guarded_session

logger = logging.getLogger(__name__)

JWKS_CACHE_SECONDS = 3600
JWKS_TIMEOUT_SECONDS = 5
#: A rotated key is fetched at once; further unknown key ids wait this long (Saleor retries).
REFETCH_SECONDS = 30
ALGORITHMS = ["RS256"]


class InvalidSignature(Exception):
    """The delivery is not signed by the Saleor we serve."""


def jwks_url(api_url: str) -> str:
    """``https://shop.example/graphql/`` -> ``https://shop.example/.well-known/jwks.json``."""
    parts = urlsplit(api_url)
    return urlunsplit((parts.scheme, parts.netloc, "/.well-known/jwks.json", "", ""))


def fetch_jwks(url: str) -> dict:
    """The key set, through the guarded client (internal Saleor hosts only when allowed)."""
    guard = OutboundGuard(allow_internal=getattr(settings, "SALEOR_MA_APP_ALLOW_INTERNAL", False))
    try:
        response = guarded_session(guard).get(url, timeout=JWKS_TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (OutboundRefused, OSError, ValueError) as error:
        logger.warning("Saleor's key set could not be fetched: %s", type(error).__name__)
        return {"keys": []}


class KeySet:
    """Saleor's public keys by ``kid``, cached; refetched once for an unknown ``kid``."""

    def __init__(self, api_url: str, fetch: Callable[[str], dict] | None = None) -> None:
        self.url = jwks_url(api_url)
        self.fetch = fetch or fetch_jwks
        self.cache_key = f"saleor-ma:jwks:{self.url}"

    def key(self, kid: str):
        keys = _cached(self.cache_key)
        if keys is None or (kid not in keys and self._may_refetch()):
            keys = self._refresh()
        if kid not in keys:
            raise InvalidSignature("unknown key")
        return jwt.PyJWK(keys[kid]).key

    def _may_refetch(self) -> bool:
        """At most one refetch for unknown key ids a while: anyone can send a token or a
        delivery naming a made-up ``kid``, and each must not become a request to Saleor."""
        try:
            return cache.add(f"{self.cache_key}:refetched", True, REFETCH_SECONDS)
        except Exception:  # the cache is Redis: without it, this process keeps the time
            now = time.monotonic()
            if now - _LOCAL_REFETCHED.get(self.cache_key, -REFETCH_SECONDS) < REFETCH_SECONDS:
                return False
            _LOCAL_REFETCHED[self.cache_key] = now
            return True

    def _refresh(self) -> dict:
        keys = {
            key["kid"]: key
            for key in self.fetch(self.url).get("keys", [])
            if isinstance(key, dict) and key.get("kid")
        }
        _LOCAL[self.cache_key] = keys
        try:
            cache.set(self.cache_key, keys, JWKS_CACHE_SECONDS)
        except Exception:  # the cache is Redis: an outage must not refuse deliveries
            logger.warning("Saleor's key set could not be cached", exc_info=True)
        return keys


#: This process's copy, used while the shared cache is unreachable.
_LOCAL: dict[str, dict] = {}
#: When this process last refetched for an unknown key id, while the cache is unreachable.
_LOCAL_REFETCHED: dict[str, float] = {}


def _cached(cache_key: str) -> dict | None:
    try:
        return cache.get(cache_key)
    except Exception:
        logger.warning("The cache is unreachable; using this process's key set", exc_info=True)
        return _LOCAL.get(cache_key)


def verify(signature: str, body: bytes, keys: KeySet) -> None:
    """Raise ``InvalidSignature`` unless ``signature`` is Saleor's detached JWS of ``body``."""
    if not signature:
        raise InvalidSignature("missing")
    try:
        header = jwt.get_unverified_header(signature)
        if header.get("alg") not in ALGORITHMS:
            raise InvalidSignature("algorithm")
        key = keys.key(str(header.get("kid", "")))
        jwt.api_jws.decode_complete(
            signature, key=key, algorithms=ALGORITHMS, detached_payload=body
        )
    except (jwt.PyJWTError, json.JSONDecodeError, ValueError, TypeError) as error:
        raise InvalidSignature(type(error).__name__) from None
