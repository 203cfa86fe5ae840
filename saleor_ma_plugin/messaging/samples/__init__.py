"""Example data for previewing the default email templates.

``sample_context("de", "abandoned_checkout_3")`` returns the context a real send of that
template would receive, filled with a small coffee shop ("Kaffee & Co"). Product pictures are
inline SVG data URIs drawn here, so a preview never contacts another host.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from .catalogue import GROUND_FILTER, SHOP_NAME, STOREFRONT, WHOLE_BEAN, line, product, total
from .newsletter import newsletter_content
from .pictures import hero_image, product_image

#: Footer labels, as the renderer supplies them per language.
TEXTS = {
    "en": {
        "unsubscribe": "Unsubscribe",
        "preferences": "Manage preferences",
        "view_online": "View in browser",
    },
    "de": {
        "unsubscribe": "Abmelden",
        "preferences": "Einstellungen verwalten",
        "view_online": "Im Browser ansehen",
    },
}
API = "https://api.kaffee-und-co.example"
CONFIRM_URL = f"{API}/m/confirm/8d1e07c4b2"


@dataclass(frozen=True)
class Sample:
    """What one preview is built from: its language and the hour it pretends it is."""

    lang: str
    now: datetime

    def products(self, *keys: str) -> list[dict]:
        return [product(self.lang, key) for key in keys]

    def voucher(self, code: str, days: int, percent: int = 10) -> dict:
        discount = f"{percent} %" if self.lang == "de" else f"{percent}%"
        return {"code": code, "discount": discount, "valid_until": self.now + timedelta(days=days)}

    def order(self, days_ago: int = 0) -> dict:
        now = self.now - timedelta(days=days_ago)
        lines = [line(self.lang, "espresso", 2, WHOLE_BEAN), line(self.lang, "dripper", 1)]
        return {
            "number": "10482",
            "total": total(lines),
            "currency": "EUR",
            "created_at": now - timedelta(hours=1),
            "expected_delivery": now.date() + timedelta(days=3),
            "url": f"{STOREFRONT}/{self.lang}/account/orders/10482",
            "lines": lines,
        }

    def checkout(self) -> dict:
        lines = [line(self.lang, "ethiopia", 1, GROUND_FILTER), line(self.lang, "grinder", 1)]
        return {
            "total": total(lines),
            "currency": "EUR",
            "recovery_url": f"{STOREFRONT}/{self.lang}/checkout?token=3f2c9a",
            "lines": lines,
        }


def _base(lang: str, template_key: str) -> dict:
    contact = (
        {"first_name": "Lena", "last_name": "Hoffmann", "email": "lena.hoffmann@example.de"}
        if lang == "de"
        else {"first_name": "Emma", "last_name": "Brooks", "email": "emma.brooks@example.com"}
    )
    token = f"sample-{template_key}"
    return {
        "contact": {**contact, "language": lang},
        "shop": {
            "name": SHOP_NAME,
            "storefront_url": f"{STOREFRONT}/{lang}",
            "sender_name": SHOP_NAME,
        },
        "campaign": {"name": template_key.replace("_", " ").capitalize()},
        "links": {
            "unsubscribe_url": f"{API}/m/unsubscribe/{token}",
            "preferences_url": f"{API}/m/preferences/{token}",
            "view_online_url": f"{API}/m/view/{token}",
            "storefront_url": f"{STOREFRONT}/{lang}",
        },
        "texts": dict(TEXTS[lang]),
    }


def _replenish(sample: Sample) -> dict:
    espresso = product(sample.lang, "espresso")
    return {
        "replenish": {"product_name": espresso["name"], "url": espresso["url"], "days": 30},
        "products": sample.products("ethiopia", "decaf"),
    }


def _back_in_stock(sample: Sample) -> dict:
    grinder = product(sample.lang, "grinder")
    return {
        "back_in_stock": {
            "product_name": grinder["name"],
            "variant_name": "Walnuss" if sample.lang == "de" else "Walnut",
            "url": grinder["url"],
            "image_url": grinder["image_url"],
        },
        "products": sample.products("dripper", "beans"),
    }


def _search(sample: Sample) -> dict:
    query = "entkoffeiniert" if sample.lang == "de" else "decaf"
    return {"search": {"query": query, "products": sample.products("decaf", "beans")}}


def _with_shipping(order: dict, shipping: str) -> dict:
    """An order whose total adds shipping to its lines (an order confirmation's totals)."""
    grand_total = Decimal(order["total"]) + Decimal(shipping)
    return {**order, "subtotal": order["total"], "shipping": shipping, "total": str(grand_total)}


def _everything(sample: Sample) -> dict:
    """An unknown (custom) template: offer everything a template might use."""
    return {
        "confirm_url": CONFIRM_URL,
        "feedback_url": f"{STOREFRONT}/{sample.lang}/feedback/10482",
        "order": sample.order(),
        "checkout": sample.checkout(),
        "voucher": sample.voucher("SAMPLE-0000", 14),
        "products": sample.products("espresso", "ethiopia", "dripper", "cup"),
        "content": newsletter_content(sample.lang, one_off=False),
    }


#: What each default template reads, besides the base (contact, shop, links, texts).
FILLERS: dict[str, Callable[[Sample], dict]] = {
    "double_opt_in_confirmation": lambda s: {"confirm_url": CONFIRM_URL},
    "welcome_1": lambda s: {"products": s.products("espresso", "ethiopia", "dripper", "beans")},
    "welcome_2": lambda s: {"products": s.products("beans", "grinder")},
    "welcome_3": lambda s: {
        "voucher": s.voucher("WELCOME-7KQ2", 14),
        "products": s.products("espresso", "ethiopia"),
    },
    "newsletter": lambda s: {
        "content": newsletter_content(s.lang, one_off=False),
        "products": s.products("ethiopia", "dripper", "beans", "cup"),
    },
    "standalone": lambda s: {
        "content": newsletter_content(s.lang, one_off=True),
        "products": s.products("beans", "ethiopia"),
    },
    "order_delivery_forecast": lambda s: {"order": s.order()},
    "order_confirmation": lambda s: {
        "order": _with_shipping(s.order(), "4.90"),
        "consumables": [
            {
                **product(s.lang, "espresso"),
                "product_name": product(s.lang, "espresso")["name"],
                "days": 30,
                "reorder_url": f"{STOREFRONT}/{s.lang}/cart/add?product=espresso",
            }
        ],
    },
    "order_shipped": lambda s: {
        "order": {
            **s.order(days_ago=1),
            "tracking_number": "00340434161094042557",
            "tracking_url": "https://tracking.example.com/00340434161094042557",
        }
    },
    "password_reset": lambda s: {
        "reset_url": f"{STOREFRONT}/{s.lang}/reset-password?email=sample&token=sample-token"
    },
    "account_confirmation": lambda s: {
        "account_confirm_url": f"{STOREFRONT}/{s.lang}/account/confirm?email=sample&token=sample"
    },
    "email_change_request": lambda s: {
        "change_email_url": f"{STOREFRONT}/{s.lang}/account/email?token=sample-token",
        "account": {"old_email": "anna@example.com", "new_email": "anna.berg@example.com"},
    },
    "email_changed": lambda s: {
        "account": {"old_email": "anna@example.com", "new_email": "anna.berg@example.com"}
    },
    "account_delete": lambda s: {
        "delete_url": f"{STOREFRONT}/{s.lang}/account/delete?token=sample-token"
    },
    "set_password": lambda s: {
        "password_set_url": f"{STOREFRONT}/{s.lang}/account/set-password?token=sample-token"
    },
    "invoice_ready": lambda s: {
        "invoice": {"number": "2026/03/0042", "url": f"{API}/media/invoices/sample.pdf"}
    },
    "order_confirmed": lambda s: {
        "order": s.order(),
        "products": s.products("grinder", "cup"),
    },
    "shipping_update": lambda s: {
        "order": {
            **s.order(days_ago=1),
            "tracking_number": "00340434161094042558",
            "tracking_url": "https://tracking.example.com/00340434161094042558",
        }
    },
    "payment_confirmation": lambda s: {
        "order": s.order(),
        "payment": {"amount": s.order()["total"], "currency": "EUR"},
    },
    "order_canceled": lambda s: {"order": s.order()},
    "order_refunded": lambda s: {
        "order": s.order(),
        "refund": {"amount": "19.90", "currency": "EUR"},
    },
    "gift_card": lambda s: {
        "gift_card": {"code": "GIFT-7H2K-Q9XM", "amount": "50.00", "currency": "EUR"}
    },
    "order_feedback_request": lambda s: {
        "order": s.order(),
        "feedback_url": f"{STOREFRONT}/{s.lang}/feedback/10482",
    },
    "order_cross_sell": lambda s: {
        "order": s.order(days_ago=14),
        "products": s.products("grinder", "cup", "ethiopia", "decaf"),
    },
    "post_purchase_upsell": lambda s: {
        "order": s.order(days_ago=14),
        "products": s.products("grinder", "beans"),
    },
    "thank_you_voucher": lambda s: {"order": s.order(), "voucher": s.voucher("THANKS-M4XR", 30)},
    "abandoned_checkout_1": lambda s: {"checkout": s.checkout()},
    "abandoned_checkout_2": lambda s: {
        "checkout": s.checkout(),
        "products": s.products("dripper", "cup"),
    },
    "abandoned_checkout_3": lambda s: {
        "checkout": s.checkout(),
        "voucher": s.voucher("CART-9PLD", 7),
    },
    "browse_abandonment": lambda s: {
        "viewed": {"products": s.products("grinder", "dripper", "cup")}
    },
    "search_abandonment": _search,
    "win_back_1": lambda s: {"products": s.products("ethiopia", "beans", "cup", "dripper")},
    "win_back_2": lambda s: {
        "voucher": s.voucher("COMEBACK-3TSV", 14, percent=15),
        "products": s.products("espresso", "ethiopia"),
    },
    "birthday": lambda s: {
        "voucher": s.voucher("BDAY-H6WN", 30, percent=15),
        "products": s.products("cup", "beans"),
    },
    "replenishment_reminder": _replenish,
    "nurture_1": lambda s: {"products": s.products("espresso", "ethiopia", "beans", "dripper")},
    "nurture_2": lambda s: {"products": s.products("grinder", "dripper")},
    "nurture_3": lambda s: {"products": s.products("beans", "cup")},
    "nurture_offer": lambda s: {
        "voucher": s.voucher("HELLO-R2JB", 14),
        "products": s.products("beans", "grinder"),
    },
    "back_in_stock": _back_in_stock,
}


def sample_context(language: str, template_key: str) -> dict:
    """A realistic context for previewing ``template_key`` in ``language`` ("en" or "de")."""
    lang = "de" if language.lower().startswith("de") else "en"
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    fill = FILLERS.get(template_key, _everything)
    return {**_base(lang, template_key), **fill(Sample(lang, now))}


def sample_texts(language: str) -> dict:
    """The footer labels for ``language``."""
    return dict(TEXTS["de" if language.lower().startswith("de") else "en"])


__all__ = ["TEXTS", "hero_image", "product_image", "sample_context", "sample_texts"]
