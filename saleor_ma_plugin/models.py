"""Django looks for models here; they live in their domain packages."""

from .campaigns.models import Campaign, Enrollment, Step
from .catalogue.models import CatalogueProduct, CatalogueVariant, NotifyRequest
from .contacts.models import Consent, ConsentEvent, Contact, ContactRevenue, ContactTag
from .events.models import Event, ImportCursor
from .messaging.models import (
    DeliveryAttempt,
    Message,
    NewsletterTopic,
    Suppression,
    Template,
    WebhookDelivery,
)
from .vouchers.models import IssuedVoucher

__all__ = [
    "Campaign",
    "CatalogueProduct",
    "CatalogueVariant",
    "Consent",
    "ConsentEvent",
    "Contact",
    "ContactRevenue",
    "ContactTag",
    "DeliveryAttempt",
    "Enrollment",
    "Event",
    "ImportCursor",
    "IssuedVoucher",
    "Message",
    "NewsletterTopic",
    "NotifyRequest",
    "Step",
    "Suppression",
    "Template",
    "WebhookDelivery",
]
