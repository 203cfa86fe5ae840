"""Keeping contact profiles in step with the event stream."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..core.emails import is_valid_email, normalize_email
from ..core.inserts import insert_unless_taken
from ..events import EventType
from ..events.models import Event
from . import stage_for_orders
from .details import apply_details, details_of_payload
from .lookups import forget_unknown, is_unknown
from .merging import merge_contacts
from .models import Contact, ContactRevenue
from .revenue import add_revenue

#: Events that say something about a registered customer's profile.
CUSTOMER_PROFILE_EVENTS = {
    EventType.CUSTOMER_CREATED,
    EventType.CUSTOMER_UPDATED,
    EventType.ACCOUNT_CONFIRMED,
}


@dataclass(frozen=True)
class AppliedEvent:
    contact: Contact | None
    #: Created by this very event: it cannot have runs, messages or conversions yet.
    contact_is_new: bool = False


def apply_event(event: Event) -> AppliedEvent:
    """Resolve the event's contact and update the profile."""
    payload = event.payload
    if payload.get("contact_id"):
        # Engine events name their contact directly and change no profile.
        return AppliedEvent(
            Contact.objects.filter(pk=payload["contact_id"], erased_at__isnull=True).first()
        )
    if event.type == EventType.CUSTOMER_DELETED:
        # The pipeline erases the person (``privacy``), this notice included.
        return AppliedEvent(find_contact(payload.get("email", ""), payload.get("user_id", "")))
    if event.type in CUSTOMER_PROFILE_EVENTS:
        return AppliedEvent(_apply_customer(payload))
    email, user_id = payload.get("email", ""), payload.get("user_id", "")
    contact = None if is_unknown(email, user_id) else find_contact(email, user_id, lock=True)
    if contact is None:
        return _apply_to_new_contact(event, email, user_id)
    return _apply_to_contact(event, contact)


def _apply_to_contact(event: Event, contact: Contact) -> AppliedEvent:
    """Update the (locked) contact's profile with the event."""
    payload = event.payload
    _fill_blanks(contact, payload)
    contact.last_seen_at = max_time(contact.last_seen_at, event.occurred_at)
    if event.type == EventType.ORDER_CREATED:
        _count_order(contact, payload, event.occurred_at)
        add_revenue(contact.pk, payload["currency"], Decimal(payload["total_gross"]))
    elif event.type == EventType.ORDER_CANCELLED and _order_was_counted(payload["order_id"]):
        _uncount_order(contact, payload)
    contact.save()
    return AppliedEvent(contact)


def _apply_to_new_contact(event: Event, email: str, user_id: str) -> AppliedEvent:
    """Create the event's contact with what the event says of it: one INSERT, no UPDATE,
    no savepoint (a taken email is answered by the insert, not raised).

    A cancellation is not counted against a contact that is only now created: it has no
    orders to take back.
    """
    email = normalize_email(email)
    if not is_valid_email(email):
        return AppliedEvent(None)
    contact = Contact(email=email, saleor_user_id=user_id)
    _fill_blanks(contact, event.payload)
    contact.last_seen_at = max_time(contact.last_seen_at, event.occurred_at)
    if event.type == EventType.ORDER_CREATED:
        _count_order(contact, event.payload, event.occurred_at)
    if not insert_unless_taken(contact, "email"):
        # Another worker created it between our lookup and insert: the event is theirs too.
        forget_unknown(email, user_id)
        return _apply_to_contact(event, Contact.objects.select_for_update().get(email=email))
    forget_unknown(email, user_id)
    if event.type == EventType.ORDER_CREATED:
        add_revenue(contact.pk, event.payload["currency"], Decimal(event.payload["total_gross"]))
    return AppliedEvent(contact, contact_is_new=True)


def find_contact(email: str, user_id: str, lock: bool = False) -> Contact | None:
    """The contact for a Saleor user id or, failing that, an email address."""
    contacts = Contact.objects.select_for_update() if lock else Contact.objects
    if user_id:
        contact = contacts.filter(saleor_user_id=user_id, erased_at__isnull=True).first()
        if contact is not None:
            return contact
    email = normalize_email(email)
    return contacts.filter(email=email, erased_at__isnull=True).first() if email else None


def resolve_contact(email: str, user_id: str = "") -> Contact | None:
    """Find or create the contact for activity; ``None`` when it identifies nobody."""
    contact = find_contact(email, user_id)
    return contact if contact is not None else _create_contact(email, user_id)[0]


def _create_contact(email: str, user_id: str) -> tuple[Contact | None, bool]:
    """Create the contact (locked by this transaction); say whether this call created it."""
    email = normalize_email(email)
    if not is_valid_email(email):
        return None, False
    forget_unknown(email, user_id)
    try:
        with transaction.atomic():
            return Contact.objects.create(email=email, saleor_user_id=user_id), True
    except IntegrityError:
        # Another worker created it between our lookup and insert.
        return Contact.objects.select_for_update().get(email=email), False


def _apply_customer(payload: dict[str, Any]) -> Contact | None:
    user_id, email = payload["user_id"], normalize_email(payload.get("email"))
    by_user = Contact.objects.filter(saleor_user_id=user_id, erased_at__isnull=True).first()
    by_email = Contact.objects.filter(email=email).first() if email else None
    if by_user and by_email and by_user.pk != by_email.pk:
        # The customer changed their email to one we already knew (e.g. from guest orders).
        contact = merge_contacts(source=by_email, target=by_user)
    else:
        contact = by_user or by_email or resolve_contact(email, user_id)
    if contact is None:
        return None
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.saleor_user_id = user_id
    forget_unknown(email, user_id)
    if email and is_valid_email(email):
        contact.email = email
    if payload.get("language_code"):
        contact.language_code = payload["language_code"]
    # The shop's account is the customer's own word: it replaces what we had.
    apply_details(contact, details_of_payload(payload), overwrite=True)
    contact.save()
    return contact


def _fill_blanks(contact: Contact, payload: dict[str, Any]) -> None:
    """Take language, country, names and phone from activity only where the profile has none."""
    if payload.get("language_code") and not contact.language_code:
        contact.language_code = payload["language_code"]
    if payload.get("user_id") and not contact.saleor_user_id:
        contact.saleor_user_id = payload["user_id"]
        forget_unknown("", payload["user_id"])
    apply_details(contact, details_of_payload(payload), overwrite=False)


def _count_order(contact: Contact, payload: dict[str, Any], placed_at: datetime) -> None:
    """Count the order on the profile (its revenue is the caller's: it needs the row)."""
    contact.orders_count += 1
    contact.first_order_at = min_time(contact.first_order_at, placed_at)
    contact.last_order_at = max_time(contact.last_order_at, placed_at)
    contact.lifecycle_stage = stage_for_orders(contact.orders_count)


def _uncount_order(contact: Contact, payload: dict[str, Any]) -> None:
    contact.orders_count = max(contact.orders_count - 1, 0)
    contact.lifecycle_stage = stage_for_orders(contact.orders_count)
    ContactRevenue.objects.filter(
        contact=contact, currency=payload["currency"], orders_count__gt=0
    ).update(
        orders_count=F("orders_count") - 1,
        total_gross=F("total_gross") - Decimal(payload["total_gross"]),
    )


def _order_was_counted(order_id: str) -> bool:
    return Event.objects.filter(
        dedupe_key=f"{EventType.ORDER_CREATED}:{order_id}", processed_at__isnull=False
    ).exists()


def as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return parse_datetime(value)


def min_time(current: datetime | None, candidate: datetime | str | None) -> datetime | None:
    candidate = as_datetime(candidate)
    if current is None or candidate is None:
        return current or candidate
    return min(current, candidate)


def max_time(current: datetime | None, candidate: datetime | str | None) -> datetime | None:
    candidate = as_datetime(candidate) or timezone.now()
    return candidate if current is None else max(current, candidate)
