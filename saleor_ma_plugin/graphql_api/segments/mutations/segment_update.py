import graphene

from ....core.auth import MarketingPermission
from ....segments.editing import update_segment
from ....segments.models import Segment
from ...core.conflicts import expected_updated_at, refuse_if_saved_since
from ...core.ids import object_for_update
from .inputs import SegmentPayload, SegmentUpdateInput


class SegmentUpdate(SegmentPayload):
    """Change a segment; new rules refresh its membership (entrants trigger campaigns)."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = SegmentUpdateInput(required=True)
        expected_updated_at = expected_updated_at()

    @classmethod
    def perform(cls, root, info, id, input, expected_updated_at=None):
        segment = object_for_update(Segment, id)
        refuse_if_saved_since(segment.updated_at, expected_updated_at)
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(segment=update_segment(segment, **changes))
