import graphene

from ....contacts.erasure import erase_contact
from ....contacts.models import Contact
from ....core.auth import MarketingPermission
from ...core.ids import object_for_update
from .inputs import ContactPayload


class ContactErase(ContactPayload):
    """Erase a contact's personal data, tags and consents (right to be forgotten).

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
            contact = erase_contact(contact)
        return cls.success(contact=contact)
