"""What the host (Saleor or the standalone host) lends the engine.

Domain code never imports ``saleor``. Where it needs something only the host knows (the
admin's plugin settings, Saleor's rule that Celery tasks must ask before writing, the
shop's catalogue and vouchers), it asks this module; the app installs the integration of
the host it starts in (``saleor/host.py`` or ``standalone/host.py``).
"""

import functools
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .configuration import PluginSettings


class ShopUnavailable(Exception):
    """The shop's data could not be had now (its API is down or refused us).

    Whoever builds a message from shop data lets this pass: the batch is tried again
    later instead of a message going out without the products or code it promises.
    """


@dataclass(frozen=True)
class HostIntegration:
    """Callables provided by the host the app runs in."""

    name: str
    #: The admin's settings as the host stores them.
    load_settings: Callable[[], PluginSettings]
    #: Creates a single-use code in the shop for a VoucherRequest; returns an IssuedCode.
    issue_voucher: Callable
    #: Creates ``count`` inactive codes ahead of need (VoucherRequest, count) -> [IssuedCode].
    create_voucher_codes: Callable
    #: Switches pooled codes on when they are given to someone.
    activate_voucher_codes: Callable
    #: Who sent an HTTP request: returns a ``core.auth.Requestor``.
    authenticate: Callable
    #: Returns the Catalogue (products, recommendations) of the shop.
    catalogue: Callable
    #: Given variant ids, returns the set of those in stock.
    variants_in_stock: Callable[[list[str]], set[str]]
    #: Returns the ContentCatalogue (product lists, editorial pages) for content blocks.
    content: Callable
    #: The stored raw settings (``configuration_store.StoredConfiguration``); called with
    #: True inside a transaction to lock them for a change.
    load_configuration: Callable[[bool], Any]
    #: Stores changed raw settings by name (validated and locked by the caller).
    save_configuration: Callable[[dict[str, Any]], None]
    #: Saleor routes task queries to a read replica unless a block allows writes.
    writer_context: Callable[[], AbstractContextManager] = nullcontext
    #: Path under which the host serves our routes ("" standalone, the plugin route in Saleor).
    route_prefix: str = ""


_current: HostIntegration | None = None


def install(integration: HostIntegration) -> None:
    """Make ``integration`` the one the engine uses from now on."""
    global _current
    _current = integration
    forget_settings()


def current() -> HostIntegration:
    """The host integration in force (installed as the app starts)."""
    if _current is None:
        raise ImproperlyConfigured("No host integration: the app installs one when it starts.")
    return _current


#: Settings are read at most this often: the send loop asks for them per message.
SETTINGS_TTL_SECONDS = 10.0
_settings_cache: tuple[float, PluginSettings] | None = None


def plugin_settings() -> PluginSettings:
    """The admin's settings, as the host stores them (cached for a few seconds)."""
    global _settings_cache
    now = time.monotonic()
    if _settings_cache is None or now - _settings_cache[0] > SETTINGS_TTL_SECONDS:
        _settings_cache = (now, current().load_settings())
    return _settings_cache[1]


def forget_settings() -> None:
    """Drop the cached settings, e.g. right after the admin saved new ones."""
    global _settings_cache
    _settings_cache = None


def allow_writes() -> AbstractContextManager:
    """A context in which a Celery task may read and write the primary database."""
    return current().writer_context() if _current is not None else nullcontext()


def with_writes(function):
    """Run a whole worker entry point against the primary database."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with allow_writes():
            return function(*args, **kwargs)

    return wrapper
