"""What a send's result makes of its message, and how results are written to the outbox.

The send loop (``delivery``) applies results as they come and writes them every
``CHECKPOINT`` messages; the reaper (``stale_claims``) applies what a dead worker's journal
recorded the same way, so a result reads the same whichever of the two wrote it.
"""

from datetime import datetime, timedelta

from ..core.bulk import bulk_update_rows
from ..core.bulk_log import update_rows_and_log
from ..core.host import allow_writes
from . import MessageChannel, MessageStatus
from .channels.base import SendResult
from .models import DeliveryAttempt, Message, Suppression
from .policy import address_of
from .transactional import forget_secrets

#: Results are written every this many messages of a channel: few enough to lose little
#: to a crash without a journal, enough that the writes cost little.
CHECKPOINT = 50
MAX_ATTEMPTS = 5
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))
RESULT_FIELDS = (
    "status",
    "sent_at",
    "provider_message_id",
    "last_error",
    "scheduled_at",
    "attempts",
)
UNCONFIRMED = "worker stopped before confirming the send"


def apply_result(message: Message, result: SendResult, now: datetime) -> None:
    """Set the message's status (and retry time) from its send's result."""
    if result.ok:
        message.status, message.sent_at = MessageStatus.SENT, now
        message.provider_message_id, message.last_error = result.provider_message_id, ""
    elif result.unknown:
        unconfirmed(message, result.error, now)
    elif result.permanent or message.attempts >= MAX_ATTEMPTS:
        message.status, message.last_error = MessageStatus.FAILED, result.error
    else:
        message.status, message.last_error = MessageStatus.QUEUED, result.error
        message.scheduled_at = now + RETRY_AFTER[min(message.attempts, len(RETRY_AFTER)) - 1]


def unconfirmed(message: Message, error: str, now: datetime) -> None:
    """The stale-claim policy for one message the provider may have taken: marketing is
    never re-sent blindly, transactional mail is queued again."""
    if message.transactional and message.attempts < MAX_ATTEMPTS:
        message.status, message.scheduled_at = MessageStatus.QUEUED, now
    else:
        message.status = MessageStatus.UNKNOWN
    message.last_error = error


def attempt_of(message: Message, result: SendResult) -> DeliveryAttempt:
    # One per send: built by column, without ``Model.__init__`` (see ``core.instances``).
    return DeliveryAttempt.build(
        message_id=message.id,
        succeeded=result.ok,
        error=result.error,
        provider_response=result.provider_message_id,
    )


def suppression_of(message: Message, result: SendResult) -> Suppression | None:
    """A hard bounce suppresses the address (push has none: its subscription is dropped)."""
    bounced = result.permanent and result.address_at_fault
    if not bounced or message.channel == MessageChannel.PUSH:
        return None
    return Suppression(
        channel=message.channel,
        address=address_of(message),
        reason=Suppression.Reason.HARD_BOUNCE,
        detail=result.error,
    )


def write_results(
    rows: list[Message], attempts: list[DeliveryAttempt], suppressions: list[Suppression]
) -> None:
    """Write results, their attempts and suppressions (one round trip for the first two)."""
    with allow_writes():
        update_rows_and_log(Message, rows, RESULT_FIELDS, attempts)
        # A one-time link (password reset) is kept no longer than its message needs it.
        bulk_update_rows(Message, forget_secrets(rows), ("context",))
        if suppressions:
            Suppression.objects.bulk_create(suppressions, ignore_conflicts=True)
