"""What a message shows of the shop: the order, checkout, search, variant or product it is about.

Everything comes from the trigger event's snapshot and the shop's catalogue as it is now
(the price today, the picture the shop shows), fetched once per batch: a batch of search
follow-ups searches each phrase once, however many readers share it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.dateparse import parse_date, parse_datetime

from ..catalogue.products import Catalogue, ProductInfo, VariantInfo
from ..core.configuration import ChannelView, PluginSettings, fill_link
from .links import contact_token, route_url
from .models import Message

#: Products a search follow-up shows.
SEARCH_MATCHES = 4
#: Stars of the built-in rating page.
RATINGS = (1, 2, 3, 4, 5)


def product_dict(info: ProductInfo, name: str = "") -> dict:
    return {
        "name": name or info.name,
        "url": info.url,
        "image_url": info.image_url,
        "price": info.price,
        "currency": info.currency,
    }


@dataclass(frozen=True)
class Reader:
    """The parts of one message the shop content depends on."""

    message: Message
    payload: dict
    view: ChannelView
    #: The reader's language, primary subtag ("de").
    language: str


class ShopContent:
    """Catalogue data for one batch of messages, looked up once."""

    def __init__(self, shop: Catalogue, settings: PluginSettings, products, variants, languages):
        self.shop, self.settings, self.languages = shop, settings, sorted(languages)
        self.products: dict[str, ProductInfo] = products
        self.variants: dict[str, VariantInfo] = variants
        self.searches: dict[str, list[ProductInfo]] = {}
        self.names: dict[tuple[str, str, str], str] = {}
        self.learned: dict[str, set[str]] = {"product": set(), "variant": set()}
        self.learn(
            [*products.values(), *(variant.product for variant in variants.values())],
            list(variants),
        )

    def learn(self, infos, variant_ids=()) -> None:
        """Fetch the names in the batch's languages of products (and variants) not seen yet:
        one query per call, however many readers show them."""
        products = sorted({info.product_id for info in infos} - self.learned["product"])
        variants = sorted(set(variant_ids) - self.learned["variant"])
        if not self.languages or not (products or variants):
            return
        self.learned["product"].update(products)
        self.learned["variant"].update(variants)
        self.names.update(self.shop.translated_names(products, variants, self.languages))

    def name(self, info: ProductInfo, language: str) -> str:
        return self.names.get(("product", info.product_id, language), info.name)

    def shown(self, info: ProductInfo, language: str) -> dict:
        """A product as a message shows it, named in the reader's language."""
        return product_dict(info, self.name(info, language))

    @staticmethod
    def wanted(messages: list[Message], payloads: dict) -> tuple[set[str], set[str]]:
        """Product and variant ids the batch's messages will show."""
        product_ids, variant_ids = set(), set()
        for message in messages:
            payload = payloads.get(message.context.get("trigger_event_id"), {})
            product_ids.add(message.context.get("replenish_product_id", ""))
            offers = message.context.get("consumables", [])
            product_ids.update(item["product_id"] for item in offers)
            variant_ids.add(message.context.get("replenish_variant_id", ""))
            variant_ids.add(payload.get("variant_id", "") if "contact_id" in payload else "")
            product_ids.add(payload.get("product_id", ""))
            product_ids.update(line.get("product_id", "") for line in payload.get("lines", []))
        return product_ids - {""}, variant_ids - {""}

    def add(self, data: dict, reader: Reader) -> set[str]:
        """Add what the message is about to ``data``; return the product ids it shows."""
        payload, storefront, language = reader.payload, reader.view.storefront_url, reader.language
        lines = payload.get("lines", [])
        currency = payload.get("currency", "")
        if "order_id" in payload:
            data["order"] = self._order(payload, storefront, language)
            data.update(self._feedback(reader))
        elif "token" in payload and lines:
            data["checkout"] = {
                "total": payload.get("total_gross"),
                "currency": currency,
                "recovery_url": payload.get("redirect_url")
                or (f"{storefront}/cart/" if storefront else ""),
                "lines": [self._line(line, currency, language) for line in lines],
            }
        if payload.get("product_id") in self.products:
            viewed = self.products[payload["product_id"]]
            data["viewed"] = {"products": [self.shown(viewed, language)]}
        if payload.get("query"):
            data["search"] = self._search(str(payload["query"]), storefront, language)
        # Only a "notify me" event names the variant the reader waits for.
        waited = payload.get("variant_id", "") if "contact_id" in payload else ""
        variant = self.variants.get(waited)
        if variant is not None:
            product_name = self.name(variant.product, language)
            variant_name = self.names.get(("variant", variant.variant_id, language), variant.name)
            data["back_in_stock"] = {
                **product_dict(variant.product, product_name),
                "product_name": product_name,
                "variant_name": variant_name if variant.name != variant.product.name else "",
            }
        replenished = self._replenish(reader)
        if replenished:
            data["replenish"] = replenished
        shown = {line.get("product_id", "") for line in lines} | {payload.get("product_id", "")}
        return shown | {reader.message.context.get("replenish_product_id", "")}

    def _line(self, line: dict, currency: str, language: str) -> dict:
        info = self.products.get(line.get("product_id", ""))
        translated = self.names.get(("product", line.get("product_id", ""), language))
        variant = self.names.get(("variant", line.get("variant_id", ""), language))
        return {
            "product_name": translated or line.get("product_name") or (info.name if info else ""),
            "variant_name": variant or line.get("variant_name", ""),
            "quantity": line.get("quantity", 1),
            "unit_price": line.get("unit_price_gross"),
            "currency": currency,
            "image_url": info.image_url if info else line.get("image_url", ""),
            "url": info.url if info else "",
        }

    def _order(self, payload: dict, storefront: str, language: str) -> dict:
        created = parse_datetime(payload.get("created_at") or "")
        earliest, latest = delivery_window(payload, created)
        currency = payload.get("currency", "")
        return {
            "number": payload.get("number"),
            "total": payload.get("total_gross"),
            "subtotal": payload.get("subtotal_gross"),
            "shipping": payload.get("shipping_gross"),
            "currency": currency,
            "created_at": created,
            "shipping_method": payload.get("shipping_method_name", ""),
            "expected_delivery": latest or "",
            "expected_delivery_earliest": earliest or "",
            "url": payload.get("order_url")
            or (f"{storefront}/orders/{payload.get('order_id')}/" if storefront else ""),
            "tracking_number": payload.get("tracking_number", ""),
            "tracking_url": payload.get("tracking_url", ""),
            "lines": [self._line(line, currency, language) for line in payload.get("lines", [])],
        }

    def _search(self, query: str, storefront: str, language: str) -> dict:
        if query not in self.searches:
            self.searches[query] = self.shop.search(query, SEARCH_MATCHES)
            self.learn(self.searches[query])
        return {
            "query": query,
            "products": [self.shown(info, language) for info in self.searches[query]],
            "url": fill_link(self.settings.search_url, storefront, query=query),
        }

    def _replenish(self, reader: Reader) -> dict:
        context = reader.message.context
        info = self.products.get(context.get("replenish_product_id", ""))
        if info is None:
            return {"days": context["replenish_days"]} if "replenish_days" in context else {}
        variant_id = context.get("replenish_variant_id", "")
        quantity = context.get("replenish_quantity", 1)
        reorder = fill_link(
            self.settings.reorder_url,
            reader.view.storefront_url,
            variant_id=variant_id,
            product_id=info.product_id,
            quantity=quantity,
        )
        variant = self.variants.get(variant_id)
        return {
            **self.shown(info, reader.language),
            "product_name": self.name(info, reader.language),
            "variant_name": self.names.get(
                ("variant", variant_id, reader.language), getattr(variant, "name", "")
            ),
            "quantity": quantity,
            "days": context.get("replenish_days"),
            "in_stock": info.in_stock,
            "reorder_url": reorder or info.url,
        }

    def consumables(self, reader: Reader) -> list[dict]:
        """The order's products that run out, each with its days and a one-click reorder."""
        shown = []
        for item in reader.message.context.get("consumables", []):
            info = self.products.get(item["product_id"])
            if info is None:
                continue
            reorder = fill_link(
                self.settings.reorder_url,
                reader.view.storefront_url,
                variant_id=item.get("variant_id", ""),
                product_id=info.product_id,
                quantity=item.get("quantity", 1),
            )
            shown.append(
                {
                    **self.shown(info, reader.language),
                    "product_name": self.name(info, reader.language),
                    "days": item["days"],
                    "reorder_url": reorder or info.url,
                }
            )
        return shown

    def _feedback(self, reader: Reader) -> dict:
        """The shop's own review page if it has one, else our rating page with its stars."""
        payload, message = reader.payload, reader.message
        own = fill_link(
            self.settings.feedback_url,
            reader.view.storefront_url,
            order_id=payload.get("order_id", ""),
            order_number=payload.get("number", ""),
            email=message.contact.email,
        )
        if own:
            return {"feedback_url": own, "feedback": {"url": own, "ratings": []}}
        page = route_url(f"f/{contact_token(message.contact_id, message.pk, message.topic)}/")
        ratings = [{"value": value, "url": f"{page}?rating={value}"} for value in RATINGS]
        return {"feedback_url": page, "feedback": {"url": page, "ratings": ratings}}


def delivery_window(payload: dict, created: datetime | None) -> tuple[date | None, date | None]:
    """Earliest and latest delivery date: the shipping method's days after the order.

    A date the snapshot already carries (``expected_delivery``) wins over the estimate.
    """
    given = parse_date(str(payload.get("expected_delivery") or "")[:10])
    if given:
        return given, given
    days = payload.get("delivery_days") or []
    if created is None or not days:
        return None, None
    low, high = (min(days), max(days)) if len(days) > 1 else (days[0], days[0])
    start = created.date()
    return start + timedelta(days=int(low)), start + timedelta(days=int(high))
