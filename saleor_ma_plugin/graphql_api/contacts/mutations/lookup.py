"""Finding the contact a mutation names, with the API's errors."""

from ....contacts.models import Contact
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import model_pk


def contact_for_update(global_id: str, field: str = "id") -> Contact:
    contact = (
        Contact.objects.select_for_update()
        .filter(pk=model_pk(global_id, "Contact", field))
        .first()
    )
    if contact is None:
        raise MutationError("No such contact.", MarketingErrorCode.NOT_FOUND, field)
    return contact
