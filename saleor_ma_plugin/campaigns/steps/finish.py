"""``goal`` and ``exit``: the run ends here, as having reached the goal or not."""

from typing import ClassVar

from django.utils.translation import gettext_lazy as _

from .. import EnrollmentStatus
from .base import StepKind, Transition, object_schema


class FinishStep(StepKind):
    """A step that ends the run with a status; subclasses name the status and reason."""

    status: ClassVar[str]
    reason: ClassVar[str]
    schema = object_schema({})
    final = True

    def execute(self, step, run):
        return Transition(finish_status=self.status, finish_reason=self.reason)


class GoalStep(FinishStep):
    type = "goal"
    label = _("Goal reached")
    description = _("End the run as having reached the campaign's goal.")
    position = 8
    status, reason = EnrollmentStatus.GOAL_REACHED, "goal_step"


class ExitStep(FinishStep):
    type = "exit"
    label = _("Exit")
    description = _("End the run here.")
    position = 9
    status, reason = EnrollmentStatus.EXITED, "exit_step"
