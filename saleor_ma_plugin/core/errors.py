"""Invalid input named by its field path and a code, ready for the API's error shape."""

from django.db import models


class FieldErrorCode(models.TextChoices):
    REQUIRED = "required"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CYCLE = "cycle"
    UNREACHABLE = "unreachable"
    UNIQUE = "unique"


class FieldError(ValueError):
    """A configuration (campaign, trigger, step, rule, segment, ...) that cannot be used."""

    def __init__(self, field: str, message: str, code: str = FieldErrorCode.INVALID):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
