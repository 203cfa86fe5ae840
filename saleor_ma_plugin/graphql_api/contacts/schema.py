"""Contact queries and mutations, assembled."""

import graphene

from .mutations.contact_erase import ContactErase
from .mutations.contact_update import ContactUpdate
from .mutations.contacts_export import ContactsExport
from .queries import ContactQueries as Queries


class Mutations(graphene.ObjectType):
    contact_update = ContactUpdate.Field()
    contact_erase = ContactErase.Field()
    contacts_export = ContactsExport.Field()


__all__ = ["Mutations", "Queries"]
