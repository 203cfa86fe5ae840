"""The contract every channel backend fulfils (the anymail backend/payload split).

The delivery loop claims messages, applies consent and policy, renders them into
``OutgoingMessage`` objects and hands a batch to a backend opened once per batch. A backend
only talks to its provider; anything it cannot do raises ``UnsupportedFeature``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


class UnsupportedFeature(Exception):
    """The backend cannot deliver what the message asks for."""


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered message, ready for a provider."""

    message_id: int
    channel: str
    #: Email address, E.164 phone number, or the push subscription's endpoint.
    recipient: str
    subject: str = ""
    text: str = ""
    html: str = ""
    from_address: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    #: Channel-specific extras, e.g. web push keys {"p256dh": ..., "auth": ...} or a push URL.
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SendResult:
    message_id: int
    ok: bool
    provider_message_id: str = ""
    error: str = ""
    #: True when retrying cannot help (invalid number, expired subscription, hard bounce):
    #: the message fails and the address is suppressed.
    permanent: bool = False
    #: With ``permanent``: whether the address is at fault (and suppressed); not when the
    #: message itself could not be built, e.g. a header we refused to write.
    address_at_fault: bool = True
    #: The provider may have taken the message (the connection broke after it was sent,
    #: before the reply): resolved like a claim of a worker that died, never retried blindly.
    unknown: bool = False


class ChannelBackend:
    """Base class: ``open`` once, ``send`` batches, ``close`` once."""

    channel: str = ""

    def open(self) -> None:
        """Open connections; default: nothing to open."""

    def send(
        self,
        messages: Iterable[OutgoingMessage],
        on_result: Callable[[SendResult], None] | None = None,
    ) -> list[SendResult]:
        """Send every message; one result per message, in order; one bad message never raises.

        A backend that knows a message's result before the batch ends may also report it
        at once through ``on_result`` (the email channel does, so acceptances are recorded
        while the batch goes on); every result is in the returned list either way.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release connections; default: nothing to close."""
