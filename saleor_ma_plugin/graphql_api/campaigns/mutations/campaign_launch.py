import graphene

from ....campaigns.triggers import parse_trigger
from ....campaigns.triggers.broadcast import BroadcastTrigger, launch_broadcast
from ....core.auth import MarketingPermission
from ...core.errors import MutationError
from ..permissions import campaign_to_change
from .inputs import CampaignPayload


class CampaignLaunch(CampaignPayload):
    """Send an active broadcast campaign now, to its whole audience, once."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)
    enrolled = graphene.Int(description="Contacts enrolled by this launch.")

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        campaign = campaign_to_change(info, id)
        if not isinstance(parse_trigger(campaign.trigger), BroadcastTrigger):
            raise MutationError("Only broadcast campaigns are launched.", field="id")
        if campaign.status != "active":
            raise MutationError("Activate the campaign first.", field="id")
        if campaign.launched_at is not None:
            raise MutationError("This broadcast was already launched.", field="id")
        enrolled = launch_broadcast(campaign)
        campaign.refresh_from_db()
        if campaign.launched_at is None:
            raise MutationError("The audience is smaller than the campaign's minimum.", field="id")
        return cls.success(campaign=campaign, enrolled=enrolled)
