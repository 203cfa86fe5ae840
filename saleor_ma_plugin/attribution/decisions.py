"""The decided winner of a split step, as the runner asks for it (one indexed query)."""

from .models import ExperimentDecision


def decided_variant(campaign_id: int, step_key: str, variants):
    """The variant every run now takes, or None while the experiment runs.

    A winner that is no longer one of the step's variants (the step was edited) is ignored.
    """
    winner = (
        ExperimentDecision.objects.filter(campaign_id=campaign_id, step_key=step_key)
        .values_list("winner", flat=True)
        .first()
    )
    if winner is None:
        return None
    return next((variant for variant in variants if variant.name == winner), None)
