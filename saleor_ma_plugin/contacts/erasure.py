"""Forgetting a person while keeping the numbers reports are built from."""

from django.db import transaction
from django.utils import timezone

from ..events.models import Event
from . import LifecycleStage
from .models import Consent, ConsentEvent, Contact, ContactTag

#: Payload keys that identify a person; order totals, lines and channel stay for reports.
PERSONAL_PAYLOAD_KEYS = frozenset(
    {
        "email",
        "user_id",
        "first_name",
        "last_name",
        "phone",
        "birthday",
        "attributes",
        "redirect_url",
        "checkout_token",
        "token",
        "anonymous_id",
        # Storefront activity: search text, custom event properties, feedback comments,
        # clicked links (which may carry a checkout token) and browser details.
        "query",
        "properties",
        "comment",
        "url",
        "user_agent",
        "ip_address",
        # Saleor's notifications: where the mail went, and an email change's two addresses.
        "recipient",
        "old_email",
        "new_email",
    }
)


def erased_email(contact_id: int) -> str:
    """A placeholder that keeps the unique email column filled but names nobody."""
    return f"erased-{contact_id}@erased.invalid"


def erase_contact(contact: Contact) -> Contact:
    """Erase a contact's personal data; keep order aggregates, revenue and anonymous events."""
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        contact.email = erased_email(contact.pk)
        contact.saleor_user_id = ""
        contact.first_name = contact.last_name = contact.phone = contact.timezone = ""
        contact.birthday = None
        contact.attributes = {}
        contact.lifecycle_stage = LifecycleStage.ERASED
        contact.erased_at = timezone.now()
        contact.save()
        ContactTag.objects.filter(contact=contact).delete()
        # Without consents nothing can be sent to the erased row; the log keeps only the fact.
        Consent.objects.filter(contact=contact).delete()
        ConsentEvent.objects.filter(contact=contact).erase_personal_data()
        scrub_event_payloads(contact)
    return contact


def scrub_payload(event: Event) -> bool:
    """Drop identifying keys from one event's payload in place; tell whether any were there."""
    found = PERSONAL_PAYLOAD_KEYS & event.payload.keys()
    for key in found:
        del event.payload[key]
    return bool(found)


def scrub_event_payloads(contact: Contact) -> int:
    """Remove identifying keys from every stored event of the contact."""
    scrubbed = [
        event
        for event in Event.objects.filter(contact=contact).only("id", "payload").iterator()
        if scrub_payload(event)
    ]
    Event.objects.bulk_update(scrubbed, ["payload"], batch_size=500)
    return len(scrubbed)
