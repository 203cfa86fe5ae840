"""Signed links in messages: click tracking, open pixel, unsubscribe and preferences.

Every token is signed with the plugin's signing key, so a click redirect only ever leads
to a URL that was in the message (no open redirect), and an unsubscribe link only ever
affects the contact it was made for.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape, unescape

from ..core.host import current, plugin_settings
from ..core.signing import signing_key

CLICK_SALT, OPEN_SALT, CONTACT_SALT = "ma.click", "ma.open", "ma.contact"
ANCHOR_PATTERN = re.compile(r"<a\b[^>]*>", re.IGNORECASE)
HREF_PATTERN = re.compile(r'(\bhref=")(https?://[^"]+)(")', re.IGNORECASE)
#: Long tail: ``<a href=... data-interest="espresso,brewing">`` tags whoever clicks it.
INTEREST_PATTERN = re.compile(r'\s*\bdata-interest="([^"]*)"', re.IGNORECASE)
INTEREST_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


#: json.dumps(..., separators=...) builds an encoder per call; a dozen calls per message.
_compact_json = json.JSONEncoder(separators=(",", ":")).encode


class BadToken(ValueError):
    """A token that was not made by us, or was altered."""


@lru_cache(maxsize=16)
def _salted_key(key: bytes, salt: str) -> bytes:
    return hashlib.sha256(salt.encode() + b"\x00" + key).digest()


#: HMAC's pads (RFC 2104) as translation tables: a key block XOR 0x36 / 0x5C, byte by byte.
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


class _Mac:
    """HMAC-SHA256 under one key, its padded inner and outer hash states computed once.

    A message carries half a dozen signed links; ``hmac.digest`` prepares the key for
    each (two extra compressions and OpenSSL's context setup), here each costs two copies
    of a prepared state. Same bytes as ``hmac.digest(key, body, "sha256")``.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\x00")
        self._inner = hashlib.sha256(block.translate(_INNER_PAD))
        self._outer = hashlib.sha256(block.translate(_OUTER_PAD))

    def digest(self, body: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(body)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


@lru_cache(maxsize=16)
def _mac(key: bytes) -> _Mac:
    return _Mac(key)


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _dumps(data, salt: str) -> str:
    """``<base64 JSON>.<128-bit HMAC-SHA256>``: a dozen per message, so it must be cheap."""
    return _signed_with(_compact_json(data), salt)


def _signed_with(json_text: str, salt: str) -> str:
    return _signed(json_text, _salted_key(signing_key(), salt))


def _signed(json_text: str, key: bytes) -> str:
    body = _unpadded_b64(json_text.encode())
    mac = _unpadded_b64(_mac(key).digest(body)[:16])
    return f"{body.decode()}.{mac.decode()}"


_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def _unpadded_b64(data: bytes) -> bytes:
    """``base64.urlsafe_b64encode`` without its padding, in C calls only."""
    return binascii.b2a_base64(data, newline=False).translate(_URL_SAFE).rstrip(b"=")


@lru_cache(maxsize=256)
def _json_string(text: str) -> str:
    return _compact_json(text)


def _loads(token: str, salt: str):
    body, _, mac = token.rpartition(".")
    try:
        expected = hmac.new(
            _salted_key(signing_key(), salt), body.encode(), hashlib.sha256
        ).digest()[:16]
        if not body or not hmac.compare_digest(_unb64(mac), expected):
            raise BadToken("bad signature")
        return json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError, json.JSONDecodeError):
        raise BadToken("malformed token") from None


def route_url(path: str) -> str:
    """Absolute URL of one of our routes, under Saleor's plugin route or the standalone host."""
    base = plugin_settings().public_base_url or "http://localhost:8000"
    return f"{base}{current().route_prefix}/{path.lstrip('/')}"


def click_token(message_id: int, url: str, interests: tuple[str, ...] = ()) -> str:
    return _click_token(message_id, url, interests, _salted_key(signing_key(), CLICK_SALT))


def _click_token(message_id: int, url: str, interests: tuple[str, ...], key: bytes) -> str:
    # ``[message_id, url(, interests)]``: the part after the id is the same in every
    # reader's copy of a link, so it is encoded once.
    return _signed(f"[{int(message_id)},{_after_the_id(url, interests)}", key)


@lru_cache(maxsize=4096)
def _after_the_id(url: str, interests: tuple[str, ...]) -> str:
    return _compact_json([url, list(interests)] if interests else [url])[1:]


def read_click_token(token: str) -> tuple[int, str, tuple[str, ...]]:
    message_id, url, *rest = _loads(token, CLICK_SALT)
    interests = tuple(str(tag) for tag in rest[0]) if rest else ()
    return int(message_id), str(url), interests


def interest_tags(raw: str) -> tuple[str, ...]:
    """Valid interest tags from a ``data-interest`` value; others are ignored."""
    tags = (tag.strip().lower() for tag in raw.split(","))
    return tuple(dict.fromkeys(tag for tag in tags if INTEREST_TAG.match(tag)))


def open_token(message_id: int) -> str:
    if type(message_id) is not int:
        return _dumps(message_id, OPEN_SALT)
    return _signed_with(str(message_id), OPEN_SALT)  # the JSON of an int


def read_open_token(token: str) -> int:
    return int(_loads(token, OPEN_SALT))


@dataclass(frozen=True)
class ContactToken:
    contact_id: int
    message_id: int | None
    topic: str


def contact_token(contact_id: int, message_id: int | None = None, topic: str = "") -> str:
    """For unsubscribe and the preference centre: names the contact and where it came from."""
    plain = type(contact_id) is int and type(topic) is str
    if not plain or not (message_id is None or type(message_id) is int):
        return _dumps([contact_id, message_id, topic], CONTACT_SALT)
    # The JSON ``_dumps`` writes for these types, without an encoder call per message.
    message = "null" if message_id is None else message_id
    return _signed_with(f"[{contact_id},{message},{_json_string(topic)}]", CONTACT_SALT)


def read_contact_token(token: str) -> ContactToken:
    contact_id, message_id, topic = _loads(token, CONTACT_SALT)
    return ContactToken(int(contact_id), message_id, topic or "")


def track_html(html: str, message_id: int, untracked: set[str]) -> str:
    """Wrap every http(s) link in a signed click redirect and add the open pixel."""
    return TrackingFormat(link_plan(html)).apply(message_id, untracked, {})


@dataclass(frozen=True)
class Link:
    url: str
    interests: tuple[str, ...]
    #: The attribute value as written, kept where the link is not tracked.
    href: str


def link_plan(html: str) -> tuple[str | Link, ...]:
    """The HTML cut at every http(s) link it may track (``data-interest`` taken out).

    A batch's readers of one text share its plan: only the tokens differ per message.
    """
    pieces: list[str | Link] = []
    position = 0
    for anchor in ANCHOR_PATTERN.finditer(html):
        tag = anchor.group(0)
        interests: tuple[str, ...] = ()
        if "data-interest" in tag:
            interest = INTEREST_PATTERN.search(tag)
            interests = interest_tags(unescape(interest.group(1))) if interest else ()
            tag = INTEREST_PATTERN.sub("", tag)
        pieces.append(html[position : anchor.start()])
        href = HREF_PATTERN.search(tag)
        if href is None:
            pieces.append(tag)
        else:
            pieces += [
                tag[: href.start(2)],
                Link(unescape(href.group(2)), interests, href.group(2)),
                tag[href.end(2) :],
            ]
        position = anchor.end()
    pieces.append(html[position:])
    merged: list[str | Link] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return tuple(merged)


class TrackingFormat:
    """A link plan as literal pieces with a slot between each two: a link, or a personal
    value (a match of ``personal``), filled per message and joined in one pass.

    A newsletter's HTML is cut at a dozen links and holds a few personal values; joining its
    pieces, replacing each value piece by piece and searching for ``</body>`` went over the
    whole text many times per message. Readers of one text share its format.
    """

    def __init__(self, pieces: tuple[str | Link, ...], personal: re.Pattern | None = None):
        literal, slots = [""], []
        for piece in pieces:
            if isinstance(piece, Link):
                slots.append(piece)
                literal.append("")
                continue
            position = 0
            for match in personal.finditer(piece) if personal else ():
                literal[-1] += piece[position : match.start()]
                slots.append(match.group(0))
                literal.append("")
                position = match.end()
            literal[-1] += piece[position:]
        self.slots: tuple[str | Link, ...] = tuple(slots)
        self.literal = tuple(literal)
        # A product is linked from its image, its name and its button: each target (URL and
        # interests) is signed once per message, and each link slot names its target's index
        # (-1: a personal value).
        targets = {(slot.url, slot.interests): None for slot in slots if isinstance(slot, Link)}
        self.targets: tuple[tuple[str, tuple[str, ...]], ...] = tuple(targets)
        index = {target: position for position, target in enumerate(self.targets)}
        self.slot_targets = tuple(
            index[slot.url, slot.interests] if isinstance(slot, Link) else -1 for slot in slots
        )
        #: Where the open pixel goes: (piece, offset), None to search the whole text.
        self.pixel_at = _first_body_end(self.literal)

    def __bool__(self) -> bool:
        return bool(self.slots) or any(self.literal)

    def apply(self, message_id: int, untracked: set[str], values: dict[str, str]) -> str:
        """The message's HTML: its click tokens in the links, ``values`` (escaped HTML, by
        the text they replace; text without a value stays) in the personal slots, its open
        pixel. Escaped: where the pixel goes rests on no value holding ``>``."""
        base, key = route_url(""), _salted_key(signing_key(), CLICK_SALT)
        # A token is URL-safe base64 and a dot: only the base needs escaping.
        prefix = f"{_escaped(base)}t/c/"
        pixel = open_pixel(message_id, base)
        # None: the target is not tracked, its links keep their own href as written.
        tracked = [
            None if url in untracked else f"{prefix}{_click_token(message_id, url, tags, key)}/"
            for url, tags in self.targets
        ]
        fills = []
        for slot, target in zip(self.slots, self.slot_targets, strict=True):
            if target < 0:
                fills.append(values.get(slot, slot))
            else:
                fills.append(tracked[target] or slot.href)
        parts: list[str] = [""] * (2 * len(fills) + 1)
        parts[0::2], parts[1::2] = self.literal, fills
        pixel_at = self.pixel_at
        if pixel_at is None:
            return with_open_pixel("".join(parts), pixel)
        piece, offset = pixel_at
        if offset < 0:
            parts.append(pixel)
        else:
            text = parts[2 * piece]
            parts[2 * piece] = f"{text[:offset]}{pixel}{text[offset:]}"
        return "".join(parts)


BODY_END = "</body>"


def _first_body_end(literal: tuple[str, ...]) -> tuple[int, int] | None:
    """The first ``</body>`` of the filled text, found in the literal pieces: (piece, offset),
    offset -1 for none; None when a slot's value could complete one earlier.

    No slot's value holds ``>`` (tracked URLs and personal values are escaped; an untracked
    ``href`` ends at its tag's ``>``), so a ``</body>`` ending in a literal piece that uses a
    slot's value starts that piece with the rest of ``</body>``.
    """
    for index, text in enumerate(literal):
        close = text.find(">")
        if index and 0 <= close < len(BODY_END) - 1 and BODY_END.endswith(text[: close + 1]):
            return None
        offset = text.find(BODY_END)
        if offset >= 0:
            return index, offset
    return len(literal) - 1, -1


def open_pixel(message_id: int, base: str) -> str:
    # A token is URL-safe base64 and a dot: only the base needs escaping.
    return (
        f'<img src="{_escaped(base)}t/o/{open_token(message_id)}/" width="1" height="1" '
        'alt="" style="display:block;border:0;width:1px;height:1px">'
    )


@lru_cache(maxsize=16)
def _escaped(text: str) -> str:
    return escape(text)


def with_open_pixel(html: str, pixel: str) -> str:
    if BODY_END in html:
        return html.replace(BODY_END, f"{pixel}{BODY_END}", 1)
    return html + pixel
