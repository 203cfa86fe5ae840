"""Web push: the shop's VAPID keys and a backend that encrypts and POSTs with pywebpush.

Endpoints come from browsers, so they are URLs chosen by strangers: they are stored only
for a known push service (:func:`check_push_endpoint`), and every push goes through a
session of the outbound guard (``core.outbound``), which resolves the endpoint's host,
refuses internal addresses and connects only to the address it checked.
"""

import base64
import json
import logging
from collections.abc import Callable, Iterable

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid, VapidException
from pywebpush import WebPushException, webpush

from ...core.host import allow_writes
from ...core.outbound import OutboundGuard, OutboundRefused, RefusalReason, guarded_session
from ..push_models import VAPID_KEYS_PK, PushSubscription, VapidKeys
from .base import ChannelBackend, OutgoingMessage, SendResult

logger = logging.getLogger(__name__)

#: How long the push service keeps a message for an offline browser.
DEFAULT_TTL_SECONDS = 24 * 60 * 60
DEFAULT_TIMEOUT_SECONDS = 10.0
#: Push services take at most 4096 body bytes; aes128gcm adds an 86-byte header (salt, record
#: size, sender key), a 1-byte padding delimiter and a 16-byte tag around the JSON.
MAX_PAYLOAD_BYTES = 4096 - 86 - 1 - 16
#: The push service's answer for a subscription the browser dropped: never try it again.
EXPIRED_STATUSES = (404, 410)
#: Hosts (and their subdomains) of the browsers' push services: Chrome, Edge, Firefox,
#: Safari. The Django setting ``SALEOR_MA_PUSH_ENDPOINT_HOSTS`` replaces the list.
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
)
#: Push services are public and speak https only (RFC 8030).
PUSH_GUARD = OutboundGuard(schemes=("https",))
NOT_HTTPS = _("Give the subscription's https endpoint.")
UNKNOWN_SERVICE = _("The endpoint is not a known browser push service.")


def push_service_hosts() -> tuple[str, ...]:
    """The push services endpoints may point to (setting, else the browsers' own)."""
    return tuple(getattr(settings, "SALEOR_MA_PUSH_ENDPOINT_HOSTS", None) or PUSH_SERVICE_HOSTS)


def check_push_endpoint(url: str) -> str | None:
    """Why a browser's push endpoint may not be stored, as a translatable sentence; else None.

    The URL is read as the HTTP client will read it. No DNS lookup happens here (a
    storefront request must not wait for one): the address is checked at every send.
    """
    try:
        target = PUSH_GUARD.check(url or "")
    except OutboundRefused as refused:
        if refused.reason == RefusalReason.SCHEME:
            return NOT_HTTPS
        if refused.reason in (RefusalReason.IP_LITERAL, RefusalReason.INTERNAL):
            return UNKNOWN_SERVICE
        return refused.message
    host = target.host.lower().rstrip(".")
    if not any(host == known or host.endswith(f".{known}") for known in push_service_hosts()):
        return UNKNOWN_SERVICE
    return None


def vapid_keys() -> VapidKeys:
    """The shop's VAPID keys, generated and stored on first use (one row, even under races)."""
    with allow_writes():
        keys = VapidKeys.objects.filter(pk=VAPID_KEYS_PK).first()
        if keys is not None:
            return keys
        private_key_pem, public_key = generate_vapid_key_pair()
        # A racing worker's INSERT on the same primary key fails; get_or_create then returns
        # the row that won, so every worker signs with the same key.
        keys, _created = VapidKeys.objects.get_or_create(
            pk=VAPID_KEYS_PK,
            defaults={"private_key_pem": private_key_pem, "public_key": public_key},
        )
        return keys


def generate_vapid_key_pair() -> tuple[str, str]:
    """A new P-256 key pair: PKCS#8 PEM private key, base64url uncompressed public point."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    private_key_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private_key_pem, base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def push_payload(message: OutgoingMessage) -> str:
    """The JSON the storefront's service worker receives in its ``push`` event."""
    payload = {
        "title": message.subject,
        "body": message.text,
        "url": message.extra.get("url"),
        "icon": message.extra.get("icon"),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def push_problem(message: OutgoingMessage, payload: str, guard: OutboundGuard = PUSH_GUARD) -> str:
    """Why ``message`` cannot be pushed as it stands; empty when it can."""
    try:
        guard.check(message.recipient)
    except OutboundRefused as refused:
        if refused.reason == RefusalReason.SCHEME:
            return f"recipient {message.recipient!r} is not a push endpoint URL"
        return f"push endpoint refused: {refused}"
    missing = [key for key in ("p256dh", "auth") if not message.extra.get(key)]
    if missing:
        return f"push subscription keys missing: {', '.join(missing)}"
    size = len(payload.encode())
    if size > MAX_PAYLOAD_BYTES:
        return f"push payload is {size} bytes, the limit is {MAX_PAYLOAD_BYTES}"
    return ""


class WebPushBackend(ChannelBackend):
    """Encrypts each message for its subscription (RFC 8291) and signs with VAPID (RFC 8292)."""

    channel = "push"

    def __init__(
        self,
        sender_address: str,
        ttl: int = DEFAULT_TTL_SECONDS,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        guard: OutboundGuard = PUSH_GUARD,
    ) -> None:
        if not sender_address:
            raise ValueError("WebPushBackend needs a sender address for the VAPID 'sub' claim")
        self.subject = f"mailto:{sender_address}"
        self.ttl = ttl
        self.timeout = timeout
        self.guard = guard
        self._vapid: Vapid | None = None
        self._session: requests.Session | None = None

    def open(self) -> None:
        """Load (or create) the VAPID key and open one HTTP session for the batch."""
        private_key = serialization.load_pem_private_key(
            vapid_keys().private_key_pem.encode(), password=None
        )
        self._vapid = Vapid(private_key)
        self._session = guarded_session(self.guard)

    def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            self._session.close()
        self._session, self._vapid = None, None

    def send(
        self,
        messages: Iterable[OutgoingMessage],
        on_result: Callable[[SendResult], None] | None = None,
    ) -> list[SendResult]:
        """Push each message; a failure is recorded in its result and the batch goes on."""
        opened_here = self._session is None
        if opened_here:
            self.open()
        try:
            results = []
            for message in messages:
                results.append(self._push_safely(message))
                if on_result is not None:
                    on_result(results[-1])
            return results
        finally:
            if opened_here:
                self.close()

    def _push_safely(self, message: OutgoingMessage) -> SendResult:
        """One subscription's failure, whatever raised it, is that message's result only."""
        try:
            return self._push(message)
        except OutboundRefused as refused:
            error = f"push endpoint refused: {refused}"
            return SendResult(message.message_id, ok=False, error=error, permanent=True)
        except (ValueError, TypeError, VapidException) as bad_subscription:
            # Keys or endpoint pywebpush or py_vapid cannot work with: retrying cannot help.
            error = f"cannot push to this subscription: {_describe(bad_subscription)}"
            return SendResult(message.message_id, ok=False, error=error, permanent=True)
        except Exception as unexpected:  # a library's surprise: retried, within MAX_ATTEMPTS
            logger.exception("Push to %s failed", message.recipient)
            error = f"push failed: {_describe(unexpected)}"
            return SendResult(message.message_id, ok=False, error=error)

    def _push(self, message: OutgoingMessage) -> SendResult:
        payload = push_payload(message)
        if problem := push_problem(message, payload, self.guard):
            return SendResult(message.message_id, ok=False, error=problem, permanent=True)
        subscription_info = {
            "endpoint": message.recipient,
            "keys": {"p256dh": message.extra["p256dh"], "auth": message.extra["auth"]},
        }
        try:
            response = webpush(
                subscription_info=subscription_info,
                data=payload,
                vapid_private_key=self._vapid,
                # A fresh dict per message: webpush writes the endpoint's origin into "aud"
                # and would reuse it for the next subscription's (other) push service.
                vapid_claims={"sub": self.subject},
                ttl=self.ttl,
                timeout=self.timeout,
                requests_session=self._session,
            )
        except WebPushException as push_error:
            return self._refusal(message, push_error)
        except (requests.ConnectionError, requests.Timeout) as network_error:
            error = f"push service unreachable: {type(network_error).__name__}: {network_error}"
            return SendResult(message.message_id, ok=False, error=error)
        except ValueError as key_error:
            # Malformed p256dh/auth keys or endpoint: this subscription can never be reached.
            error = f"cannot encrypt for this subscription: {key_error}"
            return SendResult(message.message_id, ok=False, error=error, permanent=True)
        except requests.RequestException as request_error:
            error = f"push request failed: {type(request_error).__name__}: {request_error}"
            return SendResult(message.message_id, ok=False, error=error)
        provider_id = response.headers.get("Location", "")
        return SendResult(message.message_id, ok=True, provider_message_id=provider_id)

    def _refusal(self, message: OutgoingMessage, push_error: WebPushException) -> SendResult:
        status = getattr(push_error.response, "status_code", None)
        if status is None:
            # pywebpush refused the subscription before any request (e.g. a bad p256dh key).
            error = f"invalid push subscription: {push_error.message}"
            return SendResult(message.message_id, ok=False, error=error, permanent=True)
        error = f"push service HTTP {status}"
        if body := push_error.response.text.strip()[:500]:
            error += f": {body}"
        if status not in EXPIRED_STATUSES:
            return SendResult(message.message_id, ok=False, error=error)
        with allow_writes():
            PushSubscription.objects.filter(
                endpoint=message.recipient, expired_at__isnull=True
            ).update(expired_at=timezone.now())
        logger.info("Push subscription expired (HTTP %s): %s", status, message.recipient)
        return SendResult(message.message_id, ok=False, error=error, permanent=True)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]
