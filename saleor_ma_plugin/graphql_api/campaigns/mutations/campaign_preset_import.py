import graphene

from ....campaigns.presets.shop import import_document
from ....campaigns.presets.shop.store import preset_step_types
from ....core.auth import MarketingPermission
from ....core.errors import FieldError
from ...core.errors import MutationError
from ...core.mutations import requestor_of
from ...core.types import JSON
from ..permissions import require_discounts_for
from .inputs import CampaignPresetPayload


class CampaignPresetImport(CampaignPresetPayload):
    """Import a preset document (see campaignPresetExport and campaignPresetDocumentSchema).

    Everything is validated first; an error names the JSON path (``document.campaign.steps[1]
    .config.days``) and nothing is stored. The slug must be new: importing the same document
    twice fails unless another `slug` is given. Templates identical to what the shop sends
    are reused; differing ones are refused unless `replaceTemplates` stores them as new
    versions of their keys.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        document = JSON(required=True)
        slug = graphene.String(description="Import under this slug instead of the document's.")
        replace_templates = graphene.Boolean(
            description="Store templates that differ from the shop's as their new versions."
        )

    @classmethod
    def perform(cls, root, info, document, slug=None, replace_templates=False):
        require_discounts_for(requestor_of(info), preset_step_types(document))
        try:
            preset = import_document(document, slug or "", bool(replace_templates))
        except FieldError as error:
            if slug and error.field == "preset.slug":
                raise MutationError(error.message, error.code, "slug") from None
            field = "document" if error.field == "$" else f"document.{error.field}"
            raise MutationError(error.message, error.code, field) from None
        return cls.success(preset=cls.listed(preset))
