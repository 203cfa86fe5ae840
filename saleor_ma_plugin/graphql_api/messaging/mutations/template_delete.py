import graphene

from ....core.auth import MarketingPermission
from .inputs import TemplatePayload
from .lookup import template_for_update


class TemplateDelete(TemplatePayload):
    """Deactivate one template version: the newest other active version (or the shipped
    default) is sent instead. The row stays for the record."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        template = template_for_update(id)
        if template.is_active:
            template.is_active = False
            template.save(update_fields=["is_active"])
        return cls.success(template=template)
