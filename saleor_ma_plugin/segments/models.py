"""Segment models: a rule tree, and the contacts it matched at its last refresh."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Segment", "SegmentMembership"]


class Segment(models.Model):
    """A named rule tree over contacts (see ``segments.rules``)."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    rules = models.JSONField(default=dict, blank=True, help_text=_("Validated rule tree."))
    member_count = models.PositiveIntegerField(
        default=0, help_text=_("Stored members at the last refresh.")
    )
    counted_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the membership was last refreshed.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["name"], name="ma_segment_name_idx")]

    def __str__(self) -> str:
        return self.name


class SegmentMembership(models.Model):
    """A contact in a segment since ``entered_at``; rows come and go with each refresh.

    The table is derived data, written only by the set-based refresh. Its foreign keys have
    no database constraint: the per-row constraint triggers would more than double the cost
    of materializing a segment (about 1.2 s per 130,000 entrants). Django's ``on_delete``
    still removes the rows of a deleted contact or segment, and every refresh deletes rows
    whose contact no longer matches, including any whose contact is gone.
    """

    segment = models.ForeignKey(
        Segment,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_constraint=False,
        # The unique (segment, contact) index below serves look-ups by segment.
        db_index=False,
    )
    contact = models.ForeignKey(
        "saleor_ma_plugin.Contact",
        on_delete=models.CASCADE,
        related_name="segment_memberships",
        db_constraint=False,
    )
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["segment", "contact"], name="ma_segment_member_uniq")
        ]
        indexes = [
            models.Index(fields=["segment", "entered_at"], name="ma_segment_entered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.segment_id}:{self.contact_id}"
