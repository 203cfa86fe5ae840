"""Email address normalization: one contact per mailbox."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def normalize_email(raw_email: str | None) -> str:
    """Return the canonical form of an address, or "" when there is none.

    The domain part is case-insensitive by RFC 5321; the local part technically is not,
    but no mailbox provider we know of treats it so, and shops store whatever customers
    typed, so we lower-case the whole address to avoid one person becoming two contacts.
    """
    if not raw_email:
        return ""
    return raw_email.strip().lower()


def is_valid_email(email: str) -> bool:
    """Tell whether a normalized address is syntactically deliverable."""
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True
