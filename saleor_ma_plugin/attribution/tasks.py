"""Celery task: decide A/B winners whose rule is met (a beat tick, like the others)."""

from celery import shared_task


@shared_task(name="saleor_ma_plugin.decide_experiments", ignore_result=True)
def decide_experiments() -> int:
    """Store winners of split-step experiments; return how many were decided."""
    from ..core.host import allow_writes
    from .experiments import decide_winners

    with allow_writes():
        return len(decide_winners())
