"""``manual``: runs start only when something enrols a contact (another campaign's move)."""

from .base import TriggerKind


class ManualTriggerKind(TriggerKind):
    type = "manual"
    label = "Manual enrolment only"
    description = "No trigger of its own: contacts arrive from other campaigns' move steps."
    position = 8
    schema = {"type": "object", "properties": {}}
