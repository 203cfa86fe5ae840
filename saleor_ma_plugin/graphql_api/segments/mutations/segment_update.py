import graphene

from ....core.auth import MarketingPermission
from ....segments.editing import update_segment
from ....segments.models import Segment
from ...core.ids import object_for_update
from .inputs import SegmentPayload, SegmentUpdateInput


class SegmentUpdate(SegmentPayload):
    """Change a segment; new rules refresh its membership (entrants trigger campaigns)."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = SegmentUpdateInput(required=True)

    @classmethod
    def perform(cls, root, info, id, input):
        segment = object_for_update(Segment, id)
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(segment=update_segment(segment, **changes))
