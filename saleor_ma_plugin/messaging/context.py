"""The personalization context of a message: plain values only, built per batch.

The template contract (see the shipped templates): contact, shop, campaign, order,
checkout, viewed, search, products, voucher, back_in_stock, replenish, confirm_url, feedback_url,
links, texts; a Saleor notification's mail also its one-time link (reset_url,
account_confirm_url, change_email_url, delete_url, password_set_url), account, gift_card,
invoice, payment and refund. Marketing add-ons (voucher, recommendations) appear in
transactional messages only when the contact has marketing consent.
"""

from collections import defaultdict
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from django.db.models import F
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..catalogue.products import catalogue, recommend
from ..core.configuration import ChannelView, PluginSettings
from ..core.lookups import AnyOf
from ..events import EventType
from ..events.models import Event, EventSummary
from ..events.summaries import ids_of
from . import reader_language
from .blocks.resolve import BlockBatch
from .links import contact_token, route_url
from .models import Message
from .render_cache import ReaderCopy
from .shop_content import Reader, ShopContent
from .transactional import notice_details

RECOMMENDATION_POOL = 24
#: Links a message carries in its own context (a sign-up's confirmation).
LINK_KEYS = ("confirm_url",)


@lru_cache(maxsize=64)
def link_texts(language: str) -> dict[str, str]:
    """The footer's link labels in ``language``: looked up once per language, not per
    message (callers copy the dict)."""
    with translation.override(language):
        return {
            "unsubscribe": _("Unsubscribe"),
            "preferences": _("Manage preferences"),
            "view_online": _("View online"),
        }


class ContextBatch:
    """Fetches trigger events, products and purchase history once for a batch."""

    def __init__(self, messages: list[Message], settings: PluginSettings, report: bool = True):
        """``report=False``: content blocks that could not be had fresh are not reported."""
        self.settings = settings
        event_ids = {m.context.get("trigger_event_id") for m in messages} - {None}
        self.events = dict(Event.objects.filter(pk__in=event_ids).values_list("pk", "payload"))
        self.contact_ids = {m.contact_id for m in messages}
        categories = {
            line.get("category_id", "")
            for payload in self.events.values()
            for line in payload.get("lines", [])
        }
        product_ids, variant_ids = ShopContent.wanted(messages, self.events)
        shop = catalogue()
        languages = {reader_language(message.contact) for message in messages}
        self.shop = ShopContent(
            shop,
            settings,
            shop.products(sorted(product_ids)),
            shop.variants(sorted(variant_ids)),
            languages,
        )
        self.categories, self.catalogue = sorted(categories - {""}), shop
        self.recommendations: dict[tuple[frozenset[str], str], list[dict]] = {}
        #: Each message's unsubscribe link, signed once for its body and its headers.
        self.unsubscribe_urls: dict[int, str] = {}
        self.blocks = BlockBatch(messages, settings, report=report)
        self.views: dict[str | None, ChannelView] = {}

    def build(self, message: Message, marketing_allowed: bool) -> dict:
        contact, payload = (
            message.contact,
            self.events.get(message.context.get("trigger_event_id"), {}),
        )
        language = reader_language(contact)
        view = self.view(payload.get("channel"))
        token = contact_token(contact.id, message.id, message.topic)
        unsubscribe_url = self.unsubscribe_urls[message.id] = route_url(f"u/{token}/")
        texts = dict(link_texts(language))
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
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": route_url(f"p/{token}/"),
                "view_online_url": "",
                "storefront_url": view.storefront_url,
            },
            "texts": texts,
            **{key: message.context[key] for key in LINK_KEYS if key in message.context},
        }
        data.update(notice_details(payload, message.context))
        reader = Reader(message, payload, view, language)
        shown = self.shop.add(data, reader)
        if marketing_allowed:
            data["consumables"] = self.shop.consumables(reader)
            exclude = frozenset(self.bought[contact.id] | shown)
            data["products"] = self._recommended(exclude, language)
            if message.context.get("voucher_code"):
                data["voucher"] = self._voucher(message.context)
        data.update(self.blocks.for_reader(message, contact, marketing_allowed))
        return data

    def view(self, channel_slug: str | None) -> ChannelView:
        """The sender and storefront of a Saleor channel, resolved once per batch."""
        view = self.views.get(channel_slug)
        if view is None:
            view = self.views[channel_slug] = self.settings.for_channel(channel_slug)
        return view

    def unsubscribe_url(self, message: Message) -> str:
        """The message's one-click unsubscribe link (RFC 8058), as its body has it."""
        url = self.unsubscribe_urls.get(message.id)
        if url is None:
            token = contact_token(message.contact_id, message.id, message.topic)
            url = self.unsubscribe_urls[message.id] = route_url(f"u/{token}/")
        return url

    # Recommendations are for readers with marketing consent only: a batch of order
    # confirmations to guests never pays for the purchase history or the candidate pool.
    @cached_property
    def bought(self) -> dict[int, set[str]]:
        bought: dict[int, set[str]] = defaultdict(set)
        for contact_id, payload in Event.objects.filter(
            AnyOf(F("contact_id"), self.contact_ids), type=EventType.ORDER_CREATED
        ).values_list("contact_id", "payload"):
            bought[contact_id].update(
                line.get("product_id", "") for line in payload.get("lines", [])
            )
        # Orders past the retention period live on as summaries (events.summaries).
        for contact_id, subjects in EventSummary.objects.filter(
            AnyOf(F("contact_id"), self.contact_ids), type=EventType.ORDER_CREATED
        ).values_list("contact_id", "subjects"):
            bought[contact_id].update(ids_of(subjects, "product_id"))
        return bought

    @cached_property
    def pool(self) -> list:
        pool = self.catalogue.candidates(self.categories, RECOMMENDATION_POOL)
        self.shop.learn(pool)
        return pool

    def _recommended(self, exclude: frozenset[str], language: str) -> list[dict]:
        """Most readers of a batch bought nothing yet: they share one list per language
        (copied, so a template can never change another reader's)."""
        products = self.recommendations.get((exclude, language))
        if products is None:
            products = self.recommendations[exclude, language] = [
                self.shop.shown(info, language) for info in recommend(self.pool, set(exclude))
            ]
        return [ReaderCopy(product) for product in products]

    @staticmethod
    def _voucher(context: dict) -> dict:
        valid_until = context.get("voucher_valid_until")
        return {
            "code": context["voucher_code"],
            "discount": context.get("voucher_discount", ""),
            "valid_until": parse_datetime(valid_until) if valid_until else None,
        }
