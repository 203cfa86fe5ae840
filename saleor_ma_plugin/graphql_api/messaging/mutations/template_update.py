import graphene

from ....core.auth import MarketingPermission
from ....messaging.models import Template
from ...core.conflicts import refuse_if_newer_version
from ...core.ids import object_for_update
from ..templates import check_source, save_version
from .inputs import TemplatePayload


class TemplateUpdate(TemplatePayload):
    """Save a changed source as a new version of the template's key and language.

    The version named by id stays unchanged (templates are versioned); the answer is the
    new version, which is sent from now on.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        source = graphene.String(required=True)
        expected_version = graphene.Int(
            description="The newest version when the editor opened the template; if a newer "
            "one was saved since, the edit is refused with CONFLICT."
        )

    @classmethod
    def perform(cls, root, info, id, source, expected_version=None):
        template = object_for_update(Template, id)
        newest = (
            Template.objects.select_for_update()
            .filter(key=template.key, language=template.language)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        refuse_if_newer_version(newest, expected_version)
        check_source(source, template.key, template.language, "source")
        return cls.success(template=save_version(template.key, template.language, source))
