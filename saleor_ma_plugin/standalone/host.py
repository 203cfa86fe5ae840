"""How the engine lives in the standalone host: settings from Django, its own tables.

The standalone host has no shop of its own: the catalogue and stock are our own tables
(``catalogue``), voucher codes live only in our table, and Django's auth decides who may
use the admin API (superusers, and staff with our permissions). Serving a Saleor as an
App (``SALEOR_MA_APP_SALEOR_API_URL`` set), it asks that Saleor's API for catalogue,
stock, content and voucher codes instead (``saleor_app/host.py``).
"""

import dataclasses

from django.conf import settings
from django.db.backends.signals import connection_created

from ..catalogue.content import StandaloneContent
from ..catalogue.models import standalone_variants_in_stock
from ..catalogue.products import StandaloneCatalogue
from ..core import host
from ..core.auth import ANONYMOUS, DJANGO_CODENAMES, MarketingPermission, Requestor, RequestorKind
from ..core.configuration import PluginSettings, parse_configuration
from ..core.configuration_store import StoredConfiguration, fingerprint
from ..core.database import load_timestamps_in_c
from ..core.models import StandaloneSettings
from ..saleor_app.host import app_mode, app_shop_data
from ..saleor_app.mail_webhooks import switch_after_commit
from ..saleor_app.staff import bearer_token, dashboard_requestor
from ..vouchers.codes import create_standalone_codes, issue_standalone_code


def _fixed() -> dict:
    """Values of the Django setting: they win, and the dashboard cannot change them."""
    return dict(getattr(settings, "SALEOR_MA_PLUGIN", {}))


def load_configuration(for_update: bool = False) -> StoredConfiguration:
    """What the dashboard saved, under the values of the Django setting."""
    rows = StandaloneSettings.objects.order_by("pk")
    row = (rows.select_for_update() if for_update else rows).first()
    saved = dict(row.values) if row else {}
    fixed = _fixed()
    return StoredConfiguration(
        values={**saved, **fixed}, version=fingerprint(saved), locked=frozenset(fixed)
    )


def save_configuration(changes: dict) -> None:
    row = StandaloneSettings.objects.select_for_update().order_by("pk").first()
    if row is None:
        StandaloneSettings.objects.create(values=changes)
    else:
        row.values = {**row.values, **changes}
        row.save(update_fields=["values", "updated_at"])


def save_app_configuration(changes: dict) -> None:
    """App mode: also switch Saleor's mail webhooks when the transactional mails change."""
    save_configuration(changes)
    switch_after_commit(changes)


def load_settings() -> PluginSettings:
    if not StandaloneSettings.objects.exists():
        return parse_configuration(_fixed())
    return parse_configuration(load_configuration().values)


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


def app_mode_requestor(request) -> Requestor:
    """App mode: the Dashboard's staff token when one is sent (the app inside Saleor's
    Dashboard), else Django's own sign-in as without App mode."""
    token = bearer_token(request)
    return dashboard_requestor(token) if token else standalone_requestor(request)


def _nothing_to_activate(codes) -> None:
    """Codes of the standalone host live only in our table: nothing to switch on."""


STANDALONE = host.HostIntegration(
    name="standalone",
    load_settings=load_settings,
    load_configuration=load_configuration,
    save_configuration=save_configuration,
    issue_voucher=issue_standalone_code,
    create_voucher_codes=create_standalone_codes,
    activate_voucher_codes=_nothing_to_activate,
    authenticate=standalone_requestor,
    catalogue=StandaloneCatalogue,
    variants_in_stock=standalone_variants_in_stock,
    content=StandaloneContent,
)


def install_standalone_host() -> None:
    """The standalone host; serving a Saleor as an App, with that Saleor's shop data."""
    host.install(standalone_integration())
    # Our own process: its connections may load timestamps the fast way (Saleor's are left
    # as Saleor configures them).
    connection_created.connect(load_timestamps_in_c, dispatch_uid="saleor_ma_c_timestamps")


def standalone_integration() -> host.HostIntegration:
    if not app_mode():
        return STANDALONE
    return dataclasses.replace(
        STANDALONE,
        name="saleor_app",
        authenticate=app_mode_requestor,
        save_configuration=save_app_configuration,
        **app_shop_data(),
    )
