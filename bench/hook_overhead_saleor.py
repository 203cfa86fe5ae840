"""Saleor half of hook_overhead.py: checkoutComplete with our plugin on and off.

Runs in-process through Saleor's GraphQL view (Django's test client, real commits, no
test transaction) so only Saleor's request path is timed, not an HTTP stack.
"""

import json
import os
import random
import time

os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("SECRET_KEY", "hook-overhead-bench")

import django

django.setup()

from _common import Timing, result_line  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from saleor.app.models import App  # noqa: E402
from saleor.channel.models import Channel  # noqa: E402
from saleor.graphql.core.utils import to_global_id_or_none  # noqa: E402
from saleor.permission.models import Permission  # noqa: E402
from saleor.plugins.models import PluginConfiguration  # noqa: E402
from saleor.product.models import ProductVariant  # noqa: E402
from saleor.warehouse.models import Stock  # noqa: E402
from saleor.webhook.models import Webhook, WebhookEvent  # noqa: E402

from saleor_ma_plugin.events.models import Event  # noqa: E402
from saleor_ma_plugin.saleor.configuration import PLUGIN_ID  # noqa: E402

ADDRESS = {
    "firstName": "Anna",
    "lastName": "Berg",
    "streetAddress1": "1470 Pinewood Avenue",
    "city": "Michigan",
    "postalCode": "49855",
    "country": "US",
    "countryArea": "MI",
}
CHECKOUT_CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id shippingMethods { id active } }
    errors { field code message }
  }
}"""
DELIVERY_UPDATE = """
mutation($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    errors { field code message }
  }
}"""
CHECKOUT_COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) { order { id number } errors { field code message } }
}"""
MODES = ("plugin inactive", "plugin active", "webhook anchor")


class Shop:
    def __init__(self) -> None:
        self.client = Client()
        self.channel = Channel.objects.get(slug=settings.DEFAULT_CHANNEL_SLUG)
        self.channel.allow_unpaid_orders = True
        self.channel.save(update_fields=["allow_unpaid_orders"])
        self.variant = self._purchasable_variant()
        anchor_app, _ = App.objects.get_or_create(name="hook-overhead anchor", is_active=True)
        # Saleor only delivers ORDER_CREATED to apps allowed to see orders.
        anchor_app.permissions.add(
            Permission.objects.get(codename="manage_orders", content_type__app_label="order")
        )
        self.webhook, _ = Webhook.objects.get_or_create(
            app=anchor_app,
            name="hook-overhead anchor",
            defaults={"target_url": "http://127.0.0.1:9/anchor", "is_active": False},
        )
        WebhookEvent.objects.get_or_create(webhook=self.webhook, event_type="order_created")

    def graphql(self, query: str, variables: dict) -> dict:
        response = self.client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        )
        content = response.json()
        if "errors" in content:
            raise RuntimeError(content["errors"])
        return content["data"]

    def _purchasable_variant(self) -> ProductVariant:
        candidates = ProductVariant.objects.filter(
            channel_listings__channel=self.channel,
            channel_listings__price_amount__gt=0,
            product__channel_listings__channel=self.channel,
            product__channel_listings__is_published=True,
            product__product_type__is_shipping_required=True,
        ).order_by("pk")
        for variant in candidates[:50]:
            Stock.objects.filter(product_variant=variant).update(quantity=10_000_000)
            try:
                self.prepared_checkout(variant)
            except RuntimeError:
                continue
            return variant
        raise RuntimeError("no purchasable variant found; run populatedb first")

    def prepared_checkout(self, variant: ProductVariant | None = None) -> str:
        variant = variant or self.variant
        data = self.graphql(
            CHECKOUT_CREATE,
            {
                "input": {
                    "channel": self.channel.slug,
                    "email": "bench@example.com",
                    "lines": [{"quantity": 1, "variantId": to_global_id_or_none(variant)}],
                    "shippingAddress": ADDRESS,
                    "billingAddress": ADDRESS,
                }
            },
        )["checkoutCreate"]
        methods = [
            m["id"] for m in (data["checkout"] or {}).get("shippingMethods", []) if m["active"]
        ]
        if data["errors"] or not methods:
            raise RuntimeError(data["errors"] or "no shipping method")
        checkout_id = data["checkout"]["id"]
        errors = self.graphql(DELIVERY_UPDATE, {"id": checkout_id, "method": methods[0]})[
            "checkoutDeliveryMethodUpdate"
        ]["errors"]
        if errors:
            raise RuntimeError(errors)
        return checkout_id

    def use_mode(self, mode: str) -> None:
        PluginConfiguration.objects.update_or_create(
            identifier=PLUGIN_ID,
            channel=None,
            defaults={"active": mode == "plugin active", "configuration": []},
        )
        Webhook.objects.filter(pk=self.webhook.pk).update(is_active=mode == "webhook anchor")

    def timed_complete(self, checkout_id: str) -> float:
        started = time.perf_counter()
        data = self.graphql(CHECKOUT_COMPLETE, {"id": checkout_id})["checkoutComplete"]
        elapsed = (time.perf_counter() - started) * 1000
        if data["errors"]:
            raise RuntimeError(data["errors"])
        return elapsed


def run(rounds: int) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        raise SystemExit(
            "Set CELERY_BROKER_URL: eager Celery would run every task in the request."
        )
    shop = Shop()
    samples: dict[str, list[float]] = {mode: [] for mode in MODES}
    events_before = Event.objects.count()
    for mode in MODES:  # warm-up: first requests pay for imports and caches
        shop.use_mode(mode)
        shop.timed_complete(shop.prepared_checkout())
    for _ in range(rounds):
        order = list(MODES)
        random.shuffle(order)  # interleaved and shuffled: drift hits every mode alike
        for mode in order:
            shop.use_mode(mode)
            checkout_id = shop.prepared_checkout()
            samples[mode].append(shop.timed_complete(checkout_id))
    shop.use_mode("plugin inactive")
    timings = {mode: Timing(tuple(values)) for mode, values in samples.items()}
    baseline = timings["plugin inactive"].median
    broker = settings.CELERY_BROKER_URL
    print(f"Saleor checkoutComplete, {rounds} interleaved rounds, broker {broker}")
    for mode in MODES:
        print(timings[mode].describe(mode) + f"   ratio {timings[mode].median / baseline:.3f}")
    print(f"events recorded by the plugin: {Event.objects.count() - events_before}")
    print(
        result_line(
            "hook_overhead_saleor_webhook_anchor",
            timings["webhook anchor"].median,
            "ms",
            baseline,
            1.05,
        )
    )
    print(
        result_line("hook_overhead_saleor", timings["plugin active"].median, "ms", baseline, 1.05)
    )
