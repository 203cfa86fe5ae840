"""Saleor's GraphQL API, asked with the App token: timeouts, retries, one failure type.

Requests go to the one configured Saleor API URL only, through the outbound guard's
session (internal hosts only with ``SALEOR_MA_APP_ALLOW_INTERNAL``, as for the JWKS).
urllib3's ``Retry`` retries queries on connection errors, read errors and 5xx answers,
with exponential backoff; mutations only when the connection was never made (a repeated
``voucherUpdate`` that did arrive would fail on its own codes). Whatever still fails
(network, 5xx, 401/403, GraphQL errors) is one ``ShopUnavailable``: the send batch that
needed the data is tried again later.
"""

import base64
import logging
from collections.abc import Callable, Iterator
from typing import Any

import requests
from django.conf import settings
from urllib3.util import Retry

from ..core.host import ShopUnavailable
from ..core.outbound import OutboundGuard, OutboundRefused, guarded_session
from .models import SaleorInstallation
from .views import configured_api_url

logger = logging.getLogger(__name__)

#: (connect, read) seconds: a send batch must not hang on a slow Saleor.
TIMEOUT_SECONDS = (3.05, 20)
#: Saleor's largest page (``first``); lists of ids are asked for in chunks of this size.
PAGE_SIZE = 100
#: Queries read only: repeat them on connection and read errors and on 5xx answers.
QUERY_RETRIES = Retry(
    total=3,
    backoff_factor=0.5,
    status_forcelist=(500, 502, 503, 504),
    allowed_methods=frozenset({"POST"}),
    raise_on_status=False,
    # A Retry-After of an hour would hold the worker; the batch is retried later anyway.
    respect_retry_after_header=False,
)
#: Mutations write: repeat them only when the request never reached Saleor.
MUTATION_RETRIES = Retry(total=2, connect=2, read=0, status=0, other=0, backoff_factor=0.5)

#: Builds the HTTP session for a retry policy (the guarded one; tests route elsewhere).
SessionFactory = Callable[[Retry], requests.Session]


def guarded_api_session(retries: Retry) -> requests.Session:
    guard = OutboundGuard(allow_internal=getattr(settings, "SALEOR_MA_APP_ALLOW_INTERNAL", False))
    return guarded_session(guard, retries)


def global_id(type_name: str, pk: str) -> str:
    """``("Product", "12")`` -> Saleor's Relay id ``UHJvZHVjdDoxMg==``."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def database_id(value: str) -> str:
    """Saleor's Relay id -> the database id the engine keys products by ("" if not one)."""
    try:
        return base64.b64decode(value, validate=True).decode().partition(":")[2]
    except (ValueError, UnicodeDecodeError):
        return ""


def numeric(ids) -> list[str]:
    """The ids that can be Saleor database ids, once each, in order."""
    return list(dict.fromkeys(str(pk) for pk in ids if str(pk).isdigit()))


def chunks(values: list, size: int = PAGE_SIZE) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class SaleorApi:
    """One Saleor's GraphQL endpoint with its App token."""

    def __init__(self, api_url: str, token: str, sessions: SessionFactory = guarded_api_session):
        self.api_url, self.token = api_url, token
        self._reading, self._writing = sessions(QUERY_RETRIES), sessions(MUTATION_RETRIES)

    def query(self, document: str, variables: dict | None = None) -> dict[str, Any]:
        return self._post(self._reading, document, variables or {})

    def mutate(self, document: str, variables: dict | None = None) -> dict[str, Any]:
        return self._post(self._writing, document, variables or {})

    def nodes(self, document: str, variables: dict, field: str, limit: int) -> list[dict]:
        """Up to ``limit`` nodes of the connection ``field``, page after page."""
        found: list[dict] = []
        after = None
        while len(found) < limit:
            page = {**variables, "first": min(PAGE_SIZE, limit - len(found)), "after": after}
            connection = self.query(document, page)[field] or {}
            found += [edge["node"] for edge in connection.get("edges", [])]
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                break
            after = info.get("endCursor")
        return found[:limit]

    def _post(self, session: requests.Session, document: str, variables: dict) -> dict:
        try:
            response = session.post(
                self.api_url,
                json={"query": document, "variables": variables},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=TIMEOUT_SECONDS,
            )
        except (OutboundRefused, requests.RequestException) as error:
            logger.warning("Saleor's API could not be reached: %s", type(error).__name__)
            raise ShopUnavailable(
                f"Saleor's API could not be reached ({type(error).__name__})"
            ) from None
        if response.status_code >= 400:
            # A 400 is a query Saleor's schema refuses: its messages name fields, not data.
            logger.warning(
                "Saleor's API answered %s: %s", response.status_code, _messages(response)
            )
            raise ShopUnavailable(f"Saleor's API answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise ShopUnavailable("Saleor's API answered with something other than JSON") from None
        if body.get("errors") or not isinstance(body.get("data"), dict):
            # Missing permissions or a schema that changed: an admin must look, so it is
            # logged with Saleor's messages (they name fields, never personal data).
            logger.error("Saleor's API refused a query: %s", _messages(response))
            raise ShopUnavailable("Saleor's API refused the query")
        return body["data"]


def _messages(response: requests.Response) -> str:
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return ""
    return "; ".join(str(error.get("message", ""))[:200] for error in errors)


def saleor_api(sessions: SessionFactory | None = None) -> SaleorApi:
    """The API of the Saleor this App is installed in; ``ShopUnavailable`` before install."""
    api_url = configured_api_url()
    installation = SaleorInstallation.objects.filter(api_url=api_url).first() if api_url else None
    if installation is None:
        raise ShopUnavailable("The App is not installed in Saleor yet (no App token).")
    return SaleorApi(api_url, installation.token, sessions or session_factory())


_session_factory: SessionFactory = guarded_api_session


def session_factory() -> SessionFactory:
    return _session_factory


def use_sessions(factory: SessionFactory | None) -> None:
    """Route the App's API requests through ``factory`` (None: the guarded session again)."""
    global _session_factory
    _session_factory = factory or guarded_api_session
