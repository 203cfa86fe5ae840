"""What every channel backend promises; each backend's tests subclass ``ChannelContract``.

A subclass provides a ``harness`` fixture returning a ``ContractHarness``. Content a backend
cannot deliver (``harness.unsupported_message``) yields a failed, permanent result by default,
so the rest of the batch still goes out: that is what the SMS and web push backends do. A
backend that raises ``UnsupportedFeature`` instead sets ``unsupported_raises = True``; it must
raise before handing anything to its provider.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import pytest

from saleor_ma_plugin.messaging import MessageChannel
from saleor_ma_plugin.messaging.channels.base import (
    ChannelBackend,
    OutgoingMessage,
    SendResult,
    UnsupportedFeature,
)


@dataclass(frozen=True)
class ContractHarness:
    """A backend under test, wired to a fake provider, and ways to make it succeed or fail."""

    backend: ChannelBackend
    #: A deliverable message; each message id gets its own recipient.
    message: Callable[[int], OutgoingMessage]
    #: A message that fails permanently (a recipient the provider rejects, say).
    failing_message: Callable[[int], OutgoingMessage]
    #: A message whose content the backend cannot deliver (too long, wrong kind of body).
    unsupported_message: Callable[[int], OutgoingMessage]
    #: Recipients whose message the provider accepted so far, in order.
    delivered: Callable[[], list[str]]


def send_batch(backend: ChannelBackend, messages: list[OutgoingMessage]) -> list[SendResult]:
    """Send the way the delivery loop does: open once, send, close even when sending fails."""
    backend.open()
    try:
        return backend.send(messages)
    finally:
        backend.close()


class ChannelContract:
    """Behaviour shared by all backends; not collected on its own (no ``Test`` prefix)."""

    unsupported_raises: ClassVar[bool] = False

    def test_backend_names_a_message_channel(self, harness: ContractHarness):
        # then
        assert harness.backend.channel in MessageChannel.values

    def test_send_returns_one_result_per_message_in_order(self, harness: ContractHarness):
        # given ids out of order, so "in order" cannot be "sorted"
        messages = [harness.message(7), harness.message(3), harness.message(5)]

        # when
        results = send_batch(harness.backend, messages)

        # then
        assert [result.message_id for result in results] == [7, 3, 5]
        assert [(result.ok, result.error, result.permanent) for result in results] == [
            (True, "", False)
        ] * 3
        provider_ids = [result.provider_message_id for result in results]
        assert all(provider_ids)
        assert len(set(provider_ids)) == 3
        assert harness.delivered() == [message.recipient for message in messages]

    def test_empty_batch_sends_nothing(self, harness: ContractHarness):
        # when
        results = send_batch(harness.backend, [])

        # then
        assert results == []
        assert harness.delivered() == []

    def test_permanent_failure_does_not_stop_the_others(self, harness: ContractHarness):
        # given
        first, failing, last = harness.message(1), harness.failing_message(2), harness.message(3)

        # when
        results = send_batch(harness.backend, [first, failing, last])

        # then
        assert [(result.message_id, result.ok) for result in results] == [
            (1, True),
            (2, False),
            (3, True),
        ]
        assert results[1].permanent is True
        assert results[1].error != ""
        assert results[1].provider_message_id == ""
        assert harness.delivered() == [first.recipient, last.recipient]

    def test_open_and_close_can_be_called_around_each_send(self, harness: ContractHarness):
        # given
        backend = harness.backend

        # when the backend is opened and closed twice, as two delivery batches do
        first = send_batch(backend, [harness.message(1)])
        second = send_batch(backend, [harness.message(2)])

        # then
        assert [(result.message_id, result.ok) for result in first + second] == [
            (1, True),
            (2, True),
        ]
        assert harness.delivered() == [harness.message(1).recipient, harness.message(2).recipient]

    def test_unsupported_content_is_refused_without_reaching_the_provider(
        self, harness: ContractHarness
    ):
        # given
        unsupported, fine = harness.unsupported_message(1), harness.message(2)

        if self.unsupported_raises:
            # when / then
            with pytest.raises(UnsupportedFeature):
                send_batch(harness.backend, [unsupported])
            assert harness.delivered() == []
            return

        # when
        results = send_batch(harness.backend, [unsupported, fine])

        # then
        assert [(result.message_id, result.ok) for result in results] == [(1, False), (2, True)]
        assert results[0].permanent is True
        assert results[0].error != ""
        assert harness.delivered() == [fine.recipient]
