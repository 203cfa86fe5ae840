"""Who the storefront visitor is: a logged-in customer, a recipient of our email, or nobody.

A customer token identifies a customer (``Requestor.kind == "customer"``); an email token
is the signed contact token put into links in our messages (``links.contact_token``).
Staff and apps calling the storefront API are not customers and count as anonymous.
"""

import hashlib
from dataclasses import dataclass

from ...contacts.models import Contact
from ...contacts.profiles import resolve_contact
from ...core.emails import normalize_email
from ...messaging.links import BadToken, ContactToken, read_contact_token
from ..core.errors import MarketingErrorCode, MutationError
from ..core.mutations import requestor_of
from .validation import MAX_TOKEN


@dataclass(frozen=True)
class Visitor:
    #: Normalized email of the customer or of the token's contact; "" when anonymous.
    email: str = ""
    #: Saleor user id of a logged-in customer.
    user_id: str = ""
    #: The contact an email token names (customers are resolved on demand).
    contact: Contact | None = None

    @property
    def identified(self) -> bool:
        return bool(self.email)

    @property
    def identity(self) -> str:
        """A short (at most 65 characters), stable name of the visitor for dedupe keys."""
        if self.contact is not None:
            return f"c{self.contact.pk}"
        if self.user_id and len(self.user_id) <= 64:
            return f"u{self.user_id}"
        return f"h{hashlib.sha256(self.email.encode()).hexdigest()[:32]}" if self.email else ""

    def identity_payload(self) -> dict[str, str]:
        """What an event payload carries so that processing finds the contact."""
        payload = {"email": self.email}
        if self.user_id:
            payload["user_id"] = self.user_id
        return payload


ANONYMOUS_VISITOR = Visitor()


def customer(info) -> Visitor | None:
    """The logged-in customer, if the request carries a customer token with an email."""
    requestor = requestor_of(info)
    email = normalize_email(requestor.email)
    if not requestor.is_customer or not email:
        return None
    return Visitor(email=email, user_id=requestor.identifier)


def read_token(token: str | None, field: str, lock: bool = True) -> tuple[Contact, ContactToken]:
    """The (not erased) contact a signed contact token names; INVALID on ``field`` otherwise.

    ``lock`` (inside a mutation's transaction) holds the contact's row until the commit.
    """
    error = MutationError("The link is invalid.", MarketingErrorCode.INVALID, field)
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN:
        raise error
    try:
        parsed = read_contact_token(token)
    except (BadToken, ValueError, TypeError):
        raise error from None
    contacts = Contact.objects.select_for_update() if lock else Contact.objects
    contact = contacts.filter(pk=parsed.contact_id, erased_at__isnull=True).first()
    if contact is None:
        raise error
    return contact, parsed


def identify(info, email_token: str | None = None, field: str = "emailToken") -> Visitor:
    """Customer token first, then an email token (a bad one is an error), else anonymous."""
    visitor = customer(info)
    if visitor is not None:
        return visitor
    if email_token:
        contact, _ = read_token(email_token, field, lock=False)
        return Visitor(email=contact.email, contact=contact)
    return ANONYMOUS_VISITOR


def contact_of(visitor: Visitor, field: str = "email") -> Contact:
    """The visitor's contact, created for a customer seen for the first time."""
    if visitor.contact is not None:
        return visitor.contact
    contact = resolve_contact(visitor.email, visitor.user_id)
    if contact is None:
        raise MutationError("Enter a valid email address.", MarketingErrorCode.INVALID, field)
    return contact
