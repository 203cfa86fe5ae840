"""One person's data as one JSON document (GDPR Art. 15 access and Art. 20 portability).

The document is produced as a stream of text pieces: the API's download and the management
command write it out as it is read, section by section, a chunk of rows at a time.
"""

import json
import logging
from collections.abc import Iterator
from typing import TextIO

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ..contacts.models import Contact
from ..core.emails import normalize_email
from . import AUDIT_LOGGER, EXPORT_FORMAT, EXPORT_VERSION
from .sections import PROFILE, SECTIONS

audit = logging.getLogger(AUDIT_LOGGER)

#: Pieces are joined up to about this many characters before they are handed on.
PIECE_SIZE = 64 * 1024

_encode = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def document_keys() -> tuple[str, ...]:
    """The top-level keys of the document, in order."""
    return ("format", "version", "exported_at", PROFILE.key, *(s.key for s in SECTIONS))


def _pieces(contact: Contact) -> Iterator[str]:
    head = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": timezone.now()}
    yield _encode(head)[:-1]
    yield f',"{PROFILE.key}":' + _encode(next(PROFILE.rows(contact)))
    for section in SECTIONS:
        yield f',"{section.key}":['
        separator = ""
        for row in section.rows(contact):
            yield separator + _encode(row)
            separator = ","
        yield "]"
    yield "}\n"


def document_chunks(contact: Contact) -> Iterator[str]:
    """The export of ``contact`` as text chunks of about ``PIECE_SIZE`` characters."""
    buffer: list[str] = []
    size = 0
    for piece in _pieces(contact):
        buffer.append(piece)
        size += len(piece)
        if size >= PIECE_SIZE:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def write_document(contact: Contact, out: TextIO) -> int:
    """Write the export of ``contact`` to ``out``; return the characters written."""
    written = 0
    for chunk in document_chunks(contact):
        out.write(chunk)
        written += len(chunk)
    return written


def find_person(identifier: str) -> Contact | None:
    """The contact an email address (not erased) or a database id names."""
    identifier = identifier.strip()
    if identifier.isdigit():
        return Contact.objects.filter(pk=int(identifier)).first()
    email = normalize_email(identifier)
    return Contact.objects.filter(email=email, erased_at__isnull=True).first() if email else None


def audit_export(contact: Contact, action: str, by: str) -> None:
    """One log line per export action, naming the contact by id only."""
    audit.info("personal data export %s: contact %s, by %s", action, contact.pk, by)


def parse_document(text: str) -> dict:
    """Read an export back (tests and tools): the JSON object, its format checked."""
    document = json.loads(text)
    if document.get("format") != EXPORT_FORMAT:
        raise ValueError("Not a personal data export.")
    return document
