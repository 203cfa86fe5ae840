"""Finding the segment a mutation names, with the API's errors."""

from ....segments.models import Segment
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import model_pk


def segment_for_update(global_id: str, field: str = "id") -> Segment:
    segment = (
        Segment.objects.select_for_update()
        .filter(pk=model_pk(global_id, "Segment", field))
        .first()
    )
    if segment is None:
        raise MutationError("No such segment.", MarketingErrorCode.NOT_FOUND, field)
    return segment
