"""Serving the built app (every sub-path falls back to its index page) and the manifest."""

import mimetypes
from pathlib import Path

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)

from .build import GRAPHIQL, AppNotBuilt, build_directory, index_page, runtime_config
from .manifest import app_manifest

#: File names under ``assets/`` carry a content hash: they never change.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Other public files (icons) may change with a release.
SHORT = "public, max-age=3600"
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("image/svg+xml", ".svg")


def _file_in(directory: Path, relative: str) -> Path | None:
    """The file ``relative`` names inside ``directory``; None outside it or missing."""
    if not relative or "\x00" in relative:
        return None
    root = directory.resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _file_response(path: Path, cache_control: str) -> FileResponse:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def dashboard_app(request: HttpRequest, path: str = "") -> HttpResponse:
    """The app: a built file if ``path`` names one, else the index page (client routing)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    try:
        directory = build_directory()
    except AppNotBuilt as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    found = _file_in(directory, path)
    if found is not None and found.name != "index.html":
        return _file_response(found, IMMUTABLE if path.startswith("assets/") else SHORT)
    if path.startswith("assets/"):
        # A missing hashed file must not be answered with HTML the browser would run as JS.
        raise Http404("No such asset.")
    response = HttpResponse(index_page(directory, runtime_config()))
    # The page names the current hashed assets: revalidate it on every load.
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def manifest(request: HttpRequest) -> JsonResponse:
    """The Saleor App manifest: install it once, and the app appears in the Dashboard."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = JsonResponse(app_manifest(request))
    response["Cache-Control"] = "no-cache"
    return response


def graphiql(request: HttpRequest) -> HttpResponse:
    """GraphiQL for the API (development hosts: DEBUG on), from the app's build."""
    try:
        directory = build_directory()
        if not (directory / GRAPHIQL).is_file():
            raise AppNotBuilt("This build of the dashboard app has no GraphiQL: rebuild it.")
    except AppNotBuilt as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(index_page(directory, runtime_config(), GRAPHIQL))
    response["Cache-Control"] = "no-store"
    return response
