"""Segment queries and mutations, assembled."""

import graphene

from .mutations.campaign_create_for_interest_group import CampaignCreateForInterestGroup
from .mutations.segment_create import SegmentCreate
from .mutations.segment_delete import SegmentDelete
from .mutations.segment_refresh import SegmentRefresh
from .mutations.segment_update import SegmentUpdate
from .queries import SegmentQueries as Queries


class Mutations(graphene.ObjectType):
    segment_create = SegmentCreate.Field()
    segment_update = SegmentUpdate.Field()
    segment_delete = SegmentDelete.Field()
    segment_refresh = SegmentRefresh.Field()
    campaign_create_for_interest_group = CampaignCreateForInterestGroup.Field()


__all__ = ["Mutations", "Queries"]
