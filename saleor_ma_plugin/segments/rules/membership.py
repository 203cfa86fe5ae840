"""``segment``: the contact is a stored member of another segment (``{"segment": 12}``).

Membership is as of that segment's last refresh; segments are refreshed in the order of
what they test, so one pass sees fresh memberships.
"""

from dataclasses import dataclass

from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _

from ..models import SegmentMembership
from .base import RuleKind, Scope
from .values import integer


@dataclass(frozen=True)
class SegmentRule:
    segment_id: int


class SegmentKind(RuleKind):
    key = "segment"
    label = _("Segment")
    description = _("The contact is a member of another segment.")
    position = 17
    schema = {"type": "integer", "minimum": 1}
    scope = Scope.CONTACT
    rule_types = (SegmentRule,)

    def parse(self, spec, path, parser):
        return SegmentRule(integer(spec, path, minimum=1))

    def compile(self, rule, compiler):
        members = SegmentMembership.objects.filter(
            segment_id=rule.segment_id, contact=compiler.outer_contact()
        )
        return Q(Exists(members))

    def contact_ids(self, rule, compiler):
        return self.contact_rows(rule, compiler).values("contact")

    def contact_rows(self, rule, compiler):
        return SegmentMembership.objects.filter(segment_id=rule.segment_id)

    def evaluate(self, rule, subject, evaluate):
        return SegmentMembership.objects.filter(
            segment_id=rule.segment_id, contact=subject.contact
        ).exists()
