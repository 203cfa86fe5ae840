"""Privacy mutations, assembled; the area reads nothing of its own."""

import graphene

from .mutations.contact_personal_data_export import ContactPersonalDataExport

Queries = None


class Mutations(graphene.ObjectType):
    contact_personal_data_export = ContactPersonalDataExport.Field()


__all__ = ["Mutations", "Queries"]
