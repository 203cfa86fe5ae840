"""Refusing an edit based on an outdated copy: two admins never overwrite each other.

An editor sends what it loaded (``expectedUpdatedAt`` of a campaign or segment, the
``expectedVersion`` of a template); if someone saved since, the edit is refused with
``CONFLICT`` and nothing changes. Checked on the row the mutation holds locked, so two
saves of the same copy cannot both pass.
"""

from datetime import datetime

import graphene
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .errors import MarketingErrorCode, MutationError

EXPECTED_UPDATED_AT = "expectedUpdatedAt"
EXPECTED_VERSION = "expectedVersion"


def expected_updated_at() -> graphene.DateTime:
    return graphene.DateTime(
        description="When the copy being edited was last saved (its updatedAt); if it was "
        "saved again since, the edit is refused with CONFLICT."
    )


def refuse_if_saved_since(saved_at: datetime, expected: datetime | None) -> None:
    if expected is not None and saved_at != expected:
        when = formats.date_format(timezone.localtime(saved_at), "DATETIME_FORMAT")
        raise MutationError(
            _(
                "Someone else saved this at %(when)s, after you opened it. Reload to see "
                "their changes, then make yours again."
            )
            % {"when": when},
            MarketingErrorCode.CONFLICT,
            EXPECTED_UPDATED_AT,
        )


def refuse_if_newer_version(newest: int, expected: int | None) -> None:
    if expected is not None and newest != expected:
        raise MutationError(
            _(
                "Someone else saved version %(newest)s after you opened version %(expected)s. "
                "Reload to see it, then make your change again."
            )
            % {"newest": newest, "expected": expected},
            MarketingErrorCode.CONFLICT,
            EXPECTED_VERSION,
        )
