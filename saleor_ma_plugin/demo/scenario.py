"""The demo month: sign-ups with double opt-in, browsing, searches, checkouts, orders, clicks.

Time is simulated hour by hour; every hour the beat ticks run as they would in production
(scheduled triggers, due enrolments, due messages). Recipients "read" what arrived: they
open it, follow a tracked link from the rendered HTML, and sometimes buy.
"""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random

import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ..campaigns.editing import activate
from ..campaigns.models import Campaign
from ..campaigns.presets import create_from_preset
from ..campaigns.runner import run_due_enrollments
from ..campaigns.scheduled import run_scheduled_triggers
from ..catalogue.models import CatalogueProduct, CatalogueVariant, NotifyRequest
from ..contacts import ConsentMethod
from ..contacts.consent import ConsentProof
from ..contacts.models import Contact
from ..core.host import forget_settings
from ..events import EventSource, EventType
from ..events.intake import NewEvent, checkout_event, order_events, record_events
from ..events.snapshots import CheckoutSnapshot, LineSnapshot, OrderSnapshot
from ..messaging.delivery import deliver_due_messages
from ..messaging.models import Message, NewsletterTopic
from ..messaging.outbox_backend import OutboxFolderBackend
from ..messaging.samples.catalogue import CATALOGUE, SLUGS, STOREFRONT
from ..messaging.samples.pictures import product_image
from ..messaging.subscriptions import subscribe
from .experiment import create_ab_tested_upsell
from .journal import NEWSLETTER_CONTENT, add_journal
from .report import print_summary

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
PUBLIC_BASE = "http://localhost:8000"
FIRST_NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elif",
    "Finn",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Katrin",
    "Lukas",
    "Mia",
    "Noah",
    "Olivia",
    "Paul",
    "Rosa",
    "Samuel",
    "Tara",
    "Emil",
]
CATEGORIES = {
    "espresso": "coffee",
    "ethiopia": "coffee",
    "decaf": "coffee",
    "beans": "coffee",
    "dripper": "gear",
    "grinder": "gear",
    "cup": "gear",
}
PRESETS = {
    "welcome_series": {},
    "abandoned_checkout": {"delay_hours": 1},
    "browse_abandonment": {},
    "search_abandonment": {},
    "order_follow_up": {},
    "thank_you_voucher": {},
    "win_back": {"days": 45},
    "birthday": {},
    "replenishment": {"days": 30, "categories": {"coffee": 21}},
    "back_in_stock": {},
    "lead_nurturing": {},
    "newsletter": {"topic": "", **NEWSLETTER_CONTENT},
}
#: The sender's imprint, printed in every marketing mail's footer.
IMPRINT = (
    "Kaffee & Co GmbH · Röstereiweg 7 · 20457 Hamburg · Deutschland\n"
    "Geschäftsführerin: Jana Beispiel · Amtsgericht Hamburg HRB 000000 · "
    "USt-IdNr. DE000000000 · hallo@kaffee-und-co.example"
)
#: When in the month the newsletter goes out.
NEWSLETTER_AFTER = timedelta(days=13, hours=3)


class Shop:
    """The simulated shop and its customers."""

    def __init__(self, random: Random, start: datetime = START):
        self.random, self.client, self.start = random, Client(), start
        self.people: list[Contact] = []
        self.orders = 0
        self.seen_messages: set[int] = set()

    # ----------------------------------------------------------------- set-up
    def open(self) -> None:
        settings.SALEOR_MA_PLUGIN = {
            "sender_name": "Kaffee & Co",
            "sender_address": "hallo@kaffee-und-co.example",
            "storefront_url": STOREFRONT,
            "public_base_url": PUBLIC_BASE,
            "double_opt_in": True,
            "quiet_hours": "21:00-08:00",
            "smart_sending_hours": "16",
            "email_backend": "saleor_ma_plugin.messaging.outbox_backend.OutboxFolderBackend",
            "imprint": IMPRINT,
        }
        forget_settings()
        for position, (slug, names) in enumerate(
            {"deals": ("Deals", "Angebote"), "brewing": ("Brewing guides", "Zubereitung")}.items()
        ):
            NewsletterTopic.objects.create(
                slug=slug, names={"en": names[0], "de": names[1]}, position=position
            )
        for key, (en_name, de_name, price, drawing, background) in CATALOGUE.items():
            CatalogueProduct.objects.create(
                product_id=key,
                name=en_name,
                names={"de": de_name},
                slug=SLUGS[key],
                category_id=CATEGORIES[key],
                image_url=product_image(drawing, bg=background),
                price=Decimal(price),
                currency="EUR",
                in_stock=key != "grinder",
                popularity=self.random.randint(5, 60),
            )
            CatalogueVariant.objects.create(
                variant_id=f"{key}-1",
                product_id=key,
                category_id=CATEGORIES[key],
                name=en_name,
                sku=key.upper(),
                stock_quantity=0 if key == "grinder" else 100,
            )
        add_journal(self.start)
        for preset, params in PRESETS.items():
            if preset == "newsletter":
                params = {**params, "send_at": (self.start + NEWSLETTER_AFTER).isoformat()}
            activate(create_from_preset(preset, params))
        activate(create_ab_tested_upsell())
        self._import_history()

    def _import_history(self) -> None:
        """Customers from before the plugin: imported as backfill, so no campaign greets them."""
        for number in range(12):
            contact = self._new_contact(f"stammkunde{number}@example.com", subscribed=True)
            placed = self.start - timedelta(days=self.random.randint(40, 80))
            self.order(contact, placed, source=EventSource.BACKFILL)

    def _new_contact(self, email: str, subscribed: bool = False) -> Contact:
        language = self.random.choice(["de", "de", "en"])
        proof = ConsentProof(
            ConsentMethod.FORM, ip_address="198.51.100.7", wording="Newsletter sign-up"
        )
        contact = subscribe(
            email, ["deals"] if self.random.random() < 0.5 else [], language, proof
        )
        if subscribed:
            url = Message.objects.filter(contact=contact).latest("pk").context["confirm_url"]
            self.client.get(url.removeprefix(PUBLIC_BASE))
        name = self.random.choice(FIRST_NAMES)
        birthday = self.start.date() - timedelta(
            days=365 * self.random.randint(20, 60) - self.random.randint(0, 40)
        )
        Contact.objects.filter(pk=contact.pk).update(
            first_name=name, birthday=birthday, timezone="Europe/Berlin"
        )
        contact.refresh_from_db()
        self.people.append(contact)
        return contact

    # ----------------------------------------------------------------- activity
    def lines(self, count: int = 0) -> tuple[LineSnapshot, ...]:
        keys = self.random.sample(sorted(CATEGORIES), count or self.random.randint(1, 3))
        return tuple(
            LineSnapshot(
                product_id=key,
                variant_id=f"{key}-1",
                category_id=CATEGORIES[key],
                product_name=CATALOGUE[key][0],
                variant_name="",
                sku=key.upper(),
                quantity=self.random.randint(1, 2),
                unit_price_gross=Decimal(CATALOGUE[key][2]),
            )
            for key in keys
            if key != "grinder"
        ) or (
            LineSnapshot(
                "espresso",
                "espresso-1",
                "coffee",
                CATALOGUE["espresso"][0],
                "",
                "ESPRESSO",
                1,
                Decimal(CATALOGUE["espresso"][2]),
            ),
        )

    def order(
        self,
        contact: Contact,
        when: datetime,
        checkout_token: str = "",
        lines=None,
        source=EventSource.SALEOR,
    ) -> None:
        self.orders += 1
        lines = lines or self.lines()
        total = sum(line.unit_price_gross * line.quantity for line in lines) + Decimal("4.90")
        snapshot = OrderSnapshot(
            order_id=f"demo-order-{self.orders}",
            number=str(1000 + self.orders),
            status="unfulfilled",
            email=contact.email,
            user_id="",
            channel="default-channel",
            currency="EUR",
            total_gross=total,
            total_net=(total / Decimal("1.19")).quantize(Decimal("0.01")),
            subtotal_gross=total - Decimal("4.90"),
            shipping_gross=Decimal("4.90"),
            voucher_code="",
            checkout_token=checkout_token,
            language_code=contact.language_code,
            country="DE",
            created_at=when,
            updated_at=when,
            lines=lines,
            shipping_method_name="DHL Paket",
            delivery_days=(1, 3),
        )
        record_events(order_events(EventType.ORDER_CREATED, snapshot, source))

    def checkout(self, contact: Contact, when: datetime) -> tuple[str, tuple]:
        token = f"demo-checkout-{self.random.getrandbits(48):x}"
        lines = self.lines()
        total = sum(line.unit_price_gross * line.quantity for line in lines)
        record_events(
            [
                checkout_event(
                    EventType.CHECKOUT_UPDATED,
                    CheckoutSnapshot(
                        token=token,
                        email=contact.email,
                        user_id="",
                        channel="default-channel",
                        currency="EUR",
                        total_gross=total,
                        subtotal_gross=total,
                        voucher_code="",
                        language_code=contact.language_code,
                        country="DE",
                        redirect_url=f"{STOREFRONT}/checkout/{token}",
                        created_at=when,
                        last_change=when,
                        lines=lines,
                    ),
                )
            ]
        )
        return token, lines

    def storefront_event(
        self, contact: Contact, event_type: str, payload: dict, when: datetime
    ) -> None:
        key = f"{event_type}:{contact.pk}:{when.isoformat()}:{self.random.getrandbits(32)}"
        record_events(
            [
                NewEvent(
                    event_type,
                    when,
                    key,
                    {"email": contact.email, **payload},
                    EventSource.STOREFRONT,
                )
            ]
        )

    def hour(self, now: datetime, day: int) -> None:
        """What the shop's visitors do in one hour of the day."""
        if not 8 <= now.hour <= 22:
            return
        chance = self.random.random
        if chance() < 0.18:
            self._new_contact(f"kunde{len(self.people)}@example.com", subscribed=chance() < 0.85)
        if not self.people:
            return
        person = self.random.choice(self.people)
        roll = chance()
        if roll < 0.25:
            product = self.random.choice(sorted(CATEGORIES))
            self.storefront_event(person, EventType.PRODUCT_VIEWED, {"product_id": product}, now)
        elif roll < 0.33:
            self.storefront_event(
                person,
                EventType.SEARCH_PERFORMED,
                {"query": self.random.choice(["espresso", "decaf", "filter", "grinder"])},
                now,
            )
        elif roll < 0.50:
            token, lines = self.checkout(person, now)
            if chance() < 0.55:
                self.order(person, now + timedelta(minutes=20), token, lines)
        elif roll < 0.56 and Contact.objects.filter(pk=person.pk, orders_count__gt=0).exists():
            self.order(person, now)
        if day == 4 and now.hour == 10:
            for contact in self.random.sample(self.people, min(4, len(self.people))):
                NotifyRequest.objects.get_or_create(contact=contact, variant_id="grinder-1")
        if day == 10 and now.hour == 9:
            CatalogueProduct.objects.filter(product_id="grinder").update(in_stock=True)
            CatalogueVariant.objects.filter(variant_id="grinder-1").update(stock_quantity=25)

    def read_mail(self, now: datetime) -> None:
        """Recipients open and click what arrived; some clicks end in an order."""
        for email in OutboxFolderBackend.sent_since_last_read():
            message = Message.objects.filter(
                idempotency_key=email.extra_headers.get("X-Marketing-Message")
            ).first()
            if message is None or message.pk in self.seen_messages:
                continue
            self.seen_messages.add(message.pk)
            html = next(
                (content for content, kind in email.alternatives if kind == "text/html"), ""
            )
            if self.random.random() < 0.6:
                pixel = re.search(r'src="http://localhost:8000(/t/o/[^"]+)"', html)
                if pixel:
                    self.client.get(pixel.group(1))
            links = re.findall(r'href="http://localhost:8000(/t/c/[^"]+)"', html)
            if links and self.random.random() < 0.3:
                self.client.get(self.random.choice(links).replace("&amp;", "&"))
                if (
                    self.random.random() < 0.45
                    and message.template != "double_opt_in_confirmation"
                ):
                    self.order(
                        message.contact, now + timedelta(minutes=self.random.randint(5, 90))
                    )


def tick(now: datetime) -> None:
    """The beat ticks of one hour."""
    run_scheduled_triggers(now)
    while run_due_enrollments(now=now):
        pass
    while deliver_due_messages(now=now):
        pass


def run(days: int, seed: int, outbox: Path, start: datetime | None = None) -> None:
    """Replay ``days`` from ``start`` (by default the scripted March 2026)."""
    start = start or START
    shop = Shop(Random(seed), start)
    with time_machine.travel(start, tick=False) as clock:
        shop.open()
        for hour in range(days * 24):
            now = start + timedelta(hours=hour)
            clock.move_to(now)
            shop.hour(now, hour // 24)
            tick(now)
            shop.read_mail(now)
        clock.move_to(start + timedelta(days=days))
        print_summary(days, outbox, Campaign.objects.order_by("pk"), start, timezone.now())
