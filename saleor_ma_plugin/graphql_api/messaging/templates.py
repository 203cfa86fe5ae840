"""Checking, storing and rendering admin templates, with the API's errors.

Shared by the template mutations, the preview query and the test send.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template import TemplateSyntaxError

from ...contacts import ConsentChannel
from ...contacts.consent import has_consent
from ...contacts.models import Contact
from ...core.host import plugin_settings
from ...events import EventType
from ...events.models import Event
from ...messaging import MessageChannel
from ...messaging.context import ContextBatch
from ...messaging.models import Message, Template
from ...messaging.rendering import RenderedEmail, TemplateRefused, compile_source, render_email
from ...messaging.samples import sample_context
from ...messaging.templates_store import MissingTemplate, TemplateStore
from ..core.conflicts import refuse_if_newer_version
from ..core.errors import MarketingErrorCode, MutationError
from ..core.ids import model_pk

#: The template store looks languages up by their primary subtag ("de" for "de-AT").
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
MAX_SOURCE_LENGTH = 200_000
KEY_MAX_LENGTH = Template._meta.get_field("key").max_length
#: A version row is numbered max + 1; a concurrent save of the same key is retried this often.
SAVE_ATTEMPTS = 3
#: Values a real message only gets at send time (from its steps); previews borrow samples.
SEND_TIME_VALUES = ("voucher", "confirm_url", "feedback_url")
#: The event whose content a template family shows, for previews with a real contact.
TRIGGER_EVENTS = (
    ("abandoned_checkout", (EventType.CHECKOUT_UPDATED, EventType.CHECKOUT_CREATED)),
    ("browse_abandonment", (EventType.PRODUCT_VIEWED,)),
    ("search_abandonment", (EventType.SEARCH_PERFORMED,)),
    ("back_in_stock", (EventType.BACK_IN_STOCK,)),
    ("", (EventType.ORDER_CREATED,)),
)


def clean_key(key: str, field: str = "key") -> str:
    key = (key or "").strip()
    if not key:
        raise MutationError("Give the template key.", MarketingErrorCode.REQUIRED, field)
    try:
        validate_slug(key)
    except ValidationError:
        raise MutationError(
            "Use letters, digits, hyphens and underscores only.", MarketingErrorCode.INVALID, field
        ) from None
    if len(key) > KEY_MAX_LENGTH:
        raise MutationError(
            f"At most {KEY_MAX_LENGTH} characters.", MarketingErrorCode.INVALID, field
        )
    return key


def clean_language(language: str, field: str = "language") -> str:
    language = (language or "").strip().lower()
    if not language:
        raise MutationError("Give the language.", MarketingErrorCode.REQUIRED, field)
    if not LANGUAGE_PATTERN.match(language):
        raise MutationError(
            'Use a two- or three-letter language code such as "en" or "de".',
            MarketingErrorCode.INVALID,
            field,
        )
    return language


def check_source(source: str, key: str, language: str, field: str = "source") -> None:
    """Refuse what the locked-down engine refuses, syntax errors, and sources that fail
    to render with the sample data of their key."""
    if not (source or "").strip():
        raise MutationError("Give the template source.", MarketingErrorCode.REQUIRED, field)
    if len(source) > MAX_SOURCE_LENGTH:
        raise MutationError(
            f"At most {MAX_SOURCE_LENGTH} characters.", MarketingErrorCode.INVALID, field
        )
    try:
        compile_source(source)
    except TemplateRefused as error:
        raise MutationError(str(error), MarketingErrorCode.TEMPLATE_REFUSED, field) from None
    except TemplateSyntaxError as error:
        raise MutationError(str(error), MarketingErrorCode.INVALID, field) from None
    render(source, sample_context(language, key), field)


def render(source: str, data: dict, field: str = "source") -> RenderedEmail:
    try:
        return render_email(source, data)
    except TemplateRefused as error:
        raise MutationError(str(error), MarketingErrorCode.TEMPLATE_REFUSED, field) from None
    except Exception as error:  # admin-written code: any failure is the input's
        raise MutationError(
            f"The template fails to render: {error}", MarketingErrorCode.INVALID, field
        ) from None


def save_version(
    key: str,
    language: str,
    source: str,
    reverted_from: int | None = None,
    expected_version: int | None = None,
) -> Template:
    """A new version row numbered after every existing one of the key and language;
    ``reverted_from`` names the earlier version whose source it restores.

    With ``expected_version`` the row is numbered right after it or not saved at all
    (CONFLICT): the unique version number decides between concurrent first saves, which
    have no row to lock.
    """
    for _attempt in range(SAVE_ATTEMPTS):
        latest = Template.objects.filter(key=key, language=language).aggregate(
            latest=Max("version")
        )["latest"]
        if expected_version is not None:
            refuse_if_newer_version(latest or 0, expected_version)
        try:
            with transaction.atomic():
                return Template.objects.create(
                    key=key,
                    language=language,
                    version=(latest or 0) + 1,
                    source=source,
                    reverted_from=reverted_from,
                )
        except IntegrityError:
            continue  # a concurrent save took the number; count again (and refuse, if expected)
    raise MutationError(
        "Another version of this template was saved at the same time; try again.",
        MarketingErrorCode.UNIQUE,
        "key",
    )


def effective_source(key: str, language: str, source: str | None, field: str = "source") -> str:
    """The draft if one is given (checked), else what a send would use now."""
    if source is not None:
        check_source(source, key, language, field)
        return source
    try:
        return TemplateStore().get(key, language).source
    except MissingTemplate as error:
        raise MutationError(str(error), MarketingErrorCode.NOT_FOUND, "key") from None


def _trigger_event_id(contact: Contact, key: str) -> int | None:
    for prefix, types in TRIGGER_EVENTS:
        if key.startswith(prefix):
            return (
                Event.objects.filter(contact=contact, type__in=types)
                .order_by("-occurred_at", "-pk")
                .values_list("pk", flat=True)
                .first()
            )
    return None


def contact_context(contact: Contact, key: str, language: str) -> dict:
    """The context a message of ``key`` to ``contact`` would get now, built like a send's:
    the contact's latest matching order, checkout or view; recommendations only with
    marketing consent. Values only a send creates (voucher code, confirmation link) come
    from the sample context."""
    trigger = _trigger_event_id(contact, key)
    message = Message(
        contact=contact,
        channel=MessageChannel.EMAIL,
        template=key,
        context={"trigger_event_id": trigger} if trigger else {},
    )
    data = ContextBatch([message], plugin_settings()).build(
        message, marketing_allowed=has_consent(contact, ConsentChannel.EMAIL)
    )
    sample = sample_context(contact.language_code or language, key)
    for name in SEND_TIME_VALUES:
        if name in sample and name not in data:
            data[name] = sample[name]
    return data


def preview_context(key: str, language: str, contact_id: str | None) -> dict:
    """What a preview or test renders with: the named contact's data, else sample data."""
    if not contact_id:
        return sample_context(language, key)
    contact = Contact.objects.filter(pk=model_pk(contact_id, "Contact", "contactId")).first()
    if contact is None:
        raise MutationError("No such contact.", MarketingErrorCode.NOT_FOUND, "contactId")
    return contact_context(contact, key, language)
