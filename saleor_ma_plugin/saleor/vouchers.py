"""Issuing real Saleor voucher codes for voucher steps.

One single-use ``Voucher`` per campaign step and discount (with a listing in the step's
channel), one ``VoucherCode`` per recipient: the recipe verified against Saleor 3.23.
Written in the runner's transaction, so a rolled-back batch leaves no orphan code.
"""

import hashlib

from django.conf import settings
from saleor.channel.models import Channel
from saleor.core.utils.promo_code import generate_promo_code
from saleor.discount import DiscountValueType, VoucherType
from saleor.discount.models import Voucher, VoucherChannelListing, VoucherCode

from ..vouchers import DiscountType
from ..vouchers.codes import IssuedCode, VoucherRequest, generate_code


def _voucher_for(request: VoucherRequest, channel: Channel) -> Voucher:
    fingerprint = hashlib.sha256(
        f"{request.discount_type}:{request.discount_value}:{channel.slug}".encode()
    ).hexdigest()[:10]
    name = f"Marketing campaign {request.campaign_id} / {request.step_key} / {fingerprint}"
    free_shipping = request.discount_type == DiscountType.FREE_SHIPPING
    voucher, _ = Voucher.objects.get_or_create(
        name=name,
        defaults={
            "type": VoucherType.SHIPPING if free_shipping else VoucherType.ENTIRE_ORDER,
            "discount_value_type": DiscountValueType.FIXED
            if request.discount_type == DiscountType.FIXED
            else DiscountValueType.PERCENTAGE,
            "single_use": True,
            "apply_once_per_customer": True,
        },
    )
    VoucherChannelListing.objects.get_or_create(
        voucher=voucher,
        channel=channel,
        defaults={
            "discount_value": 100 if free_shipping else request.discount_value,
            "currency": channel.currency_code,
        },
    )
    return voucher


def _channel(request: VoucherRequest) -> Channel:
    slug = request.channel or settings.DEFAULT_CHANNEL_SLUG
    channel = (
        Channel.objects.filter(slug=slug).first()
        or Channel.objects.filter(is_active=True).order_by("pk").first()
    )
    if channel is None:
        raise ValueError(f"No Saleor channel {slug!r} to issue a voucher in.")
    return channel


def issue_saleor_code(request: VoucherRequest) -> IssuedCode:
    """A fresh single-use code of the step's voucher in the step's (or default) channel."""
    voucher = _voucher_for(request, _channel(request))
    code = VoucherCode.objects.create(voucher=voucher, code=generate_promo_code(), is_active=True)
    return IssuedCode(code=code.code, external_id=str(voucher.pk))


def create_saleor_codes(request: VoucherRequest, count: int) -> list[IssuedCode]:
    """Inactive codes made ahead of need; nobody can use them until they are handed out."""
    voucher = _voucher_for(request, _channel(request))
    codes = [
        VoucherCode(voucher=voucher, code=generate_code(), is_active=False) for _ in range(count)
    ]
    VoucherCode.objects.bulk_create(codes, ignore_conflicts=True)
    # A colliding code (already another voucher's) was skipped: hand out only ours.
    ours = VoucherCode.objects.filter(voucher=voucher, code__in=[code.code for code in codes])
    return [
        IssuedCode(code=code, external_id=str(voucher.pk))
        for code in ours.values_list("code", flat=True)
    ]


def activate_saleor_codes(codes: list[str]) -> None:
    VoucherCode.objects.filter(code__in=codes).update(is_active=True)
