"""Codes made in batches ahead of need, so a voucher step only takes one from the shelf.

Creating codes in the shop is the slow part of a voucher step; a beat tick keeps a stock
of inactive codes per step, and issuing claims one with ``SKIP LOCKED`` and activates it in
the runner's transaction. An empty shelf falls back to creating a code on the spot.
"""

import hashlib

from django.db import transaction

from ..campaigns import CampaignStatus, StepType
from ..campaigns.models import Step
from ..campaigns.steps import parse_step_config
from ..core import host
from ..core.host import with_writes
from .issuing import IssuedCode, VoucherRequest
from .models import PooledCode

#: Codes kept ready per voucher step; topped up when fewer than half are left.
POOL_SIZE = 200


def fingerprint(request: VoucherRequest) -> str:
    return hashlib.sha256(
        f"{request.discount_type}:{request.discount_value}:{request.channel}".encode()
    ).hexdigest()[:32]


def take_code(request: VoucherRequest) -> IssuedCode | None:
    """Claim a pooled code for this step and activate it; None when the pool is empty."""
    pooled = (
        PooledCode.objects.select_for_update(skip_locked=True)
        .filter(
            campaign_id=request.campaign_id,
            step_key=request.step_key,
            fingerprint=fingerprint(request),
        )
        .order_by("pk")
        .first()
    )
    if pooled is None:
        return None
    host.current().activate_voucher_codes([pooled.code])
    pooled.delete()
    return IssuedCode(code=pooled.code, external_id=pooled.external_id)


def _voucher_requests():
    steps = Step.objects.filter(
        type=StepType.VOUCHER, removed_at__isnull=True, campaign__status=CampaignStatus.ACTIVE
    )
    for step in steps:
        config = parse_step_config(step.type, step.config)
        yield VoucherRequest(
            discount_type=config.discount_type,
            discount_value=config.discount_value,
            channel=config.channel,
            valid_until=None,
            campaign_id=step.campaign_id,
            step_key=step.key,
        )


@with_writes
def replenish_pools(size: int = POOL_SIZE) -> int:
    """Beat tick: top up every active voucher step's pool; return how many codes were made."""
    made = 0
    for request in _voucher_requests():
        with transaction.atomic():
            ready = PooledCode.objects.filter(
                campaign_id=request.campaign_id,
                step_key=request.step_key,
                fingerprint=fingerprint(request),
            ).count()
            if ready >= size // 2:
                continue
            codes = host.current().create_voucher_codes(request, size - ready)
            PooledCode.objects.bulk_create(
                [
                    PooledCode(
                        code=code.code,
                        campaign_id=request.campaign_id,
                        step_key=request.step_key,
                        fingerprint=fingerprint(request),
                        external_id=code.external_id,
                    )
                    for code in codes
                ]
            )
            made += len(codes)
    return made
