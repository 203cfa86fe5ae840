"""``manual``: runs start only when something enrols a contact (another campaign's move)."""

from django.utils.translation import gettext_lazy as _

from .base import TriggerKind


class ManualTriggerKind(TriggerKind):
    type = "manual"
    label = _("Manual enrolment only")
    description = _("No trigger of its own: contacts arrive from other campaigns' move steps.")
    position = 8
    schema = {"type": "object", "properties": {}}
