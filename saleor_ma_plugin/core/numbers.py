"""Whole numbers from configurations: checked and bounded, with the field named.

A number a configuration holds ends up in a database column, a ``timedelta`` or a SQL
comparison; outside these bounds each of those fails deep inside the engine instead of
at the field the admin typed it in.
"""

from typing import Any

from .errors import FieldError

#: The largest value of PostgreSQL's integer columns.
MAX_INT = 2**31 - 1
#: Spans of days (waits, windows, validity): a century is plenty.
MAX_DAYS = 36_500
#: Ids of rows (BigAutoField).
MAX_ID = 2**63 - 1


def whole_number(value: Any, path: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """``value`` as an int within [minimum, maximum]; FieldError at ``path`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FieldError(path, "Enter a whole number.")
    try:
        number = int(value)
    except ValueError:
        raise FieldError(path, "Enter a whole number.") from None
    if not minimum <= number <= maximum:
        raise FieldError(path, f"Enter a whole number from {minimum} to {maximum}.")
    return number
