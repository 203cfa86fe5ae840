"""``message``: what the contact did with a message of the current run (runs only).

``{"message": {"step": "reminder", "action": "clicked"}}``; without ``step``, the run's
latest message. A click proves an open even when the pixel was blocked.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ...core.errors import FieldError
from ...messaging.models import Message
from .base import RuleKind, Scope
from .values import as_object

ACTIONS = ("sent", "opened", "clicked")
#: The message columns that prove each action.
PROOF = {"sent": ("sent_at",), "opened": ("opened_at", "clicked_at"), "clicked": ("clicked_at",)}


@dataclass(frozen=True)
class MessageRule:
    step_key: str
    action: str


class MessageKind(RuleKind):
    key = "message"
    label = _("Message of this run")
    description = _(
        "A message of the run (of one step, or the latest) was sent, opened or clicked."
    )
    position = 18
    schema = {
        "type": "object",
        "properties": {
            "step": {"type": "string"},
            "action": {"type": "string", "enum": list(ACTIONS)},
        },
    }
    scope = Scope.RUN
    rule_types = (MessageRule,)

    def parse(self, spec, path, parser):
        spec = as_object(spec, path, ("step", "action"))
        action = spec.get("action", "opened")
        if action not in ACTIONS:
            raise FieldError(f"{path}.action", f"Use one of {', '.join(ACTIONS)}.")
        return MessageRule(step_key=str(spec.get("step", "")), action=action)

    def evaluate(self, rule, subject, evaluate):
        if subject.enrollment_id is None:
            return False
        messages = Message.objects.filter(enrollment_id=subject.enrollment_id)
        if rule.step_key:
            messages = messages.filter(step_key=rule.step_key)
        else:
            messages = messages.order_by("-created_at")[:1]
        return any(
            getattr(message, name) is not None
            for message in messages
            for name in PROOF[rule.action]
        )
