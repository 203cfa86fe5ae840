"""The tags in use, with how many contacts carry each: suggestions for rules and filters."""

from dataclasses import dataclass

from django.db.models import Count

from .models import ContactTag

MAX_TAGS_LISTED = 100


@dataclass(frozen=True)
class TagCount:
    name: str
    contacts: int


def tags_in_use(search: str = "", limit: int = 20) -> list[TagCount]:
    """Tags of contacts not erased, most used first; ``search`` keeps names containing it."""
    tags = ContactTag.objects.filter(contact__erased_at__isnull=True)
    if search.strip():
        tags = tags.filter(name__icontains=search.strip())
    rows = (
        tags.values("name")
        .annotate(contacts=Count("contact", distinct=True))
        .order_by("-contacts", "name")[: max(1, min(limit, MAX_TAGS_LISTED))]
    )
    return [TagCount(name=row["name"], contacts=row["contacts"]) for row in rows]
