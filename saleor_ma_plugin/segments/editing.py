"""Creating, changing and deleting segments; invalid input raises FlowError, stores nothing."""

from django.db import transaction

from ..campaigns import CampaignStatus
from ..campaigns.audience import parse_audience
from ..campaigns.errors import FlowError, FlowErrorCode
from ..campaigns.models import Campaign
from ..campaigns.triggers import SegmentEntryTrigger, parse_trigger
from .membership import references, refresh_segment
from .models import Segment
from .rules import Rule, parse_rules, referenced_segments

NAME_MAX_LENGTH = Segment._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = 2000


def clean_name(name) -> str:
    name = (name or "").strip() if isinstance(name, str | None) else ""
    if not name:
        raise FlowError("name", "Name the segment.", FlowErrorCode.REQUIRED)
    if len(name) > NAME_MAX_LENGTH:
        raise FlowError("name", f"At most {NAME_MAX_LENGTH} characters.")
    return name


def clean_description(description) -> str:
    description = (description or "").strip() if isinstance(description, str | None) else None
    if description is None or len(description) > DESCRIPTION_MAX_LENGTH:
        raise FlowError("description", f"At most {DESCRIPTION_MAX_LENGTH} characters of text.")
    return description


def validate_rules(rules, segment_id: int | None = None) -> Rule:
    """Parse the tree and check the segments it names: they exist and never lead back."""
    rule = parse_rules(rules)
    wanted = referenced_segments(rule)
    if not wanted:
        return rule
    known = {segment.pk: segment for segment in Segment.objects.filter(pk__in=wanted)}
    missing = sorted(wanted - set(known))
    if missing:
        raise FlowError("rules", f"There is no segment {missing[0]}.", FlowErrorCode.NOT_FOUND)
    if segment_id is None:
        return rule  # a new segment: nothing can refer to it yet
    seen, pending = set(), sorted(wanted)
    while pending:
        pk = pending.pop()
        if pk == segment_id:
            raise FlowError(
                "rules", "The segments it tests lead back to this one.", FlowErrorCode.CYCLE
            )
        if pk in seen:
            continue
        seen.add(pk)
        segment = known.get(pk) or Segment.objects.filter(pk=pk).first()
        if segment is not None:
            pending.extend(references(segment))
    return rule


def create_segment(name: str, rules: dict, description: str = "") -> Segment:
    """Store a valid segment and fill its membership at once."""
    name, description = clean_name(name), clean_description(description)
    validate_rules(rules)
    with transaction.atomic():
        segment = Segment.objects.create(name=name, description=description, rules=rules or {})
        refresh_segment(segment)
    return segment


def update_segment(segment: Segment, **changes) -> Segment:
    """Change name, description or rules; new rules refresh the membership at once.

    Contacts the new rules bring in enter the segment, so segment-entry campaigns enrol them.
    """
    if "name" in changes:
        segment.name = clean_name(changes["name"])
    if "description" in changes:
        segment.description = clean_description(changes["description"])
    rules_changed = "rules" in changes and changes["rules"] != segment.rules
    if rules_changed:
        validate_rules(changes["rules"], segment.pk)
        segment.rules = changes["rules"] or {}
    with transaction.atomic():
        segment.save(update_fields=["name", "description", "rules", "updated_at"])
        if rules_changed:
            refresh_segment(segment)
    return segment


def users_of(segment_id: int) -> list[str]:
    """Names of what depends on the segment: campaigns not archived, and other segments."""
    names = []
    for campaign in Campaign.objects.exclude(status=CampaignStatus.ARCHIVED).order_by("name"):
        try:
            trigger, audience = parse_trigger(campaign.trigger), parse_audience(campaign.audience)
        except FlowError:
            continue
        if audience.segment_id == segment_id or (
            isinstance(trigger, SegmentEntryTrigger) and trigger.segment_id == segment_id
        ):
            names.append(f"campaign {campaign.name!r}")
    for other in Segment.objects.exclude(pk=segment_id).order_by("name"):
        if segment_id in references(other):
            names.append(f"segment {other.name!r}")
    return names


def delete_segment(segment: Segment) -> None:
    """Delete a segment nothing uses; its stored membership goes with it."""
    users = users_of(segment.pk)
    if users:
        raise FlowError(
            "id",
            f"Used by {', '.join(users)}: change or archive those first.",
            FlowErrorCode.INVALID,
        )
    segment.delete()
