"""The holdout (control group) of a campaign: contacts who enter but receive nothing.

A campaign's ``holdout_share`` percent (0-50) of contacts is held out. Membership is a
hash of (campaign, contact), so a contact is in or out for good, whichever run, worker or
retry asks. It is written into the run's context (``"holdout": true/false``) when the run
takes its first step; runs that were already under way when a holdout was switched on stay
unassigned and are left out of the comparison. Held-out runs walk the flow (waits,
branches, goals, exits) like the others, so both groups are measured over the same time,
but every step that would reach the contact does nothing for them.
"""

import hashlib

from .steps import step_kind

MAX_SHARE = 50


def holdout_point(campaign_id: int, contact_id: int) -> float:
    """A stable number in [0, 1) for the pair."""
    digest = hashlib.sha256(f"holdout:{campaign_id}:{contact_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_held_out(campaign_id: int, contact_id: int, share: int) -> bool:
    share = min(max(share or 0, 0), MAX_SHARE)
    return share > 0 and holdout_point(campaign_id, contact_id) * 100 < share


def assign_holdout(run) -> None:
    """Put a run starting into the holdout or the treated group, if the campaign has one."""
    context, campaign = run.enrollment.context, run.campaign
    if "holdout" in context or not campaign.holdout_share:
        return
    if run.enrollment.step_key != campaign.entry_step_key:
        return  # under way before the holdout was switched on: not part of the comparison
    context["holdout"] = is_held_out(
        campaign.pk, run.enrollment.contact_id, campaign.holdout_share
    )


def skipped_for_holdout(step, run) -> bool:
    """Does this step do nothing because the run is held out? (Steps that reach the contact,
    except transactional mail.)"""
    if not run.enrollment.context.get("holdout"):
        return False
    return step_kind(step.type).skipped_in_holdout(step.config)
