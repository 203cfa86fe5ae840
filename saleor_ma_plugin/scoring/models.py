"""Score rules and the ledger that enforces their caps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreRule(models.Model):
    """Points for an event type whose payload matches a condition."""

    name = models.CharField(max_length=200)
    event_type = models.CharField(max_length=64, db_index=True)
    where = models.JSONField(default=dict, blank=True, help_text=_("Condition on the event."))
    points = models.IntegerField(help_text=_("Negative points lower the score."))
    #: At most this many points per contact from this rule in ``cap_days`` (0: no cap).
    cap_points = models.PositiveIntegerField(default=0)
    cap_days = models.PositiveIntegerField(default=30)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ScoreEntry(models.Model):
    """Points one event earned a contact through one rule; unique so an event scores once."""

    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(ScoreRule, on_delete=models.CASCADE, related_name="entries")
    #: Emptied when the retention removes the event; the points still count towards caps.
    event = models.ForeignKey(
        "saleor_ma_plugin.Event", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.IntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "event"], name="ma_score_entry_once")
        ]
        indexes = [models.Index(fields=["contact", "rule", "created_at"], name="ma_score_cap_idx")]

    def __str__(self) -> str:
        return f"{self.contact_id} +{self.points}"


__all__ = ["ScoreEntry", "ScoreRule"]
