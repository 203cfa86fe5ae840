"""Stored segment membership, refreshed set-based.

A refresh writes only the difference: one ``DELETE`` of the members who no longer match
and one ``INSERT ... SELECT`` of every match, of which the unique index keeps only the
newcomers (``ON CONFLICT DO NOTHING RETURNING``), both driven by
the segment's compiled query, inside one transaction that holds the segment's row lock, so
two refreshes of one segment never interleave. Newcomers get ``entered_at`` = the refresh
time; in the same transaction ``signals.contacts_entered`` lets segment-entry campaigns
enrol them (unique run keys make a repeated refresh enrol nobody twice).
"""

import logging
from datetime import datetime
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from ..core.errors import FieldError
from .models import Segment, SegmentMembership
from .rules import matching_contact_ids, parse_rules, referenced_segments, tune_for_segments
from .signals import runs_started_for_entries

logger = logging.getLogger(__name__)


class Refresh(NamedTuple):
    """What one refresh changed: the contacts who entered, and how many left."""

    entered: list[int]
    left: int


def refresh_segment(segment: Segment, now: datetime | None = None) -> Refresh:
    """Bring the stored membership in line with the rules; newcomers are announced.

    Updates ``member_count`` and ``counted_at`` (on the row and on ``segment``).
    """
    return _refresh(segment, now or timezone.now())[0]


def _refresh(segment: Segment, now: datetime) -> tuple[Refresh, int]:
    """The refresh, and how many segment-entry runs it started."""
    with transaction.atomic():
        locked = Segment.objects.select_for_update().get(pk=segment.pk)
        tune_for_segments()
        members = matching_contact_ids(parse_rules(locked.rules), now)
        entered, left = _write_difference(locked.pk, members, now)
        count = SegmentMembership.objects.filter(segment=locked).count()
        Segment.objects.filter(pk=locked.pk).update(member_count=count, counted_at=now)
        segment.member_count, segment.counted_at = count, now
        started = runs_started_for_entries(locked.pk, now, now) if entered else 0
    return Refresh(entered, left), started


def _write_difference(segment_id: int, members, now: datetime) -> tuple[list[int], int]:
    """Delete who left, insert who entered; (entered contact ids, how many left)."""
    members_sql, members_params = members.query.sql_with_params()
    table = connection.ops.quote_name(SegmentMembership._meta.db_table)
    entered_at = connection.ops.adapt_datetimefield_value(now)
    leavers = (
        f"DELETE FROM {table} AS old WHERE old.segment_id = %s AND NOT EXISTS "
        "(SELECT 1 FROM {members} AS member WHERE member.member_id = old.contact_id)"
    )
    # Members already stored are skipped by the unique index, not by an anti join whose
    # plan would depend on statistics the table may not have yet (a new segment, a fresh
    # install). "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint.
    newcomers = (
        f"INSERT INTO {table} (segment_id, contact_id, entered_at) "
        "SELECT %s, member.member_id, %s FROM {members} AS member WHERE true "
        "ON CONFLICT (segment_id, contact_id) DO NOTHING RETURNING contact_id"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: the rules are evaluated once for both sides of the difference.
            cursor.execute(
                f"WITH member AS MATERIALIZED ({members_sql}), "
                f"gone AS ({leavers.format(members='member')} RETURNING 1), "
                f"came AS ({newcomers.format(members='member')}) "
                "SELECT NULL, count(*) FROM gone UNION ALL SELECT contact_id, NULL FROM came",
                [*members_params, segment_id, segment_id, entered_at],
            )
            rows = cursor.fetchall()
            return [pk for pk, _ in rows if pk is not None], next(
                left for pk, left in rows if pk is None
            )
        cursor.execute(leavers.format(members=f"({members_sql})"), [segment_id, *members_params])
        left = cursor.rowcount
        cursor.execute(
            newcomers.format(members=f"({members_sql})"),
            [segment_id, entered_at, *members_params],
        )
        return [row[0] for row in cursor.fetchall()], left


def references(segment: Segment) -> set[int]:
    """The segments whose membership this one's rules test (none if its rules are broken)."""
    try:
        return referenced_segments(parse_rules(segment.rules))
    except FieldError:
        return set()


def dependency_order(segments: list[Segment]) -> list[Segment]:
    """Segments after the segments their rules test, so one pass sees fresh memberships."""
    by_id = {segment.pk: segment for segment in segments}
    ordered: list[Segment] = []
    state: dict[int, str] = {}

    def visit(segment: Segment) -> None:
        if state.get(segment.pk):
            return  # done, or a cycle (refused on save; stored data may predate that)
        state[segment.pk] = "visiting"
        for pk in sorted(references(segment)):
            if pk in by_id:
                visit(by_id[pk])
        state[segment.pk] = "done"
        ordered.append(segment)

    for segment in segments:
        visit(segment)
    return ordered


def _refresh_each(segments: list[Segment], now: datetime) -> int:
    """Refresh in dependency order; a broken segment is logged and skipped. Enrolments."""
    started = 0
    for segment in dependency_order(segments):
        try:
            started += _refresh(segment, now)[1]
        except Exception:
            logger.exception("Could not refresh segment %s.", segment.pk)
    return started


def refresh_all_segments(now: datetime | None = None) -> int:
    """Refresh every segment (the beat tick); return how many segment-entry runs started."""
    return _refresh_each(list(Segment.objects.order_by("pk")), now or timezone.now())


def refresh_with_dependencies(wanted: set[int], now: datetime | None = None) -> int:
    """Refresh these segments and the segments they test; return runs started."""
    segments = {segment.pk: segment for segment in Segment.objects.all()}
    needed, pending = set(), [pk for pk in wanted if pk in segments]
    while pending:
        pk = pending.pop()
        if pk in needed:
            continue
        needed.add(pk)
        pending.extend(ref for ref in references(segments[pk]) if ref in segments)
    return _refresh_each([segments[pk] for pk in sorted(needed)], now or timezone.now())
