"""Settings of the standalone host.

Embedded defaults (SQLite file, Celery tasks run in-process) need nothing installed;
``DATABASE_URL=postgres://...`` and ``CELERY_BROKER_URL=redis://...`` switch to the real
services the product runs on inside Saleor.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(os.environ.get("SALEOR_MA_DATA_DIR", Path.cwd()))


def database_from_url(url: str) -> dict:
    """Django database settings from ``postgres://user:pass@host:port/name`` or ``sqlite:///path``."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path[1:]) or ":memory:",
        }
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL scheme {parts.scheme!r} is not supported")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        # A kept session the server closed (a restart, a failover) is found before use.
        "CONN_HEALTH_CHECKS": True,
    }


SECRET_KEY = os.environ.get("SECRET_KEY", "standalone-host-development-key-not-for-production")
#: Off unless asked (DEBUG=1): Django's query log would grow a worker's memory with every
#: query and skew every measurement.
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "templated_mail",
    "saleor_ma_plugin",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "saleor_ma_plugin.standalone.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The dashboard's login page (saleor_ma_plugin.dashboard is not an app of its own).
        "DIRS": [Path(__file__).resolve().parent.parent / "dashboard" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]

#: The dashboard app at /dashboard/ signs in with Django's own login.
LOGIN_URL = "/dashboard/login/"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/dashboard/login/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'saleor_ma_plugin.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("pl", "Polski")]
USE_I18N = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shop@example.com")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker, run tasks in-process, as Saleor itself does.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
#: The queue our tasks go to and our worker takes from. An App beside Saleor sharing its
#: Redis database needs its own: on Saleor's default queue "celery", Saleor's worker would
#: take our tasks (it knows them when the plugin is installed too) and run them on Saleor's
#: database.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_BEAT_SCHEDULE: dict = {}
# With Redis, the cache is shared by all workers (it de-duplicates wake-ups across them).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CELERY_BROKER_URL,
    }
    if CELERY_BROKER_URL.startswith("redis")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

#: The admin's plugin settings, in the same shape as Saleor's plugin configuration page.
SALEOR_MA_PLUGIN = {
    "sender_name": os.environ.get("SALEOR_MA_SENDER_NAME", "Demo Shop"),
    "sender_address": os.environ.get("SALEOR_MA_SENDER_ADDRESS", "shop@example.com"),
    "storefront_url": os.environ.get("SALEOR_MA_STOREFRONT_URL", "http://localhost:3000"),
    "public_base_url": os.environ.get("SALEOR_MA_PUBLIC_BASE_URL", "http://localhost:8000"),
    "double_opt_in": True,
    # The sender's postal address, printed in every marketing mail (required to activate
    # marketing campaigns); a made-up one for tests and development.
    "imprint": os.environ.get(
        "SALEOR_MA_IMPRINT", "Demo Shop GmbH\nBeispielstraße 1\n10115 Berlin\nGermany"
    ),
}

#: App mode: the one Saleor API URL this host serves as a Saleor App ("" = not an App).
SALEOR_MA_APP_SALEOR_API_URL = os.environ.get("SALEOR_MA_APP_SALEOR_API_URL", "")
#: Let the App reach a Saleor on an internal host or port (its API and key set).
SALEOR_MA_APP_ALLOW_INTERNAL = os.environ.get("SALEOR_MA_APP_ALLOW_INTERNAL", "0") == "1"
#: The channel whose listing gives a product's price (Saleor's DEFAULT_CHANNEL_SLUG).
SALEOR_MA_APP_DEFAULT_CHANNEL = os.environ.get("SALEOR_MA_APP_DEFAULT_CHANNEL", "default-channel")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"saleor_ma_plugin": {"handlers": ["console"], "level": "INFO"}},
}
