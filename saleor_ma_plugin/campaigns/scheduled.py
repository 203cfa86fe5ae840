"""Triggers that fire on time rather than on an event: one beat tick runs them all.

Each trigger type fires its own due campaigns (``TriggerKind.fire_due``): dates,
inactivity, scheduled broadcasts, segment entries. Each is idempotent by its run keys, so
a tick that runs twice, or on two workers, enrols nobody twice. The same tick turns
"notify me" requests for variants back in stock into events.
"""

from datetime import datetime

from django.utils import timezone

from ..catalogue.notify import notify_back_in_stock
from ..core.host import allow_writes, with_writes
from ..core.queue import Work, wake
from .triggers import trigger_kinds


@with_writes
def run_scheduled_triggers(now: datetime | None = None) -> int:
    """Fire every time-based trigger that is due; return how many runs started."""
    now = now or timezone.now()
    with allow_writes():
        started = sum(kind.fire_due(now) for kind in trigger_kinds())
        notify_back_in_stock(now)
    if started:
        wake(Work.RUN_ENROLLMENTS)
    return started
