"""Waking Celery workers without ever making the caller fail or wait on the broker."""

import logging

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task: Task, *ids: int, using: str | None = None) -> None:
    """Schedule ``task(*ids)`` once the surrounding transaction commits.

    The database row is the truth and a sweeper picks up whatever no worker was woken for,
    so a broker outage must cost the shop nothing: it is logged, not raised.
    """
    transaction.on_commit(lambda: wake(task, *ids), using=using)


def wake(task: Task, *ids: int) -> None:
    """Send ``task(*ids)`` to the broker now; on failure log and leave it to the sweeper."""
    try:
        # retry=False: a dead broker must not stall a shop request for Celery's retry policy.
        task.apply_async(args=ids, retry=False)
    except Exception:
        logger.warning(
            "Could not enqueue %s%s; the sweeper will pick it up.", task.name, ids, exc_info=True
        )
