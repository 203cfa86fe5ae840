from ....core.auth import MarketingPermission
from ....segments.editing import create_segment
from .inputs import SegmentCreateInput, SegmentPayload


class SegmentCreate(SegmentPayload):
    """Create a segment and fill its membership; nothing is stored if the rules are invalid."""

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        input = SegmentCreateInput(required=True)

    @classmethod
    def perform(cls, root, info, input):
        segment = create_segment(
            input.name, input.rules, description=input.get("description") or ""
        )
        return cls.success(segment=segment)
