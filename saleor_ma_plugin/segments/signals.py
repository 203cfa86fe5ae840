"""What segments tell the layers above them, without knowing who listens.

- ``contacts_entered(segment_id, entered_at, now)``: sent inside a refresh's transaction
  for the contacts that entered a segment at ``entered_at``; receivers return how many
  runs they started (segment-entry campaigns enrol them in the same transaction).
- ``usage_requested(segment_id)``: receivers return the names of what depends on the
  segment (campaigns), so a segment in use is never deleted.

The app wires the campaign receivers when it starts (``apps.py``).
"""

from django.dispatch import Signal

contacts_entered = Signal()
usage_requested = Signal()


def runs_started_for_entries(segment_id: int, entered_at, now) -> int:
    responses = contacts_entered.send(
        sender=None, segment_id=segment_id, entered_at=entered_at, now=now
    )
    return sum(started or 0 for _, started in responses)


def uses_outside_segments(segment_id: int) -> list[str]:
    responses = usage_requested.send(sender=None, segment_id=segment_id)
    return [name for _, names in responses for name in names or ()]
