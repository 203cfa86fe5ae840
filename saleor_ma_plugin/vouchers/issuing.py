"""Issuing a unique single-use code for a contact, through the host's voucher system."""

from ..core import host
from .codes import VoucherRequest
from .models import IssuedVoucher
from .pool import take_code


def issue_voucher(contact, request: VoucherRequest, enrollment=None) -> IssuedVoucher:
    """Issue one code (from the pool if one is ready) and record who got it from which run."""
    issued = take_code(request) or host.current().issue_voucher(request)
    return IssuedVoucher.objects.create(
        code=issued.code,
        external_id=issued.external_id,
        contact=contact,
        enrollment=enrollment,
        campaign_id=request.campaign_id,
        step_key=request.step_key,
        discount_type=request.discount_type,
        discount_value=request.discount_value,
        channel=request.channel,
        valid_until=request.valid_until,
    )
