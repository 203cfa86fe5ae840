import graphene

from ....campaigns.editing import create_campaign
from ....campaigns.presets import broadcast_to_segment
from ....core.auth import MarketingPermission
from ....core.errors import FieldError
from ....segments.editing import segment_of_tag
from ...campaigns.mutations.inputs import CampaignPayload
from ...campaigns.permissions import require_discounts_for
from ...core.mutations import requestor_of
from ..types import Segment


class CampaignCreateForInterestGroupInput(graphene.InputObjectType):
    tag = graphene.String(
        required=True, description="The group's contact tag (interestGroups.tag)."
    )
    name = graphene.String(required=True, description="The campaign's name.")
    segment_name = graphene.String(
        required=True, description="The segment's name, if one has to be created."
    )


class CampaignCreateForInterestGroup(CampaignPayload):
    """A draft one-off broadcast to an interest group, through the segment of its tag.

    A segment whose rules are exactly that one tag is reused (and counted again), else one
    is created; the campaign's audience is that segment's members who take marketing
    email. If anything is refused, neither the segment nor the campaign is stored.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    segment = graphene.Field(Segment, description="The segment the campaign targets.")
    segment_created = graphene.Boolean(
        description="True if the segment was created now, false if an existing one was reused."
    )

    class Arguments:
        input = CampaignCreateForInterestGroupInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        try:
            segment, created = segment_of_tag(input.tag, input.segment_name)
        except FieldError as error:
            # The segment's own name is this input's segmentName.
            field = "segment_name" if error.field == "name" else error.field
            raise FieldError(field, error.message, error.code) from error
        spec = broadcast_to_segment(segment.pk, input.name)
        require_discounts_for(requestor_of(info), [step.type for step in spec.steps])
        campaign = create_campaign(spec)
        return cls.success(campaign=campaign, segment=segment, segment_created=created)
