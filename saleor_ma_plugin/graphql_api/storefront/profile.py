"""Profile details a storefront may send with a sign-up, a preference change or an event.

Anyone may send them, so without proof of who is asking they only fill what the profile
lacks; a logged-in customer (or the holder of a preference link) may change their own.
"""

import graphene

from ...contacts.details import clean_details, update_profile
from ...contacts.models import Contact
from ..core.types import JSON


class ProfileDetailsInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    phone = graphene.String(description="Any format with country code, e.g. +49 30 1234567.")
    country = graphene.String(description="ISO 3166-1 alpha-2; helps read national numbers.")
    timezone = graphene.String(description="IANA time zone, e.g. Europe/Berlin.")
    birthday = graphene.Date()
    attributes = JSON(description="Custom attributes: up to 20 keys of numbers, booleans, text.")


def apply_profile(contact: Contact | None, data, *, overwrite: bool, path: str) -> None:
    """Check and apply ``data`` (a ProfileDetailsInput) to the contact, if there is one.

    Checked first in every case: a request is refused for bad details whether or not the
    address is known, so the answer reveals nothing about who is a customer.
    """
    if not data:
        return
    details = clean_details(dict(data), path)
    if contact is not None:
        update_profile(contact, details, overwrite=overwrite)
