"""The App's HTTP requests answered by Saleor's own GraphQL view, in this test's transaction.

A requests adapter that hands each request (URL path, headers, body) to Django's test
client, so the App's client, its queries and its token run against the real Saleor schema
and resolvers, and see the rows the test made without a committed database. Only the
socket is left out; ``tests/test_app_shop_data.py`` covers the network path on loopback.
"""

from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


class SaleorTestClientAdapter(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.client = Client()
        #: Every request's GraphQL body, in order (tests count the App's calls).
        self.bodies: list[bytes] = []
        #: Saleor's answer to each, in the same order.
        self.answers: list[bytes] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        body = request.body or b""
        self.bodies.append(body)
        headers = {
            f"HTTP_{name.upper().replace('-', '_')}": value
            for name, value in request.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        answer = self.client.generic(
            request.method,
            urlsplit(request.url).path,
            data=body,
            content_type=request.headers.get("Content-Type", "application/json"),
            **headers,
        )
        self.answers.append(answer.content)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self) -> None:
        pass


def sessions_through(adapter: SaleorTestClientAdapter):
    """A session factory for ``saleor_app.api.use_sessions`` sending through ``adapter``."""

    def session(retries) -> requests.Session:
        routed = requests.Session()
        routed.mount("http://", adapter)
        routed.mount("https://", adapter)
        return routed

    return session
