"""Django looks for models here; they live in their domain packages."""

from .attribution.models import Conversion
from .campaigns.models import Campaign, Enrollment, ExperimentDecision, Step
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
from .scoring.models import ScoreEntry, ScoreRule
from .segments.models import Segment, SegmentMembership
from .vouchers.models import IssuedVoucher, PooledCode

__all__ = [
    "Campaign",
    "CatalogueProduct",
    "CatalogueVariant",
    "Consent",
    "ConsentEvent",
    "Contact",
    "ContactRevenue",
    "ContactTag",
    "Conversion",
    "DeliveryAttempt",
    "Enrollment",
    "Event",
    "ExperimentDecision",
    "ImportCursor",
    "IssuedVoucher",
    "Message",
    "NewsletterTopic",
    "NotifyRequest",
    "PooledCode",
    "ScoreEntry",
    "ScoreRule",
    "Segment",
    "SegmentMembership",
    "Step",
    "Suppression",
    "Template",
    "WebhookDelivery",
]
