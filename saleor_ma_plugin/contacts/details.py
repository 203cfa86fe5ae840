"""Profile details from the shop and the storefront: names, phone, time zone, dates, attributes.

Values are checked where they enter (``clean_details``): a phone number becomes E.164
(phonenumberslite, the build Saleor itself installs), a time zone must be an IANA name, a
birthday a real past date. Applied to a contact, details either fill what the profile lacks
(anything anonymous may only add) or replace it (the customer, or the shop, speaking).
A contact without a time zone gets the one of its country, when all of that country
keeps one time (``zone_of_country``).
"""

import re
import zoneinfo
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cache
from typing import Any

import phonenumbers
from babel.core import Locale, get_global
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.errors import FieldError
from .models import Contact

ATTRIBUTE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MAX_ATTRIBUTES, MAX_ATTRIBUTE_TEXT = 20, 200
EARLIEST_BIRTHDAY = date(1900, 1, 1)


@dataclass(frozen=True)
class ProfileDetails:
    """What one source says about a person; empty fields say nothing."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    country: str = ""
    timezone: str = ""
    birthday: date | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


def normalized_phone(raw: str, country: str = "") -> str:
    """The number in E.164 ("+4930123456"), or "" when it is not a valid number."""
    try:
        number = phonenumbers.parse(raw, (country or None) and country.upper())
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


#: Territory codes CLDR knows that are no country of an address (EU, UN, unknown, ...).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of countries and territories (from CLDR, through babel)."""
    names = Locale("en").territories
    return frozenset(code for code in names if re.fullmatch(r"[A-Z]{2}", code)) - NOT_COUNTRIES


def clean_country(raw: str, path: str) -> str:
    """An ISO country code in capitals, or "" to clear it; FieldError for anything else."""
    code = (raw or "").strip().upper()
    if code and code not in country_codes():
        raise FieldError(path, _("Use a two-letter country code (ISO 3166-1), e.g. DE."))
    return code


def clean_phone(raw: str, country: str, path: str) -> str:
    """The number in E.164, read with the country's conventions, or "" to clear it."""
    if not (raw or "").strip():
        return ""
    phone = normalized_phone(raw.strip(), country)
    if not phone:
        raise FieldError(path, _("Enter a valid phone number, e.g. +49 30 1234567."))
    return phone


def clean_name(raw: str, path: str) -> str:
    """A first or last name as the admin typed it, trimmed."""
    return _text(raw, path, 256)


@cache
def _zones_of_country() -> dict[str, list[str]]:
    return get_global("territory_zones")


def zone_of_country(country: str) -> str:
    """The country's time zone when all of it keeps one time (one metazone), else ""."""
    zones = _zones_of_country().get((country or "").upper(), [])
    meta = get_global("meta_zones")
    if zones and len({meta.get(zone, zone) for zone in zones}) == 1:
        return zones[0]
    return ""


def clean_details(data: dict[str, Any], path: str = "input") -> ProfileDetails:
    """Check storefront or admin input; FieldError naming the bad field."""
    country = str(data.get("country") or "").upper()
    details = ProfileDetails(
        first_name=_text(data.get("first_name"), f"{path}.firstName", 256),
        last_name=_text(data.get("last_name"), f"{path}.lastName", 256),
        country=country if re.fullmatch(r"[A-Z]{2}", country) else "",
    )
    if data.get("phone"):
        phone = normalized_phone(str(data["phone"]), country)
        if not phone:
            raise FieldError(f"{path}.phone", "Enter a valid phone number, e.g. +49 30 1234567.")
        details = replace(details, phone=phone)
    if data.get("timezone"):
        if data["timezone"] not in zoneinfo.available_timezones():
            raise FieldError(f"{path}.timezone", "Use an IANA time zone, e.g. Europe/Berlin.")
        details = replace(details, timezone=data["timezone"])
    if data.get("birthday"):
        birthday = data["birthday"]
        if not isinstance(birthday, date) or not EARLIEST_BIRTHDAY <= birthday <= date.today():
            raise FieldError(f"{path}.birthday", "Enter a date of birth in the past.")
        details = replace(details, birthday=birthday)
    if data.get("attributes"):
        details = replace(details, attributes=_attributes(data["attributes"], path))
    return details


def _text(value: Any, path: str, limit: int) -> str:
    text = str(value or "").strip()
    if len(text) > limit or any(ord(character) < 32 for character in text):
        raise FieldError(path, f"Use at most {limit} characters, without control characters.")
    return text


def _attributes(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict) or len(value) > MAX_ATTRIBUTES:
        raise FieldError(f"{path}.attributes", f"Give an object of at most {MAX_ATTRIBUTES} keys.")
    for key, item in value.items():
        if not ATTRIBUTE_KEY.match(str(key)) or "__" in key:
            raise FieldError(f"{path}.attributes", "Keys are letters, digits, - and _.")
        scalar = isinstance(item, int | float | bool) or (
            isinstance(item, str) and len(item) <= MAX_ATTRIBUTE_TEXT
        )
        if not scalar:
            raise FieldError(f"{path}.attributes.{key}", "Use a number, true/false or short text.")
    return dict(value)


def apply_details(contact: Contact, details: ProfileDetails, *, overwrite: bool) -> list[str]:
    """Set the details on the (locked) contact; return the names of the fields changed.

    Without ``overwrite`` only empty fields are filled and attributes only added, so an
    anonymous storefront request can complete a profile but never change it.
    """
    changed = []
    for name in ("first_name", "last_name", "phone", "country", "timezone", "birthday"):
        value = getattr(details, name)
        if value and (overwrite or not getattr(contact, name)) and getattr(contact, name) != value:
            setattr(contact, name, value)
            changed.append(name)
    if not contact.timezone and contact.country:
        inferred = zone_of_country(contact.country)
        if inferred:
            contact.timezone = inferred
            changed.append("timezone")
    extra = {
        key: value
        for key, value in details.attributes.items()
        if overwrite or key not in (contact.attributes or {})
    }
    if extra and any((contact.attributes or {}).get(key) != value for key, value in extra.items()):
        contact.attributes = {**(contact.attributes or {}), **extra}
        changed.append("attributes")
    if changed:
        contact.updated_at = timezone.now()
    return sorted(set(changed))


def details_of_payload(payload: dict[str, Any]) -> ProfileDetails:
    """What a shop event (customer or order snapshot) says about the person."""
    known = {item.name for item in fields(ProfileDetails)}
    values = {key: payload[key] for key in known & payload.keys() if payload[key]}
    if isinstance(values.get("birthday"), str):
        values["birthday"] = date.fromisoformat(values["birthday"])
    if values.get("phone"):
        values["phone"] = normalized_phone(values["phone"], payload.get("country", ""))
    return ProfileDetails(**values)


def update_profile(contact: Contact, details: ProfileDetails, *, overwrite: bool) -> Contact:
    """Apply details to the stored contact (locked for the change); return it."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if apply_details(locked, details, overwrite=overwrite):
        locked.save()
    return locked
