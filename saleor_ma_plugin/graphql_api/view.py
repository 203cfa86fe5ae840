"""The HTTP endpoint: POST runs operations, GET shows GraphiQL where DEBUG is on."""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from graphql import parse
from graphql.error import GraphQLSyntaxError, format_error

from ..core.auth import Requestor
from ..core.host import allow_writes, current
from .core.limits import limit_error
from .schema import schema

GRAPHIQL = """<!doctype html><html><head><title>Marketing automation API</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/graphiql@1.4.7/graphiql.min.css"></head>
<body style="margin:0"><div id="graphiql" style="height:100vh"></div>
<script src="https://cdn.jsdelivr.net/npm/react@17/umd/react.production.min.js"></script>
<script src="https://cdn.jsdelivr.net/npm/react-dom@17/umd/react-dom.production.min.js"></script>
<script src="https://cdn.jsdelivr.net/npm/graphiql@1.4.7/graphiql.min.js"></script>
<script>ReactDOM.render(React.createElement(GraphiQL,{fetcher:p=>fetch(location.href,{method:"POST",
headers:{"Content-Type":"application/json"},body:JSON.stringify(p)}).then(r=>r.json())}),
document.getElementById("graphiql"));</script></body></html>"""


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


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": [{"message": message}]}, status=status)


def _operation(request: HttpRequest) -> tuple[dict | None, str | None]:
    if request.content_type != "application/json":
        return None, "Send a JSON body with Content-Type: application/json."
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, "The body is not valid JSON."
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return None, 'Give the operation as {"query": ..., "variables": {...}}.'
    if body.get("variables") is not None and not isinstance(body["variables"], dict):
        return None, "variables must be a JSON object."
    return body, None


@csrf_exempt
def graphql_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        if settings.DEBUG:
            return HttpResponse(GRAPHIQL)
        return _error("Use POST.", 405)
    if request.method != "POST":
        return _error("Use POST.", 405)
    body, problem = _operation(request)
    if problem:
        return _error(problem)
    try:
        document = parse(body["query"])
    except GraphQLSyntaxError as error:
        return JsonResponse({"errors": [format_error(error)]}, status=400)
    too_big = limit_error(document)
    if too_big:
        return _error(too_big)
    with allow_writes():
        context = GraphQLContext(request=request, requestor=current().authenticate(request))
        result = schema.execute(
            document,
            variable_values=body.get("variables") or {},
            operation_name=body.get("operationName"),
            context_value=context,
        )
    payload = {"data": result.data}
    if result.errors:
        payload["errors"] = [format_error(error) for error in result.errors]
    return JsonResponse(payload, status=200)
