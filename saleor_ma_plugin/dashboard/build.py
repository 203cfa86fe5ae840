"""Where the built app is, and its index page with the host's runtime configuration.

One build serves both hosts: Vite emits relative asset URLs, and the index page gets a
``<base href>`` for the path it is served under plus a JSON block telling the app how it
runs (inside the Saleor Dashboard through AppBridge, or in the standalone host with a
Django session).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..core.host import current

#: In the wheel: ``dashboard_extension/dist`` copied into the package at build time.
PACKAGED = Path(__file__).resolve().parent / "app"
#: In a source checkout (editable install): the Vite output next to the package.
SOURCE = Path(__file__).resolve().parents[2] / "dashboard_extension" / "dist"
INDEX = "index.html"
#: GraphiQL for the API, bundled with the app (no CDN).
GRAPHIQL = "graphiql.html"


class AppNotBuilt(LookupError):
    """Neither the wheel nor the checkout holds a built app."""


def build_directory() -> Path:
    """The directory holding the built app's ``index.html``.

    ``SALEOR_MA_DASHBOARD_DIR`` names one explicitly; otherwise the copy inside the
    package (wheel) wins over the checkout's ``dashboard_extension/dist``.
    """
    configured = getattr(settings, "SALEOR_MA_DASHBOARD_DIR", None)
    candidates = [Path(configured)] if configured else [PACKAGED, SOURCE]
    for candidate in candidates:
        if (candidate / INDEX).is_file():
            return candidate
    raise AppNotBuilt(
        "The dashboard app is not built: run `npm ci && npm run build` in "
        "dashboard_extension/ (the wheel carries it built)."
    )


@dataclass(frozen=True)
class RuntimeConfig:
    """What the app needs to know about the host serving it."""

    #: "saleor": inside the Dashboard, tokens from AppBridge; "standalone": Django session.
    mode: str
    #: Path the app is served under, with a trailing slash.
    base_path: str
    api_url: str
    login_url: str
    logout_url: str

    def as_json(self) -> str:
        """JSON safe inside a ``<script>`` element (no ``<``, ``>`` or ``&`` left)."""
        text = json.dumps(
            {
                "mode": self.mode,
                "basePath": self.base_path,
                "apiUrl": self.api_url,
                "loginUrl": self.login_url,
                "logoutUrl": self.logout_url,
            }
        )
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def runtime_config() -> RuntimeConfig:
    host = current()
    prefix = host.route_prefix
    # In App mode the app is the App's UI inside Saleor's Dashboard, as inside Saleor.
    inside_saleor = host.name in ("saleor", "saleor_app")
    return RuntimeConfig(
        mode="saleor" if inside_saleor else "standalone",
        base_path=f"{prefix}/dashboard/",
        api_url=f"{prefix}/graphql/",
        login_url="" if inside_saleor else f"{prefix}/dashboard/login/",
        logout_url="" if inside_saleor else f"{prefix}/dashboard/logout/",
    )


def index_page(directory: Path, config: RuntimeConfig, page: str = INDEX) -> str:
    """A built page (the app's ``index.html``, or ``graphiql.html``) with the base path and
    the runtime configuration."""
    html = (directory / page).read_text(encoding="utf-8")
    head = (
        f'<head>\n    <base href="{config.base_path}">\n'
        f'    <script id="ma-config" type="application/json">{config.as_json()}</script>'
    )
    if "<head>" not in html:
        raise AppNotBuilt(f"{directory / page} has no <head>: rebuild the app.")
    return html.replace("<head>", head, 1)
