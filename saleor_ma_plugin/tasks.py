"""Celery entry points. Tasks take ids only; the rows in the database are the truth."""

from celery import shared_task

from .events import processing


@shared_task(name="saleor_ma_plugin.process_events", ignore_result=True)
def process_events(*event_ids: int) -> int:
    """Process freshly stored events."""
    return processing.process_events(event_ids)


@shared_task(name="saleor_ma_plugin.sweep_events", ignore_result=True)
def sweep_events() -> int:
    """Beat tick: process events whose wake-up never arrived."""
    return processing.sweep_unprocessed_events()
