"""The shop's own templates a preset carries, and storing them again on import."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ....core.errors import FieldError, FieldErrorCode
from ....messaging.models import Template
from ....messaging.rendering import compile_source, render_email
from ....messaging.samples import sample_context
from ....messaging.templates_store import shipped_source
from ...steps import StepType

#: A version row is numbered max + 1; a concurrent save of the same key is retried this often.
SAVE_ATTEMPTS = 3


def template_keys(steps) -> list[str]:
    """Template keys the send steps use, in step order."""
    keys = (step.config.get("template") for step in steps if step.type == StepType.SEND)
    return list(dict.fromkeys(key for key in keys if isinstance(key, str) and key))


def own_templates(keys: list[str]) -> list[dict]:
    """The newest active version, per language, of each key the shop edited itself."""
    newest: dict[tuple[str, str], Template] = {}
    for template in Template.objects.filter(key__in=keys, is_active=True).order_by(
        "key", "language", "version"
    ):
        newest[(template.key, template.language)] = template
    return [
        {"key": t.key, "language": t.language, "source": t.source}
        for (_key, _language), t in sorted(newest.items())
    ]


def current_source(key: str, language: str) -> str | None:
    """What the shop sends for this key in exactly this language now, if anything."""
    stored = (
        Template.objects.filter(key=key, language=language, is_active=True)
        .order_by("-version")
        .values_list("source", flat=True)
        .first()
    )
    return stored if stored is not None else shipped_source(key, language)


def check_templates(templates: list[dict], replace: bool, where: str = "templates") -> list:
    """(index, template) of those to store as new versions; FieldError at one refused."""
    seen, new = set(), []
    for index, template in enumerate(templates):
        at = f"{where}[{index}]"
        pair = (template["key"], template["language"])
        if pair in seen:
            raise FieldError(
                f"{at}.key", _("This key and language appear twice."), FieldErrorCode.UNIQUE
            )
        seen.add(pair)
        _check_source(template, f"{at}.source")
        current = current_source(*pair)
        if current == template["source"]:
            continue  # the shop already sends exactly this: nothing to store
        if current is not None and not replace:
            raise FieldError(
                f"{at}.source",
                _(
                    "The shop's template %(key)s (%(language)s) differs from this one; "
                    "import with replaceTemplates to store this as its new version."
                )
                % {"key": pair[0], "language": pair[1]},
                FieldErrorCode.UNIQUE,
            )
        new.append((index, template))
    return new


def _check_source(template: dict, where: str) -> None:
    try:
        compile_source(template["source"])
        render_email(template["source"], sample_context(template["language"], template["key"]))
    except Exception as error:  # admin-written code: any failure is the document's
        raise FieldError(
            where, _("The template fails to render: %(error)s") % {"error": error}
        ) from None


def store_templates(templates: list[tuple[int, dict]]) -> None:
    """Each as the newest version of its key and language, numbered after every other."""
    for index, template in templates:
        _store_version(template, f"templates[{index}].key")


def _store_version(template: dict, where: str) -> None:
    pair = {"key": template["key"], "language": template["language"]}
    for _attempt in range(SAVE_ATTEMPTS):
        latest = Template.objects.filter(**pair).aggregate(latest=Max("version"))["latest"]
        try:
            with transaction.atomic():
                Template.objects.create(
                    **pair, version=(latest or 0) + 1, source=template["source"]
                )
            return
        except IntegrityError:
            continue  # a concurrent save took the number; count again
    raise FieldError(
        where, _("Another version of this template was saved at the same time; try again.")
    )
