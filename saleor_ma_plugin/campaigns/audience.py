"""Who may enter a campaign: a rule of the rule language, decided in SQL for everyone.

The audience is a rule tree like a segment's (``{"all": [{"consent": {"channel":
"email"}}, {"tag": "coffee"}]}``; ``{}`` is everybody); the old object of named filters
(``tags_any``, ``min_orders``, ...) is still read (see ``segments.rules.legacy``). Erased
contacts are never in an audience.
"""

import time
from typing import Any

from django.db.models import QuerySet

from ..contacts.models import Contact
from ..segments.rules import contact_matches, parse_audience, segment_contacts
from ..segments.rules.logic import AllOf

#: The "at least N contacts" gate re-counts at most this often per campaign and process.
GATE_RECOUNT_SECONDS = 60
_gate_cache: dict[int, tuple[float, int]] = {}


def audience_contacts(audience: Any) -> QuerySet[Contact]:
    """Every contact in the audience (a parsed rule)."""
    return segment_contacts(audience)


def in_audience(audience: Any, contact: Contact) -> bool:
    if audience == AllOf():
        return contact.erased_at is None
    return contact_matches(audience, contact)


def gate_open(campaign, audience: Any) -> bool:
    """The "start only while the audience has at least N contacts" gate."""
    if not campaign.min_audience_size:
        return True
    counted_at, size = _gate_cache.get(campaign.pk, (0.0, 0))
    if time.monotonic() - counted_at > GATE_RECOUNT_SECONDS:
        size = audience_contacts(audience).count()
        _gate_cache[campaign.pk] = (time.monotonic(), size)
    return size >= campaign.min_audience_size


__all__ = ["audience_contacts", "gate_open", "in_audience", "parse_audience"]
