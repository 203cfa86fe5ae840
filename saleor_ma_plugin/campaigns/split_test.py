"""A/B split with a test share: variants go to N % of the audience first, the winner to the rest.

A split step (``steps.split``) with a ``test`` object::

    {"variants": [...], "test": {"share": 20, "decide_after": {"hours": 4}, "metric": "opens"}}

sends each run in the test share (a stable hash of campaign, contact and step, like the
holdout) down a weighted variant at once. Every other run is held at the split until
``decide_after`` has passed since the campaign was launched (a broadcast's launch; for other
triggers, the run's start). The experiments tick (``attribution.split_tests``) then stores
the decision, once, and releases the held runs, which all take the winner. A run passes the
split once, down one variant, so a contact gets one variant or the winner, never both.

Held runs that wake before a decision exists ask for it and look again ``RECHECK`` later.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..core.errors import FieldError, FieldErrorCode
from ..core.numbers import whole_number
from ..core.queue import Work
from .timing import parse_duration

#: Run context key naming the split step a run is held at.
HELD_KEY = "held_at"
#: A held run that finds no decision when its time comes looks again this much later.
RECHECK = timedelta(minutes=5)
MIN_SHARE, MAX_SHARE = 1, 99
MAX_DECIDE_AFTER = timedelta(days=30)


class SplitTestMetric(models.TextChoices):
    #: Runs whose message was opened, per run of the variant (Bayesian P(best)).
    OPENS = "opens", _("Opens")
    #: Runs whose message was clicked, per run of the variant (Bayesian P(best)).
    CLICKS = "clicks", _("Clicks")
    #: Attributed revenue per run of the variant (last touch, main currency).
    REVENUE = "revenue", _("Revenue")


class DecisionBasis(models.TextChoices):
    #: The variant with the best figure of the test's metric won.
    METRIC = "metric", _("Best figure of the metric")
    #: No variant had any opens, clicks or revenue: the first variant with traffic won.
    NO_DATA = "no_data", _("No data: first variant")


@dataclass(frozen=True)
class SplitTest:
    share: int
    decide_after: timedelta
    metric: str


SCHEMA = {
    "type": "object",
    "title": "Test share",
    "description": "Send the variants to this share first; the winner goes to the rest.",
    "properties": {
        "share": {"type": "integer", "minimum": MIN_SHARE, "maximum": MAX_SHARE},
        "decide_after": {
            "type": "object",
            "properties": {
                "days": {"type": "integer", "minimum": 0},
                "hours": {"type": "integer", "minimum": 0},
                "minutes": {"type": "integer", "minimum": 0},
            },
        },
        "metric": {"type": "string", "enum": list(SplitTestMetric.values)},
    },
    "required": ["share", "decide_after", "metric"],
}


def parse_split_test(config: dict, path: str) -> SplitTest | None:
    """The split's ``test`` object, None without one; FieldError naming a bad field."""
    raw = config.get("test")
    if raw is None:
        return None
    path = f"{path}.test"
    if not isinstance(raw, dict):
        raise FieldError(path, gettext("Expected an object."))
    if config.get("winner") not in (None, False):
        raise FieldError(
            path, gettext("A split has either a test share or a winner rule, not both.")
        )
    unknown = set(raw) - {"share", "decide_after", "metric"}
    if unknown:
        raise FieldError(f"{path}.{sorted(unknown)[0]}", gettext("Unknown test setting."))
    for name in ("share", "decide_after", "metric"):
        if raw.get(name) in (None, ""):
            raise FieldError(
                f"{path}.{name}", gettext("This field is required."), FieldErrorCode.REQUIRED
            )
    share = whole_number(raw["share"], f"{path}.share", MIN_SHARE, MAX_SHARE)
    if not isinstance(raw["decide_after"], dict):
        raise FieldError(
            f"{path}.decide_after", gettext("Expected an object of days, hours and minutes.")
        )
    decide_after = parse_duration(raw["decide_after"], f"{path}.decide_after")
    if not timedelta(0) < decide_after <= MAX_DECIDE_AFTER:
        raise FieldError(f"{path}.decide_after", gettext("Use more than 0 and at most 30 days."))
    if raw["metric"] not in SplitTestMetric.values:
        raise FieldError(
            f"{path}.metric",
            gettext("Use one of %(values)s.") % {"values": ", ".join(SplitTestMetric.values)},
        )
    return SplitTest(share, decide_after, raw["metric"])


def in_test_share(campaign_id: int, contact_id: int, step_key: str, share: int) -> bool:
    """Is the contact in the test share? Stable for the pair, whichever worker asks."""
    digest = hashlib.sha256(f"split-test:{campaign_id}:{step_key}:{contact_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100 < share


def test_started_at(campaign, run_started_at: datetime) -> datetime:
    """When the test's clock started: the broadcast's launch, else the run's start."""
    return campaign.launched_at or run_started_at


def hold(step, run) -> datetime | None:
    """Until when a run outside the test share is held; None for a run inside it."""
    test: SplitTest = step.config.test
    context, enrollment = run.enrollment.context, run.enrollment
    held = context.get(HELD_KEY) == step.key
    if not held and in_test_share(run.campaign.pk, enrollment.contact_id, step.key, test.share):
        return None
    context[HELD_KEY] = step.key
    due = test_started_at(run.campaign, enrollment.started_at) + test.decide_after
    if due > run.now:
        return due
    run.effects.wakes.add(Work.DECIDE_EXPERIMENTS)  # the decision is due: ask for it now
    return run.now + RECHECK
