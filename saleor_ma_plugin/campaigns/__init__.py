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


class TriggerType(models.TextChoices):
    EVENT = "event", _("Event")
    #: Event A, then no event B with the same key within a time (abandonment).
    ABSENCE = "absence", _("Absence after event")
    DATE = "date", _("Date")
    INACTIVITY = "inactivity", _("Inactivity")
    REPLENISHMENT = "replenishment", _("Replenishment")
    SCORE = "score", _("Score reached")
    BROADCAST = "broadcast", _("Manual or scheduled broadcast")
    MANUAL = "manual", _("Manual enrolment only")
    #: A contact entered a segment (found by the segment's membership refresh).
    SEGMENT_ENTRY = "segment_entry", _("Segment entry")


class StepType(models.TextChoices):
    SEND = "send", _("Send")
    WAIT = "wait", _("Wait")
    BRANCH = "branch", _("Branch")
    SPLIT = "split", _("A/B split")
    VOUCHER = "voucher", _("Issue voucher")
    UPDATE_CONTACT = "update_contact", _("Update contact")
    WEBHOOK = "webhook", _("Webhook")
    GOAL = "goal", _("Goal reached")
    EXIT = "exit", _("Exit")
    MOVE = "move", _("Move to another campaign")


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
