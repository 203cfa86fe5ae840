"""Which Redis holds the plugin's own keys (storefront rate limits, the send journal)."""

import os

from django.conf import settings

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """Django setting ``SALEOR_MA_REDIS_URL``, else ``REDIS_URL``, else the local default."""
    return (
        getattr(settings, "SALEOR_MA_REDIS_URL", "")
        or os.environ.get("REDIS_URL", "")
        or DEFAULT_REDIS_URL
    )
