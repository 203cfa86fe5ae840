"""Campaigns, their flow steps, and enrolments of contacts into them."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..core.instances import QuickInstances
from . import CampaignKind, CampaignStatus, DecisionSource, EnrollmentStatus, ReentryPolicy
from .split_test import DecisionBasis, SplitTestMetric


class Campaign(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=CampaignKind.choices)
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    trigger = models.JSONField(default=dict, help_text=_("Validated trigger configuration."))
    #: Denormalized from ``trigger`` so event processing finds candidates by index.
    trigger_event_type = models.CharField(max_length=64, blank=True, db_index=True)
    audience = models.JSONField(
        default=dict, blank=True, help_text=_("Who may enter: consent, tags, conditions.")
    )
    min_audience_size = models.PositiveIntegerField(
        default=0, help_text=_("Start enrolments only while the audience has this many contacts.")
    )
    reentry_policy = models.CharField(
        max_length=16, choices=ReentryPolicy.choices, default=ReentryPolicy.ONCE
    )
    reentry_period_days = models.PositiveIntegerField(default=0)
    goal = models.JSONField(default=dict, blank=True, help_text=_("Event that ends enrolments."))
    conversion_window_days = models.PositiveIntegerField(default=5)
    holdout_share = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("Percent (0-50) of contacts who enter but receive nothing: the control."),
    )
    exit_condition = models.JSONField(
        default=dict, blank=True, help_text=_("Checked before every step; true ends the run.")
    )
    entry_step_key = models.SlugField(max_length=64, blank=True)
    priority = models.IntegerField(default=0)
    preset = models.SlugField(max_length=64, blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "trigger_event_type"], name="ma_campaign_trigger_idx")
        ]
        # Standalone host permissions; Saleor's MANAGE_USERS and MANAGE_DISCOUNTS map to them.
        # Saleor looks permissions up by codename alone, so ours must never repeat one of its
        # codenames (e.g. "manage_discounts"): each carries "marketing".
        permissions = [
            ("manage_marketing", "Manage campaigns, templates, contacts and reports"),
            ("manage_marketing_vouchers", "Configure voucher steps of campaigns"),
        ]

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """A node of a campaign's flow; edges are step keys inside ``config``."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=64, help_text=_("Stable id within the campaign."))
    type = models.CharField(
        max_length=16, help_text=_("A step type of the registry (campaigns.steps).")
    )
    name = models.CharField(max_length=200, blank=True)
    config = models.JSONField(default=dict)
    next_key = models.SlugField(max_length=64, blank=True, help_text=_("Default successor."))
    position = models.PositiveIntegerField(default=0)
    #: Removed steps stay so contacts waiting in them move on to ``next_key``.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="ma_step_key_uniq")
        ]
        ordering = ["campaign", "position", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.key} ({self.type})"


class Enrollment(QuickInstances, models.Model):
    """One run of one contact through one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="enrollments")
    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact", on_delete=models.CASCADE, related_name="enrollments"
    )
    trigger_key = models.CharField(
        max_length=200, help_text=_("What started this run; unique per campaign and contact.")
    )
    status = models.CharField(
        max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    step_key = models.SlugField(max_length=64, blank=True, help_text=_("Step to run next."))
    next_run_at = models.DateTimeField(null=True, blank=True)
    context = models.JSONField(default=dict, blank=True)
    trigger_event = models.ForeignKey(
        "saleor_ma_plugin.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    exit_reason = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "contact", "trigger_key"], name="ma_enrollment_run_uniq"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_run_at"],
                name="ma_enrollment_due_idx",
                condition=models.Q(status=EnrollmentStatus.ACTIVE),
            ),
            models.Index(fields=["contact", "status"], name="ma_enrollment_contact_idx"),
            models.Index(fields=["campaign", "status"], name="ma_enrollment_campaign_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.contact_id}:{self.trigger_key}"


class ExperimentDecision(models.Model):
    """The winning variant of a split step; once stored, every run reaching it takes it."""

    campaign = models.ForeignKey(
        "saleor_ma_plugin.Campaign", on_delete=models.CASCADE, related_name="experiment_decisions"
    )
    step_key = models.SlugField(max_length=64)
    winner = models.CharField(max_length=32)
    source = models.CharField(max_length=16, choices=DecisionSource.choices)
    probabilities = models.JSONField(
        default=dict, blank=True, help_text=_("Probability to be best per variant, at decision.")
    )
    results = models.JSONField(
        default=dict, blank=True, help_text=_("Recipients and conversions per variant, then.")
    )
    metric = models.CharField(
        max_length=16,
        blank=True,
        choices=SplitTestMetric.choices,
        help_text=_("The test share's metric the decision went by; empty for other decisions."),
    )
    basis = models.CharField(
        max_length=16,
        blank=True,
        choices=DecisionBasis.choices,
        help_text=_("Why this variant won a test share: best figure, or no data."),
    )
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "step_key"], name="ma_experiment_decision_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.step_key}: {self.winner}"


class ShopPreset(models.Model):
    """A scenario template the shop made itself: saved from a campaign, or imported."""

    slug = models.SlugField(max_length=64, unique=True, help_text=_("Unique among presets."))
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    document = models.JSONField(
        help_text=_("The preset document: format version, campaign, parameters, templates.")
    )
    source_campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.slug
