"""A Django email backend that writes every message to a folder: .eml and an .html to open."""

import re
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class OutboxFolderBackend(BaseEmailBackend):
    """Writes ``NNNN-recipient-subject.eml`` and ``.html`` into ``SALEOR_MA_OUTBOX_DIR``."""

    _lock = threading.Lock()
    _counter = 0
    #: Messages written since the last ``sent_since_last_read`` (the demo's readers use them).
    _unread: list = []

    @classmethod
    def sent_since_last_read(cls) -> list:
        with cls._lock:
            unread, cls._unread = cls._unread, []
        return unread

    def __init__(self, outbox_dir: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(outbox_dir or getattr(settings, "SALEOR_MA_OUTBOX_DIR", "outbox"))

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            with self._lock:
                OutboxFolderBackend._counter += 1
                number = OutboxFolderBackend._counter
                OutboxFolderBackend._unread.append(message)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{message.to[0]}-{message.subject}".lower()).strip(
                "-"
            )[:80]
            stem = self.directory / f"{number:04d}-{slug}"
            stem.with_suffix(".eml").write_bytes(message.message().as_bytes())
            html = next(
                (
                    content
                    for content, kind in getattr(message, "alternatives", [])
                    if kind == "text/html"
                ),
                None,
            )
            if html:
                stem.with_suffix(".html").write_text(html, encoding="utf-8")
        return len(email_messages)
