"""The key behind every signature the plugin makes (webhooks, tracking links, tokens)."""

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

from .host import plugin_settings


def signing_key() -> bytes:
    """The admin's signing secret, or one derived from SECRET_KEY when none is set."""
    return _derive(plugin_settings().signing_secret, settings.SECRET_KEY)


@lru_cache(maxsize=8)
def _derive(secret: str, django_secret: str) -> bytes:
    if secret:
        return secret.encode()
    return hashlib.sha256(f"saleor-ma-plugin:{django_secret}".encode()).digest()


def sign(body: bytes) -> str:
    """Hex HMAC-SHA256 of ``body``."""
    return hmac.new(signing_key(), body, hashlib.sha256).hexdigest()
