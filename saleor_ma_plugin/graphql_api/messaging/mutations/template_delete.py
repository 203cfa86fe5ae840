import graphene

from ....core.auth import MarketingPermission
from ....messaging.models import Template
from ...core.ids import object_for_update
from .inputs import TemplatePayload


class TemplateDelete(TemplatePayload):
    """Deactivate one template version: the newest other active version (or the shipped
    default) is sent instead. The row stays for the record."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        template = object_for_update(Template, id)
        if template.is_active:
            template.is_active = False
            template.save(update_fields=["is_active"])
        return cls.success(template=template)
