"""A person's campaign runs (enrolments) for the export, each with the steps it went through.

Runs keep no step history of their own; what they did is told by the messages and vouchers
of each step, the branches and variants they took, and where they stand now.
"""

from collections import defaultdict
from collections.abc import Iterator

from ..campaigns.models import Enrollment, Step
from ..contacts.models import Contact
from ..messaging.models import Message
from ..vouchers.models import IssuedVoucher

CHUNK = 200

RUN_FIELDS = (
    "campaign_id",
    "campaign__name",
    "status",
    "started_at",
    "finished_at",
    "exit_reason",
    "step_key",
    "context",
)


def run_rows(contact: Contact) -> Iterator[dict]:
    """One row per run, oldest first, read ``CHUNK`` runs at a time."""
    last = 0
    while True:
        runs = list(
            Enrollment.objects.filter(contact=contact, pk__gt=last)
            .order_by("pk")
            .values("pk", *RUN_FIELDS)[:CHUNK]
        )
        yield from _with_steps(runs)
        if len(runs) < CHUNK:
            return
        last = runs[-1]["pk"]


def _with_steps(runs: list[dict]) -> Iterator[dict]:
    touched = _touched_steps([run["pk"] for run in runs])
    names = _step_names({run["campaign_id"] for run in runs})
    for run in runs:
        context = run["context"] or {}
        keys = set(touched[run["pk"]])
        keys.update((context.get("branches") or {}).keys())
        keys.update((context.get("variants") or {}).keys())
        if run["step_key"]:
            keys.add(run["step_key"])
        yield {
            "id": run["pk"],
            "campaign_id": run["campaign_id"],
            "campaign": run["campaign__name"],
            "status": run["status"],
            "started_at": run["started_at"],
            "finished_at": run["finished_at"],
            "exit_reason": run["exit_reason"],
            "current_step": run["step_key"],
            "branches": context.get("branches") or {},
            "variants": context.get("variants") or {},
            "steps": [
                {"key": key, **names.get((run["campaign_id"], key), {"name": "", "type": ""})}
                for key in sorted(keys)
            ],
        }


def _touched_steps(run_ids: list[int]) -> dict[int, set[str]]:
    touched: dict[int, set[str]] = defaultdict(set)
    for model in (Message, IssuedVoucher):
        for run_id, key in (
            model.objects.filter(enrollment_id__in=run_ids)
            .exclude(step_key="")
            .values_list("enrollment_id", "step_key")
            .distinct()
        ):
            touched[run_id].add(key)
    return touched


def _step_names(campaign_ids: set[int]) -> dict[tuple[int, str], dict]:
    return {
        (campaign_id, key): {"name": name, "type": step_type}
        for campaign_id, key, name, step_type in Step.objects.filter(
            campaign_id__in=campaign_ids
        ).values_list("campaign_id", "key", "name", "type")
    }
