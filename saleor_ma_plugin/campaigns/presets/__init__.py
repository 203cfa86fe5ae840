"""Scenario templates: a complete campaign from one call, with sensible waits and goals.

``create_from_preset("abandoned_checkout", {"delay_hours": 2})`` creates a draft campaign;
the admin reviews and activates it. Template keys name the default templates that ship
with the messaging layer (English and German). Besides the built-in presets (``builtin``)
a shop has its own, saved from its campaigns or imported (``shop``); both are listed and
instantiated the same way.
"""

from dataclasses import dataclass, field, replace

from ...core.errors import FieldError
from ..editing import CampaignSpec, create_campaign
from ..models import ShopPreset
from .base import Preset
from .builtin import PRESETS
from .shop import shop_preset_spec
from .shop.store import parameter_defaults

__all__ = [
    "PRESETS",
    "Preset",
    "PresetListing",
    "broadcast_to_segment",
    "build_preset",
    "create_from_preset",
]

#: What "a campaign for this group" starts as: a one-off mailing, sent when launched.
SEGMENT_BROADCAST_PRESET = "standalone_broadcast"


@dataclass(frozen=True)
class PresetListing:
    slug: str
    title: str
    description: str
    defaults: dict
    built_in: bool
    #: A shop preset's parameters ({name, path, label, type, default}); none for built-ins.
    parameters: list = field(default_factory=list)


def preset_listing() -> list[PresetListing]:
    """Built-in presets, then the shop's own (by title)."""
    built_in = [
        PresetListing(slug, preset.title, preset.description, preset.defaults, True)
        for slug, preset in PRESETS.items()
    ]
    own = [
        PresetListing(
            preset.slug,
            preset.title,
            preset.description,
            parameter_defaults(preset),
            False,
            preset.document.get("parameters", []),
        )
        for preset in ShopPreset.objects.all()
    ]
    return built_in + own


def build_preset(slug: str, params: dict | None = None) -> CampaignSpec:
    """The campaign a preset (built-in or the shop's) describes; unknown presets and
    parameters are errors."""
    params = params or {}
    preset = PRESETS.get(slug)
    if preset is None:
        spec = shop_preset_spec(slug, params)
        if spec is None:
            raise FieldError("preset", f"Unknown preset {slug!r}.")
        return spec
    unknown = set(params) - set(preset.defaults)
    if unknown:
        raise FieldError(f"params.{sorted(unknown)[0]}", "This preset has no such parameter.")
    spec = preset.build({**preset.defaults, **params})
    return CampaignSpec(**{**spec.__dict__, "preset": slug})


def create_from_preset(slug: str, params: dict | None = None):
    """Instantiate a preset as a draft campaign."""
    return create_campaign(build_preset(slug, params))


def broadcast_to_segment(segment_id: int, name: str) -> CampaignSpec:
    """A one-off broadcast to the members of a segment, as its preset builds it.

    The preset's own audience (those who take marketing email) still applies, within the
    segment.
    """
    spec = build_preset(SEGMENT_BROADCAST_PRESET, {"name": name})
    rules = [{"segment": segment_id}, *([spec.audience] if spec.audience else [])]
    return replace(spec, audience={"all": rules})
