"""``goal``: the run reached its goal here (counted as a goal, not an exit)."""

from django.utils.translation import gettext_lazy as _

from .. import EnrollmentStatus
from .base import StepKind, Transition, object_schema


class GoalStep(StepKind):
    type = "goal"
    label = _("Goal reached")
    description = _("End the run as having reached the campaign's goal.")
    position = 8
    schema = object_schema({})
    final = True

    def execute(self, step, run):
        return Transition(finish_status=EnrollmentStatus.GOAL_REACHED, finish_reason="goal_step")
