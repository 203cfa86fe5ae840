"""Presets that send to a whole audience at once: newsletters and one-off broadcasts."""

from .. import CampaignKind, ReentryPolicy
from ..editing import CampaignSpec, StepSpec
from ..steps import StepType
from .base import EMAIL_CONSENT, Preset


def _newsletter(p: dict) -> CampaignSpec:
    audience = (
        {"consent": {"channel": "email", "topic": p["topic"]}} if p["topic"] else EMAIL_CONSENT
    )
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.NEWSLETTER,
        trigger={"type": "broadcast", "send_at": p["send_at"]},
        audience=audience,
        steps=(StepSpec("send", StepType.SEND, {"template": p["template"], "topic": p["topic"]}),),
        reentry_policy=ReentryPolicy.EVERY_TIME,
    )


def _standalone(p: dict) -> CampaignSpec:
    spec = _newsletter(p)
    return CampaignSpec(**{**spec.__dict__, "kind": CampaignKind.STANDALONE})


PRESETS: dict[str, Preset] = {
    "newsletter": Preset(
        "Newsletter",
        "A broadcast to newsletter subscribers.",
        {"name": "Newsletter", "send_at": None, "topic": "", "template": "newsletter"},
        _newsletter,
    ),
    "standalone_broadcast": Preset(
        "One-off broadcast",
        "A single mailing at a set time.",
        {"name": "One-off broadcast", "send_at": None, "topic": "", "template": "standalone"},
        _standalone,
    ),
}
