"""How much marketing each contact of a batch got lately: smart sending and frequency caps.

One query per batch reads the marketing sends of the batch's contacts within the longest
window any rule looks at; sends of the batch itself are added as they are handed over, so
one batch cannot break a cap either. Workers sending at the same moment each see what the
other has confirmed, not what it is sending (as for smart sending).

Frequency cap: at most ``max_marketing_per_day`` marketing messages per contact in any
24 hours and ``max_marketing_per_week`` in any 7 days, over every campaign and channel;
transactional messages neither count nor are capped. A capped message is deferred to the
moment the cap allows it, unless its step asks to skip instead (broadcasts by default: a
newsletter days late is stale) or that moment is more than ``MAX_CAP_DELAY`` after the
message was due; then it is suppressed with the reason ``frequency_cap``. So a message is
deferred only while it stays within that bound, and every deferral moves it forward.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import F

from ..core.lookups import AnyOf
from . import MessageStatus
from .models import Message

DAY, WEEK = timedelta(days=1), timedelta(days=7)
#: A capped message is sent at most this late; later it would no longer fit its moment.
MAX_CAP_DELAY = timedelta(days=2)
#: The step option (copied into the message's context) that skips instead of deferring.
WHEN_CAPPED = "when_capped"
SKIP, DEFER = "skip", "defer"


class SendHistory:
    """Marketing sends per contact and channel within ``lookback`` of ``now``."""

    def __init__(self, contact_ids: set[int], now: datetime, lookback: timedelta):
        self.now = now
        self.sent: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
        if not lookback or not contact_ids:
            return
        for contact_id, channel, sent_at in Message.objects.filter(
            AnyOf(F("contact_id"), contact_ids),
            transactional=False,
            status=MessageStatus.SENT,
            sent_at__gte=now - lookback,
        ).values_list("contact_id", "channel", "sent_at"):
            self.sent[contact_id].append((channel, sent_at))

    def last(self, contact_id: int, channel: str) -> datetime | None:
        """The latest marketing send to a contact on one channel, if any in the lookback."""
        sends = self.sent.get(contact_id)
        if not sends:  # most readers of a batch: nothing in the lookback
            return None
        return max((at for sent_channel, at in sends if sent_channel == channel), default=None)

    def note(self, contact_id: int, channel: str) -> None:
        """Count a marketing message this batch hands over."""
        self.sent[contact_id].append((channel, self.now))

    def capped_until(self, contact_id: int, per_day: int, per_week: int) -> datetime | None:
        """None if one more marketing message fits the caps now, else when it will."""
        sends = self.sent.get(contact_id)
        if not sends:
            return None
        times = sorted(sent_at for _, sent_at in sends)
        waits = []
        for limit, span in ((per_day, DAY), (per_week, WEEK)):
            if not limit:
                continue
            recent = [sent_at for sent_at in times if sent_at > self.now - span]
            if len(recent) >= limit:
                # When the oldest sends that fill the cap have left the window.
                waits.append(recent[len(recent) - limit] + span)
        return max(waits, default=None)


def cap_lookback(per_day: int, per_week: int) -> timedelta:
    """How far back the caps look (nothing when both are off)."""
    return WEEK if per_week else DAY if per_day else timedelta(0)


def may_defer(message: Message, until: datetime) -> bool:
    """Whether a capped message waits until ``until`` rather than being skipped."""
    if (message.context or {}).get(WHEN_CAPPED) == SKIP:
        return False
    return until <= message.created_at + MAX_CAP_DELAY
