"""What a voucher step asks the shop for, and the codes it gets back."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are typed by hand


@dataclass(frozen=True)
class VoucherRequest:
    """What a voucher step asks for."""

    discount_type: str
    discount_value: Decimal
    channel: str
    valid_until: datetime | None
    campaign_id: int | None
    step_key: str


@dataclass(frozen=True)
class IssuedCode:
    code: str
    external_id: str = ""


def generate_code() -> str:
    """A code in Saleor's XXXX-XXXX-XXXX shape."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))


def issue_standalone_code(request: VoucherRequest) -> IssuedCode:
    """The standalone host has no shop: the code lives only in our table."""
    return IssuedCode(code=generate_code())


def create_standalone_codes(request: VoucherRequest, count: int) -> list[IssuedCode]:
    return [IssuedCode(code=generate_code()) for _ in range(count)]
