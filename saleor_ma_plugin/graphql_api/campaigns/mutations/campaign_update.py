import graphene

from ....campaigns.editing import update_campaign
from ....core.auth import MarketingPermission
from ...core.conflicts import expected_updated_at
from ..permissions import campaign_to_change
from .inputs import CampaignPayload, CampaignSettingsInput


class CampaignUpdate(CampaignPayload):
    """Change a campaign's settings; its flow changes through the step mutations."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = CampaignSettingsInput(required=True)
        expected_updated_at = expected_updated_at()

    @classmethod
    def perform(cls, root, info, id, input, expected_updated_at=None):
        campaign = campaign_to_change(info, id, expected_updated_at=expected_updated_at)
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(campaign=update_campaign(campaign, **changes))
