"""Storefront types: the preference centre's view of a contact, consents, event types."""

import graphene
from django.utils import timezone

from ...contacts import GENERAL_TOPIC, ConsentChannel, ConsentStatus
from ...contacts.models import Consent, Contact
from ...events import EventType
from ...messaging.models import NewsletterTopic
from ...messaging.subscriptions import mask_email
from ..core.enums import ConsentChannelEnum, ConsentStatusEnum

CUSTOM_EVENT = "custom"


class TrackEventTypeEnum(graphene.Enum):
    PRODUCT_VIEWED = EventType.PRODUCT_VIEWED.value
    CATEGORY_VIEWED = EventType.CATEGORY_VIEWED.value
    SEARCH_PERFORMED = EventType.SEARCH_PERFORMED.value
    #: A shop-specific event, stored as ``custom.<customType>``.
    CUSTOM = CUSTOM_EVENT


class PreferenceTopic(graphene.ObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True, description="In the contact's language.")
    subscribed = graphene.Boolean(required=True)


class Preferences(graphene.ObjectType):
    email = graphene.String(required=True, description="Masked, e.g. a***@example.com.")
    marketing_email = graphene.Boolean(
        required=True, description="Whether marketing email is on (confirmed)."
    )
    topics = graphene.List(graphene.NonNull(PreferenceTopic), required=True)
    paused_until = graphene.DateTime(description="No marketing until then; null when active.")


class StorefrontConsent(graphene.ObjectType):
    channel = ConsentChannelEnum(required=True)
    topic = graphene.String(required=True, description='Newsletter topic; "" for the channel.')
    status = ConsentStatusEnum(
        required=True, description="PENDING until a double opt-in is confirmed."
    )


def topic_name(topic: NewsletterTopic, language: str) -> str:
    """The topic's name in ``language`` (``pt-BR``, then ``pt``), then English, then slug."""
    return topic.names.get(language) or topic.name_in(language.split("-")[0])


def preferences_of(contact: Contact) -> Preferences:
    statuses = dict(
        Consent.objects.filter(contact=contact, channel=ConsentChannel.EMAIL).values_list(
            "topic", "status"
        )
    )
    language = contact.language_code or "en"
    paused_until = contact.marketing_paused_until
    return Preferences(
        email=mask_email(contact.email),
        marketing_email=statuses.get(GENERAL_TOPIC) == ConsentStatus.SUBSCRIBED,
        topics=[
            PreferenceTopic(
                slug=topic.slug,
                name=topic_name(topic, language),
                subscribed=statuses.get(topic.slug) == ConsentStatus.SUBSCRIBED,
            )
            for topic in NewsletterTopic.objects.all()
        ],
        paused_until=paused_until if paused_until and paused_until > timezone.now() else None,
    )
