"""Payloads shaped exactly like Saleor 3.23's notify payload functions build them.

Read from ``saleor/order/notifications.py`` (``get_default_order_payload``,
``get_default_fulfillment_payload``, ``get_order_line_payload``) and
``saleor/account/notifications.py`` (``send_password_reset_notification``,
``get_default_user_payload``); ``get_site_context`` adds domain, site_name and logo_url.
"""

import base64
from decimal import Decimal
from uuid import UUID

ORDER_ID = UUID("5f0e3a52-8d7e-4c8e-9a51-1c2d3e4f5a6b")
SITE = {
    "domain": "api.example.com",
    "site_name": "Kaffeekontor",
    "logo_url": "https://api.example.com/static/images/saleor-logo.svg",
}
IMAGE = "https://api.example.com/thumbnail/UHJvZHVjdE1lZGlhOjE=/{size}/"
SIZES = (32, 64, 128, 256, 512, 1024, 2048, 4096)


def global_id(type_name: str, pk) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def _images() -> dict:
    original = {str(size): IMAGE.format(size=size) for size in SIZES}
    return {"first_image": {"original": original}, "images": [{"original": original}]}


def order_line(pk: int = 11, quantity: int = 2) -> dict:
    """``get_order_line_payload`` for a line with a variant."""
    return {
        "id": global_id("OrderLine", f"0b0c{pk:04d}-0000-4000-8000-000000000000"),
        "product": {
            "id": global_id("Product", 72),
            "attributes": [],
            "weight": "1.0 kg",
            **_images(),
        },
        "product_name": "Espresso beans 1 kg",
        "translated_product_name": "Espresso beans 1 kg",
        "variant_name": "Whole bean",
        "variant": {
            "id": global_id("ProductVariant", 301),
            "weight": "",
            "is_preorder": False,
            "preorder_global_threshold": None,
            "preorder_end_date": None,
            "first_image": None,
            "images": None,
        },
        "translated_variant_name": "Whole bean",
        "product_sku": "BEAN-1KG",
        "product_variant_id": global_id("ProductVariant", 301),
        "quantity": quantity,
        "quantity_fulfilled": 0,
        "currency": "EUR",
        "unit_price_net_amount": Decimal("16.72"),
        "unit_price_gross_amount": Decimal("19.90"),
        "unit_tax_amount": Decimal("3.18"),
        "total_gross_amount": Decimal("39.80"),
        "total_net_amount": Decimal("33.44"),
        "total_tax_amount": Decimal("6.36"),
        "tax_rate": Decimal("0.1900"),
        "is_shipping_required": True,
        "unit_discount_value": Decimal("0.000"),
        "unit_discount_reason": None,
        "unit_discount_type": None,
        "unit_discount_amount": Decimal("0.000"),
        "metadata": {},
    }


def address(first_name: str = "Anna") -> dict:
    return {
        "first_name": first_name,
        "last_name": "Berg",
        "company_name": "",
        "street_address_1": "Hauptstraße 1",
        "street_address_2": "",
        "city": "BERLIN",
        "city_area": "",
        "postal_code": "10115",
        "country": "DE",
        "country_area": "",
        "phone": "+4930123456",
    }


def order(email: str = "anna@example.com", language: str = "en", guest: bool = False) -> dict:
    """``get_default_order_payload(order, redirect_url)`` (``model_to_dict`` fields first)."""
    return {
        "display_gross_prices": True,
        "currency": "EUR",
        "total_gross_amount": Decimal("44.70"),
        "total_net_amount": Decimal("37.56"),
        "undiscounted_total_gross_amount": Decimal("44.70"),
        "undiscounted_total_net_amount": Decimal("37.56"),
        "status": "unconfirmed",
        "metadata": {},
        "private_metadata": {},
        "language_code": language,
        "id": global_id("Order", ORDER_ID),
        "token": ORDER_ID,
        "number": 1042,
        "channel_slug": "default-channel",
        "created": "2026-03-02 11:00:00.123456+00:00",
        "shipping_price_net_amount": Decimal("4.12"),
        "shipping_price_gross_amount": Decimal("4.90"),
        "order_details_url": f"https://shop.example.com/orders/?token={ORDER_ID}",
        "email": email,
        "subtotal_gross_amount": Decimal("39.80"),
        "subtotal_net_amount": Decimal("33.44"),
        "tax_amount": Decimal("7.14"),
        "lines": [order_line()],
        "billing_address": None if guest else address(),
        "shipping_address": None if guest else address(),
        "shipping_method_name": None if guest else "DHL",
        "collection_point_name": None,
        "voucher_discount": None,
        "discounts": [],
        "discount_amount": 0,
    }


def order_confirmation(**kwargs) -> dict:
    """``send_order_confirmation``'s payload."""
    data = order(**kwargs)
    return {"order": data, "recipient_email": data["email"], **SITE}


def fulfillment_confirmation(tracking: str = "00340434161094042557", **kwargs) -> dict:
    """``get_default_fulfillment_payload`` plus ``attach_requester_payload_data``."""
    data = order(**kwargs)
    return {
        "order": data,
        "fulfillment": {
            "tracking_number": tracking,
            "is_tracking_number_url": tracking.startswith("http"),
        },
        "physical_lines": [
            {
                "id": global_id("FulfillmentLine", 5),
                "order_line": order_line(quantity=2),
                "quantity": 1,
            }
        ],
        "digital_lines": [],
        "recipient_email": data["email"],
        **SITE,
        "requester_user_id": global_id("User", 1),
        "requester_app_id": None,
    }


def password_reset(token: str, email: str = "anna@example.com", language: str = "en") -> dict:
    """``send_password_reset_notification``'s payload for a customer."""
    reset_url = (
        f"https://shop.example.com/reset-password/?email={email.replace('@', '%40')}&token={token}"
    )
    return {
        "user": {
            "id": global_id("User", 7),
            "email": email,
            "first_name": "Anna",
            "last_name": "Berg",
            "is_staff": False,
            "is_active": True,
            "private_metadata": {},
            "metadata": {},
            "language_code": language,
        },
        "recipient_email": email,
        "token": token,
        "reset_url": reset_url,
        "channel_slug": "default-channel",
        **SITE,
    }


def user(email: str = "anna@example.com", language: str = "en") -> dict:
    """``get_default_user_payload`` (its private metadata always empty since 3.20)."""
    return {
        "id": global_id("User", 7),
        "email": email,
        "first_name": "Anna",
        "last_name": "Berg",
        "is_staff": False,
        "is_active": True,
        "private_metadata": {},
        "metadata": {},
        "language_code": language,
    }


def account_link(name: str, token: str, email: str = "anna@example.com", language: str = "en"):
    """``send_account_confirmation``, ``send_account_delete_confirmation_notification`` and
    ``send_set_password_notification``: the link under its own key, and the token."""
    key, path, query = {
        "account_confirmation": ("confirm_url", "confirm-account", f"email={email}&"),
        "account_delete": ("delete_url", "delete-account", ""),
        "account_set_customer_password": ("password_set_url", "set-password", f"email={email}&"),
    }[name]
    return {
        "user": user(email, language),
        "recipient_email": email,
        "token": token,
        key: f"https://shop.example.com/{path}/?{query.replace('@', '%40')}token={token}",
        "channel_slug": "default-channel",
        **SITE,
    }


def change_email_request(token: str, new_email: str, language: str = "en") -> dict:
    """``send_request_user_change_email_notification``: mailed to the new address."""
    return {
        "user": user(language=language),
        "recipient_email": new_email,
        "old_email": "anna@example.com",
        "new_email": new_email,
        "token": token,
        "redirect_url": f"https://shop.example.com/change-email/?token={token}",
        "channel_slug": "default-channel",
        **SITE,
    }


def change_email_confirm(new_email: str, language: str = "en") -> dict:
    """``send_user_change_email_notification``: to the old address, the user already changed."""
    return {
        "user": user(new_email, language),
        "recipient_email": "anna@example.com",
        "channel_slug": "default-channel",
        "old_email": "anna@example.com",
        "new_email": new_email,
        **SITE,
    }


def invoice_ready(email: str = "anna@example.com") -> dict:
    """``send_invoice``'s payload."""
    return {
        "invoice": {
            "id": global_id("Invoice", 3),
            "number": "2026/03/0042",
            "download_url": "https://cdn.example.com/invoices/2026-03-0042.pdf?sig=8f2a",
            "order_id": global_id("Order", ORDER_ID),
        },
        "recipient_email": email,
        "requester_user_id": global_id("User", 1),
        "requester_app_id": None,
        **SITE,
    }


def gift_card(email: str, buyer: dict | None = None, resending: bool = False) -> dict:
    """``send_gift_card_notification``'s payload."""
    return {
        "gift_card": {
            "id": global_id("GiftCard", 9),
            "code": "GIFT-7H2K-Q9XM",
            "balance": Decimal("50.00"),
            "currency": "EUR",
        },
        "user": buyer,
        "requester_user_id": global_id("User", 1),
        "requester_app_id": None,
        "recipient_email": email,
        "resending": resending,
        **SITE,
    }


def order_notice(**kwargs) -> dict:
    """``send_order_confirmed`` and ``send_order_canceled_confirmation``."""
    data = order(**kwargs)
    return {
        "order": data,
        "recipient_email": data["email"],
        **SITE,
        "requester_user_id": global_id("User", 1),
        "requester_app_id": None,
    }


def payment_confirmation(**kwargs) -> dict:
    """``send_payment_confirmation`` with a payment (the checkout's legacy payment)."""
    data = order(**kwargs)
    return {
        "order": data,
        "recipient_email": data["email"],
        **SITE,
        "payment": {
            "created": "2026-03-02 11:00:05+00:00",
            "modified": "2026-03-02 11:00:09+00:00",
            "charge_status": "fully-charged",
            "total": Decimal("44.70"),
            "captured_amount": Decimal("44.70"),
            "currency": "EUR",
        },
    }


def refund_confirmation(amount: str = "19.90", **kwargs) -> dict:
    """``send_order_refunded_confirmation``'s payload."""
    data = order(**kwargs)
    return {
        "order": data,
        "recipient_email": data["email"],
        "amount": Decimal(amount),
        "currency": "EUR",
        **SITE,
        "requester_user_id": global_id("User", 1),
        "requester_app_id": None,
    }
