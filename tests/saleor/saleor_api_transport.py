"""The App's HTTP requests answered by Saleor's own GraphQL view, in this test's transaction.

A requests adapter that hands each request (URL path, headers, body) to Django's test
client, so the App's client, its queries and its token run against the real Saleor schema
and resolvers, and see the rows the test made without a committed database. Only the
socket is left out; ``tests/test_app_shop_data.py`` covers the network path on loopback.
"""

import dataclasses
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from django.core.cache import cache
from django.test import Client
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from saleor.app.models import AppToken

from saleor_ma_plugin.core import host
from saleor_ma_plugin.saleor_app import api
from saleor_ma_plugin.saleor_app.host import app_shop_data
from saleor_ma_plugin.saleor_app.models import SaleorInstallation


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


@contextmanager
def app_host_in(app, api_url: str):
    """The App host in force, holding a token of ``app`` as the register endpoint stores it,
    its requests answered by this Saleor (yields the adapter); all undone afterwards."""
    _, token = AppToken.objects.create(app=app)
    installation = SaleorInstallation(api_url=api_url)
    installation.set_token(token)
    installation.save()
    adapter = SaleorTestClientAdapter()
    api.use_sessions(sessions_through(adapter))
    plugin_host = host.current()
    host.install(dataclasses.replace(plugin_host, name="saleor_app", **app_shop_data()))
    cache.clear()  # Saleor's test cache is in-process memory (no CACHE_URL)
    try:
        yield adapter
    finally:
        api.use_sessions(None)
        host.install(plugin_host)
        cache.clear()
