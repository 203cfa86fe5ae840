"""Requests to URLs that visitors or admins gave us reach the public internet, nothing else.

Web push endpoints come from browsers and webhook URLs from shop admins; our workers fetch
both from inside the shop's network, so an unchecked URL would let anyone make the shop
send requests to its own services (server-side request forgery). One guard decides:

- The URL is read as the HTTP client reads it (``urllib3.util.parse_url``, which requests
  uses): ``https://127.0.0.1\\@push.example/`` is a request to 127.0.0.1, whatever
  ``urlsplit`` says.
- Refused: a user name or password, a port other than the scheme's default, an IP literal
  as host (including the forms ``inet_aton`` accepts, such as ``0x7f.1``), ``localhost``.
- Every address the name resolves to must be public: not private, loopback, link-local,
  multicast, reserved, shared or unspecified, IPv4 and IPv6 alike; an IPv4 address inside
  IPv6 (IPv4-mapped, 6to4, NAT64) is judged by that IPv4 address.
- A session from :func:`guarded_session` resolves the name when it connects, checks every
  address and connects to the one it checked: a name that resolves to a public address
  when checked and to an internal one a moment later (DNS rebinding) gains nothing. The
  Host header, TLS server name and certificate check keep the name. Redirects are not
  followed and proxies from the environment are ignored (a proxy would connect unchecked).

Validation when a URL is stored uses :meth:`OutboundGuard.check` (no DNS lookup: stored
configuration is parsed often, and a storefront request must not wait for DNS); every
connection is checked again, with the lookup, when the request is made.

The Django setting ``SALEOR_MA_ALLOW_INTERNAL_WEBHOOKS = True`` (default ``False``) lets
webhook steps reach internal hosts: IP literals, private addresses and other ports (for a
CRM inside the shop's network). Credentials in the URL stay refused; web push is never
affected. The resolver is a parameter, so tests resolve names without DNS.
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

import requests
from django.db import models
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.util import Retry, connection, parse_url

DEFAULT_PORTS = {"http": 80, "https": 443}
#: NAT64's well-known prefix (RFC 6052): the last 32 bits are an IPv4 address.
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
#: Names that always mean this machine (RFC 6761).
LOCAL_NAMES = ("localhost", "localhost.", "localhost.localdomain")


class RefusalReason(models.TextChoices):
    SCHEME = "scheme", _("Enter an absolute http(s) URL.")
    CREDENTIALS = "credentials", _("The URL must not contain a user name or password.")
    PORT = "port", _("The URL must use the default port of its scheme.")
    IP_LITERAL = "ip_literal", _("The URL must name a host, not an IP address.")
    INTERNAL = "internal", _("The URL's host is in a private, local or reserved network.")
    UNRESOLVED = "unresolved", _("The URL's host name does not resolve.")


class OutboundRefused(Exception):
    """A URL or the address it leads to is not one we may connect to.

    Deliberately not an ``OSError`` or ``ValueError``: the HTTP client passes it through
    unchanged, and callers cannot mistake it for a network or encoding problem.
    """

    def __init__(self, reason: RefusalReason, target: str) -> None:
        super().__init__(f"{reason.label} ({target})")
        self.reason = reason
        self.target = target

    @property
    def message(self) -> str:
        """The translatable sentence, without the target."""
        return str(self.reason.label)


#: (host, port) -> the addresses a connection may use, in the order to try them.
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer for ``host`` (A and AAAA records)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:  # not a valid name (IDNA); a lookup failure stays a gaierror
        raise OutboundRefused(RefusalReason.UNRESOLVED, host) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int


@dataclass(frozen=True)
class OutboundGuard:
    """What outgoing requests may reach; :func:`guarded_session` enforces it per connection."""

    #: Internal addresses, IP literals and any port allowed (webhooks, when the shop says so).
    allow_internal: bool = False
    resolver: Resolver = system_resolver
    schemes: tuple[str, ...] = ("http", "https")

    def check(self, url: str) -> Target:
        """The URL's target as the HTTP client reads it; raise ``OutboundRefused`` if barred."""
        try:
            parsed = parse_url(url.strip())
        except (LocationParseError, ValueError):
            raise OutboundRefused(RefusalReason.SCHEME, url) from None
        scheme = (parsed.scheme or "").lower()
        if scheme not in self.schemes or not parsed.host:
            raise OutboundRefused(RefusalReason.SCHEME, url)
        if parsed.auth is not None:
            raise OutboundRefused(RefusalReason.CREDENTIALS, url)
        port = parsed.port or DEFAULT_PORTS[scheme]
        self.check_host(parsed.host, port, scheme)
        return Target(scheme, parsed.host, port)

    def check_host(self, host: str, port: int, scheme: str = "https") -> None:
        """The checks that need no lookup, for a host and port about to be connected to."""
        if self.allow_internal:
            return
        if port != DEFAULT_PORTS.get(scheme):
            raise OutboundRefused(RefusalReason.PORT, f"{host}:{port}")
        if is_ip_literal(host):
            raise OutboundRefused(RefusalReason.IP_LITERAL, host)
        name = host.lower()
        if name in LOCAL_NAMES or name.rstrip(".").endswith(".localhost"):
            raise OutboundRefused(RefusalReason.INTERNAL, host)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, each checked; refuse if any is internal.

        One internal address among public ones is refused too: which one a client uses
        is not ours to choose, and a public name has no business pointing inside.
        """
        addresses = self.resolver(host.strip("[]"), port)
        if not addresses:
            raise OutboundRefused(RefusalReason.UNRESOLVED, host)
        if not self.allow_internal:
            for address in addresses:
                if not is_public_address(address):
                    raise OutboundRefused(RefusalReason.INTERNAL, f"{host} ({address})")
        return addresses


def is_ip_literal(host: str) -> bool:
    """True for IPv6 in brackets and every IPv4 spelling ``inet_aton`` accepts."""
    bare = host.strip("[]").split("%")[0]
    try:
        ipaddress.ip_address(bare)
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(bare)
    except (OSError, UnicodeError, ValueError):
        return False
    return True


def is_public_address(address: str) -> bool:
    """Whether an address is on the public internet (not private, local or reserved)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64_PREFIX:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(str(embedded))
    return ip.is_global and not (
        ip.is_multicast or ip.is_private or ip.is_reserved or ip.is_link_local
    )


class _CheckedConnectionMixin:
    """Resolve, check, connect to the checked address: no second lookup in between."""

    guard: OutboundGuard

    def _new_conn(self) -> socket.socket:
        host = self._dns_host
        self.guard.check_host(host, self.port, "https" if self.default_port == 443 else "http")
        try:
            addresses = self.guard.addresses(host, self.port)
        except socket.gaierror as error:  # DNS is down or the name is gone: try again later
            raise NameResolutionError(self.host, self, error) from error
        failure: OSError | None = None
        for address in addresses:
            try:
                return connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as error:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from error
            except OSError as error:
                failure = error
        raise NewConnectionError(self, f"Failed to establish a new connection: {failure}")


class _GuardedAdapter(HTTPAdapter):
    """Every request's URL is checked; every new connection resolves and checks again."""

    def __init__(self, guard: OutboundGuard, retries: Retry | int = 0) -> None:
        self.guard = guard  # before the base class builds its pool manager
        super().__init__(max_retries=retries)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.guard)

    def send(self, request, *args, **kwargs):
        self.guard.check(request.url)
        return super().send(request, *args, **kwargs)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        raise OutboundRefused(RefusalReason.INTERNAL, f"proxy {proxy}")


def _pool_classes(guard: OutboundGuard) -> dict[str, type]:
    plain = type("CheckedHTTPConnection", (_CheckedConnectionMixin, HTTPConnection), {})
    secure = type("CheckedHTTPSConnection", (_CheckedConnectionMixin, HTTPSConnection), {})
    plain.guard = secure.guard = guard
    return {
        "http": type("CheckedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": plain}),
        "https": type("CheckedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": secure}),
    }


def guarded_session(guard: OutboundGuard, retries: Retry | int = 0) -> requests.Session:
    """A requests session that only connects where ``guard`` allows and never redirects.

    ``retries``: urllib3's ``Retry`` policy (backoff, which statuses and errors are tried
    again); none by default, as a webhook or push send must not be repeated unasked.
    """
    session = requests.Session()
    session.trust_env = False  # environment proxies would make the connection for us
    session.max_redirects = 0  # a redirect response raises TooManyRedirects
    adapter = _GuardedAdapter(guard, retries)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
