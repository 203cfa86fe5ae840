"""The personalization context of a message: plain values only, built per batch.

The template contract (see the shipped templates): contact, shop, campaign, order,
checkout, viewed, search, products, voucher, back_in_stock, replenish, confirm_url,
feedback_url, links, texts. Marketing add-ons (voucher, recommendations) appear in
transactional messages only when the contact has marketing consent.
"""

from collections import defaultdict
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ..catalogue.products import ProductInfo, catalogue, recommend
from ..core.configuration import PluginSettings
from ..events import EventType
from ..events.models import Event
from .links import contact_token, route_url
from .models import Message

RECOMMENDATION_POOL = 24


def product_dict(info: ProductInfo) -> dict:
    return {
        "name": info.name,
        "url": info.url,
        "image_url": info.image_url,
        "price": info.price,
        "currency": info.currency,
    }


class ContextBatch:
    """Fetches trigger events, products and purchase history once for a batch."""

    def __init__(self, messages: list[Message], settings: PluginSettings):
        self.settings = settings
        event_ids = {m.context.get("trigger_event_id") for m in messages} - {None}
        self.events = dict(Event.objects.filter(pk__in=event_ids).values_list("pk", "payload"))
        self.bought: dict[int, set[str]] = defaultdict(set)
        for contact_id, payload in Event.objects.filter(
            contact_id__in={m.contact_id for m in messages}, type=EventType.ORDER_CREATED
        ).values_list("contact_id", "payload"):
            self.bought[contact_id].update(
                line.get("product_id", "") for line in payload.get("lines", [])
            )
        product_ids, categories = set(), set()
        for payload in self.events.values():
            for line in payload.get("lines", []):
                product_ids.add(line.get("product_id", ""))
                categories.add(line.get("category_id", ""))
            if payload.get("product_id"):
                product_ids.add(payload["product_id"])
        shop = catalogue()
        self.products = shop.products(sorted(product_ids - {""}))
        self.pool = shop.candidates(sorted(categories - {""}), RECOMMENDATION_POOL)
        self.recommendations: dict[frozenset[str], list[dict]] = {}

    def build(self, message: Message, marketing_allowed: bool) -> dict:
        contact, payload = (
            message.contact,
            self.events.get(message.context.get("trigger_event_id"), {}),
        )
        language = (contact.language_code or "en").split("-")[0]
        view = self.settings.for_channel(payload.get("channel"))
        token = contact_token(contact.pk, message.pk, message.topic)
        with translation.override(language):
            texts = {
                "unsubscribe": _("Unsubscribe"),
                "preferences": _("Manage preferences"),
                "view_online": _("View online"),
            }
        data = {
            "contact": {
                "first_name": contact.first_name,
                "last_name": contact.last_name,
                "email": contact.email,
                "language": language,
            },
            "shop": {
                # Without a sender name, the storefront's host still names the shop
                # ("News from shop.example.com", not "News from").
                "name": view.sender_name
                or self.settings.sender_name
                or urlsplit(view.storefront_url).hostname
                or "",
                "storefront_url": view.storefront_url,
                "sender_name": view.sender_name,
            },
            "campaign": {"name": message.campaign.name if message.campaign_id else ""},
            "links": {
                "unsubscribe_url": route_url(f"u/{token}/"),
                "preferences_url": route_url(f"p/{token}/"),
                "view_online_url": "",
                "storefront_url": view.storefront_url,
            },
            "texts": texts,
            **{
                key: message.context[key]
                for key in ("confirm_url", "feedback_url")
                if key in message.context
            },
        }
        shown = self._trigger_content(data, payload, view.storefront_url)
        if marketing_allowed:
            data["products"] = self._recommended(frozenset(self.bought[contact.pk] | shown))
            if message.context.get("voucher_code"):
                data["voucher"] = self._voucher(message.context)
        return data

    def _recommended(self, exclude: frozenset[str]) -> list[dict]:
        """Most readers of a batch bought nothing yet: they share one list (copied, so a
        template can never change another reader's)."""
        products = self.recommendations.get(exclude)
        if products is None:
            products = self.recommendations[exclude] = [
                product_dict(info) for info in recommend(self.pool, set(exclude))
            ]
        return [dict(product) for product in products]

    def _line(self, line: dict, currency: str) -> dict:
        info = self.products.get(line.get("product_id", ""))
        return {
            "product_name": line.get("product_name") or (info.name if info else ""),
            "variant_name": line.get("variant_name", ""),
            "quantity": line.get("quantity", 1),
            "unit_price": line.get("unit_price_gross"),
            "currency": currency,
            "image_url": info.image_url if info else "",
            "url": info.url if info else "",
        }

    def _trigger_content(self, data: dict, payload: dict, storefront: str) -> set[str]:
        """Add the order, checkout or viewed products; return the product ids shown."""
        lines = payload.get("lines", [])
        currency = payload.get("currency", "")
        if "order_id" in payload:
            data["order"] = {
                "number": payload.get("number"),
                "total": payload.get("total_gross"),
                "currency": currency,
                "created_at": parse_datetime(payload.get("created_at") or ""),
                "expected_delivery": parse_date(str(payload.get("expected_delivery") or "")[:10])
                or "",
                "url": f"{storefront}/orders/{payload.get('order_id')}/" if storefront else "",
                "lines": [self._line(line, currency) for line in lines],
            }
        elif "token" in payload and lines:
            data["checkout"] = {
                "total": payload.get("total_gross"),
                "currency": currency,
                "recovery_url": payload.get("redirect_url")
                or (f"{storefront}/cart/" if storefront else ""),
                "lines": [self._line(line, currency) for line in lines],
            }
        if payload.get("product_id") and payload["product_id"] in self.products:
            data["viewed"] = {"products": [product_dict(self.products[payload["product_id"]])]}
        if payload.get("query"):
            data["search"] = {
                "query": payload["query"],
                "products": data.get("viewed", {}).get("products", []),
            }
        if payload.get("variant_id") and "contact_id" in payload:
            data["back_in_stock"] = {
                "product_name": payload.get("product_name", ""),
                "variant_name": "",
                "url": storefront,
                "image_url": "",
            }
        return {line.get("product_id", "") for line in lines} | {payload.get("product_id", "")}

    @staticmethod
    def _voucher(context: dict) -> dict:
        valid_until = context.get("voucher_valid_until")
        return {
            "code": context["voucher_code"],
            "discount": context.get("voucher_discount", ""),
            "valid_until": parse_datetime(valid_until) if valid_until else None,
        }
