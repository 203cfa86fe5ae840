"""One person with data in every place the plugin keeps personal data, and the walk that
looks for them in every text and JSON column of every model afterwards.

Rows are made by the code that makes them in production where that is cheap (consent, event
intake and processing) and otherwise in the shape that code writes (webhook payloads, run
keys, message contexts). Used by tests/test_privacy_erasure.py and, inside a real Saleor, by
tests/saleor/test_privacy_in_saleor.py.
"""

from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from saleor_ma_plugin.attribution.models import Conversion
from saleor_ma_plugin.campaigns.editing import CampaignSpec, StepSpec, activate, create_campaign
from saleor_ma_plugin.campaigns.models import Enrollment
from saleor_ma_plugin.catalogue.models import NotifyRequest
from saleor_ma_plugin.contacts import ConsentChannel, ConsentMethod, ConsentStatus
from saleor_ma_plugin.contacts.consent import ConsentProof, change_consent
from saleor_ma_plugin.contacts.models import Contact, ContactTag
from saleor_ma_plugin.events import EventSource, EventType
from saleor_ma_plugin.events.intake import NewEvent, store_events
from saleor_ma_plugin.events.models import Event
from saleor_ma_plugin.messaging.models import (
    DeliveryAttempt,
    Message,
    PushSubscription,
    Suppression,
    WebhookDelivery,
)
from saleor_ma_plugin.pipeline import process_events
from saleor_ma_plugin.segments.models import Segment, SegmentMembership
from saleor_ma_plugin.vouchers.models import IssuedVoucher

IP = "203.0.113.77"
USER_AGENT = "ZeldaBrowser/7.1 (QuistOS)"
PHONE = "+4915112345678"
SEARCH = "zelda secret decaf search"
CUSTOM_VALUE = "purple-grinder-zq"
COMMENT = "Zelda liked the beans"
CHECKOUT_TOKEN = "tok-checkout-5f1e9a"
ANONYMOUS_ID = "anon-zq-31337"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/zq-device-99"
SOURCE_URL = "https://shop.example.com/newsletter?ref=zq-source-77"
CONFIRM_URL = "https://shop.example.com/confirm/zq-confirm-token-55/"

#: Column types that can hold a person's identifiers as text.
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField)


def identifiers(contact: Contact) -> set[str]:
    """What names the person: the profile's own values and everything the fixture added.

    Not the Saleor user id: the deletion notice keeps it as its dedupe key (see
    ``privacy.erasure``); tests check that separately.
    """
    found = {
        IP,
        USER_AGENT,
        PHONE,
        SEARCH,
        CUSTOM_VALUE,
        COMMENT,
        CHECKOUT_TOKEN,
        ANONYMOUS_ID,
        ENDPOINT,
        SOURCE_URL,
        CONFIRM_URL,
        contact.email,
        contact.first_name,
        contact.last_name,
    }
    found |= {push.p256dh for push in PushSubscription.objects.filter(contact=contact)}
    found |= {push.auth for push in PushSubscription.objects.filter(contact=contact)}
    return {value for value in found if value}


def leftovers(values: set[str]) -> list[str]:
    """``Model.field: value`` for every text or JSON column of every model holding a value."""
    found = []
    for model in apps.get_app_config("saleor_ma_plugin").get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            column = model._default_manager.annotate(_text=Cast(field.name, models.TextField()))
            for value in sorted(values):
                if column.filter(_text__icontains=value).exists():
                    found.append(f"{model.__name__}.{field.name}: {value}")
    return found


def storefront_events(contact: Contact) -> None:
    """Search, custom, checkout and feedback events, shaped as the intake stores them."""
    now = timezone.now()
    identity = {"email": contact.email}
    visitor = f"a{ANONYMOUS_ID}"
    made = [
        (
            EventType.SEARCH_PERFORMED,
            f"search.performed:{visitor}:1",
            {"query": SEARCH, "anonymous_id": ANONYMOUS_ID, **identity},
        ),
        (
            "custom.wishlist",
            f"custom.wishlist:{visitor}:2",
            {"properties": {"wish": CUSTOM_VALUE}, **identity},
        ),
        (
            EventType.SEARCH_PERFORMED,
            f"search.performed:{visitor}:3",
            {"query": SEARCH, "anonymous_id": ANONYMOUS_ID},
        ),
        (
            EventType.CHECKOUT_CREATED,
            f"checkout.created:{CHECKOUT_TOKEN}",
            {"token": CHECKOUT_TOKEN, **identity},
        ),
        (
            EventType.FEEDBACK_GIVEN,
            "feedback.given:1",
            {"contact_id": contact.pk, "comment": COMMENT, "rating": 5},
        ),
    ]
    ids = store_events(
        [
            NewEvent(event_type, now, key, payload, EventSource.STOREFRONT)
            for event_type, key, payload in made
        ]
    )
    process_events(ids)
    Event.objects.filter(pk=ids[1]).update(processing_error=f"failed for {contact.email}")
    # Not processed yet when the person is erased: it names them only in its payload.
    store_events(
        [
            NewEvent(
                EventType.PRODUCT_VIEWED,
                now,
                f"product.viewed:{visitor}:4",
                {"product_id": "72", "properties": {"wish": CUSTOM_VALUE}, **identity},
                EventSource.STOREFRONT,
            )
        ]
    )


def engine_rows(contact: Contact) -> None:
    """Consent with proof, a run with its message, voucher, webhook, and the rest."""
    change_consent(
        contact,
        ConsentChannel.EMAIL,
        ConsentStatus.SUBSCRIBED,
        ConsentProof(ConsentMethod.FORM, IP, USER_AGENT, SOURCE_URL, "Yes, mail me."),
    )
    ContactTag.objects.get_or_create(contact=contact, name="coffee")
    PushSubscription.objects.get_or_create(
        contact=contact,
        endpoint=ENDPOINT,
        defaults={
            "p256dh": "BZq" + "x" * 84,
            "auth": "zqAuthSecret0001",
            "user_agent": USER_AGENT,
        },
    )
    NotifyRequest.objects.create(contact=contact, variant_id="207", channel="default-channel")
    segment = Segment.objects.create(name="Coffee lovers", rules={"tag": "coffee"})
    SegmentMembership.objects.create(segment=segment, contact=contact, entered_at=timezone.now())
    Suppression.objects.create(channel="email", address=contact.email, reason="hard_bounce")
    run = _run(contact)
    _messages(contact, run)


def _run(contact: Contact) -> Enrollment:
    campaign = activate(
        create_campaign(
            CampaignSpec(
                name="Abandoned checkout",
                kind="autoresponder",
                trigger={"type": "event", "event": "checkout.created"},
                steps=(StepSpec("send", "send", {"template": "t"}),),
            )
        )
    )
    run = Enrollment.objects.create(
        campaign=campaign,
        contact=contact,
        trigger_key=f"absence:{CHECKOUT_TOKEN}",
        step_key="send",
        context={"awaiting": {"key_field": "checkout_token", "value": CHECKOUT_TOKEN}},
        started_at=timezone.now(),
        last_error=f"could not reach {contact.email}",
    )
    WebhookDelivery.objects.create(
        idempotency_key=f"enrollment:{run.pk}:hook",
        enrollment=run,
        url="https://crm.example.com/hook",
        payload={"step": "hook", "contact": {"id": contact.pk, "email": contact.email}},
        next_attempt_at=timezone.now(),
    )
    IssuedVoucher.objects.create(
        code="ZQ-CODE-1",
        contact=contact,
        enrollment=run,
        campaign=campaign,
        step_key="send",
        discount_type="percentage",
        discount_value=Decimal("10"),
    )
    return run


def _messages(contact: Contact, run: Enrollment) -> None:
    now = timezone.now()
    message = Message.objects.create(
        idempotency_key=f"privacy-test:{run.pk}",
        contact=contact,
        campaign=run.campaign,
        enrollment=run,
        step_key="send",
        channel="email",
        template="t",
        status="sent",
        scheduled_at=now,
        sent_at=now,
        opened_at=now + timedelta(hours=1),
        clicked_at=now + timedelta(hours=2),
        context={"confirm_url": CONFIRM_URL, "voucher_code": "ZQ-CODE-1"},
        last_error=f"550 <{contact.email}> mailbox full",
    )
    DeliveryAttempt.objects.create(
        message=message, succeeded=False, error=f"550 <{contact.email}>", provider_response="no"
    )
    Conversion.objects.create(
        order_id="order-1",
        contact=contact,
        message=message,
        campaign=run.campaign,
        step_key="send",
        enrollment=run,
        revenue=Decimal("44.800"),
        currency="EUR",
        touch="click",
        occurred_at=now + timedelta(hours=3),
    )
    clicked = store_events(
        [
            NewEvent(
                EventType.EMAIL_CLICKED,
                now,
                f"{EventType.EMAIL_CLICKED}:{message.pk}:1",
                {
                    "contact_id": contact.pk,
                    "message_id": message.pk,
                    "url": f"https://shop.example.com/checkout?token={CHECKOUT_TOKEN}",
                },
                EventSource.SYSTEM,
            )
        ]
    )
    process_events(clicked)
