"""Saving, importing, exporting and instantiating the shop's own presets."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ....core.errors import FieldError, FieldErrorCode
from ... import CampaignKind, ReentryPolicy
from ...editing import (
    CampaignSpec,
    StepSpec,
    stored_config,
    validate_counts,
    validate_holdout,
    validate_settings,
)
from ...flow import build_flow
from ...models import Campaign, ShopPreset, Step
from ...steps import StepKind
from ..builtin import PRESETS as BUILT_IN
from .document import FORMAT, VERSION, campaign_part, campaign_spec, read_document
from .parameters import NAME, apply, parse_parameters
from .templates import check_templates, own_templates, store_templates, template_keys


def check_spec(spec: CampaignSpec) -> None:
    """Everything ``create_campaign`` checks, without storing; FieldError at the field."""
    if not spec.name.strip():
        raise FieldError("name", _("Name the campaign."), FieldErrorCode.REQUIRED)
    if spec.kind not in CampaignKind.values:
        raise FieldError(
            "kind", _("Use one of %(values)s.") % {"values": ", ".join(CampaignKind.values)}
        )
    if spec.reentry_policy not in ReentryPolicy.values:
        raise FieldError(
            "reentry_policy",
            _("Use one of %(values)s.") % {"values": ", ".join(ReentryPolicy.values)},
        )
    validate_settings(spec.trigger, spec.audience, spec.goal, spec.exit_condition)
    validate_holdout(spec.holdout_share)
    validate_counts(spec)
    for index, step in enumerate(spec.steps):
        if step.type not in StepKind.registry:
            raise FieldError(f"steps[{index}].type", _("Unknown step type."))
    entry = spec.entry_step_key or spec.steps[0].key
    steps = [
        Step(key=s.key, type=s.type, config=stored_config(s.type, s.config), next_key=s.next_key)
        for s in spec.steps
    ]
    build_flow(Campaign(entry_step_key=entry), steps)


def _within(prefix: str, check, *args) -> Any:
    """Run ``check``; a FieldError it raises names its field under ``prefix``."""
    try:
        return check(*args)
    except FieldError as error:
        raise FieldError(f"{prefix}.{error.field}", error.message, error.code) from None


def validated(data: Any) -> tuple[dict, tuple]:
    """A document checked in full (schema, parameters, the campaign with its defaults)."""
    document = read_document(data)
    campaign = document["campaign"]
    parameters = parse_parameters(document.get("parameters", []), campaign)
    spec = campaign_spec(apply(campaign, parameters, {}), document["preset"]["slug"])
    _within("campaign", check_spec, spec)
    return document, parameters


def _check_slug_free(slug: str) -> None:
    if slug in BUILT_IN or ShopPreset.objects.filter(slug=slug).exists():
        raise FieldError(
            "preset.slug", _("A preset with this slug exists."), FieldErrorCode.UNIQUE
        )


def _store(document: dict, campaign: Campaign | None = None) -> ShopPreset:
    preset = document["preset"]
    _check_slug_free(preset["slug"])
    try:
        with transaction.atomic():
            return ShopPreset.objects.create(
                slug=preset["slug"],
                title=preset["title"],
                description=preset.get("description", ""),
                document=document,
                source_campaign=campaign,
            )
    except IntegrityError:
        raise FieldError(
            "preset.slug", _("A preset with this slug exists."), FieldErrorCode.UNIQUE
        ) from None


def document_of(campaign: Campaign, preset: dict, parameters: list[dict]) -> dict:
    """A campaign (live steps only) as a preset document, with the shop's own templates."""
    steps = list(campaign.steps.filter(removed_at=None).order_by("position", "pk"))
    spec = CampaignSpec(
        **{
            name: getattr(campaign, name)
            for name in CampaignSpec.__dataclass_fields__
            if name not in ("steps", "preset")
        },
        steps=tuple(StepSpec(s.key, s.type, s.config, s.next_key, s.name) for s in steps),
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "preset": preset,
        "campaign": campaign_part(spec),
        "parameters": parameters,
        "templates": own_templates(template_keys(steps)),
    }


def save_from_campaign(campaign: Campaign, preset: dict, parameters: list[dict]) -> ShopPreset:
    """Save a campaign as a preset: ``preset`` {slug, title, description}."""
    document, parsed = validated(document_of(campaign, preset, parameters))
    return _store({**document, "parameters": [p.as_json() for p in parsed]}, campaign)


def import_document(data: Any, slug: str = "", replace_templates: bool = False) -> ShopPreset:
    """Store a preset document (under ``slug`` if given) and the templates it brings."""
    if slug and isinstance(data, dict) and isinstance(data.get("preset"), dict):
        data = {**data, "preset": {**data["preset"], "slug": slug}}
    document, parameters = validated(data)
    _check_slug_free(document["preset"]["slug"])
    new = check_templates(document.get("templates", []), replace_templates)
    store_templates(new)
    return _store({**document, "parameters": [p.as_json() for p in parameters]})


def export_document(slug: str) -> dict | None:
    preset = ShopPreset.objects.filter(slug=slug).first()
    return preset.document if preset else None


def delete_shop_preset(slug: str) -> bool:
    deleted, _rows = ShopPreset.objects.filter(slug=slug).delete()
    return bool(deleted)


def shop_preset_spec(slug: str, params: dict) -> CampaignSpec | None:
    """The campaign a shop preset describes with these parameters; None if no such preset."""
    preset = ShopPreset.objects.filter(slug=slug).first()
    if preset is None:
        return None
    document, parameters = validated(preset.document)
    return campaign_spec(apply(document["campaign"], parameters, params), slug)


def preset_step_types(data: Any) -> set[str]:
    """Step types a (possibly invalid) document's campaign uses, for permission checks."""
    campaign = data.get("campaign") if isinstance(data, dict) else None
    steps = campaign.get("steps") if isinstance(campaign, dict) else None
    if not isinstance(steps, list):
        return set()
    return {step.get("type") for step in steps if isinstance(step, dict)}


def parameter_defaults(preset: ShopPreset) -> dict:
    """``name`` and every parameter's default, as the built-in presets list theirs."""
    document = preset.document
    return {
        NAME: document["campaign"]["name"],
        **{p["name"]: p["default"] for p in document.get("parameters", [])},
    }
