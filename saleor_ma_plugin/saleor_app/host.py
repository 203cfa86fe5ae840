"""App mode's shop data: what the standalone host asks Saleor's API for instead of its tables.

The standalone host keeps its settings, admin sign-in and our tables; with
``SALEOR_MA_APP_SALEOR_API_URL`` set it serves one Saleor as an App, and its catalogue,
stock, content blocks and voucher codes come from that Saleor (``standalone/host.py``).
"""

from .catalogue import AppCatalogue, variants_in_stock
from .content import AppContent
from .views import configured_api_url
from .vouchers import codes_are_live, create_app_codes, issue_app_code


def app_mode() -> bool:
    """Whether the standalone host serves a Saleor as an App."""
    return bool(configured_api_url())


def app_shop_data() -> dict:
    """The ``HostIntegration`` fields App mode answers through Saleor's API."""
    return {
        "catalogue": AppCatalogue,
        "variants_in_stock": variants_in_stock,
        "content": AppContent,
        "issue_voucher": issue_app_code,
        "create_voucher_codes": create_app_codes,
        "activate_voucher_codes": codes_are_live,
    }
