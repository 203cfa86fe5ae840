"""The plugin's settings as shop admins enter them, parsed into frozen dataclasses.

Inside Saleor the values come from the plugin's configuration page (a list of
``{"name": ..., "value": ...}``); in the standalone host from the Django setting
``SALEOR_MA_PLUGIN``. Both go through :func:`parse_configuration`, so validation is the same.
"""

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from string import Formatter
from typing import Any
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .emails import is_valid_email, normalize_email
from .event_retention import DEFAULT_EVENT_RETENTION_DAYS, parse_event_retention
from .transactional import parse_transactional_emails

DEFAULT_SMART_SENDING_HOURS = 16
#: Marketing messages per contact, all campaigns and channels together, in any rolling day
#: and week (0 = no cap). Smart sending already keeps email to about one a day; the day cap
#: leaves room for one more message on another channel, and five a week is where
#: unsubscribe and complaint rates are commonly seen to climb.
DEFAULT_MAX_MARKETING_PER_DAY = 2
DEFAULT_MAX_MARKETING_PER_WEEK = 5
MAX_CAP = 1000
#: The imprint is printed in mail footers: a postal address, not a document.
MAX_IMPRINT_LENGTH = 2000
#: Attribution windows: days a click or an open may come before the order it earns.
DEFAULT_CLICK_DAYS = 5
DEFAULT_OPEN_DAYS = 1
MAX_ATTRIBUTION_DAYS = 90
QUIET_HOURS_PATTERN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
#: Sender name and address end up in the From header: a line break there would let the
#: value add headers of its own (e.g. Bcc), other control characters break mail readers.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
HEADER_FIELDS = ("sender_name", "sender_address")
DEFAULT_SEARCH_URL = "{storefront}/search?q={query}"
#: The placeholders each link pattern may use; values are URL-encoded when filled in.
LINK_PATTERNS = {
    "search_url": ("storefront", "query"),
    "reorder_url": ("storefront", "variant_id", "product_id", "quantity"),
    "feedback_url": ("storefront", "order_id", "order_number", "email"),
}


@dataclass(frozen=True)
class QuietHours:
    """A daily window in the contact's local time when marketing sends are deferred."""

    start: time
    end: time

    def contains(self, local_time: time) -> bool:
        """Tell whether a local wall-clock time falls inside the window (may wrap midnight)."""
        if self.start <= self.end:
            return self.start <= local_time < self.end
        return local_time >= self.start or local_time < self.end


class FeedbackConsent:
    """Who may get review and feedback requests, which German courts treat as advertising
    (BGH, 10.7.2018, VI ZR 225/17)."""

    #: Only contacts with marketing consent for email.
    CONSENT = "consent"
    #: Also customers under the existing-customer exemption of § 7 (3) UWG: contacts with an
    #: order who have not objected to marketing email; every such mail says they may object.
    EXISTING_CUSTOMER = "existing_customer"
    CHOICES = (CONSENT, EXISTING_CUSTOMER)


@dataclass(frozen=True)
class ChannelOverrides:
    """Per-Saleor-channel values that replace the global ones when set."""

    sender_name: str = ""
    sender_address: str = ""
    storefront_url: str = ""


@dataclass(frozen=True)
class PluginSettings:
    """Everything the engine needs to know from the shop admin."""

    sender_name: str = ""
    sender_address: str = ""
    storefront_url: str = ""
    public_base_url: str = ""
    double_opt_in: bool = True
    quiet_hours: QuietHours | None = None
    smart_sending_hours: int = DEFAULT_SMART_SENDING_HOURS
    email_backend: str = ""
    signing_secret: str = ""
    channels: Mapping[str, ChannelOverrides] = field(default_factory=dict)
    #: (attribute, metadata key) pairs: dates read from Saleor customers' metadata.
    profile_date_keys: tuple[tuple[str, str], ...] = (("birthday", "birthday"),)
    #: Link patterns (see LINK_PATTERNS): the storefront's search results, a reorder link
    #: that refills a checkout, the shop's own feedback page.
    search_url: str = DEFAULT_SEARCH_URL
    reorder_url: str = ""
    feedback_url: str = ""
    #: Frequency cap on marketing per contact (see DEFAULT_MAX_MARKETING_PER_DAY), 0 = none.
    max_marketing_per_day: int = DEFAULT_MAX_MARKETING_PER_DAY
    max_marketing_per_week: int = DEFAULT_MAX_MARKETING_PER_WEEK
    #: Who gets feedback requests: FeedbackConsent.CONSENT or EXISTING_CUSTOMER.
    feedback_consent: str = FeedbackConsent.CONSENT
    #: The sender's postal address and legal imprint, printed in every marketing mail.
    imprint: str = ""
    attribution_click_days: int = DEFAULT_CLICK_DAYS
    attribution_open_days: int = DEFAULT_OPEN_DAYS
    #: Saleor customer notifications (``core.transactional``) we send instead of Saleor.
    transactional_emails: frozenset[str] = frozenset()
    #: Days processed events are kept (see DEFAULT_EVENT_RETENTION_DAYS); 0 keeps them all.
    event_retention_days: int = DEFAULT_EVENT_RETENTION_DAYS

    def for_channel(self, channel_slug: str | None) -> "ChannelView":
        """Resolve sender and storefront for one Saleor channel, falling back to globals."""
        overrides = self.channels.get(channel_slug or "", ChannelOverrides())
        return ChannelView(
            sender_name=overrides.sender_name or self.sender_name,
            sender_address=overrides.sender_address or self.sender_address,
            storefront_url=overrides.storefront_url or self.storefront_url,
        )


@dataclass(frozen=True)
class ChannelView:
    """The effective sender and storefront for one channel."""

    sender_name: str
    sender_address: str
    storefront_url: str


DEFAULT_PROFILE_DATE_KEYS = (("birthday", "birthday"),)
PROFILE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def fill_link(pattern: str, storefront: str, **values: Any) -> str:
    """A link pattern with its placeholders filled in (URL-encoded); "" without a pattern.

    ``{storefront}`` is the channel's storefront URL as configured (not encoded); a
    pattern that needs it when no storefront is known gives "".
    """
    if not pattern or ("{storefront}" in pattern and not storefront):
        return ""
    encoded = {name: quote(str(value), safe="") for name, value in values.items()}
    return pattern.format(storefront=storefront, **encoded)


def check_link_pattern(name: str, raw: str) -> str | None:
    """Why a link pattern is not usable (a translated sentence), else None."""
    allowed = LINK_PATTERNS[name]
    try:
        parts = [part for part in Formatter().parse(raw) if part[1] is not None]
    except ValueError:
        parts = [("", "", "", None)]
    # Only bare names: "{query.__class__}", "{query!r}" or "{query:>9}" would be code.
    if any(field not in allowed or spec or conversion for _t, field, spec, conversion in parts):
        return _("Use only these placeholders in braces: %(names)s.") % {
            "names": ", ".join(f"{{{placeholder}}}" for placeholder in allowed)
        }
    sample = raw.format(**{field: "x" for _t, field, _s, _c in parts})
    if not (raw.startswith("{storefront}") or _is_http_url(sample)):
        return _("Enter an absolute http(s) URL or start with {storefront}.")
    return None


def parse_profile_date_keys(raw: str) -> tuple[tuple[str, str], ...]:
    """``"birthday=dob, renewal"`` -> (("birthday", "dob"), ("renewal", "renewal"))."""
    pairs = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        attribute, _, key = item.partition("=")
        attribute, key = attribute.strip(), (key or attribute).strip()
        if not (PROFILE_KEY.match(attribute) and PROFILE_KEY.match(key)) or "." in attribute:
            raise ValueError(item)
        pairs.append((attribute, key))
    return tuple(pairs)


def configuration_as_mapping(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Turn Saleor's ``[{"name": ..., "value": ...}]`` list into a plain mapping."""
    return {item["name"]: item.get("value") for item in items if "name" in item}


def parse_configuration(values: Mapping[str, Any]) -> PluginSettings:
    """Validate raw values; raise ``ValidationError`` keyed by field name on bad input."""
    errors: dict[str, str] = {}

    def text(name: str) -> str:
        value = values.get(name)
        return "" if value is None else str(value).strip()

    sender_address = normalize_email(text("sender_address"))
    if sender_address and not is_valid_email(sender_address):
        errors["sender_address"] = _("Enter a valid email address.")
    for header_field in HEADER_FIELDS:
        if CONTROL_CHARACTERS.search(text(header_field)):
            errors[header_field] = _("Line breaks and other control characters are not allowed.")
    for url_field in ("storefront_url", "public_base_url"):
        if text(url_field) and not _is_http_url(text(url_field)):
            errors[url_field] = _("Enter an absolute http(s) URL.")
    quiet_hours = None
    if text("quiet_hours"):
        try:
            quiet_hours = parse_quiet_hours(text("quiet_hours"))
        except ValueError:
            errors["quiet_hours"] = _("Use the form HH:MM-HH:MM, for example 21:00-08:00.")
    smart_sending_hours = DEFAULT_SMART_SENDING_HOURS
    if text("smart_sending_hours"):
        try:
            smart_sending_hours = int(text("smart_sending_hours"))
            if not 0 <= smart_sending_hours <= 24 * 14:
                raise ValueError
        except ValueError:
            errors["smart_sending_hours"] = _("Enter a whole number of hours from 0 to 336.")
    more = {
        "profile_date_keys": _profile_date_keys(values, errors),
        **parse_links(values, errors),
        **parse_lawful_mail(values, errors),
        **parse_attribution_days(values, errors),
        **parse_transactional_emails(values, errors),
        **parse_event_retention(values, errors),
    }
    channels: dict[str, ChannelOverrides] = {}
    if text("channel_settings"):
        try:
            channels = parse_channel_overrides(text("channel_settings"))
        except ValueError as error:
            errors["channel_settings"] = str(error)
    if errors:
        raise ValidationError(errors)
    return PluginSettings(
        sender_name=text("sender_name"),
        sender_address=sender_address,
        storefront_url=text("storefront_url").rstrip("/"),
        public_base_url=text("public_base_url").rstrip("/"),
        double_opt_in=_as_bool(values.get("double_opt_in", True)),
        quiet_hours=quiet_hours,
        smart_sending_hours=smart_sending_hours,
        email_backend=text("email_backend"),
        signing_secret=text("signing_secret"),
        channels=channels,
        **more,
    )


def _profile_date_keys(values: Mapping[str, Any], errors: dict[str, str]):
    if "profile_date_keys" not in values:
        return DEFAULT_PROFILE_DATE_KEYS
    try:
        return parse_profile_date_keys(str(values["profile_date_keys"] or "").strip())
    except ValueError:
        errors["profile_date_keys"] = _(
            "Use attribute=metadata_key pairs separated by commas, e.g. birthday=dob."
        )
        return DEFAULT_PROFILE_DATE_KEYS


def parse_lawful_mail(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """Frequency caps, who gets feedback requests, the imprint; problems go into ``errors``."""
    caps = {
        "max_marketing_per_day": DEFAULT_MAX_MARKETING_PER_DAY,
        "max_marketing_per_week": DEFAULT_MAX_MARKETING_PER_WEEK,
    }
    for name in caps:
        raw = "" if values.get(name) is None else str(values[name]).strip()
        if not raw:
            continue
        try:
            caps[name] = int(raw)
            if not 0 <= caps[name] <= MAX_CAP:
                raise ValueError
        except ValueError:
            errors[name] = _("Enter a whole number from 0 (no cap) to %(max)s.") % {"max": MAX_CAP}
    day, week = caps["max_marketing_per_day"], caps["max_marketing_per_week"]
    if day and week and day > week and not errors.get("max_marketing_per_day"):
        errors["max_marketing_per_day"] = _("The daily cap cannot be above the weekly cap.")
    feedback_consent = str(values.get("feedback_consent") or FeedbackConsent.CONSENT).strip()
    if feedback_consent not in FeedbackConsent.CHOICES:
        errors["feedback_consent"] = _("Use one of: %(choices)s.") % {
            "choices": ", ".join(FeedbackConsent.CHOICES)
        }
    imprint = "\n".join(
        line.strip() for line in str(values.get("imprint") or "").strip().splitlines()
    )
    if len(imprint) > MAX_IMPRINT_LENGTH:
        errors["imprint"] = _("Keep the imprint under %(max)s characters.") % {
            "max": MAX_IMPRINT_LENGTH
        }
    elif CONTROL_CHARACTERS.search(imprint.replace("\n", "")):
        errors["imprint"] = _("Control characters other than line breaks are not allowed.")
    return {**caps, "feedback_consent": feedback_consent, "imprint": imprint}


def parse_attribution_days(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, int]:
    """Whole days from 0 to MAX_ATTRIBUTION_DAYS; problems go into ``errors``."""
    days = {}
    for name, default in (
        ("attribution_click_days", DEFAULT_CLICK_DAYS),
        ("attribution_open_days", DEFAULT_OPEN_DAYS),
    ):
        raw = str(values.get(name) if values.get(name) is not None else default).strip()
        if not raw.isdigit() or int(raw) > MAX_ATTRIBUTION_DAYS:
            errors[name] = _("Enter a whole number of days from 0 to %(max)s.") % {
                "max": MAX_ATTRIBUTION_DAYS
            }
            continue
        days[name] = int(raw)
    return days


def parse_links(values: Mapping[str, Any], errors: dict[str, str]) -> dict[str, str]:
    """The link patterns as entered (search has a default); problems go into ``errors``."""
    links = {name: str(values.get(name) or "").strip() for name in LINK_PATTERNS}
    if "search_url" not in values:
        links["search_url"] = DEFAULT_SEARCH_URL
    for name, raw in links.items():
        problem = check_link_pattern(name, raw) if raw else None
        if problem:
            errors[name] = problem
    return links


def parse_quiet_hours(raw: str) -> QuietHours:
    """Parse ``HH:MM-HH:MM``; an empty window (start == end) is rejected."""
    match = QUIET_HOURS_PATTERN.match(raw)
    if not match:
        raise ValueError(raw)
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    start, end = time(start_hour, start_minute), time(end_hour, end_minute)
    if start == end:
        raise ValueError(raw)
    return QuietHours(start=start, end=end)


def parse_channel_overrides(raw: str) -> dict[str, ChannelOverrides]:
    """Parse the per-channel JSON map ``{"channel-slug": {"sender_address": ...}}``."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(_("Channel settings must be a JSON object: %s") % error.msg) from None
    if not isinstance(data, dict):
        raise ValueError(_("Channel settings must be a JSON object keyed by channel slug."))
    allowed = set(ChannelOverrides.__dataclass_fields__)
    parsed = {}
    for slug, entry in data.items():
        if not isinstance(entry, dict) or set(entry) - allowed:
            raise ValueError(
                _("Channel %(slug)s: use only the keys %(keys)s.")
                % {"slug": slug, "keys": ", ".join(sorted(allowed))}
            )
        for header_field in HEADER_FIELDS:
            if CONTROL_CHARACTERS.search(str(entry.get(header_field, "")).strip()):
                raise ValueError(
                    _("Channel %(slug)s: %(field)s may not contain line breaks.")
                    % {"slug": slug, "field": header_field}
                )
        address = normalize_email(entry.get("sender_address", ""))
        if address and not is_valid_email(address):
            raise ValueError(_("Channel %s: invalid sender address.") % slug)
        storefront_url = str(entry.get("storefront_url", "")).strip()
        if storefront_url and not _is_http_url(storefront_url):
            raise ValueError(_("Channel %s: storefront_url must be an http(s) URL.") % slug)
        parsed[slug] = ChannelOverrides(
            sender_name=str(entry.get("sender_name", "")).strip(),
            sender_address=address,
            storefront_url=storefront_url.rstrip("/"),
        )
    return parsed


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 address)
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
