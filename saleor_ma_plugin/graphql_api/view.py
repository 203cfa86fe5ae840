"""The HTTP endpoint: POST runs operations (GraphiQL, for GETs, is served with the dashboard)."""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from graphql import parse
from graphql.error import GraphQLSyntaxError, format_error

from ..core.auth import Requestor
from ..core.database import statement_timeout
from ..core.host import allow_writes, current
from .core.errors import public_error
from .core.inputs import InputRefused, check_inputs
from .core.limits import LimitExceeded, check_document, check_json_nesting, check_text
from .schema import schema

#: A request body larger than this is refused before it is parsed.
MAX_BODY_BYTES = 200_000
#: Seconds any one SQL statement of a request may run (setting SALEOR_MA_API_STATEMENT_TIMEOUT).
DEFAULT_STATEMENT_TIMEOUT = 15


@dataclass
class GraphQLContext:
    request: HttpRequest
    requestor: Requestor
    loaders: dict = field(default_factory=dict)

    def loader(self, loader_class):
        """One dataloader instance per request and class."""
        if loader_class not in self.loaders:
            self.loaders[loader_class] = loader_class()
        return self.loaders[loader_class]

    @property
    def META(self):
        return self.request.META


def _error(message: str, status: int = 400, code: str = "BAD_REQUEST") -> JsonResponse:
    return JsonResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status=status
    )


def _operation(request: HttpRequest) -> tuple[dict | None, str | None]:
    if request.content_type != "application/json":
        return None, "Send a JSON body with Content-Type: application/json."
    if len(request.body) > MAX_BODY_BYTES:
        return None, f"The body is larger than {MAX_BODY_BYTES} bytes."
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, "The body is not valid JSON."
    except RecursionError:
        return None, "The body is nested too deeply."
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return None, 'Give the operation as {"query": ..., "variables": {...}}.'
    if body.get("variables") is not None and not isinstance(body["variables"], dict):
        return None, "variables must be a JSON object."
    if body.get("operationName") is not None and not isinstance(body["operationName"], str):
        return None, "operationName must be a string."
    return body, None


def _document(body: dict):
    """The parsed query within the limits, or the error response refusing it."""
    try:
        check_json_nesting(body.get("variables") or {})
        check_text(body["query"])
        document = parse(body["query"])
        check_document(document)
        check_inputs(document, body.get("variables") or {})
    except InputRefused as error:
        return None, _error(str(error), code="BAD_USER_INPUT")
    except LimitExceeded as error:
        return None, _error(str(error), code="QUERY_TOO_COMPLEX")
    except GraphQLSyntaxError as error:
        return None, JsonResponse(
            {"errors": [{**format_error(error), "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}]},
            status=400,
        )
    except RecursionError:
        return None, _error("The query is nested too deeply.", code="QUERY_TOO_COMPLEX")
    return document, None


@csrf_exempt
def graphql_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _error("Use POST.", 405)
    body, problem = _operation(request)
    if problem:
        return _error(problem)
    document, refusal = _document(body)
    if refusal is not None:
        return refusal
    timeout = getattr(settings, "SALEOR_MA_API_STATEMENT_TIMEOUT", DEFAULT_STATEMENT_TIMEOUT)
    # Field errors and labels in the language the client asks for (Accept-Language), as
    # far as the host offers it; the host's default otherwise.
    language = translation.get_language_from_request(request)
    with translation.override(language), allow_writes(), statement_timeout(timeout):
        context = GraphQLContext(request=request, requestor=current().authenticate(request))
        result = schema.execute(
            document,
            variable_values=body.get("variables") or {},
            operation_name=body.get("operationName"),
            context_value=context,
        )
    payload = {"data": result.data}
    if result.errors:
        payload["errors"] = [public_error(error) for error in result.errors]
    return JsonResponse(payload, status=200)
