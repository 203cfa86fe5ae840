"""May this message go out now? Consent, suppression, pause, smart sending, frequency cap,
quiet hours.

Decided for a whole batch with a handful of queries, before anything is rendered.
Transactional messages skip consent, caps and quiet hours; only hard suppressions stop them.
Feedback requests are marketing; with the ``feedback_consent`` setting at
``existing_customer`` they also go, without consent, to customers with an order who have not
objected (§ 7 (3) UWG), and say that they may object.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F

from ..contacts import GENERAL_TOPIC, ConsentStatus
from ..contacts.models import Consent
from ..contacts.zones import contact_zone
from ..core.configuration import FeedbackConsent, PluginSettings
from ..core.lookups import AnyOf
from . import MessageChannel
from .frequency import SendHistory, cap_lookback, may_defer
from .models import Message, Suppression

#: Smart-sending windows when the admin set none for the channel.
DEFAULT_WINDOW_HOURS = {MessageChannel.EMAIL: 16, MessageChannel.SMS: 24, MessageChannel.PUSH: 4}
#: Suppressions that stop transactional mail too (the address cannot receive anything).
HARD_REASONS = {Suppression.Reason.HARD_BOUNCE, Suppression.Reason.INVALID}
#: The send step option (copied into the message's context) naming what a message is for.
PURPOSE = "purpose"
#: A review or feedback request: marketing, see ``FeedbackConsent``.
FEEDBACK = "feedback"


@dataclass(frozen=True)
class Decision:
    send: bool
    #: Why not: no_consent, suppressed, paused, smart_sending, frequency_cap, quiet_hours,
    #: erased, no_address.
    reason: str = ""
    #: Quiet hours or a frequency cap: try again at this time instead.
    defer_until: datetime | None = None


SEND = Decision(send=True)


class PolicyBatch:
    """Prefetches what the rules need for a batch of messages."""

    def __init__(self, messages: list[Message], settings: PluginSettings, now: datetime):
        self.settings, self.now = settings, now
        contact_ids = {message.contact_id for message in messages}
        self.consents: dict[int, dict[tuple[str, str], str]] = defaultdict(dict)
        for contact_id, channel, topic, status in Consent.objects.filter(
            AnyOf(F("contact_id"), contact_ids)
        ).values_list("contact_id", "channel", "topic", "status"):
            self.consents[contact_id][(channel, topic)] = status
        addresses = {address_of(message) for message in messages}
        self.suppressed = dict(
            Suppression.objects.filter(AnyOf(F("address"), addresses)).values_list(
                "address", "reason"
            )
        )
        window = timedelta(hours=max(self._window(channel) for channel in MessageChannel.values))
        caps = cap_lookback(settings.max_marketing_per_day, settings.max_marketing_per_week)
        self.history = SendHistory(contact_ids, now, max(window, caps))

    def _window(self, channel: str) -> int:
        if channel == MessageChannel.EMAIL:
            return self.settings.smart_sending_hours
        return DEFAULT_WINDOW_HOURS[channel]

    def decide(self, message: Message) -> Decision:
        contact = message.contact
        if contact.erased_at is not None:
            return Decision(False, "erased")
        address = address_of(message)
        if not address:
            return Decision(False, "no_address")
        reason = self.suppressed.get(address)
        if reason and (not message.transactional or reason in HARD_REASONS):
            return Decision(False, "suppressed")
        if message.transactional:
            return SEND
        if not self.has_marketing_consent(
            message.contact_id, message.channel, message.topic
        ) and not self.under_exemption(message):
            return Decision(False, "no_consent")
        if contact.marketing_paused_until and contact.marketing_paused_until > self.now:
            return Decision(False, "paused")
        last = self.history.last(message.contact_id, message.channel)
        window = self._window(message.channel)
        if window and last and last > self.now - timedelta(hours=window):
            return Decision(False, "smart_sending")
        capped_until = self.history.capped_until(
            message.contact_id,
            self.settings.max_marketing_per_day,
            self.settings.max_marketing_per_week,
        )
        if capped_until is not None:
            deferred = capped_until if may_defer(message, capped_until) else None
            return Decision(False, "frequency_cap", defer_until=deferred)
        quiet = self.settings.quiet_hours
        if quiet is not None:
            local = self.now.astimezone(contact_zone(contact))
            if quiet.contains(local.time().replace(tzinfo=None)):
                return Decision(False, "quiet_hours", defer_until=_quiet_end(local, quiet.end))
        return SEND

    def has_marketing_consent(self, contact_id: int, channel: str, topic: str = "") -> bool:
        statuses = self.consents.get(contact_id, {})
        if statuses.get((channel, GENERAL_TOPIC)) != ConsentStatus.SUBSCRIBED:
            return False
        return not topic or statuses.get((channel, topic)) == ConsentStatus.SUBSCRIBED

    def under_exemption(self, message: Message) -> bool:
        """A feedback request that may go without consent: to a customer with an order who
        has not objected to marketing email, when the shop chose the exemption."""
        if (
            (message.context or {}).get(PURPOSE) != FEEDBACK
            or self.settings.feedback_consent != FeedbackConsent.EXISTING_CUSTOMER
            or message.channel != MessageChannel.EMAIL
            or message.transactional
            or not message.contact.orders_count
        ):
            return False
        general = self.consents.get(message.contact_id, {}).get((message.channel, GENERAL_TOPIC))
        return general != ConsentStatus.UNSUBSCRIBED

    def on_exemption(self, message: Message) -> bool:
        """Sent without consent, on the existing-customer exemption: the mail must say that
        the reader may object."""
        return not self.has_marketing_consent(
            message.contact_id, message.channel, message.topic
        ) and self.under_exemption(message)

    def marketing_allowed(self, message: Message) -> bool:
        """Whether marketing add-ons (vouchers, recommendations) may ride along: with email
        consent on transactional mail, never on the existing-customer exemption."""
        if message.transactional:
            return self.has_marketing_consent(message.contact_id, MessageChannel.EMAIL)
        return not self.on_exemption(message)

    def note_sent(self, message: Message) -> None:
        """Count a send of this batch, so one batch cannot break smart sending or a cap."""
        if not message.transactional:
            self.history.note(message.contact_id, message.channel)


def _quiet_end(local: datetime, end) -> datetime:
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + timedelta(days=1)


def address_of(message: Message) -> str:
    """Where a message goes: email address or phone number (push goes to subscriptions)."""
    if message.channel == MessageChannel.SMS:
        return message.contact.phone
    if message.channel == MessageChannel.PUSH:
        return f"contact:{message.contact_id}"
    return message.contact.email
