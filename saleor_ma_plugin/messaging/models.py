"""The message outbox: one row per intended send, unique by idempotency key."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.instances import QuickInstances
from . import MessageChannel, MessageStatus


class Message(QuickInstances, models.Model):
    # The outbox is the hottest table: every send rewrites its row, and each index costs a
    # write. Contact and campaign are the first columns of the composite indexes below, so
    # their own indexes would only be written, never read.
    idempotency_key = models.CharField(max_length=200, unique=True)
    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact",
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,
    )
    campaign = models.ForeignKey(
        "saleor_ma_plugin.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        db_index=False,
    )
    enrollment = models.ForeignKey(
        "saleor_ma_plugin.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    step_key = models.SlugField(max_length=64, blank=True, db_index=False)
    channel = models.CharField(max_length=8, choices=MessageChannel.choices)
    template = models.SlugField(
        max_length=100, help_text=_("Template key to render."), db_index=False
    )
    topic = models.SlugField(max_length=64, blank=True, db_index=False)
    transactional = models.BooleanField(default=False)
    variant = models.CharField(max_length=32, blank=True, help_text=_("A/B variant, if any."))
    status = models.CharField(
        max_length=16, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    scheduled_at = models.DateTimeField()
    context = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a worker took it; stale claims are reaped.")
    )
    claim = models.UUIDField(
        null=True,
        blank=True,
        help_text=_("The worker's claim it belongs to: tells a dead worker's claims apart."),
    )

    class Meta:
        indexes = [
            # The claim's order: a broadcast's messages share one scheduled_at, and without
            # the id here every batch would sort all of them again.
            models.Index(
                fields=["scheduled_at", "id"],
                name="ma_message_due_order_idx",
                condition=models.Q(status=MessageStatus.QUEUED),
            ),
            models.Index(fields=["contact", "sent_at"], name="ma_message_contact_idx"),
            models.Index(fields=["campaign", "step_key"], name="ma_message_step_idx"),
            # An ESP's delivery, bounce and complaint events name the message by this id; a
            # claimed message has none yet, and its claim writes no entry (see 0025).
            models.Index(
                fields=["provider_message_id"],
                name="ma_message_provider_idx",
                condition=~models.Q(provider_message_id=""),
            ),
            # Every batch looks for claims a dead worker left; few rows are ever "sending".
            models.Index(
                fields=["claimed_at"],
                name="ma_message_claimed_idx",
                condition=models.Q(status=MessageStatus.SENDING),
            ),
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class DeliveryAttempt(QuickInstances, models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField()
    error = models.TextField(blank=True)
    provider_response = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.message_id} @ {self.attempted_at}"


class WebhookDelivery(models.Model):
    """A signed POST a webhook step asked for, retried with backoff until it succeeds."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    enrollment = models.ForeignKey(
        "saleor_ma_plugin.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_deliveries",
    )
    url = models.URLField(max_length=2000)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=16, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="ma_webhook_due_idx",
                condition=models.Q(status=MessageStatus.QUEUED),
            )
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class Template(models.Model):
    """An email template in django-templated-mail's block format, versioned per language."""

    key = models.SlugField(max_length=100)
    language = models.CharField(max_length=10)
    version = models.PositiveIntegerField(default=1)
    source = models.TextField(help_text=_("subject, text_body and html_body blocks."))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reverted_from = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("The earlier version whose source this one restores; empty for an edit."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language", "version"], name="ma_template_version_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.language} v{self.version}"


class Suppression(models.Model):
    """An address nothing (or no marketing) may be sent to."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        INVALID = "invalid", _("Invalid recipient")
        MANUAL = "manual", _("Added by an admin")

    channel = models.CharField(max_length=8, choices=MessageChannel.choices)
    address = models.CharField(max_length=2000, help_text=_("Normalized email or phone."))
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="ma_suppression_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.address} ({self.reason})"


class NewsletterTopic(models.Model):
    """A newsletter topic contacts can subscribe to separately."""

    slug = models.SlugField(max_length=64, unique=True)
    names = models.JSONField(default=dict, help_text=_('Per language, e.g. {"en": "Deals"}.'))
    descriptions = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.slug


from .push_models import PushSubscription, VapidKeys  # noqa: E402,F401
