"""What the host (Saleor or the standalone host) lends the engine.

Domain code never imports ``saleor``. Where it needs something only the host knows (the
admin's plugin settings, Saleor's rule that Celery tasks must ask before writing), it asks
this module; the Saleor adapter installs its implementation when the app starts inside
Saleor, and the standalone host keeps the defaults below.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from django.conf import settings

from .configuration import PluginSettings, parse_configuration


def _settings_from_django() -> PluginSettings:
    return parse_configuration(getattr(settings, "SALEOR_MA_PLUGIN", {}))


@dataclass(frozen=True)
class HostIntegration:
    """Callables provided by the host the app runs in."""

    name: str
    load_settings: Callable[[], PluginSettings] = _settings_from_django
    #: Saleor routes task queries to a read replica unless a block allows writes.
    writer_context: Callable[[], AbstractContextManager] = nullcontext


STANDALONE = HostIntegration(name="standalone")
_current = STANDALONE


def install(integration: HostIntegration) -> None:
    """Make ``integration`` the one the engine uses from now on."""
    global _current
    _current = integration


def current() -> HostIntegration:
    """The host integration in force."""
    return _current


def plugin_settings() -> PluginSettings:
    """The admin's settings, as the host stores them."""
    return _current.load_settings()


def allow_writes() -> AbstractContextManager:
    """A context in which a Celery task may write to the primary database."""
    return _current.writer_context()
