"""Append-only event rows with a unique dedupe key: the outbox of the intake."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from . import EventSource


class Event(models.Model):
    """One normalized fact about shop activity, stored before anything reacts to it."""

    type = models.CharField(max_length=64, help_text=_("Dotted event type, e.g. order.created."))
    source = models.CharField(max_length=16, choices=EventSource.choices)
    occurred_at = models.DateTimeField(help_text=_("When it happened in the shop."))
    received_at = models.DateTimeField(auto_now_add=True)
    dedupe_key = models.CharField(
        max_length=200,
        unique=True,
        help_text=_("Identical for a repeated delivery of the same fact, so it is stored once."),
    )
    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Resolved while processing; empty for anonymous activity."),
    )
    payload = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processing_error = models.TextField(blank=True)
    # Copies of two payload values, kept by the database (a trigger of migration 0027, on
    # PostgreSQL only) so that segment rules on them read indexes alone (events.columns).
    # Null, not empty, when the payload has no such value: the indexes are partial on it.
    payload_category = models.TextField(  # noqa: DJ001
        null=True,
        blank=True,
        editable=False,
        help_text=_("The payload's category_id, when it is a short text; set by the database."),
    )
    payload_url_upper = models.TextField(  # noqa: DJ001
        null=True,
        blank=True,
        editable=False,
        help_text=_("The payload's url, upper-cased; set by the database."),
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                name="ma_event_unprocessed_idx",
                condition=models.Q(processed_at__isnull=True),
            ),
            models.Index(
                fields=["contact", "type", "occurred_at"], name="ma_event_contact_type_idx"
            ),
            models.Index(fields=["type", "occurred_at"], name="ma_event_type_time_idx"),
            # Event rules on a category ("viewed category 9 three times in 30 days") find
            # their events by type, category and time at once (segments.rules.events).
            models.Index(
                F("type"),
                KeyTransform("category_id", "payload"),
                F("occurred_at"),
                condition=models.Q(payload__has_key="category_id"),
                name="ma_event_category_time_idx",
            ),
            # Anonymous storefront events wait here to be merged when the visitor identifies.
            models.Index(
                KeyTransform("anonymous_id", "payload"),
                condition=models.Q(contact__isnull=True),
                name="ma_event_anonymous_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class EventSummary(models.Model):
    """What the retention keeps of removed events: a contact's events of one type on one day.

    ``subjects`` counts the events naming a product, category or variant, at the top level
    of the payload or in any order line, keyed ``"product_id:72"``: the facts event rules
    count. An event is either a row of ``Event`` or counted here, never both
    (``saleor_ma_plugin.retention``); one day may have several rows, whose counts add up.
    """

    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact", on_delete=models.CASCADE, related_name="event_summaries"
    )
    type = models.CharField(max_length=64)
    day = models.DateField(help_text=_("The day (UTC) the events occurred."))
    count = models.PositiveIntegerField(help_text=_("Removed events counted in this row."))
    last_at = models.DateTimeField(help_text=_("When the last of them occurred."))
    subjects = models.JSONField(
        default=dict, blank=True, help_text=_("Events per product, category or variant id.")
    )

    class Meta:
        indexes = [models.Index(fields=["type", "day"], name="ma_event_summary_type_idx")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.type} {self.day} x{self.count}"


class ImportCursor(models.Model):
    """How far a resumable import (the backfill) got; one row per import stream."""

    name = models.CharField(max_length=64, unique=True)
    position = models.CharField(max_length=64, blank=True, help_text=_("Last key imported."))
    imported_count = models.PositiveBigIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.position}"
