"""Validating newsletter topic input."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import Q

from ....campaigns import CampaignStatus
from ....campaigns.models import Campaign
from ....messaging.models import NewsletterTopic
from ...core.errors import MarketingErrorCode, MutationError

SLUG_MAX_LENGTH = NewsletterTopic._meta.get_field("slug").max_length
TEXT_MAX_LENGTH = 2000


def clean_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if not slug:
        raise MutationError("Give the topic's slug.", MarketingErrorCode.REQUIRED, "slug")
    try:
        validate_slug(slug)
    except ValidationError:
        raise MutationError(
            "Use letters, digits, hyphens and underscores only.",
            MarketingErrorCode.INVALID,
            "slug",
        ) from None
    if len(slug) > SLUG_MAX_LENGTH:
        raise MutationError(
            f"At most {SLUG_MAX_LENGTH} characters.", MarketingErrorCode.INVALID, "slug"
        )
    if NewsletterTopic.objects.filter(slug=slug).exists():
        raise MutationError("A topic with this slug exists.", MarketingErrorCode.UNIQUE, "slug")
    return slug


def clean_texts(value, field: str, required: bool) -> dict:
    """A map of language code to text, e.g. {"en": "Deals"}."""
    if not isinstance(value, dict) or not all(
        isinstance(language, str) and isinstance(text, str) and len(text) <= TEXT_MAX_LENGTH
        for language, text in value.items()
    ):
        raise MutationError(
            'Give a JSON object of language and text, e.g. {"en": "Deals"}.',
            MarketingErrorCode.INVALID,
            field,
        )
    cleaned = {language.strip().lower(): text.strip() for language, text in value.items()}
    cleaned = {language: text for language, text in cleaned.items() if language and text}
    if required and not cleaned:
        raise MutationError(
            "Name the topic in at least one language.", MarketingErrorCode.REQUIRED, field
        )
    return cleaned


def clean_position(value) -> int:
    if value < 0:
        raise MutationError("Use 0 or more.", MarketingErrorCode.INVALID, "position")
    return value


def campaigns_using(slug: str) -> list[str]:
    """Names of campaigns (not archived) whose audience or send steps name the topic."""
    return list(
        Campaign.objects.exclude(status=CampaignStatus.ARCHIVED)
        .filter(
            Q(audience__consent__topic=slug)
            | Q(steps__config__topic=slug, steps__removed_at__isnull=True)
        )
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
