"""How the engine lives inside Saleor: settings from the plugin page, writer access, shop data."""

from saleor.core.db.connection import allow_writer
from saleor.plugins.models import PluginConfiguration

from ..core import host
from ..core.configuration import PluginSettings, configuration_as_mapping, parse_configuration
from ..core.configuration_store import StoredConfiguration, fingerprint
from .auth import saleor_requestor
from .catalogue import SaleorCatalogue, variants_in_stock
from .configuration import DEFAULT_CONFIGURATION, PLUGIN_ID, MarketingAutomationPluginInfo
from .content import SaleorContent
from .vouchers import activate_saleor_codes, create_saleor_codes, issue_saleor_code


def _global_row(for_update: bool = False):
    rows = PluginConfiguration.objects.filter(identifier=PLUGIN_ID, channel__isnull=True)
    return (rows.select_for_update() if for_update else rows).first()


def load_configuration(for_update: bool = False) -> StoredConfiguration:
    """The global configuration row (what Saleor's plugin page edits) over the defaults."""
    with allow_writer():
        row = _global_row(for_update)
    stored = row.configuration if row else []
    values = configuration_as_mapping(DEFAULT_CONFIGURATION)
    values.update(configuration_as_mapping(stored or []))
    return StoredConfiguration(values=values, version=fingerprint(stored or []))


def save_configuration(changes: dict) -> None:
    """Write changed values into Saleor's configuration row, as its plugin page would.

    Items keep Saleor's ``{"name", "value"}`` shape; one missing from the row is added.
    Saleor reads the row again on its next request (each request builds its manager).
    """
    with allow_writer():
        row = _global_row(for_update=True)
        if row is None:
            row = PluginConfiguration(
                identifier=PLUGIN_ID,
                channel=None,
                name=MarketingAutomationPluginInfo.NAME,
                description=MarketingAutomationPluginInfo.DESCRIPTION,
                active=False,
                configuration=[dict(item) for item in DEFAULT_CONFIGURATION],
            )
        items = [dict(item) for item in (row.configuration or [])]
        present = {item.get("name") for item in items}
        for item in items:
            if item.get("name") in changes:
                item["value"] = changes[item["name"]]
        items += [
            {"name": name, "value": value}
            for name, value in changes.items()
            if name not in present
        ]
        row.configuration = items
        row.save()


def load_settings() -> PluginSettings:
    """The global configuration row as the admin saved it; defaults when there is none."""
    return parse_configuration(load_configuration().values)


def install_saleor_host() -> None:
    """Tell the engine how to live inside Saleor."""
    host.install(
        host.HostIntegration(
            name="saleor",
            load_settings=load_settings,
            load_configuration=load_configuration,
            save_configuration=save_configuration,
            writer_context=allow_writer,
            route_prefix=f"/plugins/global/{PLUGIN_ID}",
            catalogue=SaleorCatalogue,
            issue_voucher=issue_saleor_code,
            create_voucher_codes=create_saleor_codes,
            activate_voucher_codes=activate_saleor_codes,
            variants_in_stock=variants_in_stock,
            content=SaleorContent,
            authenticate=saleor_requestor,
        )
    )
