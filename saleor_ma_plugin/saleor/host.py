"""How the engine lives inside Saleor: settings from the plugin page, writer access, shop data."""

from saleor.core.db.connection import allow_writer
from saleor.plugins.models import PluginConfiguration

from ..core import host
from ..core.configuration import PluginSettings, configuration_as_mapping, parse_configuration
from .auth import saleor_requestor
from .catalogue import SaleorCatalogue, variants_in_stock
from .configuration import DEFAULT_CONFIGURATION, PLUGIN_ID
from .content import SaleorContent
from .vouchers import activate_saleor_codes, create_saleor_codes, issue_saleor_code


def load_settings() -> PluginSettings:
    """The global configuration row as the admin saved it; defaults when there is none."""
    with allow_writer():
        stored = (
            PluginConfiguration.objects.filter(identifier=PLUGIN_ID, channel__isnull=True)
            .values_list("configuration", flat=True)
            .first()
        )
    values = configuration_as_mapping(DEFAULT_CONFIGURATION)
    values.update(configuration_as_mapping(stored or []))
    return parse_configuration(values)


def install_saleor_host() -> None:
    """Tell the engine how to live inside Saleor."""
    host.install(
        host.HostIntegration(
            name="saleor",
            load_settings=load_settings,
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
