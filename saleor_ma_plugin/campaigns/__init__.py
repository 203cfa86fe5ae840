"""Campaigns: triggers enrol contacts into flows of steps that the runner advances."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    AUTORESPONDER = "autoresponder", _("Autoresponder")
    NEWSLETTER = "newsletter", _("Newsletter")
    TRANSACTIONAL = "transactional", _("Transactional")
    STANDALONE = "standalone", _("Standalone")
    NURTURING = "nurturing", _("Nurturing")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    #: Enrolments are held where they are and continue on resume.
    PAUSED = "paused", _("Paused")
    ARCHIVED = "archived", _("Archived")


class ReentryPolicy(models.TextChoices):
    ONCE = "once", _("Once ever")
    ONCE_PER_PERIOD = "once_per_period", _("Once per period")
    EVERY_TIME = "every_time", _("Every time the trigger fires")


class DecisionSource(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic (Bayesian)")
    MANUAL = "manual", _("Chosen by an admin")
    #: A split's test share ended: its metric (or, without data, the first variant) decided.
    TEST_SHARE = "test_share", _("End of the test share")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    #: Held because its campaign is paused.
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    GOAL_REACHED = "goal_reached", _("Goal reached")
    EXITED = "exited", _("Exited")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = (
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.GOAL_REACHED,
    EnrollmentStatus.EXITED,
    EnrollmentStatus.FAILED,
)
