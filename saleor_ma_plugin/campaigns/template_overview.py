"""Every template an admin can edit, per key and language: what is sent now, when it was last
changed, through which channels and whether it is transactional."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from ..messaging import MessageChannel
from ..messaging.models import Template
from ..messaging.templates_store import shipped_keys, shipped_languages
from ..messaging.transactional import TEMPLATES as NOTIFICATION_TEMPLATES
from .models import Step


class TemplateKind(models.TextChoices):
    #: Saleor's customer notifications and templates of transactional send steps.
    TRANSACTIONAL = "transactional", _("Transactional")
    #: Everything sent with marketing consent.
    MARKETING = "marketing", _("Marketing")


@dataclass(frozen=True)
class TemplateSummary:
    key: str
    language: str
    #: The channels of the send steps using the key; email for shipped keys and unused ones.
    channels: tuple[str, ...]
    kind: str
    #: A default ships with the plugin.
    shipped: bool
    #: The stored version sent now; None while the shipped default is.
    active_version: int | None
    version_count: int
    #: When the newest stored version was saved.
    updated_at: datetime | None


@dataclass
class _Use:
    channels: set[str]
    transactional: bool = False


def _step_uses() -> dict[str, _Use]:
    """Per template key, the channels of the (not removed) send steps naming it."""
    uses: dict[str, _Use] = defaultdict(lambda: _Use(set()))
    configs = Step.objects.filter(type="send", removed_at__isnull=True).values_list(
        "config", flat=True
    )
    for config in configs.iterator():
        key = str(config.get("template") or "")
        if not key:
            continue
        uses[key].channels.add(config.get("channel") or MessageChannel.EMAIL)
        uses[key].transactional |= bool(config.get("transactional"))
    return uses


def template_summaries() -> list[TemplateSummary]:
    """One summary per key and language that is shipped or stored, by key then language."""
    stored = {
        (row["key"], row["language"]): row
        for row in Template.objects.values("key", "language").annotate(
            count=Count("pk"),
            updated=Max("created_at"),
            active=Max("version", filter=Q(is_active=True)),
        )
    }
    shipped = {
        (key, language) for language in shipped_languages() for key in shipped_keys(language)
    }
    uses = _step_uses()
    notifications = set(NOTIFICATION_TEMPLATES.values())
    summaries = []
    for key, language in sorted(shipped | set(stored)):
        use = uses.get(key, _Use(set()))
        row = stored.get((key, language), {})
        channels = set(use.channels)
        if (key, language) in shipped or not channels:
            channels.add(MessageChannel.EMAIL)
        transactional = key in notifications or use.transactional
        summaries.append(
            TemplateSummary(
                key=key,
                language=language,
                channels=tuple(value for value in MessageChannel.values if value in channels),
                kind=TemplateKind.TRANSACTIONAL if transactional else TemplateKind.MARKETING,
                shipped=(key, language) in shipped,
                active_version=row.get("active"),
                version_count=row.get("count", 0),
                updated_at=row.get("updated"),
            )
        )
    return summaries
