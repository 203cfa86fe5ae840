"""SMS backends: a console backend for development and Twilio's Messages API."""

import base64
import http.client
import itertools
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

from .base import ChannelBackend, OutgoingMessage, SendResult

logger = logging.getLogger(__name__)

#: Twilio refuses longer bodies (error 21617); we fail instead of cutting the text silently.
MAX_SMS_LENGTH = 1600
E164_PATTERN = re.compile(r"^\+[1-9]\d{1,14}$")
#: Messaging Service SIDs (MG + 32 hex digits) go in MessagingServiceSid, not From.
MESSAGING_SERVICE_SID_PATTERN = re.compile(r"^MG[0-9a-fA-F]{32}$")
TWILIO_API_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT_SECONDS = 10.0


class SmsProvider(models.TextChoices):
    CONSOLE = "console", "Console (development)"
    TWILIO = "twilio", "Twilio"


@dataclass(frozen=True)
class ConsoleSms:
    """One SMS the console backend pretended to send."""

    recipient: str
    text: str
    provider_message_id: str


def sms_problem(message: OutgoingMessage) -> str:
    """Why no provider could deliver ``message`` as it stands; empty when it can be sent."""
    if not E164_PATTERN.match(message.recipient):
        return f"recipient {message.recipient!r} is not an E.164 phone number"
    if not message.text:
        return "SMS needs a plain text body; this message has none"
    if len(message.text) > MAX_SMS_LENGTH:
        return f"SMS text is {len(message.text)} characters, the limit is {MAX_SMS_LENGTH}"
    return ""


def _refused(message: OutgoingMessage, error: str) -> SendResult:
    return SendResult(message.message_id, ok=False, error=error, permanent=True)


class ConsoleSmsBackend(ChannelBackend):
    """Logs each SMS and keeps it in ``sent``; nothing leaves the process."""

    channel = "sms"

    def __init__(self) -> None:
        self.sent: list[ConsoleSms] = []
        self._numbers = itertools.count(1)

    def send(
        self,
        messages: Iterable[OutgoingMessage],
        on_result: Callable[[SendResult], None] | None = None,
    ) -> list[SendResult]:
        """Record every valid message; refuse the others as the real provider would."""
        return _each(messages, self._send_one, on_result)

    def _send_one(self, message: OutgoingMessage) -> SendResult:
        if problem := sms_problem(message):
            return _refused(message, problem)
        provider_id = f"console-{next(self._numbers)}"
        logger.info("SMS %s to %s: %s", provider_id, message.recipient, message.text)
        self.sent.append(ConsoleSms(message.recipient, message.text, provider_id))
        return SendResult(message.message_id, ok=True, provider_message_id=provider_id)


class TwilioSmsBackend(ChannelBackend):
    """Sends through Twilio's REST API (``POST .../Messages.json``) with urllib."""

    channel = "sms"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        base_url: str = TWILIO_API_URL,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.account_sid = account_sid
        self.from_number = from_number
        self.timeout = timeout
        self.url = (
            f"{base_url.rstrip('/')}/2010-04-01/Accounts/"
            f"{urllib.parse.quote(account_sid, safe='')}/Messages.json"
        )
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._authorization = f"Basic {credentials}"

    def send(
        self,
        messages: Iterable[OutgoingMessage],
        on_result: Callable[[SendResult], None] | None = None,
    ) -> list[SendResult]:
        """POST each message; a failure is recorded in its result and the batch goes on."""
        return _each(messages, self._send_one, on_result)

    def _send_one(self, message: OutgoingMessage) -> SendResult:
        problem = sms_problem(message)
        return _refused(message, problem) if problem else self._post(message)

    def _post(self, message: OutgoingMessage) -> SendResult:
        sender_field = (
            "MessagingServiceSid"
            if MESSAGING_SERVICE_SID_PATTERN.match(self.from_number)
            else "From"
        )
        form = {"To": message.recipient, sender_field: self.from_number, "Body": message.text}
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode(form).encode(),
            method="POST",
            headers={
                "Authorization": self._authorization,
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as http_error:
            return self._http_failure(message, http_error.code, http_error.read())
        except (OSError, http.client.HTTPException) as network_error:
            # URLError, refused connections and timeouts are all OSErrors: the network, not
            # the number, failed, so the message is retried.
            error = f"twilio unreachable: {type(network_error).__name__}: {network_error}"
            return SendResult(message.message_id, ok=False, error=error)
        sid = _json_object(body).get("sid")
        if not isinstance(sid, str) or not sid:
            # Twilio accepted the message (2xx); retrying would send it twice.
            return SendResult(message.message_id, ok=True, error="twilio response has no sid")
        return SendResult(message.message_id, ok=True, provider_message_id=sid)

    def _http_failure(self, message: OutgoingMessage, status: int, body: bytes) -> SendResult:
        details = _json_object(body)
        error = f"twilio HTTP {status}"
        if code := details.get("code"):
            error += f" error {code}"
        if text := details.get("message"):
            error += f": {text}"
        # 429 is throttling, 401/403 are our credentials: neither is the recipient's fault,
        # and a permanent failure would suppress their number.
        permanent = 400 <= status < 500 and status not in (401, 403, 429)
        return SendResult(message.message_id, ok=False, error=error, permanent=permanent)


def _json_object(body: bytes) -> dict:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def sms_backend_from_settings(config: dict) -> ChannelBackend:
    """Build the SMS backend that ``config["backend"]`` names, with its settings."""
    name = config.get("backend")
    if name == SmsProvider.CONSOLE:
        return ConsoleSmsBackend()
    if name == SmsProvider.TWILIO:
        required = ("account_sid", "auth_token", "from_number")
        if missing := [key for key in required if not config.get(key)]:
            keys = ", ".join(f"config[{key!r}]" for key in missing)
            raise ValueError(f"SMS backend 'twilio' needs {keys}")
        try:
            timeout = float(config.get("timeout") or DEFAULT_TIMEOUT_SECONDS)
        except (TypeError, ValueError):
            raise ValueError(
                f"config['timeout'] is {config['timeout']!r}; expected seconds"
            ) from None
        return TwilioSmsBackend(
            account_sid=config["account_sid"],
            auth_token=config["auth_token"],
            from_number=config["from_number"],
            base_url=config.get("base_url") or TWILIO_API_URL,
            timeout=timeout,
        )
    choices = ", ".join(repr(value) for value in SmsProvider.values)
    raise ValueError(f"config['backend'] is {name!r}; expected one of {choices}")


def _each(messages, send_one, on_result) -> list[SendResult]:
    """One result per message, each reported as soon as it is known."""
    results = []
    for message in messages:
        results.append(send_one(message))
        if on_result is not None:
            on_result(results[-1])
    return results
