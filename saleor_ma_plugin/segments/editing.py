"""Creating, changing and deleting segments; invalid input raises FieldError, stores nothing."""

from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from ..core.errors import FieldError, FieldErrorCode
from .membership import references, refresh_segment
from .models import Segment
from .rules import parse_rules, referenced_segments
from .signals import uses_outside_segments

NAME_MAX_LENGTH = Segment._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = 2000
#: The tag rule's own bound (``rules.tags``).
TAG_MAX_LENGTH = 100


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


def clean_tag(tag) -> str:
    tag = tag.strip() if isinstance(tag, str) else ""
    if not tag:
        raise FieldError("tag", "Name a tag.", FieldErrorCode.REQUIRED)
    if len(tag) > TAG_MAX_LENGTH:
        raise FieldError("tag", f"At most {TAG_MAX_LENGTH} characters.")
    return tag


def single_tag_shapes(tag: str) -> tuple[dict, ...]:
    """Every way a rule tree of just this one tag is stored (the builder wraps it in "all")."""
    rule = {"tag": tag}
    return (rule, {"all": [rule]}, {"any": [rule]})


def segment_of_tag(tag: str, name: str) -> tuple[Segment, bool]:
    """The segment of exactly this one tag, counted now, and whether it was created.

    The oldest segment whose rules are only this tag is reused (and refreshed, so it holds
    who carries the tag now); without one, a segment named ``name`` is created. Callers
    asking at once for the same tag get one segment: the lookup holds a lock on the tag.
    """
    tag = clean_tag(tag)
    with transaction.atomic():
        _hold(f"segment-of-tag:{tag}")
        shapes = Q()
        for rules in single_tag_shapes(tag):
            shapes |= Q(rules=rules)
        existing = Segment.objects.filter(shapes).order_by("pk").first()
        if existing is not None:
            refresh_segment(existing)
            return existing, False
        return create_segment(name, {"all": [{"tag": tag}]}), True


def _hold(key: str) -> None:
    """A lock on ``key`` until the transaction ends (PostgreSQL's advisory lock; SQLite,
    the development host's database, lets one writer in at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


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
