"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) keyed from a setting."""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    """Keyed by ``SALEOR_MA_APP_ENCRYPTION_KEY`` when set, else derived from ``SECRET_KEY``."""
    secret = getattr(settings, "SALEOR_MA_APP_ENCRYPTION_KEY", "") or settings.SECRET_KEY
    digest = hashlib.sha256(f"saleor-ma-app-token:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
