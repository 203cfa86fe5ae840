"""What a storefront request tells about the visitor: client IP, user agent, consent proof."""

import ipaddress

from django.conf import settings
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
    """The visitor's address, as far as the proxies in front of us can be trusted.

    ``SALEOR_MA_TRUSTED_PROXIES`` (default 0) is how many proxies of our own append to
    ``X-Forwarded-For``: the client is then the address the outermost of them saw, counted
    from the right; anything left of it was written by the client and proves nothing.
    Without trusted proxies, Saleor's ``REAL_IP_ENVIRON`` names the header to believe
    (``REMOTE_ADDR`` unless the shop configured one), as Saleor itself does.
    Only a well-formed address is returned: the proof log stores it in an inet column.
    """
    proxies = getattr(settings, "SALEOR_MA_TRUSTED_PROXIES", 0)
    if proxies > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop]
        if hops:
            return _ip(hops[max(len(hops) - proxies, 0)])
        return _ip(request.META.get("REMOTE_ADDR") or "")
    for key in getattr(settings, "REAL_IP_ENVIRON", ["REMOTE_ADDR"]):
        address = _ip(request.META.get(key, "").split(",")[0])
        if address:
            return address
    return None


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
