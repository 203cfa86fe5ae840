"""Django looks for models here; they live in their domain packages."""

from .attribution.models import Conversion
from .campaigns.models import Campaign, Enrollment, ExperimentDecision, ShopPreset, Step
from .catalogue.models import (
    CatalogueCollection,
    CataloguePage,
    CatalogueProduct,
    CatalogueVariant,
    NotifyRequest,
)
from .contacts.models import Consent, ConsentEvent, Contact, ContactRevenue, ContactTag
from .core.models import StandaloneSettings
from .events.models import Event, EventSummary, ImportCursor
from .messaging.blocks.models import ContentProblem, FeedCopy
from .messaging.models import (
    DeliveryAttempt,
    Message,
    NewsletterTopic,
    Suppression,
    Template,
    WebhookDelivery,
)
from .saleor_app.models import SaleorInstallation
from .scoring.models import ScoreEntry, ScoreRule
from .segments.models import Segment, SegmentMembership
from .vouchers.models import IssuedVoucher, PooledCode

__all__ = [
    "Campaign",
    "CatalogueCollection",
    "CataloguePage",
    "CatalogueProduct",
    "CatalogueVariant",
    "Consent",
    "ConsentEvent",
    "Contact",
    "ContactRevenue",
    "ContactTag",
    "ContentProblem",
    "Conversion",
    "DeliveryAttempt",
    "Enrollment",
    "Event",
    "EventSummary",
    "ExperimentDecision",
    "FeedCopy",
    "ImportCursor",
    "IssuedVoucher",
    "Message",
    "NewsletterTopic",
    "NotifyRequest",
    "PooledCode",
    "SaleorInstallation",
    "ScoreEntry",
    "ScoreRule",
    "Segment",
    "SegmentMembership",
    "ShopPreset",
    "StandaloneSettings",
    "Step",
    "Suppression",
    "Template",
    "WebhookDelivery",
]
