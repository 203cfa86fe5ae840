"""Checking storefront input: each check returns the clean value or raises a field error."""

import json
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from graphql_relay import from_global_id

from ...core.emails import is_valid_email, normalize_email
from ...messaging.models import NewsletterTopic
from ..core.errors import MarketingErrorCode, MutationError

MAX_EMAIL = 254
MAX_URL = 2000
MAX_CONSENT_TEXT = 10_000
MAX_TOKEN = 1000
#: Ids of the shop's objects in event payloads (Saleor database ids, or the standalone keys).
PLAIN_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
GLOBAL_ID_TYPE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$")
CHANNEL_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,255}$")


def invalid(message: str, field: str) -> MutationError:
    return MutationError(message, MarketingErrorCode.INVALID, field)


def required(field: str, message: str = "This field is required.") -> MutationError:
    return MutationError(message, MarketingErrorCode.REQUIRED, field)


def clean_email(value: str | None, field: str = "email") -> str:
    """A normalized, deliverable-looking address.

    ``.invalid`` (RFC 2606) never receives mail, and erased contacts keep placeholder
    addresses there: a sign-up must not reach them.
    """
    email = normalize_email(value)
    if not email:
        raise required(field)
    if len(email) > MAX_EMAIL or not is_valid_email(email) or email.endswith(".invalid"):
        raise invalid("Enter a valid email address.", field)
    return email


def clean_token(value: str | None, field: str = "token") -> str:
    token = (value or "").strip()
    if not token or len(token) > MAX_TOKEN:
        raise invalid("The link is invalid or has expired.", field)
    return token


def clean_topics(slugs: list[str] | None, field: str = "topics") -> list[str]:
    """Known newsletter topic slugs, in the given order, without repeats."""
    wanted = list(dict.fromkeys(slug.strip() for slug in slugs or [] if slug and slug.strip()))
    if not wanted:
        return []
    known = set(NewsletterTopic.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    unknown = [slug for slug in wanted if slug not in known]
    if unknown:
        raise invalid(f"Unknown newsletter topic: {', '.join(unknown)}.", field)
    return wanted


def clean_topic(slug: str | None, field: str = "topic") -> str:
    """One known topic slug, or "" (the whole channel) when none is given."""
    topics = clean_topics([slug or ""], field)
    return topics[0] if topics else ""


def clean_language(value: str | None, field: str = "language") -> str:
    language = (value or "").strip()
    if not language:
        return ""
    if len(language) > 35 or not LANGUAGE.match(language):
        raise invalid("Give a language code such as en or pt-BR.", field)
    return language.replace("_", "-")


def clean_url(value: str | None, field: str) -> str:
    url = (value or "").strip()
    if not url:
        return ""
    try:
        if len(url) > MAX_URL:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise invalid("Enter a valid http(s) URL.", field) from None
    return url


def clean_text(value: str | None, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise invalid(f"At most {max_length} characters.", field)
    return text


def clean_channel(value: str | None, field: str = "channel") -> str:
    channel = (value or "").strip()
    if channel and not CHANNEL_SLUG.match(channel):
        raise invalid("Give the channel's slug.", field)
    return channel


def shop_id(value: str | None, type_name: str, field: str) -> str:
    """The shop's id of a product, variant or category, as event payloads store it.

    Accepts Saleor's global id (``Product:72`` in base64, decoded here at the API boundary)
    or the plain id the standalone host uses.
    """
    text = (value or "").strip()
    if not text:
        raise required(field)
    try:
        kind, pk = from_global_id(text)
    except Exception:  # not base64, not "Type:id": a plain id or garbage
        kind, pk = "", ""
    if kind == type_name and PLAIN_ID.match(pk or ""):
        return pk
    if GLOBAL_ID_TYPE.match(kind or "") and pk:
        raise invalid(f"Not a {type_name} id.", field)
    if PLAIN_ID.match(text):
        return text
    raise invalid(f"Not a {type_name} id.", field)


def json_size(value) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
