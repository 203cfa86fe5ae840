"""The segment refresh tick.

To run on a schedule, the app's beat schedule needs an entry (``apps.BEAT_SCHEDULE``) and
the worker must import this module (e.g. from ``saleor_ma_plugin.tasks``). Segments that
segment-entry campaigns watch are refreshed by the scheduled-triggers tick regardless.
"""

from celery import shared_task

from ..core.host import with_writes


@shared_task(name="saleor_ma_plugin.refresh_segments", ignore_result=True)
@with_writes
def refresh_segments() -> int:
    """Beat tick: refresh every segment's stored membership; return runs started."""
    from .membership import refresh_all_segments

    return refresh_all_segments()
