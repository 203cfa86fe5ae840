"""The schema: every area's queries and mutations in one graphene-2 schema.

Each area package (campaigns, storefront, messaging, contacts, ...) has a ``schema``
module exposing ``Queries`` and ``Mutations`` object types; they are combined here.
"""

from importlib import import_module, util

import graphene

from .campaigns.types import Campaign

AREAS = (
    "campaigns",
    "storefront",
    "messaging",
    "contacts",
    "reports",
    "scoring",
    "experiments",
    "segments",
    "definitions",
    "dashboard",
    "privacy",
    "settings",
)


def _parts(kind: str) -> list[type]:
    parts = []
    for area in AREAS:
        if util.find_spec(f"{__package__}.{area}") is None:
            continue
        part = getattr(import_module(f"{__package__}.{area}.schema"), kind, None)
        if part is not None:
            parts.append(part)
    return parts


Query = type(
    "Query", (*_parts("Queries"), graphene.ObjectType), {"node": graphene.relay.Node.Field()}
)
Mutation = type("Mutation", (*_parts("Mutations"), graphene.ObjectType), {})

schema = graphene.Schema(query=Query, mutation=Mutation, types=[Campaign])
