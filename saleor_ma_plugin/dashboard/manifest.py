"""The Saleor App manifest the plugin serves at ``<plugin route>/manifest/``.

Installing it (``manage.py marketing_dashboard_install``, or the Dashboard's
``/extensions/app/install?manifestUrl=...``) registers the app and its mounts. The app
needs no App token: it calls the plugin's own API with the token AppBridge hands it, which
Saleor verifies in-process, so the manifest has no ``tokenTargetUrl`` and no webhooks.
"""

from importlib.metadata import PackageNotFoundError, version

from django.http import HttpRequest

from ..core.host import current, plugin_settings

APP_ID = "saleor-ma-plugin"
#: Reading and managing campaigns processes customer data (MANAGE_USERS); voucher steps
#: hand out discounts (MANAGE_DISCOUNTS). The token AppBridge gives carries the
#: intersection of these and the staff user's own permissions.
PERMISSIONS = ["MANAGE_USERS", "MANAGE_DISCOUNTS"]
READ = ["MANAGE_USERS"]


def _version() -> str:
    try:
        return version("saleor-ma-plugin")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0"


def app_base_url(request: HttpRequest | None) -> str:
    """Absolute URL of the app, as the admin's browser reaches it (trailing slash).

    The plugin's ``public_base_url`` setting says where browsers reach this API; without
    it, the URL the manifest was requested on is used.
    """
    path = f"{current().route_prefix}/dashboard/"
    public = plugin_settings().public_base_url
    if public:
        return f"{public}{path}"
    if request is None:
        raise ValueError("Set the plugin's public_base_url, or pass the request.")
    return request.build_absolute_uri(path)


def app_manifest(request: HttpRequest | None) -> dict:
    app_url = app_base_url(request)
    return {
        "id": APP_ID,
        "version": _version(),
        "name": "Marketing automation",
        "about": (
            "Campaigns, flows and reports of the saleor-ma-plugin marketing automation: "
            "welcome series, abandoned checkouts, newsletters, attribution."
        ),
        "author": "saleor-ma-plugin contributors",
        "permissions": PERMISSIONS,
        "appUrl": app_url,
        "requiredSaleorVersion": ">=3.22",
        "extensions": [
            {
                "identifier": "campaigns",
                "label": "Marketing automation",
                "mount": "NAVIGATION_CUSTOMERS",
                "target": "APP_PAGE",
                "url": "/",
                "permissions": READ,
            },
            {
                "identifier": "automation-revenue",
                "label": "Automation revenue, last 30 days",
                "mount": "HOMEPAGE_WIDGETS",
                "target": "WIDGET",
                "url": f"{app_url}widgets/revenue",
                "permissions": READ,
                "options": {"homeWidgetTarget": {"method": "GET"}},
            },
            {
                "identifier": "order-attribution",
                "label": "Marketing attribution",
                "mount": "ORDER_DETAILS_WIDGETS",
                "target": "WIDGET",
                "url": f"{app_url}widgets/order",
                "permissions": READ,
                "options": {"widgetTarget": {"method": "GET"}},
            },
            {
                "identifier": "customer-profile",
                "label": "Open marketing profile",
                "mount": "CUSTOMER_DETAILS_MORE_ACTIONS",
                "target": "APP_PAGE",
                "url": "/contacts/customer",
                "permissions": READ,
            },
        ],
    }
