"""Codes made in batches ahead of need, so a voucher step only takes one from the shelf.

Creating codes in the shop is the slow part of a voucher step; a beat tick keeps a stock
of inactive codes per step, and issuing claims one with ``SKIP LOCKED`` and activates it in
the runner's transaction. An empty shelf falls back to creating a code on the spot.
"""

import hashlib
from collections.abc import Iterable

from django.db import transaction

from ..core import host
from .codes import IssuedCode, VoucherRequest
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


def replenish(requests: Iterable[VoucherRequest], size: int = POOL_SIZE) -> int:
    """Top up the pool of each request (one per voucher step); return how many codes were made."""
    made = 0
    for request in requests:
        with transaction.atomic():
            ready = PooledCode.objects.filter(
                campaign_id=request.campaign_id,
                step_key=request.step_key,
                fingerprint=fingerprint(request),
            ).count()
            if ready >= size // 2:
                continue
            codes = host.current().create_voucher_codes(request, size - ready)
            shelve(request, codes)
            made += len(codes)
    return made


def shelve(request: VoucherRequest, codes: list[IssuedCode]) -> None:
    """Put codes made for a step into its pool."""
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
