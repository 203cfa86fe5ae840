import graphene

from ....core.auth import MarketingPermission
from ....segments.editing import update_segment
from .inputs import SegmentPayload, SegmentUpdateInput
from .lookup import segment_for_update


class SegmentUpdate(SegmentPayload):
    """Change a segment; new rules refresh its membership (entrants trigger campaigns)."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = SegmentUpdateInput(required=True)

    @classmethod
    def perform(cls, root, info, id, input):
        segment = segment_for_update(id)
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(segment=update_segment(segment, **changes))
