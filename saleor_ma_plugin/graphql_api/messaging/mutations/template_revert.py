import graphene

from ....core.auth import MarketingPermission
from ....messaging.models import Template
from ...core.conflicts import refuse_if_newer_version
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import object_for_update
from ..templates import check_source, save_version
from .inputs import TemplatePayload


class TemplateRevert(TemplatePayload):
    """Send an earlier version's source again, saved as a new version that names it.

    History only grows: the versions in between stay, and the new one records which version
    it restores (``revertedFrom``). The source is checked as on every save.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True, description="The version to restore.")
        expected_version = graphene.Int(
            description="The newest version when the editor opened the template; if a newer "
            "one was saved since, the revert is refused with CONFLICT."
        )

    @classmethod
    def perform(cls, root, info, id, expected_version=None):
        template = object_for_update(Template, id)
        newest = (
            Template.objects.select_for_update()
            .filter(key=template.key, language=template.language)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        refuse_if_newer_version(newest, expected_version)
        if template.version == newest and template.is_active:
            raise MutationError(
                f"Version {template.version} is the newest already.",
                MarketingErrorCode.INVALID,
                "id",
            )
        check_source(template.source, template.key, template.language, "id")
        return cls.success(
            template=save_version(
                template.key, template.language, template.source, reverted_from=template.version
            )
        )
