"""Inputs and the payload base shared by the segment mutations."""

import graphene

from ...core.mutations import BaseMutation
from ...core.types import JSON
from ..types import Segment


class SegmentUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    description = graphene.String()
    rules = JSON(description="The rule tree; a change refreshes the membership at once.")


class SegmentCreateInput(SegmentUpdateInput):
    name = graphene.String(required=True)
    rules = JSON(required=True, description="The rule tree; {} matches every contact.")


class SegmentPayload(BaseMutation):
    """Base of mutations answering with the segment."""

    segment = graphene.Field(Segment)

    class Meta:
        abstract = True
