"""Creating, changing and deleting segments; invalid input raises FieldError, stores nothing."""

from typing import Any

from django.db import transaction

from ..core.errors import FieldError, FieldErrorCode
from .membership import references, refresh_segment
from .models import Segment
from .rules import parse_rules, referenced_segments
from .signals import uses_outside_segments

NAME_MAX_LENGTH = Segment._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = 2000


def clean_name(name) -> str:
    name = (name or "").strip() if isinstance(name, str | None) else ""
    if not name:
        raise FieldError("name", "Name the segment.", FieldErrorCode.REQUIRED)
    if len(name) > NAME_MAX_LENGTH:
        raise FieldError("name", f"At most {NAME_MAX_LENGTH} characters.")
    return name


def clean_description(description) -> str:
    description = (description or "").strip() if isinstance(description, str | None) else None
    if description is None or len(description) > DESCRIPTION_MAX_LENGTH:
        raise FieldError("description", f"At most {DESCRIPTION_MAX_LENGTH} characters of text.")
    return description


def validate_rules(rules, segment_id: int | None = None) -> Any:
    """Parse the tree and check the segments it names: they exist and never lead back."""
    rule = parse_rules(rules)
    wanted = referenced_segments(rule)
    if not wanted:
        return rule
    known = {segment.pk: segment for segment in Segment.objects.filter(pk__in=wanted)}
    missing = sorted(wanted - set(known))
    if missing:
        raise FieldError("rules", f"There is no segment {missing[0]}.", FieldErrorCode.NOT_FOUND)
    if segment_id is None:
        return rule  # a new segment: nothing can refer to it yet
    seen, pending = set(), sorted(wanted)
    while pending:
        pk = pending.pop()
        if pk == segment_id:
            raise FieldError(
                "rules", "The segments it tests lead back to this one.", FieldErrorCode.CYCLE
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
    names = uses_outside_segments(segment_id)
    for other in Segment.objects.exclude(pk=segment_id).order_by("name"):
        if segment_id in references(other):
            names.append(f"segment {other.name!r}")
    return names


def delete_segment(segment: Segment) -> None:
    """Delete a segment nothing uses; its stored membership goes with it."""
    users = users_of(segment.pk)
    if users:
        raise FieldError(
            "id",
            f"Used by {', '.join(users)}: change or archive those first.",
            FieldErrorCode.INVALID,
        )
    segment.delete()
