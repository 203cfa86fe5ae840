"""Which people of a processing batch have no contact yet, known with one query per batch.

A burst of orders from new customers (a sale, guest checkouts) would otherwise look each
person up only to find nobody. Only absence is remembered: a contact that exists is still
read, and locked, by its event, so nothing read here can go stale. Absence can: another
worker may create the contact meanwhile, which the insert's unique email catches (see
``profiles``), and a contact created by this batch is forgotten here at once.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Q

from ..core.emails import normalize_email
from .models import Contact


@dataclass
class UnknownPeople:
    emails: set[str] = field(default_factory=set)
    user_ids: set[str] = field(default_factory=set)


_unknown: ContextVar[UnknownPeople | None] = ContextVar("saleor_ma_unknown_people", default=None)


@contextmanager
def unknown_people(payloads: Iterable[dict]) -> Iterator[None]:
    """Within this block, ``is_unknown`` answers for the people the payloads name."""
    emails, user_ids = set(), set()
    for payload in payloads:
        if payload.get("contact_id"):
            continue
        emails.add(normalize_email(payload.get("email") or ""))
        user_ids.add(str(payload.get("user_id") or ""))
    emails.discard("")
    user_ids.discard("")
    unknown = UnknownPeople()
    if emails or user_ids:
        # Erased contacts count as known: the slow path decides what happens to them.
        known = Contact.objects.filter(Q(email__in=emails) | Q(saleor_user_id__in=user_ids))
        known_emails, known_users = set(), set()
        for email, user_id in known.values_list("email", "saleor_user_id"):
            known_emails.add(email)
            known_users.add(user_id)
        unknown = UnknownPeople(emails - known_emails, user_ids - known_users)
    token = _unknown.set(unknown)
    try:
        yield
    finally:
        _unknown.reset(token)


def is_unknown(email: str, user_id: str) -> bool:
    """True if, as of this batch's start, no contact has this email or Saleor user id."""
    unknown = _unknown.get()
    if unknown is None:
        return False
    email = normalize_email(email or "")
    return (
        bool(email)
        and email in unknown.emails
        and (not user_id or str(user_id) in unknown.user_ids)
    )


def forget_unknown(email: str, user_id: str) -> None:
    """The person has a contact now (or may have): look them up from here on."""
    unknown = _unknown.get()
    if unknown is not None:
        unknown.emails.discard(normalize_email(email or ""))
        unknown.user_ids.discard(str(user_id or ""))
