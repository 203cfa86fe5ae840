"""Contacts, their per-currency revenue, tags, and consent with its proof log."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.instances import QuickInstances
from . import ConsentChannel, ConsentMethod, ConsentStatus, LifecycleStage


class Contact(QuickInstances, models.Model):
    """One person the shop may market to, keyed by normalized email."""

    email = models.EmailField(max_length=254, unique=True)
    saleor_user_id = models.CharField(
        max_length=64, blank=True, db_index=True, help_text=_("Saleor user id, when registered.")
    )
    first_name = models.CharField(max_length=256, blank=True)
    last_name = models.CharField(max_length=256, blank=True)
    language_code = models.CharField(max_length=35, blank=True)
    timezone = models.CharField(max_length=64, blank=True, help_text=_("IANA name, when known."))
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2."))
    phone = models.CharField(max_length=32, blank=True)
    birthday = models.DateField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    lead_score = models.IntegerField(default=0)
    lifecycle_stage = models.CharField(
        max_length=16, choices=LifecycleStage.choices, default=LifecycleStage.SUBSCRIBER
    )
    orders_count = models.PositiveIntegerField(default=0)
    first_order_at = models.DateTimeField(null=True, blank=True)
    last_order_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    marketing_paused_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Set in the preference centre: no marketing until then."),
    )

    class Meta:
        indexes = [
            models.Index(fields=["last_order_at"], name="ma_contact_last_order_idx"),
            models.Index(fields=["lifecycle_stage"], name="ma_contact_stage_idx"),
            # Segment queries keep only contacts not erased: this answers "present?" for the
            # ids a tag, consent or event rule found from the index alone, without a visit
            # to each contact's row.
            models.Index(
                fields=["id"],
                condition=models.Q(erased_at__isnull=True),
                name="ma_contact_present_idx",
            ),
            # Segment counts that start from tags, consents or memberships leave out the
            # erased contacts with one anti-join on these few ids (segments.rules.compiler).
            models.Index(
                fields=["id"],
                condition=models.Q(erased_at__isnull=False),
                name="ma_contact_erased_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class ContactRevenue(models.Model):
    """Order aggregates per currency: amounts in different currencies never add up."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="revenues")
    currency = models.CharField(max_length=3)
    orders_count = models.PositiveIntegerField(default=0)
    total_gross = models.DecimalField(max_digits=20, decimal_places=3, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "currency"], name="ma_revenue_currency_uniq"
            )
        ]
        # Monetary bounds of segment rules read the contacts in range from the index alone.
        indexes = [
            models.Index(
                fields=["currency", "total_gross", "contact"], name="ma_revenue_amount_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.total_gross} {self.currency}"


class ContactTag(models.Model):
    """A label on a contact (interest, source, VIP...), queryable on every database."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "name"], name="ma_tag_uniq")]
        # Segment rules read a tag's contacts from the index alone (an index-only scan).
        indexes = [models.Index(fields=["name", "contact"], name="ma_tag_name_contact_idx")]

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """The current consent state for one channel and topic of a contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=8, choices=ConsentChannel.choices)
    topic = models.SlugField(
        max_length=64, blank=True, help_text=_("Newsletter topic; empty for the whole channel.")
    )
    status = models.CharField(
        max_length=16, choices=ConsentStatus.choices, default=ConsentStatus.UNSUBSCRIBED
    )
    confirmation_token_hash = models.CharField(
        max_length=64, blank=True, help_text=_("SHA-256 of the pending double opt-in token.")
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "channel", "topic"], name="ma_consent_channel_topic_uniq"
            )
        ]
        # Segment rules read the contacts with a consent from the index alone.
        indexes = [
            models.Index(
                fields=["channel", "topic", "status", "contact"], name="ma_consent_status_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.channel}/{self.topic or '*'}: {self.status}"


class ConsentEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Consent events are append-only.")

    def update_contact(self, contact: "Contact") -> int:
        """Re-home the log when two contacts are merged; the proof itself is unchanged."""
        return super().update(contact=contact)

    def erase_personal_data(self) -> int:
        """Blank what identifies a person; the only permitted change to the proof log."""
        return super().update(ip_address=None, user_agent="", source_url="")


class ConsentEvent(models.Model):
    """Append-only proof of one consent change: when, how, from where, with what wording."""

    consent = models.ForeignKey(Consent, on_delete=models.SET_NULL, null=True, related_name="log")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consent_log")
    channel = models.CharField(max_length=8, choices=ConsentChannel.choices)
    topic = models.SlugField(max_length=64, blank=True)
    previous_status = models.CharField(max_length=16, choices=ConsentStatus.choices)
    new_status = models.CharField(max_length=16, choices=ConsentStatus.choices)
    method = models.CharField(max_length=24, choices=ConsentMethod.choices)
    occurred_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    wording = models.TextField(blank=True, help_text=_("The consent text the person was shown."))
    language_code = models.CharField(max_length=35, blank=True)

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["contact", "occurred_at"], name="ma_consent_log_idx")]

    def __str__(self) -> str:
        return f"{self.channel}/{self.topic or '*'} {self.previous_status}->{self.new_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Consent events are append-only.")
        super().save(*args, **kwargs)
