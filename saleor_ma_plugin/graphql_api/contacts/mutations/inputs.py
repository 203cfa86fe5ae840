"""Inputs and the payload base shared by the contact mutations."""

import graphene

from ...core.mutations import BaseMutation
from ...core.types import JSON
from ..types import Contact


class ContactUpdateInput(graphene.InputObjectType):
    first_name = graphene.String(description="Empty clears it.")
    last_name = graphene.String(description="Empty clears it.")
    country = graphene.String(description='ISO 3166-1 alpha-2 code, e.g. "DE"; empty clears it.')
    phone = graphene.String(
        description="Any common notation; stored in E.164, read with the contact's country "
        "(the one given, else the stored one) when it has no +prefix. Empty clears it."
    )
    tags = graphene.List(
        graphene.NonNull(graphene.String), description="Replaces all of the contact's tags."
    )
    attributes = JSON(description="Replaces the custom attributes (a JSON object).")
    language_code = graphene.String(description='e.g. "de" or "de-AT"; empty clears it.')
    timezone = graphene.String(description='IANA name, e.g. "Europe/Berlin"; empty clears it.')
    birthday = graphene.Date(description="null clears it.")


class ContactPayload(BaseMutation):
    """Base of mutations answering with a contact."""

    contact = graphene.Field(Contact)

    class Meta:
        abstract = True
