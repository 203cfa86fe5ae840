"""Turning a claimed message into what a channel backend sends."""

from contextlib import AbstractContextManager, nullcontext
from email.utils import formataddr
from functools import lru_cache

from django.conf import settings as django_settings
from django.utils import translation

from ..core.configuration import PluginSettings
from . import MessageChannel
from .channels.base import ChannelBackend, OutgoingMessage
from .channels.email import EmailChannel
from .channels.push import WebPushBackend
from .channels.sms import sms_backend_from_settings
from .context import ContextBatch
from .footer import add_to_context, with_legal_footer
from .models import Message
from .policy import PolicyBatch
from .render_cache import BatchRenderer
from .templates_store import TemplateStore
from .transactional import secret_links


def backend_for(channel: str, settings: PluginSettings) -> ChannelBackend:
    """The configured backend of a channel."""
    if channel == MessageChannel.EMAIL:
        return EmailChannel(settings.email_backend)
    if channel == MessageChannel.SMS:
        return sms_backend_from_settings(
            getattr(django_settings, "SALEOR_MA_SMS", {"backend": "console"})
        )
    return WebPushBackend(sender_address=settings.sender_address)


def _headers(message: Message, contexts: ContextBatch) -> dict[str, str]:
    headers = {"X-Marketing-Message": message.idempotency_key}
    if not message.transactional:
        # RFC 8058: mailbox providers POST "List-Unsubscribe=One-Click" to this URL.
        headers["List-Unsubscribe"] = f"<{contexts.unsubscribe_url(message)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


@lru_cache(maxsize=64)
def _from_header(name: str, address: str) -> str:
    """The From header of a channel's sender: the same for a whole batch, formatted once."""
    return formataddr((name, address)) if address else ""


def _in_language(language: str) -> AbstractContextManager:
    """The reader's language for a block; nothing to switch when it is already active (a
    batch's readers mostly share one, and switching costs about as much as a header)."""
    if translation.get_language() == language:
        return nullcontext()
    return translation.override(language)


def prepare(
    message: Message,
    contexts: ContextBatch,
    store: TemplateStore,
    settings: PluginSettings,
    policy: PolicyBatch,
    renderer: BatchRenderer,
) -> list[OutgoingMessage]:
    """Render a message for its channel; an empty list means there is nobody to send to."""
    contact = message.contact
    data = contexts.build(message, marketing_allowed=policy.marketing_allowed(message))
    template = store.get(message.template, contact.language_code)
    if message.channel == MessageChannel.EMAIL:
        add_to_context(data, settings.imprint, template.language, policy.on_exemption(message))
    with _in_language(template.language):  # dates and numbers in the reader's format
        if message.channel == MessageChannel.EMAIL:
            untracked = set(data["links"].values()) | secret_links(data)
            rendered = renderer.render_tracked(template.source, data, message.id, untracked)
            rendered = with_legal_footer(rendered, data)
        else:
            rendered = renderer.render(template.source, data)
    if message.channel == MessageChannel.EMAIL:
        html = rendered.html
        view = contexts.view(
            contexts.events.get(message.context.get("trigger_event_id"), {}).get("channel")
        )
        return [
            OutgoingMessage(
                message_id=message.id,
                channel=message.channel,
                recipient=message.context.get("recipient") or contact.email,
                subject=rendered.subject,
                text=rendered.text,
                html=html,
                from_address=_from_header(view.sender_name, view.sender_address),
                headers=_headers(message, contexts),
            )
        ]
    if message.channel == MessageChannel.SMS:
        if not contact.phone:
            return []
        return [OutgoingMessage(message.id, message.channel, contact.phone, text=rendered.text)]
    return [
        OutgoingMessage(
            message.id,
            message.channel,
            subscription.endpoint,
            subject=rendered.subject,
            text=rendered.text,
            extra={
                "p256dh": subscription.p256dh,
                "auth": subscription.auth,
                "url": data["links"]["storefront_url"],
            },
        )
        for subscription in contact.push_subscriptions.filter(expired_at__isnull=True)
    ]
