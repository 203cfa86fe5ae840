"""Ratings from the feedback page a feedback request links to.

A rating becomes an event of the contact (``feedback.given``), so campaigns can react to
it (thank a happy customer, call back an unhappy one) and segments can select by it.
The link in the mail only opens the page with the stars chosen: mail scanners follow
links, so only the reader's own press of the button records anything.
"""

from dataclasses import dataclass

from django.utils import timezone

from ..events import EventSource, EventType
from ..events.intake import NewEvent, record_events
from ..events.models import Event
from .models import Message

RATINGS = range(1, 6)
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Feedback:
    rating: int
    comment: str


def parse_feedback(rating: str | None, comment: str | None) -> Feedback | None:
    """The reader's rating and comment; None for a rating that is not 1 to 5."""
    try:
        value = int(rating or "")
    except ValueError:
        return None
    if value not in RATINGS:
        return None
    text = "".join(ch for ch in (comment or "") if ch.isprintable() or ch in "\n\t")
    return Feedback(value, text.strip()[:MAX_COMMENT])


def order_of(message: Message) -> dict:
    """The order the feedback request was about (from its trigger event), if any."""
    event_id = message.context.get("trigger_event_id")
    payload = Event.objects.filter(pk=event_id).values_list("payload", flat=True).first()
    payload = payload or {}
    return {"order_id": payload.get("order_id", ""), "order_number": payload.get("number", "")}


def record_feedback(message: Message, feedback: Feedback) -> bool:
    """Store the rating as the contact's event, once per message; False if already given."""
    recorded = record_events(
        [
            NewEvent(
                EventType.FEEDBACK_GIVEN,
                timezone.now(),
                f"{EventType.FEEDBACK_GIVEN}:{message.pk}",
                {
                    "contact_id": message.contact_id,
                    "message_id": message.pk,
                    "campaign_id": message.campaign_id,
                    "rating": feedback.rating,
                    "comment": feedback.comment,
                    **order_of(message),
                },
                EventSource.STOREFRONT,
            )
        ]
    )
    return bool(recorded)
