"""``move``: the run ends here and the contact starts a run of another campaign."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
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
        try:
            return MoveConfig(campaign_id=int(required(config, "campaign", path)))
        except (TypeError, ValueError):
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
