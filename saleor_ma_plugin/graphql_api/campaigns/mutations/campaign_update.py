import graphene

from ....campaigns.editing import update_campaign
from ....core.auth import MarketingPermission
from ..permissions import campaign_to_change
from .inputs import CampaignPayload, CampaignSettingsInput


class CampaignUpdate(CampaignPayload):
    """Change a campaign's settings; its flow changes through the step mutations."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = CampaignSettingsInput(required=True)

    @classmethod
    def perform(cls, root, info, id, input):
        campaign = campaign_to_change(info, id)
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(campaign=update_campaign(campaign, **changes))
