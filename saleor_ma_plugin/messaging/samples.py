"""Example data for previewing the default email templates.

``sample_context("de", "abandoned_checkout_3")`` returns the context a real send of that
template would receive, filled with a small coffee shop ("Kaffee & Co"). Product pictures are
inline SVG data URIs drawn here, so a preview never contacts another host.
"""

import base64
from datetime import UTC, datetime, timedelta
from decimal import Decimal

SHOP_NAME = "Kaffee & Co"
STOREFRONT = "https://shop.kaffee-und-co.example"

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

# --------------------------------------------------------------------------- pictures

_FONT = "-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif"


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _bag(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        '<ellipse cx="200" cy="338" rx="110" ry="14" fill="#000" opacity=".08"/>'
        f'<path d="M120 110 L280 110 L296 330 L104 330 Z" fill="{body}"/>'
        f'<path d="M120 110 L280 110 L284 150 L116 150 Z" fill="#000" opacity=".12"/>'
        f'<rect x="112" y="92" width="176" height="22" rx="4" fill="{body}"/>'
        f'<circle cx="200" cy="235" r="52" fill="{label}"/>'
        f'<path d="M200 205 C180 222 180 248 200 265 C220 248 220 222 200 205 Z" fill="{body}"/>'
        f'<path d="M200 210 C194 228 206 242 200 260" stroke="{label}" stroke-width="4" '
        'fill="none"/>'
    )


def _cup(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        f'<ellipse cx="200" cy="310" rx="120" ry="22" fill="{label}"/>'
        f'<path d="M118 170 L282 170 L268 290 Q200 312 132 290 Z" fill="{body}"/>'
        f'<path d="M280 190 Q330 190 326 228 Q322 262 272 262" stroke="{body}" '
        'stroke-width="14" fill="none"/>'
        '<ellipse cx="200" cy="170" rx="82" ry="12" fill="#000" opacity=".18"/>'
        f'<path d="M170 140 C160 120 182 108 172 86 M200 140 C190 118 212 106 202 80 '
        f'M230 140 C220 120 242 108 232 86" stroke="{body}" stroke-width="6" '
        'stroke-linecap="round" fill="none" opacity=".45"/>'
    )


def _dripper(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        '<ellipse cx="200" cy="336" rx="100" ry="12" fill="#000" opacity=".08"/>'
        f'<path d="M110 110 L290 110 L236 230 L164 230 Z" fill="{body}"/>'
        f'<rect x="96" y="100" width="208" height="16" rx="8" fill="{body}"/>'
        f'<rect x="150" y="230" width="100" height="14" rx="4" fill="{body}"/>'
        f'<path d="M160 250 L240 250 L252 330 L148 330 Z" fill="{label}"/>'
        f'<path d="M200 246 L200 290" stroke="{body}" stroke-width="5" opacity=".5"/>'
    )


def _grinder(bg: str, body: str, label: str) -> str:
    return (
        f'<rect width="400" height="400" fill="{bg}"/>'
        '<ellipse cx="200" cy="336" rx="96" ry="12" fill="#000" opacity=".08"/>'
        f'<rect x="136" y="180" width="128" height="150" rx="10" fill="{body}"/>'
        f'<rect x="150" y="130" width="100" height="56" rx="8" fill="{label}"/>'
        f'<rect x="192" y="96" width="16" height="40" fill="{body}"/>'
        f'<path d="M200 100 L290 80" stroke="{body}" stroke-width="10" stroke-linecap="round"/>'
        f'<circle cx="292" cy="80" r="14" fill="{label}"/>'
        f'<circle cx="200" cy="260" r="10" fill="{label}"/>'
    )


def _beans(bg: str, body: str, label: str) -> str:
    beans = "".join(
        f'<g transform="translate({x} {y}) rotate({r})">'
        f'<ellipse rx="34" ry="24" fill="{body}"/>'
        f'<path d="M-28 0 C-10 -10 10 10 28 0" stroke="{label}" stroke-width="4" fill="none"/>'
        "</g>"
        for x, y, r in (
            (150, 170, -20),
            (250, 160, 25),
            (200, 240, 5),
            (130, 270, 40),
            (270, 260, -35),
        )
    )
    return f'<rect width="400" height="400" fill="{bg}"/>' + beans


_DRAWINGS = {
    "bag": _bag,
    "cup": _cup,
    "dripper": _dripper,
    "grinder": _grinder,
    "beans": _beans,
}


def product_image(
    kind: str, bg: str = "#efe6da", body: str = "#6b4a32", label: str = "#f7f1e8"
) -> str:
    """A square product picture as an SVG data URI."""
    inner = _DRAWINGS[kind](bg, body, label)
    return _svg_uri(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" '
        f'width="400" height="400">{inner}</svg>'
    )


def hero_image(title: str = "") -> str:
    """A wide header picture (2:1) as an SVG data URI."""
    text = ""
    if title:
        text = (
            f'<text x="80" y="318" font-family="{_FONT}" font-size="64" font-weight="700" '
            f'fill="#fbf6ef">{_xml_escape(title)}</text>'
        )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 600" width="1200" '
        'height="600"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        '<stop offset="0" stop-color="#8a5a3c"/><stop offset="1" stop-color="#3b2a20"/>'
        '</linearGradient></defs><rect width="1200" height="600" fill="url(#g)"/>'
        '<circle cx="930" cy="300" r="210" fill="#f3e7d7" opacity=".12"/>'
        '<ellipse cx="900" cy="450" rx="190" ry="30" fill="#1f1510" opacity=".35"/>'
        '<path d="M770 250 L1030 250 L1008 420 Q900 456 792 420 Z" fill="#f3e7d7"/>'
        '<path d="M1026 280 Q1100 280 1094 336 Q1088 390 1012 390" stroke="#f3e7d7" '
        'stroke-width="20" fill="none"/>'
        '<ellipse cx="900" cy="250" rx="130" ry="18" fill="#5a3b28"/>'
        '<path d="M860 210 C845 180 878 160 862 126 M905 210 C890 176 923 156 907 116 '
        'M950 210 C935 180 968 160 952 126" stroke="#f3e7d7" stroke-width="9" '
        'stroke-linecap="round" fill="none" opacity=".5"/>'
        f"{text}</svg>"
    )
    return _svg_uri(svg)


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- catalogue

_CATALOGUE = {
    # key: (en name, de name, price, drawing, background)
    "espresso": (
        "House Blend Espresso, 500\u00a0g",
        "Espresso Hausmischung, 500\u00a0g",
        "14.90",
        "bag",
        "#efe6da",
    ),
    "ethiopia": (
        "Ethiopia Yirgacheffe Filter, 250\u00a0g",
        "Äthiopien Yirgacheffe Filter, 250\u00a0g",
        "11.50",
        "bag",
        "#e3ebe4",
    ),
    "decaf": (
        "Swiss Water Decaf, 250\u00a0g",
        "Entkoffeiniert Swiss Water, 250\u00a0g",
        "9.90",
        "bag",
        "#ece4ef",
    ),
    "dripper": ("Ceramic Pour-Over Dripper", "Keramik-Handfilter", "24.00", "dripper", "#e6ecf0"),
    "grinder": ("Hand Grinder Classic", "Handmühle Classic", "59.00", "grinder", "#f0e9df"),
    "cup": (
        "Stoneware Cappuccino Cup",
        "Cappuccino-Tasse aus Steinzeug",
        "16.50",
        "cup",
        "#f2e8e1",
    ),
    "beans": (
        "Tasting Set: Three Origins",
        "Probierset: Drei Herkünfte",
        "19.90",
        "beans",
        "#e9e6dc",
    ),
}

_SLUGS = {
    "espresso": "espresso-hausmischung",
    "ethiopia": "aethiopien-yirgacheffe",
    "decaf": "decaf-swiss-water",
    "dripper": "keramik-handfilter",
    "grinder": "handmuehle-classic",
    "cup": "cappuccino-tasse",
    "beans": "probierset-drei-herkuenfte",
}


def _product(lang: str, key: str) -> dict:
    en, de, price, drawing, bg = _CATALOGUE[key]
    return {
        "name": de if lang == "de" else en,
        "url": f"{STOREFRONT}/{lang}/products/{_SLUGS[key]}",
        "image_url": product_image(drawing, bg=bg),
        "price": price,
        "currency": "EUR",
    }


def _line(lang: str, key: str, quantity: int, variant: dict[str, str] | None = None) -> dict:
    product = _product(lang, key)
    return {
        "product_name": product["name"],
        "variant_name": (variant or {}).get(lang, ""),
        "quantity": quantity,
        "unit_price": product["price"],
        "currency": "EUR",
        "image_url": product["image_url"],
        "url": product["url"],
    }


def _total(lines: list[dict]) -> str:
    return str(sum(Decimal(line["unit_price"]) * line["quantity"] for line in lines))


WHOLE_BEAN = {"en": "Whole bean", "de": "Ganze Bohne"}
GROUND_FILTER = {"en": "Ground for filter", "de": "Gemahlen für Filter"}


# --------------------------------------------------------------------------- contexts


def _newsletter_content(lang: str, one_off: bool) -> dict:
    if lang == "de":
        if one_off:
            return {
                "headline": "Unsere Frühlingsröstung ist da",
                "intro": "Ab heute gibt es eine kleine Menge unserer neuen Röstung: fruchtig, "
                "hell und nur so lange der Vorrat reicht.",
                "body_paragraphs": [
                    "Die Bohnen stammen von einer Kooperative im Hochland von Kolumbien, mit "
                    "der wir seit drei Jahren zusammenarbeiten. In der Tasse erwarten dich "
                    "Noten von roter Johannisbeere, Rohrzucker und Orangenschale.",
                    "Am besten entfaltet sie sich im Handfilter: 15 g Kaffee auf 250 ml "
                    "Wasser bei etwa 94 °C.",
                ],
                "cta_label": "Frühlingsröstung entdecken",
                "cta_url": f"{STOREFRONT}/de/collections/fruehling",
                "hero_image_url": hero_image(),
            }
        return {
            "headline": "Drei Wege zum besseren Filterkaffee",
            "intro": "Diesmal im Newsletter: kleine Handgriffe mit großer Wirkung, eine neue "
            "Herkunft im Sortiment und ein Blick in unsere Rösterei.",
            "body_paragraphs": [
                "Mahle frisch und etwas gröber, als du denkst: Läuft der Filter zu langsam, "
                "wird der Kaffee schnell bitter. Eine Körnung wie grobes Meersalz ist ein "
                "guter Startpunkt.",
                "Spüle das Papier vorher mit heißem Wasser. So schmeckst du den Kaffee und "
                "nicht das Papier.",
                "Gönn dem Kaffeemehl 30 Sekunden zum Aufblühen, bevor du den Rest des "
                "Wassers in ruhigen Kreisen aufgießt.",
            ],
            "cta_label": "Alle Brühtipps lesen",
            "cta_url": f"{STOREFRONT}/de/journal/filterkaffee",
            "hero_image_url": hero_image(),
        }
    if one_off:
        return {
            "headline": "Our spring roast has landed",
            "intro": "Starting today we have a small batch of our new roast: bright, fruity and "
            "available only while it lasts.",
            "body_paragraphs": [
                "The beans come from a cooperative in the Colombian highlands we have worked "
                "with for three years. Expect notes of redcurrant, cane sugar and orange zest.",
                "It shines as a pour-over: 15 g of coffee to 250 ml of water at about 94 °C.",
            ],
            "cta_label": "Discover the spring roast",
            "cta_url": f"{STOREFRONT}/en/collections/spring",
            "hero_image_url": hero_image(),
        }
    return {
        "headline": "Three ways to a better filter coffee",
        "intro": "In this issue: small habits that make a big difference, a new origin on our "
        "shelves and a look inside our roastery.",
        "body_paragraphs": [
            "Grind fresh, and a little coarser than you think: if the water drains too "
            "slowly, the cup turns bitter. Coarse sea salt is a good starting point.",
            "Rinse the paper filter with hot water first, so you taste the coffee and not "
            "the paper.",
            "Give the grounds 30 seconds to bloom before pouring the rest of the water in "
            "slow, steady circles.",
        ],
        "cta_label": "Read all brewing tips",
        "cta_url": f"{STOREFRONT}/en/journal/filter-coffee",
        "hero_image_url": hero_image(),
    }


def _base(lang: str, template_key: str) -> dict:
    if lang == "de":
        contact = {
            "first_name": "Lena",
            "last_name": "Hoffmann",
            "email": "lena.hoffmann@example.de",
            "language": "de",
        }
    else:
        contact = {
            "first_name": "Emma",
            "last_name": "Brooks",
            "email": "emma.brooks@example.com",
            "language": "en",
        }
    token = f"sample-{template_key}"
    return {
        "contact": contact,
        "shop": {
            "name": SHOP_NAME,
            "storefront_url": f"{STOREFRONT}/{lang}",
            "sender_name": SHOP_NAME,
        },
        "campaign": {"name": template_key.replace("_", " ").capitalize()},
        "links": {
            "unsubscribe_url": f"https://api.kaffee-und-co.example/m/unsubscribe/{token}",
            "preferences_url": f"https://api.kaffee-und-co.example/m/preferences/{token}",
            "view_online_url": f"https://api.kaffee-und-co.example/m/view/{token}",
            "storefront_url": f"{STOREFRONT}/{lang}",
        },
        "texts": dict(TEXTS[lang]),
    }


def _order(lang: str, now: datetime) -> dict:
    lines = [
        _line(lang, "espresso", 2, WHOLE_BEAN),
        _line(lang, "dripper", 1),
    ]
    return {
        "number": "10482",
        "total": _total(lines),
        "currency": "EUR",
        "created_at": now - timedelta(hours=1),
        "expected_delivery": now.date() + timedelta(days=3),
        "url": f"{STOREFRONT}/{lang}/account/orders/10482",
        "lines": lines,
    }


def _checkout(lang: str) -> dict:
    lines = [
        _line(lang, "ethiopia", 1, GROUND_FILTER),
        _line(lang, "grinder", 1),
    ]
    return {
        "total": _total(lines),
        "currency": "EUR",
        "recovery_url": f"{STOREFRONT}/{lang}/checkout?token=3f2c9a",
        "lines": lines,
    }


def _voucher(now: datetime, code: str, discount: str, days: int) -> dict:
    return {"code": code, "discount": discount, "valid_until": now + timedelta(days=days)}


def sample_context(language: str, template_key: str) -> dict:
    """A realistic context for previewing ``template_key`` in ``language`` ("en" or "de")."""
    lang = "de" if language.lower().startswith("de") else "en"
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    ctx = _base(lang, template_key)
    percent = "10 %" if lang == "de" else "10%"
    fifteen = "15 %" if lang == "de" else "15%"

    def products(*keys: str) -> list[dict]:
        return [_product(lang, key) for key in keys]

    key = template_key
    if key == "double_opt_in_confirmation":
        ctx["confirm_url"] = "https://api.kaffee-und-co.example/m/confirm/8d1e07c4b2"
    elif key == "welcome_1":
        ctx["products"] = products("espresso", "ethiopia", "dripper", "beans")
    elif key == "welcome_2":
        ctx["products"] = products("beans", "grinder")
    elif key == "welcome_3":
        ctx["voucher"] = _voucher(now, "WELCOME-7KQ2", percent, 14)
        ctx["products"] = products("espresso", "ethiopia")
    elif key in ("newsletter", "standalone"):
        ctx["content"] = _newsletter_content(lang, one_off=key == "standalone")
        ctx["products"] = (
            products("ethiopia", "dripper", "beans", "cup")
            if key == "newsletter"
            else products("beans", "ethiopia")
        )
    elif key in ("order_delivery_forecast", "order_feedback_request"):
        ctx["order"] = _order(lang, now)
        if key == "order_feedback_request":
            ctx["feedback_url"] = f"{STOREFRONT}/{lang}/feedback/10482"
    elif key in ("order_cross_sell", "post_purchase_upsell"):
        ctx["order"] = _order(lang, now - timedelta(days=14))
        ctx["products"] = (
            products("grinder", "cup", "ethiopia", "decaf")
            if key == "order_cross_sell"
            else products("grinder", "beans")
        )
    elif key == "thank_you_voucher":
        ctx["order"] = _order(lang, now)
        ctx["voucher"] = _voucher(now, "THANKS-M4XR", percent, 30)
    elif key.startswith("abandoned_checkout_"):
        ctx["checkout"] = _checkout(lang)
        if key == "abandoned_checkout_3":
            ctx["voucher"] = _voucher(now, "CART-9PLD", percent, 7)
        if key == "abandoned_checkout_2":
            ctx["products"] = products("dripper", "cup")
    elif key == "browse_abandonment":
        ctx["viewed"] = {"products": products("grinder", "dripper", "cup")}
    elif key == "search_abandonment":
        query = "entkoffeiniert" if lang == "de" else "decaf"
        ctx["search"] = {"query": query, "products": products("decaf", "beans")}
    elif key == "win_back_1":
        ctx["products"] = products("ethiopia", "beans", "cup", "dripper")
    elif key == "win_back_2":
        ctx["voucher"] = _voucher(now, "COMEBACK-3TSV", fifteen, 14)
        ctx["products"] = products("espresso", "ethiopia")
    elif key == "birthday":
        ctx["voucher"] = _voucher(now, "BDAY-H6WN", fifteen, 30)
        ctx["products"] = products("cup", "beans")
    elif key == "replenishment_reminder":
        ctx["replenish"] = {
            "product_name": _product(lang, "espresso")["name"],
            "url": _product(lang, "espresso")["url"],
            "days": 30,
        }
        ctx["products"] = products("ethiopia", "decaf")
    elif key in ("nurture_1", "nurture_2", "nurture_3"):
        ctx["products"] = {
            "nurture_1": products("espresso", "ethiopia", "beans", "dripper"),
            "nurture_2": products("grinder", "dripper"),
            "nurture_3": products("beans", "cup"),
        }[key]
    elif key == "nurture_offer":
        ctx["voucher"] = _voucher(now, "HELLO-R2JB", percent, 14)
        ctx["products"] = products("beans", "grinder")
    elif key == "back_in_stock":
        product = _product(lang, "grinder")
        ctx["back_in_stock"] = {
            "product_name": product["name"],
            "variant_name": "Walnuss" if lang == "de" else "Walnut",
            "url": product["url"],
            "image_url": product["image_url"],
        }
        ctx["products"] = products("dripper", "beans")
    else:
        # An unknown (custom) template: offer everything a template might use.
        ctx.update(
            confirm_url="https://api.kaffee-und-co.example/m/confirm/8d1e07c4b2",
            feedback_url=f"{STOREFRONT}/{lang}/feedback/10482",
            order=_order(lang, now),
            checkout=_checkout(lang),
            voucher=_voucher(now, "SAMPLE-0000", percent, 14),
            products=products("espresso", "ethiopia", "dripper", "cup"),
            content=_newsletter_content(lang, one_off=False),
        )
    return ctx


def sample_texts(language: str) -> dict:
    """The footer labels for ``language``."""
    return dict(TEXTS["de" if language.lower().startswith("de") else "en"])


__all__ = ["TEXTS", "hero_image", "product_image", "sample_context", "sample_texts"]
