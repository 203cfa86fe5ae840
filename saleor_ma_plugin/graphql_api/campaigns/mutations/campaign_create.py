from ....campaigns.editing import CampaignSpec, StepSpec, create_campaign
from ....core.auth import MarketingPermission
from ...core.mutations import requestor_of
from ..permissions import require_discounts_for
from .inputs import CampaignCreateInput, CampaignPayload


class CampaignCreate(CampaignPayload):
    """Create a draft campaign with its flow; nothing is stored if any part is invalid."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        input = CampaignCreateInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        steps = tuple(
            StepSpec(
                step.key,
                step.type,
                step.get("config") or {},
                step.get("next_key") or "",
                step.get("name") or "",
            )
            for step in input.steps
        )
        require_discounts_for(requestor_of(info), [step.type for step in steps])
        settings = {
            name: value
            for name, value in input.items()
            if value is not None and name not in ("steps",)
        }
        campaign = create_campaign(CampaignSpec(**{**settings, "steps": steps}))
        return cls.success(campaign=campaign)
