"""Checking the values inside rules: numbers, amounts, dates, lists, shop ids."""

import base64
import binascii
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ...core.errors import FieldError
from ...core.numbers import MAX_INT

MAX_LIST = 500
#: Amounts are stored with 20 digits, 3 of them decimals.
MAX_AMOUNT = Decimal(10**15)
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
EVENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
TOPIC = re.compile(r"^[-a-zA-Z0-9_]{0,64}$")


def as_object(spec: Any, path: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(spec, dict):
        raise FieldError(path, "Expected an object.")
    unknown = sorted(set(spec) - set(allowed))
    if unknown:
        raise FieldError(f"{path}.{unknown[0]}", f"Unknown key; use {', '.join(allowed)}.")
    return spec


def integer(value: Any, path: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FieldError(path, "Enter a whole number.")
    try:
        number = int(value)
    except ValueError:
        raise FieldError(path, "Enter a whole number.") from None
    if number < minimum:
        raise FieldError(path, f"Enter a whole number of at least {minimum}.")
    if number > maximum:
        raise FieldError(path, f"Enter a whole number of at most {maximum}.")
    return number


def amount(value: Any, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldError(path, "Enter an amount.")
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        raise FieldError(path, "Enter an amount.") from None
    if not parsed.is_finite() or parsed < 0:
        raise FieldError(path, "Enter an amount of 0 or more.")
    if parsed >= MAX_AMOUNT:
        raise FieldError(path, f"Enter an amount below {MAX_AMOUNT:,}.")
    return parsed


def non_empty_list(value: Any, path: str) -> list:
    if not isinstance(value, list) or not value:
        raise FieldError(path, "Expected a non-empty list.")
    if len(value) > MAX_LIST:
        raise FieldError(path, f"Use at most {MAX_LIST} values.")
    return value


def scalar(value: Any, path: str) -> str | int | float | bool:
    if not isinstance(value, str | int | float | bool):
        raise FieldError(path, "Expected a string, number or boolean.")
    return value


def moment(value: Any, path: str) -> datetime:
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime.combine(day, time.min)
        if parsed is not None:
            return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
    raise FieldError(path, "Use an ISO 8601 date or date and time.")


def day(value: Any, path: str) -> date:
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise FieldError(path, "Use an ISO 8601 date (YYYY-MM-DD).")
    return parsed


def exists_flag(data: dict, path: str) -> bool:
    value = data.get("value", True)
    if not isinstance(value, bool):
        raise FieldError(f"{path}.value", "Use true or false.")
    return value


def shop_id(value: Any, type_name: str, path: str) -> str:
    """A shop id as events store it: a string; Saleor global ids are decoded."""
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
        raise FieldError(path, "Give the shop's id.")
    text = str(value)
    try:
        decoded = base64.b64decode(text, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return text
    kind, _, pk = decoded.partition(":")
    return pk if kind == type_name and pk else text
