"""The cache of fetched feeds, and what campaigns sent without their content."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import ContentOutcome


class FeedCopy(models.Model):
    """The last good copy of an RSS/Atom feed: fetched at most every few minutes, by one
    worker, never per recipient; a failed refresh keeps the copy and notes the error."""

    url_hash = models.CharField(max_length=64, unique=True, help_text=_("SHA-256 of the URL."))
    url = models.TextField()
    entries = models.JSONField(default=list, blank=True, help_text=_("Parsed entries."))
    fetched_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the copy was fetched (last success).")
    )
    checked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Last attempt, successful or not.")
    )
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.url


class ContentProblem(models.Model):
    """A campaign's messages went out with a block's content stale or left out: the report
    says so, per source and outcome, with how many messages and the latest reason."""

    campaign = models.ForeignKey(
        "saleor_ma_plugin.Campaign", on_delete=models.CASCADE, related_name="content_problems"
    )
    source = models.CharField(max_length=2100, help_text=_("Feed URL, page type or product list."))
    outcome = models.CharField(max_length=16, choices=ContentOutcome.choices)
    reason = models.TextField(blank=True)
    messages = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "source", "outcome"], name="ma_content_problem_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.source} {self.outcome}"
