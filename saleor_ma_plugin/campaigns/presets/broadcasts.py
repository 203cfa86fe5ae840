"""Presets that send to a whole audience at once: newsletters and one-off broadcasts.

Both are written in content blocks (``messaging.blocks``), so a shop's first issue needs no
template work: a heading, the intro the admin gives, the shop's bestsellers, and the latest
pages of a page type or entries of an RSS/Atom feed when one is named. With ``schedule``
(the ``recurring`` trigger's fields) the newsletter goes out again on that schedule, each
issue with its feeds resolved when it is sent.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .. import CampaignKind, ReentryPolicy
from ..editing import CampaignSpec, StepSpec
from ..steps import StepType
from .base import EMAIL_CONSENT, Preset

#: The languages whose texts the default blocks carry (those the package translates).
LANGUAGES = ("en", "de", "pl")
HEADLINE = gettext_noop("What's new")
BESTSELLERS = gettext_noop("Our bestsellers")
LATEST = gettext_noop("Latest from our journal")


def in_languages(message: str) -> dict[str, str]:
    """A block text in every shipped language, from the translation catalogues."""
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = _(message)
    return texts


def default_blocks(p: dict) -> list[dict]:
    """Heading, intro, bestsellers and (if named) a content feed."""
    blocks: list[dict] = [{"type": "heading", "text": p["headline"] or in_languages(HEADLINE)}]
    if p["intro"]:
        blocks.append({"type": "text", "html": p["intro"]})
    blocks.append(
        {
            "type": "product_feed",
            "source": "bestsellers",
            "limit": 4,
            "title": in_languages(BESTSELLERS),
        }
    )
    feed = {"type": "content_feed", "limit": 3, "title": in_languages(LATEST)}
    if p["page_type"]:
        blocks.append({**feed, "source": "pages", "page_type": p["page_type"]})
    elif p["feed_url"]:
        blocks.append({**feed, "source": "rss", "url": p["feed_url"]})
    return blocks


def _newsletter(p: dict) -> CampaignSpec:
    audience = (
        {"consent": {"channel": "email", "topic": p["topic"]}} if p["topic"] else EMAIL_CONSENT
    )
    trigger = (
        {"type": "recurring", **p["schedule"]}
        if p["schedule"]
        else {"type": "broadcast", "send_at": p["send_at"]}
    )
    config = {"template": p["template"], "topic": p["topic"], "blocks": default_blocks(p)}
    return CampaignSpec(
        name=p["name"],
        kind=CampaignKind.NEWSLETTER,
        trigger=trigger,
        audience=audience,
        steps=(StepSpec("send", StepType.SEND, config),),
        reentry_policy=ReentryPolicy.EVERY_TIME,
    )


def _standalone(p: dict) -> CampaignSpec:
    spec = _newsletter(p)
    return CampaignSpec(**{**spec.__dict__, "kind": CampaignKind.STANDALONE})


#: Parameters both presets take besides their name and template.
CONTENT_DEFAULTS = {
    "send_at": None,
    "topic": "",
    "headline": "",
    "intro": "",
    "page_type": "",
    "feed_url": "",
    "schedule": None,
}

PRESETS: dict[str, Preset] = {
    "newsletter": Preset(
        "Newsletter",
        "A broadcast to newsletter subscribers, once or on a schedule.",
        {"name": "Newsletter", "template": "newsletter", **CONTENT_DEFAULTS},
        _newsletter,
    ),
    "standalone_broadcast": Preset(
        "One-off broadcast",
        "A single mailing at a set time.",
        {"name": "One-off broadcast", "template": "standalone", **CONTENT_DEFAULTS},
        _standalone,
    ),
}
