import graphene

from ....campaigns.editing import activate
from ....core.auth import MarketingPermission
from .inputs import CampaignPayload
from .lookup import campaign_for_update


class CampaignActivate(CampaignPayload):
    """Start (or resume) a campaign; held runs continue where they were."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        return cls.success(campaign=activate(campaign_for_update(id)))
