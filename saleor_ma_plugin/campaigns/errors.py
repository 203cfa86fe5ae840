"""Configuration errors with a field path and a code, ready for the API's error shape."""

from django.db import models


class FlowErrorCode(models.TextChoices):
    REQUIRED = "required"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CYCLE = "cycle"
    UNREACHABLE = "unreachable"
    UNIQUE = "unique"


class FlowError(ValueError):
    """A campaign, trigger, step or condition configuration that cannot run."""

    def __init__(self, field: str, message: str, code: str = FlowErrorCode.INVALID):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
