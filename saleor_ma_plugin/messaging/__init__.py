"""The outbox of messages and its delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web push")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    #: Not sent on purpose (no consent, suppressed, frequency cap).
    SUPPRESSED = "suppressed", _("Suppressed")
    #: Claimed by a worker that died before confirming; never re-sent blindly.
    UNKNOWN = "unknown", _("Outcome unknown")


def reader_language(contact) -> str:
    """The contact's language as messages are written in: its primary subtag ("de")."""
    return (contact.language_code or "en").split("-")[0].lower()
