"""Django looks for models here; they live in their domain packages."""

from .contacts.models import Consent, ConsentEvent, Contact, ContactRevenue, ContactTag
from .events.models import Event, ImportCursor

__all__ = [
    "Consent",
    "ConsentEvent",
    "Contact",
    "ContactRevenue",
    "ContactTag",
    "Event",
    "ImportCursor",
]
