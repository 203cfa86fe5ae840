"""The error shape of every mutation: ``errors { field code message }`` with a code enum."""

import logging
import sys

import graphene
from django.db import models
from graphql.error import GraphQLError, format_error
from graphql.execution.utils import ExecutionContext

from ...core.database import was_cancelled
from ...core.errors import FieldError

logger = logging.getLogger(__name__)


class _ExpectedErrors(logging.Filter):
    """graphql-core logs every exception a resolver raises; ours are answers, not defects."""

    def filter(self, record: logging.LogRecord) -> bool:
        raised = record.exc_info[1] if record.exc_info else None
        return not isinstance(raised, MutationError | FieldError)


class _ExpectedErrorReports(logging.Filter):
    """graphql-core's ``ExecutionContext.report_error`` logs every field error's traceback as
    plain text, without ``exc_info``: the error is read from that call's frame. Refusals of
    invalid input are answers; anything else is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code is ExecutionContext.report_error.__code__:
                error = frame.f_locals.get("error")
                original = getattr(error, "original_error", error)
                return not isinstance(original, MutationError | FieldError)
            frame = frame.f_back
        return True


logging.getLogger("graphql.execution.executor").addFilter(_ExpectedErrors())
logging.getLogger("graphql.execution.utils").addFilter(_ExpectedErrorReports())

#: What a client reads when something unexpected failed; the exception itself is logged.
INTERNAL_MESSAGE = "Something went wrong on our side; it has been logged."
TIMEOUT_MESSAGE = "The request took too long and was stopped; ask for less at a time."


class MarketingErrorCode(models.TextChoices):
    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    UNIQUE = "unique"
    CYCLE = "cycle"
    UNREACHABLE = "unreachable"
    PERMISSION_DENIED = "permission_denied"
    RATE_LIMITED = "rate_limited"
    TEMPLATE_REFUSED = "template_refused"
    #: Someone saved the object after the editor loaded it (``expectedUpdatedAt``).
    CONFLICT = "conflict"


MarketingErrorCodeEnum = graphene.Enum(
    "MarketingErrorCode", [(code.name, code.value) for code in MarketingErrorCode]
)


class MarketingError(graphene.ObjectType):
    field = graphene.String(
        description="Input field the error is about; null for the whole input."
    )
    code = MarketingErrorCodeEnum(required=True)
    message = graphene.String(required=True)


class MutationError(Exception):
    """Raised inside a mutation to answer with ``errors`` and change nothing."""

    def __init__(
        self, message: str, code: str = MarketingErrorCode.INVALID, field: str | None = None
    ):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def camel(field: str | None) -> str | None:
    """Saleor's convention: errors name fields as the API spells them."""
    if not field:
        return field
    head, *rest = field.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def public_error(error: Exception) -> dict:
    """An error of the response as a client may see it, with ``extensions.code``.

    Errors we raise (``MutationError``, ``FieldError``) answer with their sentence and name
    the input part at fault in ``extensions.field`` (camelCase, like mutation errors);
    GraphQL's own validation and input errors keep their message. Anything else is a defect:
    it is logged with its traceback and answered with a generic message, never its own text
    (which can quote SQL, paths or values).
    """
    formatted = format_error(error)
    original = getattr(error, "original_error", None)
    field = None
    if original is None:
        code = "GRAPHQL_VALIDATION_FAILED"
    elif isinstance(original, MutationError | FieldError):
        formatted["message"], code = original.message, str(original.code).upper()
        field = api_field(original.field) if original.field else None
    elif isinstance(original, GraphQLError):
        code = "BAD_USER_INPUT"
    elif was_cancelled(original):
        formatted["message"], code = TIMEOUT_MESSAGE, "TIMEOUT"
    else:
        logger.error(
            "Unexpected error in a GraphQL operation",
            exc_info=(type(original), original, original.__traceback__),
        )
        formatted["message"], code = INTERNAL_MESSAGE, "INTERNAL_ERROR"
    formatted["extensions"] = {"code": code} if field is None else {"code": code, "field": field}
    return formatted


def api_field(path: str) -> str:
    """Domain paths (``steps[0].config.template``) in the API's camelCase."""
    return ".".join(camel(part) for part in path.split("."))
