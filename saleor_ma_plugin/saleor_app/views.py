"""The App's endpoints: Saleor hands over its token (register) and delivers webhooks.

A webhook is stored with one INSERT and 2xx; a retried delivery hits the events' unique
dedupe keys and stores nothing new (still 2xx, so Saleor stops retrying). A delivery that
is not signed by our Saleor gets 401 and stores nothing. With the database down the answer
is 503 so Saleor retries; with Redis down the event is stored and the sweeper takes it.
"""

import json
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..catalogue.notify import notify_variants_back
from ..core.queue import Work, wake_after_commit
from ..events.intake import record_events
from .models import SaleorInstallation
from .payloads import BACK_IN_STOCK, MalformedPayload, back_in_stock_variant, events_from_payload
from .signatures import InvalidSignature, KeySet, verify

logger = logging.getLogger(__name__)


def configured_api_url() -> str:
    """The one Saleor API URL this App serves (``SALEOR_MA_APP_SALEOR_API_URL``)."""
    return normalize_api_url(getattr(settings, "SALEOR_MA_APP_SALEOR_API_URL", ""))


def normalize_api_url(url: str) -> str:
    url = (url or "").strip()
    return url if not url or url.endswith("/") else f"{url}/"


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_POST
def register(request: HttpRequest) -> JsonResponse:
    """Store the App token Saleor sends to ``tokenTargetUrl``, from our Saleor only."""
    api_url = normalize_api_url(request.headers.get("Saleor-Api-Url", ""))
    expected = configured_api_url()
    if not expected:
        return _error(_("This App is not configured for any Saleor API URL."), 403)
    if api_url != expected:
        logger.warning("App registration refused: it came from a Saleor we do not serve")
        return _error(
            _("This App serves the Saleor at %(expected)s; %(received)s is refused.")
            % {"expected": expected, "received": api_url or _("(no Saleor-Api-Url header)")},
            403,
        )
    try:
        token = json.loads(request.body or b"{}").get("auth_token")
    except (ValueError, AttributeError):
        token = None
    if not isinstance(token, str) or not token:
        return _error(_("The request carries no auth_token."), 400)
    try:
        installation = SaleorInstallation.objects.filter(api_url=expected).first()
        installation = installation or SaleorInstallation(api_url=expected)
        installation.set_token(token)
        installation.domain = request.headers.get("Saleor-Domain", "")[:255]
        with transaction.atomic():
            installation.save()
            # A new install's webhooks are all active, as the manifest names them: switch
            # the mail webhooks off unless a transactional mail is enabled (mail_webhooks).
            wake_after_commit(Work.SWITCH_MAIL_WEBHOOKS)
    except DatabaseError:
        logger.exception("The App token could not be stored")
        return _error(_("Temporarily unavailable; try again."), 503)
    return JsonResponse({"success": True})


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> JsonResponse:
    """Verify, map and store one delivery."""
    api_url = configured_api_url()
    if not api_url or normalize_api_url(request.headers.get("Saleor-Api-Url", "")) != api_url:
        return _error(_("This delivery comes from a Saleor this App does not serve."), 401)
    body = request.body
    try:
        verify(request.headers.get("Saleor-Signature", ""), body, KeySet(api_url))
    except InvalidSignature as error:
        logger.warning("Webhook refused: bad signature (%s)", error)
        return _error(_("The delivery's signature is missing or invalid."), 401)
    saleor_event = request.headers.get("Saleor-Event", "").lower()
    try:
        # Mapping reads the settings (a database row on the standalone host).
        payload = json.loads(body)
        if saleor_event == BACK_IN_STOCK:
            # The same events as the stock poll's, keyed by the same "notify me" requests.
            stored = notify_variants_back([back_in_stock_variant(payload)], timezone.now())
        else:
            events = events_from_payload(saleor_event, payload)
            with transaction.atomic():
                stored = len(record_events(events))
    except (MalformedPayload, ValueError) as error:
        # The reason names a field kind, never a value: payloads carry personal data.
        logger.warning("Webhook %s refused: malformed payload (%s)", saleor_event[:64], error)
        return _error(_("The payload is malformed."), 400)
    except DatabaseError:
        logger.exception("Webhook %s could not be stored", saleor_event)
        return _error(_("Temporarily unavailable; Saleor will retry."), 503)
    return JsonResponse({"stored": stored})
