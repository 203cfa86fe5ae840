import graphene

from ....contacts.models import Contact
from ....core.auth import MarketingPermission
from ....privacy.erasure import erase_person
from ...core.ids import object_for_update
from .inputs import ContactPayload


class ContactErase(ContactPayload):
    """Erase everything that names a contact's person (right to be forgotten).

    Profile, tags, consents, push subscriptions, "notify me" requests, segment memberships,
    suppressions of the address, and what events, messages and runs quote of the person.
    Order aggregates and revenue stay for reports; nothing can be sent to the contact any
    more. Erasing an erased contact changes nothing.
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, root, info, id):
        contact = object_for_update(Contact, id)
        if contact.erased_at is None:
            contact = erase_person(contact, via="api")
        return cls.success(contact=contact)
