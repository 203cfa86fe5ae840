"""``exit``: the run ends here without reaching the goal."""

from django.utils.translation import gettext_lazy as _

from .. import EnrollmentStatus
from .base import StepKind, Transition, object_schema


class ExitStep(StepKind):
    type = "exit"
    label = _("Exit")
    description = _("End the run here.")
    position = 9
    schema = object_schema({})
    final = True

    def execute(self, step, run):
        return Transition(finish_status=EnrollmentStatus.EXITED, finish_reason="exit_step")
