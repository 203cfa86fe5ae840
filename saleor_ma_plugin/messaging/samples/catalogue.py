"""The small coffee shop ("Kaffee & Co") previews are filled with."""

from decimal import Decimal

from .pictures import product_image

SHOP_NAME = "Kaffee & Co"
STOREFRONT = "https://shop.kaffee-und-co.example"

CATALOGUE = {
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

SLUGS = {
    "espresso": "espresso-hausmischung",
    "ethiopia": "aethiopien-yirgacheffe",
    "decaf": "decaf-swiss-water",
    "dripper": "keramik-handfilter",
    "grinder": "handmuehle-classic",
    "cup": "cappuccino-tasse",
    "beans": "probierset-drei-herkuenfte",
}


def product(lang: str, key: str) -> dict:
    en, de, price, drawing, bg = CATALOGUE[key]
    return {
        "name": de if lang == "de" else en,
        "url": f"{STOREFRONT}/{lang}/products/{SLUGS[key]}",
        "image_url": product_image(drawing, bg=bg),
        "price": price,
        "currency": "EUR",
    }


def line(lang: str, key: str, quantity: int, variant: dict[str, str] | None = None) -> dict:
    item = product(lang, key)
    return {
        "product_name": item["name"],
        "variant_name": (variant or {}).get(lang, ""),
        "quantity": quantity,
        "unit_price": item["price"],
        "currency": "EUR",
        "image_url": item["image_url"],
        "url": item["url"],
    }


def total(lines: list[dict]) -> str:
    return str(sum(Decimal(line["unit_price"]) * line["quantity"] for line in lines))


WHOLE_BEAN = {"en": "Whole bean", "de": "Ganze Bohne"}
GROUND_FILTER = {"en": "Ground for filter", "de": "Gemahlen für Filter"}
