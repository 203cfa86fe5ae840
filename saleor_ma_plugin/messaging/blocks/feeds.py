"""RSS and Atom feeds for content blocks: fetched rarely, safely, and never per recipient.

A feed is fetched through the outbound guard (public https hosts only, no redirects), with
a time limit (``FETCH_SECONDS`` per read and in total) and a size cap (``MAX_FEED_BYTES``),
parsed by ``feedparser`` from the bytes we read (it never opens a URL itself), and its
entries kept in ``FeedCopy``. A delivery batch asks :func:`feed_entries`: a copy younger
than the refresh interval is used as it is; an older one is refreshed by exactly one worker
(a conditional UPDATE claims the attempt) while others use the copy they have. A feed that
is down, slow, huge or malformed never stops a send: the last good copy is shown, or the
block is left out, and the outcome goes to the campaign's report.

Settings: ``SALEOR_MA_FEED_REFRESH_MINUTES`` (default 30) and
``SALEOR_MA_ALLOW_INTERNAL_FEEDS`` (default False; True allows http and internal hosts,
e.g. a blog inside the shop's network).
"""

import hashlib
import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser
import requests
from django.conf import settings
from django.db.models import Q

from ...core.outbound import OutboundRefused, guarded_session
from . import ContentOutcome
from .models import FeedCopy
from .richtext import plain_text
from .spec import feed_guard

FETCH_SECONDS = 5.0
MAX_FEED_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 20
SUMMARY_CHARS = 280
DEFAULT_REFRESH_MINUTES = 30
#: A worker that finds another fetching a feed it has no copy of waits this long for it.
WAIT_POLL_SECONDS = 0.1


class FeedError(Exception):
    """The feed could not be read: the reason goes to the campaign report."""


@dataclass(frozen=True)
class FeedResult:
    entries: tuple[dict, ...]
    #: "" when fresh, else a ContentOutcome.
    outcome: str = ""
    reason: str = ""


def refresh_interval() -> timedelta:
    minutes = getattr(settings, "SALEOR_MA_FEED_REFRESH_MINUTES", DEFAULT_REFRESH_MINUTES)
    return timedelta(minutes=minutes)


def feed_entries(url: str, now: datetime) -> FeedResult:
    """The feed's entries: the cached copy, refreshed when due (by one worker)."""
    key = hashlib.sha256(url.encode()).hexdigest()
    FeedCopy.objects.bulk_create([FeedCopy(url_hash=key, url=url)], ignore_conflicts=True)
    due = now - refresh_interval()
    claimed = FeedCopy.objects.filter(
        Q(checked_at__isnull=True) | Q(checked_at__lte=due),
        Q(fetched_at__isnull=True) | Q(fetched_at__lte=due),
        url_hash=key,
    ).update(checked_at=now)
    if not claimed:
        return _cached(_settled(key), due)
    try:
        entries = fetch_entries(url)
    except FeedError as error:
        reason = str(error)[:500]
        FeedCopy.objects.filter(url_hash=key).update(last_error=reason)
        return _cached(FeedCopy.objects.get(url_hash=key), due, reason)
    FeedCopy.objects.filter(url_hash=key).update(entries=entries, fetched_at=now, last_error="")
    return FeedResult(tuple(entries))


def _settled(key: str) -> FeedCopy:
    """The copy; if another worker is fetching a feed nobody has a copy of, wait for it."""
    deadline = time.monotonic() + FETCH_SECONDS * 2
    row = FeedCopy.objects.get(url_hash=key)
    while row.fetched_at is None and not row.last_error and time.monotonic() < deadline:
        time.sleep(WAIT_POLL_SECONDS)
        row = FeedCopy.objects.get(url_hash=key)
    return row


def _cached(row: FeedCopy, due: datetime, reason: str = "") -> FeedResult:
    reason = reason or row.last_error
    if row.fetched_at is None:
        return FeedResult((), ContentOutcome.LEFT_OUT, reason or "feed not fetched yet")
    if row.fetched_at > due or not reason:
        return FeedResult(tuple(row.entries))
    return FeedResult(tuple(row.entries), ContentOutcome.STALE_COPY, reason)


def fetch_entries(url: str) -> list[dict]:
    """Read and parse a feed now; raise FeedError with a short reason."""
    try:
        body = _download(url)
    except OutboundRefused as refused:
        raise FeedError(f"refused: {refused}") from None
    except requests.TooManyRedirects:  # the guarded session never follows one
        raise FeedError("redirected elsewhere (redirects are not followed)") from None
    except requests.RequestException as error:
        raise FeedError(f"{type(error).__name__}: {error}"[:300]) from None
    parsed = feedparser.parse(io.BytesIO(body))
    if not parsed.entries:
        problem = parsed.get("bozo_exception") or "no entries"
        raise FeedError(f"not a readable feed: {problem}"[:300])
    return [_entry(entry) for entry in parsed.entries[:MAX_ENTRIES]]


def _download(url: str) -> bytes:
    deadline = time.monotonic() + FETCH_SECONDS
    session = guarded_session(feed_guard())
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
        "User-Agent": "saleor-ma-plugin (newsletter content feed)",
    }
    with session.get(url, timeout=FETCH_SECONDS, stream=True, headers=headers) as response:
        if response.status_code != 200:
            raise FeedError(f"HTTP {response.status_code}")
        if int(response.headers.get("Content-Length") or 0) > MAX_FEED_BYTES:
            raise FeedError(f"larger than {MAX_FEED_BYTES // 1024 // 1024} MB")
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > MAX_FEED_BYTES:
                raise FeedError(f"larger than {MAX_FEED_BYTES // 1024 // 1024} MB")
            if time.monotonic() > deadline:
                raise FeedError(f"slower than {FETCH_SECONDS:g} s")
    return bytes(body)


def _entry(entry) -> dict:
    summary = plain_text(entry.get("summary", ""))
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rstrip() + "…"
    link = entry.get("link", "")
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return {
        "title": plain_text(entry.get("title", ""))[:300],
        "summary": summary,
        "url": link if link.startswith(("https://", "http://")) else "",
        "image_url": _image(entry),
        "published_at": datetime(*published[:6], tzinfo=UTC).isoformat() if published else "",
    }


def _image(entry) -> str:
    candidates = [item.get("url", "") for item in entry.get("media_thumbnail", [])]
    candidates += [
        item.get("url", "")
        for item in entry.get("media_content", [])
        if item.get("medium") == "image" or str(item.get("type", "")).startswith("image/")
    ]
    candidates += [
        link.get("href", "")
        for link in entry.get("links", [])
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/")
    ]
    return next((url for url in candidates if url.startswith("https://")), "")
