import graphene

from ....core.auth import MarketingPermission
from ....segments.editing import delete_segment
from ....segments.models import Segment
from ...core.ids import object_for_update
from .inputs import SegmentPayload


class SegmentDelete(SegmentPayload):
    """Delete a segment and its stored membership.

    Refused while a campaign that is not archived uses it (trigger or audience) or another
    segment's rules test it.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        segment = object_for_update(Segment, id)
        pk = segment.pk
        delete_segment(segment)
        segment.pk = pk  # the answer names what was deleted
        return cls.success(segment=segment)
