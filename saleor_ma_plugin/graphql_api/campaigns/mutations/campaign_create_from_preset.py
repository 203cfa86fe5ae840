import graphene

from ....campaigns.editing import CampaignSpec, create_campaign
from ....campaigns.presets import build_preset
from ....core.auth import MarketingPermission
from ...core.errors import MutationError
from ...core.mutations import requestor_of
from ...core.types import JSON
from ..permissions import require_discounts_for
from .inputs import CampaignPayload


class CampaignCreateFromPreset(CampaignPayload):
    """Create a draft campaign from a scenario preset, with optional parameters."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        preset = graphene.String(required=True)
        params = JSON(description="Overrides of the preset's defaults (see campaignPresets).")

    @classmethod
    def perform(cls, root, info, preset, params=None):
        if params is not None and not isinstance(params, dict):
            raise MutationError("params must be a JSON object.", field="params")
        spec: CampaignSpec = build_preset(preset, params or {})
        require_discounts_for(requestor_of(info), [step.type for step in spec.steps])
        return cls.success(campaign=create_campaign(spec))
