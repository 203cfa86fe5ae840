"""Rules for one contact: the same definitions as the SQL, evaluated in Python.

Each kind evaluates itself (``RuleKind.evaluate``); tags, consents, revenues, events and
memberships are looked up for the one contact. A property test holds the two ways of
answering to each other on generated rules and contacts.
"""

from typing import Any

from django.utils import timezone

from .base import Subject, kind_of


def evaluate(rule: Any, subject: Subject) -> bool:
    """Whether a parsed rule holds for the subject."""
    if subject.now is None:
        subject = Subject(
            subject.contact,
            subject.payload,
            subject.context,
            timezone.now(),
            subject.since,
            subject.enrollment_id,
        )
    return kind_of(rule).evaluate(rule, subject, evaluate)


def contact_matches(rule: Any, contact, now=None) -> bool:
    """Is the contact among ``segment_contacts(rule)``? (Erased contacts never are.)"""
    return contact.erased_at is None and evaluate(rule, Subject(contact, now=now))
