"""How the engine lives inside Saleor: settings from the plugin page, writer access."""

from saleor.core.db.connection import allow_writer
from saleor.plugins.models import PluginConfiguration

from ..core import host
from ..core.configuration import PluginSettings, configuration_as_mapping, parse_configuration

PLUGIN_ID = "saleor_ma_plugin"


def load_settings() -> PluginSettings:
    """The global configuration row as the admin saved it; defaults when there is none."""
    from ..plugin import MarketingAutomationPlugin

    with allow_writer():
        stored = (
            PluginConfiguration.objects.filter(identifier=PLUGIN_ID, channel__isnull=True)
            .values_list("configuration", flat=True)
            .first()
        )
    values = configuration_as_mapping(MarketingAutomationPlugin.DEFAULT_CONFIGURATION)
    values.update(configuration_as_mapping(stored or []))
    return parse_configuration(values)


def _catalogue():
    from .catalogue import SaleorCatalogue

    return SaleorCatalogue()


def _variants_in_stock(variant_ids):
    from .catalogue import variants_in_stock

    return variants_in_stock(variant_ids)


def _issue_voucher(request):
    from .vouchers import issue_saleor_code

    return issue_saleor_code(request)


def _authenticate(request):
    from .auth import saleor_requestor

    return saleor_requestor(request)


def _create_codes(request, count):
    from .vouchers import create_saleor_codes

    return create_saleor_codes(request, count)


def _activate_codes(codes):
    from .vouchers import activate_saleor_codes

    activate_saleor_codes(codes)


def install_saleor_host() -> None:
    """Tell the engine how to live inside Saleor."""
    host.install(
        host.HostIntegration(
            name="saleor",
            load_settings=load_settings,
            writer_context=allow_writer,
            route_prefix=f"/plugins/global/{PLUGIN_ID}",
            catalogue=_catalogue,
            issue_voucher=_issue_voucher,
            create_voucher_codes=_create_codes,
            activate_voucher_codes=_activate_codes,
            variants_in_stock=_variants_in_stock,
            authenticate=_authenticate,
        )
    )
