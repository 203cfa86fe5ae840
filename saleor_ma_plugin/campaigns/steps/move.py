"""``move``: the run ends here and the contact starts a run of another campaign."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...core.numbers import MAX_ID, whole_number
from .. import EnrollmentStatus
from ..enrolling import enroll
from ..models import Campaign
from .base import StepKind, Transition, object_schema, required


@dataclass(frozen=True)
class MoveConfig:
    campaign_id: int


class MoveStep(StepKind):
    type = "move"
    label = _("Move to another campaign")
    description = _("End this run and enrol the contact into another campaign.")
    position = 10
    schema = object_schema({"campaign": {"type": "integer", "minimum": 1}}, ("campaign",))
    writes = True
    reaches_contact = True
    final = True

    def parse(self, config, path):
        campaign = required(config, "campaign", path)
        try:
            return MoveConfig(campaign_id=whole_number(campaign, f"{path}.campaign", 1, MAX_ID))
        except FieldError:
            raise FieldError(f"{path}.campaign", "Enter a campaign id.") from None

    def execute(self, step, run):
        target = Campaign.objects.filter(pk=step.config.campaign_id).first()
        if target is not None:
            enroll(
                target,
                run.contact,
                f"moved:{run.enrollment.pk}",
                now=run.now,
                context={"moved_from": run.campaign.pk},
            )
        return Transition(finish_status=EnrollmentStatus.COMPLETED, finish_reason="moved")
