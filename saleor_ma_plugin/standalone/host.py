"""How the engine lives in the standalone host: settings from Django, its own tables.

The standalone host has no shop: the catalogue and stock are our own tables
(``catalogue``), voucher codes live only in our table, and Django's auth decides who may
use the admin API (superusers, and staff with our permissions).
"""

from django.conf import settings

from ..catalogue.content import StandaloneContent
from ..catalogue.models import standalone_variants_in_stock
from ..catalogue.products import StandaloneCatalogue
from ..core import host
from ..core.auth import ANONYMOUS, DJANGO_CODENAMES, MarketingPermission, Requestor, RequestorKind
from ..core.configuration import PluginSettings, parse_configuration
from ..vouchers.codes import create_standalone_codes, issue_standalone_code


def load_settings() -> PluginSettings:
    return parse_configuration(getattr(settings, "SALEOR_MA_PLUGIN", {}))


def standalone_requestor(request) -> Requestor:
    """Django's own auth in the standalone host: superusers and staff with our permissions."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    if not user.is_staff:
        return Requestor(RequestorKind.CUSTOMER, str(user.pk), user.email)
    granted = {
        permission
        for permission in MarketingPermission.values
        if user.is_superuser or user.has_perm(f"saleor_ma_plugin.{DJANGO_CODENAMES[permission]}")
    }
    return Requestor(RequestorKind.STAFF, str(user.pk), user.email, frozenset(granted))


def _nothing_to_activate(codes) -> None:
    """Codes of the standalone host live only in our table: nothing to switch on."""


STANDALONE = host.HostIntegration(
    name="standalone",
    load_settings=load_settings,
    issue_voucher=issue_standalone_code,
    create_voucher_codes=create_standalone_codes,
    activate_voucher_codes=_nothing_to_activate,
    authenticate=standalone_requestor,
    catalogue=StandaloneCatalogue,
    variants_in_stock=standalone_variants_in_stock,
    content=StandaloneContent,
)


def install_standalone_host() -> None:
    host.install(STANDALONE)
