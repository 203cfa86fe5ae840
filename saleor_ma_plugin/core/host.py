"""What the host (Saleor or the standalone host) lends the engine.

Domain code never imports ``saleor``. Where it needs something only the host knows (the
admin's plugin settings, Saleor's rule that Celery tasks must ask before writing), it asks
this module; the Saleor adapter installs its implementation when the app starts inside
Saleor, and the standalone host keeps the defaults below.
"""

import functools
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from django.conf import settings

from .configuration import PluginSettings, parse_configuration


def _settings_from_django() -> PluginSettings:
    return parse_configuration(getattr(settings, "SALEOR_MA_PLUGIN", {}))


def _standalone_voucher_issuer(request):
    from ..vouchers.issuing import issue_standalone_code

    return issue_standalone_code(request)


def _standalone_create_codes(request, count):
    from ..vouchers.issuing import create_standalone_codes

    return create_standalone_codes(request, count)


def _nothing_to_activate(codes):
    """The standalone host's codes live only in our table: nothing to switch on."""


def _standalone_catalogue():
    from ..catalogue.products import StandaloneCatalogue

    return StandaloneCatalogue()


def _standalone_authenticate(request):
    from ..graphql_api.core.auth import standalone_requestor

    return standalone_requestor(request)


def _standalone_stock(variant_ids):
    from ..catalogue.models import standalone_variants_in_stock

    return standalone_variants_in_stock(variant_ids)


@dataclass(frozen=True)
class HostIntegration:
    """Callables provided by the host the app runs in."""

    name: str
    load_settings: Callable[[], PluginSettings] = _settings_from_django
    #: Saleor routes task queries to a read replica unless a block allows writes.
    writer_context: Callable[[], AbstractContextManager] = nullcontext
    #: Creates a single-use code in the shop for a VoucherRequest; returns an IssuedCode.
    issue_voucher: Callable = _standalone_voucher_issuer
    #: Creates ``count`` inactive codes ahead of need (VoucherRequest, count) -> [IssuedCode].
    create_voucher_codes: Callable = _standalone_create_codes
    #: Switches pooled codes on when they are given to someone.
    activate_voucher_codes: Callable = _nothing_to_activate
    #: Path under which the host serves our routes ("" standalone, the plugin route in Saleor).
    route_prefix: str = ""
    #: Who sent an API request: returns a graphql_api Requestor.
    authenticate: Callable = _standalone_authenticate
    #: Returns the Catalogue (products, recommendations) of the shop.
    catalogue: Callable = _standalone_catalogue
    #: Given variant ids, returns the set of those in stock.
    variants_in_stock: Callable[[list[str]], set[str]] = _standalone_stock


STANDALONE = HostIntegration(name="standalone")
_current = STANDALONE


def install(integration: HostIntegration) -> None:
    """Make ``integration`` the one the engine uses from now on."""
    global _current
    _current = integration
    forget_settings()


def current() -> HostIntegration:
    """The host integration in force."""
    return _current


#: Settings are read at most this often: the send loop asks for them per message.
SETTINGS_TTL_SECONDS = 10.0
_settings_cache: tuple[float, PluginSettings] | None = None


def plugin_settings() -> PluginSettings:
    """The admin's settings, as the host stores them (cached for a few seconds)."""
    global _settings_cache
    now = time.monotonic()
    if _settings_cache is None or now - _settings_cache[0] > SETTINGS_TTL_SECONDS:
        _settings_cache = (now, _current.load_settings())
    return _settings_cache[1]


def forget_settings() -> None:
    """Drop the cached settings, e.g. right after the admin saved new ones."""
    global _settings_cache
    _settings_cache = None


def allow_writes() -> AbstractContextManager:
    """A context in which a Celery task may read and write the primary database."""
    return _current.writer_context()


def with_writes(function):
    """Run a whole worker entry point against the primary database."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with allow_writes():
            return function(*args, **kwargs)

    return wrapper
