"""Finding the template for a key and language: the admin's version first, then ours."""

import re
from dataclasses import dataclass
from functools import lru_cache

from .models import Template
from .rendering import TEMPLATE_DIR

DEFAULT_LANGUAGE = "en"
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class MissingTemplate(LookupError):
    """Neither the database nor the shipped defaults have this template."""


@dataclass(frozen=True)
class TemplateSource:
    key: str
    language: str
    source: str
    #: Database version, or 0 for a shipped default.
    version: int


@lru_cache(maxsize=256)
def shipped_source(key: str, language: str) -> str | None:
    """A default template shipped in the package, if there is one."""
    path = TEMPLATE_DIR / "saleor_ma_plugin" / "email" / language / f"{key}.html"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def shipped_languages() -> list[str]:
    """The languages the plugin ships templates in."""
    directory = TEMPLATE_DIR / "saleor_ma_plugin" / "email"
    # Beside the language folders lie the layout and the content blocks' partials.
    return sorted(
        path.name for path in directory.iterdir() if path.is_dir() and LANGUAGE.match(path.name)
    )


def shipped_keys(language: str = DEFAULT_LANGUAGE) -> list[str]:
    directory = TEMPLATE_DIR / "saleor_ma_plugin" / "email" / language
    return sorted(path.stem for path in directory.glob("*.html"))


class TemplateStore:
    """Looks templates up once per batch: one query for all admin versions."""

    def __init__(self):
        self._stored: dict[tuple[str, str], Template] = {}
        for template in Template.objects.filter(is_active=True).order_by(
            "key", "language", "version"
        ):
            self._stored[(template.key, template.language)] = template  # newest version wins
        #: Found per key and language asked for: a batch asks once per message.
        self._found: dict[tuple[str, str], TemplateSource] = {}

    def get(self, key: str, language: str) -> TemplateSource:
        found = self._found.get((key, language))
        if found is None:
            found = self._found[key, language] = self._find(key, language)
        return found

    def _find(self, key: str, language: str) -> TemplateSource:
        language = (language or DEFAULT_LANGUAGE).split("-")[0].lower()
        for candidate in dict.fromkeys((language, DEFAULT_LANGUAGE)):
            stored = self._stored.get((key, candidate))
            if stored is not None:
                return TemplateSource(key, candidate, stored.source, stored.version)
            source = shipped_source(key, candidate)
            if source is not None:
                return TemplateSource(key, candidate, source, 0)
        raise MissingTemplate(f"No template {key!r} in {language!r} or {DEFAULT_LANGUAGE!r}.")
