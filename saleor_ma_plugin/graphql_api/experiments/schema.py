"""Attribution and experiment queries and mutations, assembled."""

import graphene

from .mutations import ExperimentDecide
from .queries import ExperimentQueries as Queries


class Mutations(graphene.ObjectType):
    experiment_decide = ExperimentDecide.Field()


__all__ = ["Mutations", "Queries"]
