"""A message shown or mailed before it is real: the composer's preview and test send.

It is prepared by the delivery's own code (``sending.prepare``: the batch context with the
step's content blocks resolved and rendered as a batch does, the template in the reader's
language, the legal footer, the sender of the reader's channel) from a message that is
never saved, and sent, when it is a test, through the configured email channel. What a real
send changes stays unchanged: no message row (so no run, no figure, no frequency count), no
content problem in the campaign's report, no tracked link, and the reader's unsubscribe
and preference links are replaced by inert ones, since a test mail goes to someone else.
"""

import logging
from dataclasses import replace
from datetime import datetime

from ..core.configuration import PluginSettings
from . import MessageChannel
from .channels.base import OutgoingMessage
from .context import ContextBatch
from .links import route_url
from .models import Message
from .policy import PolicyBatch
from .render_cache import BatchRenderer
from .rendering import RenderedEmail
from .sending import backend_for, prepare
from .templates_store import TemplateStore

logger = logging.getLogger(__name__)

TEST_PREFIX = "[Test] "
#: Links that name the reader (unsubscribe, preferences) point here: pages that say the
#: link is not valid, whoever opens them.
INERT_TOKEN = "test"


class ProofFailed(Exception):
    """The email channel did not accept the test; the reason is logged, not shown."""


class _ProofContexts(ContextBatch):
    """The batch context, with the reader's own links made inert."""

    def build(self, message: Message, marketing_allowed: bool) -> dict:
        data = super().build(message, marketing_allowed)
        data["links"] = {
            **data["links"],
            "unsubscribe_url": route_url(f"u/{INERT_TOKEN}/"),
            "preferences_url": route_url(f"p/{INERT_TOKEN}/"),
        }
        return data


class _UntrackedRenderer(BatchRenderer):
    """The batch renderer without click tracking: there is no message to count clicks of."""

    def render_tracked(self, source, data, message_id, untracked) -> RenderedEmail:
        return self.render(source, data)


def prepare_proof(message: Message, settings: PluginSettings, now: datetime) -> OutgoingMessage:
    """The email ``message`` would be now; raises MissingTemplate or TemplateRefused."""
    if message.channel != MessageChannel.EMAIL:
        raise ValueError("Only email messages have a proof.")
    contexts = _ProofContexts([message], settings, report=False)
    policy = PolicyBatch([message], settings, now)
    prepared = prepare(message, contexts, TemplateStore(), settings, policy, _UntrackedRenderer())
    return replace(prepared[0], message_id=0, headers={})


def send_proof(outgoing: OutgoingMessage, address: str, settings: PluginSettings) -> None:
    """Mail the proof to ``address`` through the email channel; ProofFailed if refused."""
    test = replace(
        outgoing,
        recipient=address,
        subject=TEST_PREFIX + outgoing.subject,
        headers={"X-Marketing-Test": "1"},
    )
    backend = backend_for(MessageChannel.EMAIL, settings)
    try:
        backend.open()
        try:
            [result] = backend.send([test])
        finally:
            backend.close()
    except Exception:  # backends raise anything from smtplib to HTTP errors
        logger.exception("A test email could not be handed to the email channel")
        raise ProofFailed from None
    if not result.ok:
        logger.warning("The email channel refused a test email: %s", result.error)
        raise ProofFailed
