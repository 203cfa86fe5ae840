"""Content blocks a campaign sent without their content: stale feed copies, blocks left out."""

from dataclasses import dataclass
from datetime import datetime

from ..messaging.blocks.models import ContentProblem


@dataclass(frozen=True)
class ContentProblemRow:
    source: str
    outcome: str
    reason: str
    messages: int
    first_at: datetime
    last_at: datetime


def content_problems_by_campaign(campaign_ids) -> dict[int, list[ContentProblemRow]]:
    """Each campaign's problems, latest first: one query for all of them."""
    found: dict[int, list[ContentProblemRow]] = {pk: [] for pk in campaign_ids}
    for row in ContentProblem.objects.filter(campaign_id__in=campaign_ids).order_by(
        "-last_at", "pk"
    ):
        found[row.campaign_id].append(
            ContentProblemRow(
                row.source, row.outcome, row.reason, row.messages, row.first_at, row.last_at
            )
        )
    return found
