import json
import re
from functools import cache
from zoneinfo import available_timezones

import graphene
from django.utils import timezone

from ....contacts.details import clean_country, clean_name, clean_phone
from ....contacts.models import Contact, ContactTag
from ....core.auth import MarketingPermission
from ...core.conflicts import expected_updated_at, refuse_if_saved_since
from ...core.errors import MarketingErrorCode, MutationError
from ...core.ids import object_for_update
from .inputs import ContactPayload, ContactUpdateInput

LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
LANGUAGE_MAX_LENGTH = 35
TAG_MAX_LENGTH = ContactTag._meta.get_field("name").max_length
MAX_TAGS = 100
MAX_ATTRIBUTES_SIZE = 64_000


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def clean_tags(tags: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(tag.strip() for tag in tags))
    if any(not tag or len(tag) > TAG_MAX_LENGTH for tag in cleaned):
        raise MutationError(
            f"Tags are 1 to {TAG_MAX_LENGTH} characters.", MarketingErrorCode.INVALID, "tags"
        )
    if len(cleaned) > MAX_TAGS:
        raise MutationError(f"At most {MAX_TAGS} tags.", MarketingErrorCode.INVALID, "tags")
    return cleaned


def clean_attributes(attributes) -> dict:
    if not isinstance(attributes, dict):
        raise MutationError("Give a JSON object.", MarketingErrorCode.INVALID, "attributes")
    if len(json.dumps(attributes)) > MAX_ATTRIBUTES_SIZE:
        raise MutationError(
            f"At most {MAX_ATTRIBUTES_SIZE} characters of JSON.",
            MarketingErrorCode.INVALID,
            "attributes",
        )
    return attributes


def clean_language(code: str) -> str:
    code = code.strip().lower().replace("_", "-")
    if code and (len(code) > LANGUAGE_MAX_LENGTH or not LANGUAGE_PATTERN.match(code)):
        raise MutationError(
            'Use a language code such as "de" or "de-AT".',
            MarketingErrorCode.INVALID,
            "languageCode",
        )
    return code


def clean_timezone(name: str) -> str:
    name = name.strip()
    if name and name not in _zones():
        raise MutationError(
            'Use an IANA time zone name such as "Europe/Berlin".',
            MarketingErrorCode.INVALID,
            "timezone",
        )
    return name


class ContactUpdate(ContactPayload):
    """Change a contact's names, country, phone, tags, attributes, language, time zone or
    birthday.

    Only the fields given change. Erased contacts cannot be changed. The shop may update
    names, country and phone again later (a customer's own change in Saleor).
    """

    permissions = (MarketingPermission.MANAGE_MARKETING,)

    class Arguments:
        id = graphene.ID(required=True)
        input = ContactUpdateInput(required=True)
        expected_updated_at = expected_updated_at()

    @classmethod
    def perform(cls, root, info, id, input, expected_updated_at=None):
        contact = object_for_update(Contact, id)
        if contact.erased_at is not None:
            raise MutationError("This contact was erased.", MarketingErrorCode.INVALID, "id")
        refuse_if_saved_since(contact.updated_at, expected_updated_at)
        changed = []
        for name in ("first_name", "last_name"):
            if input.get(name) is not None:
                setattr(contact, name, clean_name(input[name], name))
                changed.append(name)
        if input.get("country") is not None:
            contact.country = clean_country(input.country, "country")
            changed.append("country")
        if input.get("phone") is not None:
            contact.phone = clean_phone(input.phone, contact.country, "phone")
            changed.append("phone")
        if input.get("attributes") is not None:
            contact.attributes = clean_attributes(input.attributes)
            changed.append("attributes")
        if input.get("language_code") is not None:
            contact.language_code = clean_language(input.language_code)
            changed.append("language_code")
        if input.get("timezone") is not None:
            contact.timezone = clean_timezone(input.timezone)
            changed.append("timezone")
        if "birthday" in input:
            if input.birthday is not None and input.birthday > timezone.localdate():
                raise MutationError(
                    "The birthday is in the future.", MarketingErrorCode.INVALID, "birthday"
                )
            contact.birthday = input.birthday
            changed.append("birthday")
        tags = clean_tags(input.tags) if input.get("tags") is not None else None
        # Tags are a save of the contact too: the next editor's conflict check sees them.
        if changed or tags is not None:
            contact.save(update_fields=[*changed, "updated_at"])
        if tags is not None:
            ContactTag.objects.filter(contact=contact).exclude(name__in=tags).delete()
            ContactTag.objects.bulk_create(
                [ContactTag(contact=contact, name=tag) for tag in tags], ignore_conflicts=True
            )
        return cls.success(contact=contact)
