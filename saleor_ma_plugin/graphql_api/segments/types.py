"""Segment and preset types."""

import graphene

from ...segments.models import Segment as SegmentModel
from ..campaigns.permissions import can_read
from ..core.mutations import requestor_of
from ..core.types import JSON, CountableConnection


class Segment(graphene.ObjectType):
    """Contacts matching a rule tree; the stored membership is as of ``countedAt``."""

    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    description = graphene.String(required=True)
    rules = JSON(
        required=True,
        description='The rule tree: {"all": [...]}, {"any": [...]}, {"not": ...} over field, '
        "attribute, tag, consent, rfm, event, segment and score rules.",
    )
    member_count = graphene.Int(
        required=True, description="Stored members at the last refresh (countedAt)."
    )
    counted_at = graphene.DateTime(description="Last refresh of the membership; null if never.")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, SegmentModel)

    @classmethod
    def get_node(cls, info, pk):
        if not can_read(requestor_of(info)):
            return None
        return SegmentModel.objects.filter(pk=pk).first()


class SegmentCountableConnection(CountableConnection):
    class Meta:
        node = Segment


class SegmentPreset(graphene.ObjectType):
    slug = graphene.String(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    rules = JSON(required=True, description="Rules to pass to segmentCreate, tuned as needed.")
