"""What a storefront request tells about the visitor: client IP, user agent, consent proof."""

import ipaddress

from django.http import HttpRequest

from . import ConsentMethod
from .consent import ConsentProof

MAX_USER_AGENT = 1000


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The first hop of ``X-Forwarded-For`` (as Saleor does), else ``REMOTE_ADDR``.

    Only a well-formed address is returned: the proof log stores it in an inet column.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        first = _ip(forwarded.split(",")[0])
        if first:
            return first
    return _ip(request.META.get("REMOTE_ADDR") or "")


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT]


def consent_proof(
    request: HttpRequest,
    method: ConsentMethod,
    wording: str = "",
    source_url: str = "",
    language: str = "",
) -> ConsentProof:
    return ConsentProof(
        method=method,
        ip_address=client_ip(request),
        user_agent=user_agent(request),
        source_url=source_url,
        wording=wording,
        language_code=language,
    )
