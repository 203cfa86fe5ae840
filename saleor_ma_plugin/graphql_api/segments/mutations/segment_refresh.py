import graphene

from ....core.auth import MarketingPermission
from ....segments.membership import refresh_segment
from ....segments.models import Segment
from ...core.ids import object_for_update
from .inputs import SegmentPayload


class SegmentRefresh(SegmentPayload):
    """Refresh the stored membership now; entrants trigger segment-entry campaigns."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)
    entered = graphene.Int(description="Contacts who entered with this refresh.")
    left = graphene.Int(description="Contacts who left with this refresh.")

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        segment = object_for_update(Segment, id)
        entered, left = refresh_segment(segment)
        return cls.success(segment=segment, entered=len(entered), left=left)
