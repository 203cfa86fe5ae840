import graphene

from ....campaigns.editing import update_campaign
from ....core.auth import MarketingPermission
from ...core.mutations import requestor_of
from ..permissions import require_discounts_for
from .inputs import CampaignPayload, CampaignSettingsInput
from .lookup import campaign_for_update


class CampaignUpdate(CampaignPayload):
    """Change a campaign's settings; its flow changes through the step mutations."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = CampaignSettingsInput(required=True)

    @classmethod
    def perform(cls, root, info, id, input):
        campaign = campaign_for_update(id)
        require_discounts_for(requestor_of(info), campaign.steps.values_list("type", flat=True))
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(campaign=update_campaign(campaign, **changes))
