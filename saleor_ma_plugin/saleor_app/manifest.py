"""The App manifest in App mode: the dashboard app plus the token target and the webhooks."""

from functools import cache
from importlib.resources import files

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..core.host import plugin_settings
from ..dashboard.manifest import app_manifest
from .notify import NOTIFICATION_PERMISSIONS, NOTIFICATIONS, notification_query

#: Saleor async event -> (subscription type, fragment file, fragment, object field).
SUBSCRIPTIONS = {
    "ORDER_CREATED": ("OrderCreated", "order", "MarketingOrder", "order"),
    "ORDER_CONFIRMED": ("OrderConfirmed", "order", "MarketingOrder", "order"),
    "ORDER_FULLY_PAID": ("OrderFullyPaid", "order", "MarketingOrder", "order"),
    "ORDER_CANCELLED": ("OrderCancelled", "order", "MarketingOrder", "order"),
    "ORDER_FULFILLED": ("OrderFulfilled", "order", "MarketingOrder", "order"),
    "ORDER_REFUNDED": ("OrderRefunded", "order", "MarketingOrder", "order"),
    "CHECKOUT_CREATED": ("CheckoutCreated", "checkout", "MarketingCheckout", "checkout"),
    "CHECKOUT_UPDATED": ("CheckoutUpdated", "checkout", "MarketingCheckout", "checkout"),
    "CUSTOMER_CREATED": ("CustomerCreated", "customer", "MarketingCustomer", "user"),
    "CUSTOMER_UPDATED": ("CustomerUpdated", "customer", "MarketingCustomer", "user"),
    "CUSTOMER_DELETED": ("CustomerDeleted", "customer", "MarketingCustomer", "user"),
    "ACCOUNT_CONFIRMED": ("AccountConfirmed", "customer", "MarketingCustomer", "user"),
    # The variant's id is all the stock poll knows too: who waits for it is ours.
    "PRODUCT_VARIANT_BACK_IN_STOCK": (
        "ProductVariantBackInStock",
        "variant",
        "MarketingVariant",
        "productVariant",
    ),
}


#: What the subscriptions read: orders' buyers, checkouts, customers, and variants coming
#: back in stock (the recorded fixtures were rendered for an App holding exactly these).
WEBHOOK_PERMISSIONS = ["MANAGE_ORDERS", "MANAGE_CHECKOUTS", "MANAGE_USERS", "MANAGE_PRODUCTS"]
#: What shop data through the API needs: channel listings, stock and every product
#: (MANAGE_PRODUCTS), vouchers and their codes (MANAGE_DISCOUNTS). Published pages and
#: channels need no permission beyond being an App.
SHOP_DATA_PERMISSIONS = ["MANAGE_PRODUCTS", "MANAGE_DISCOUNTS"]


@cache
def _fragment(name: str) -> str:
    return files(__package__).joinpath("subscriptions", f"{name}.graphql").read_text()


def subscription_query(event: str) -> str:
    """The subscription for one async event: exactly the fields the snapshots read."""
    type_name, fragment_file, fragment, field = SUBSCRIPTIONS[event]
    return (
        f"subscription {{ event {{ ... on {type_name} {{ {field} {{ ...{fragment} }} }} }} }}\n"
        + _fragment(fragment_file)
    )


def marketing_webhook_name(event: str) -> str:
    """The name Saleor keeps for the marketing webhook of ``event`` (the App finds it by it)."""
    return f"Marketing automation: {event.lower()}"


def mail_webhook_name(event: str) -> str:
    """The name Saleor keeps for the transactional mail webhook of ``event``."""
    return f"Marketing automation mail: {event.lower()}"


def webhooks(target_url: str) -> list[dict]:
    marketing = [
        _webhook(marketing_webhook_name(event), event, subscription_query(event))
        for event in SUBSCRIPTIONS
    ]
    # Transactional mails: one more webhook per event, its payload marked ``notification``.
    # Installed active (Saleor creates them once, whatever the settings say); the App
    # switches them off while no transactional mail is enabled (``mail_webhooks``).
    mails = [
        _webhook(mail_webhook_name(event), event, notification_query(event))
        for event in NOTIFICATIONS
    ]
    return [{**hook, "targetUrl": target_url} for hook in marketing + mails]


def _webhook(name: str, event: str, query: str) -> dict:
    return {"name": name, "asyncEvents": [event], "query": query, "isActive": True}


def _absolute_url(request: HttpRequest, name: str) -> str:
    """Where Saleor reaches our endpoint: under ``public_base_url``, else the request's host.

    Saleor fetches the manifest through requests_hardened, whose IP filter (on by default)
    sends the Host header without the port: built from that header, the token target and
    webhook URLs of an App on any port but 80/443 would point at the wrong port.
    """
    public = plugin_settings().public_base_url
    return f"{public}{reverse(name)}" if public else request.build_absolute_uri(reverse(name))


def app_mode_manifest(request: HttpRequest) -> dict:
    manifest = app_manifest(request)
    manifest["permissions"] = sorted(
        {
            *manifest["permissions"],
            *WEBHOOK_PERMISSIONS,
            *SHOP_DATA_PERMISSIONS,
            *NOTIFICATION_PERMISSIONS,
        }
    )
    manifest["tokenTargetUrl"] = _absolute_url(request, "ma-app-register")
    manifest["webhooks"] = webhooks(_absolute_url(request, "ma-app-webhook"))
    return manifest


@require_safe
def manifest_view(request: HttpRequest) -> JsonResponse:
    """The manifest Saleor installs the App from (``/extensions/app/install?manifestUrl=``)."""
    response = JsonResponse(app_mode_manifest(request))
    response["Cache-Control"] = "no-cache"
    return response
