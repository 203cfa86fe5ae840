"""A small SMTP server on loopback for tests: records messages, refuses some recipients.

``fault(stage, recipient)`` lets a test make it misbehave: at stage ``"rcpt"`` or
``"data"`` (after the final dot) it may answer a reply line of its own (e.g. ``"451 4.3.0
busy"``), ``"drop"`` the connection without a reply (after the final dot the message is
queued first: the ambiguous case), or ``"lose"`` it (closed, nothing queued).
"""

import os
import socketserver
import threading
from collections.abc import Callable

from django.core.mail.backends.smtp import EmailBackend

#: Where ``LoopbackSMTPBackend`` connects: a worker in another process reads it from here.
PORT_VARIABLE = "SALEOR_MA_TEST_SMTP_PORT"


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        server = self.server
        self.reply("220 fake ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                for extension in server.extensions:
                    self.reply(f"250-{extension}")
                self.reply("250 fake")
            elif verb == "HELO":
                self.reply("250 fake")
            elif verb == "MAIL":
                if sender:
                    self.reply("503 5.5.1 nested MAIL command")
                    continue
                sender, recipients = _address(command), []
                server.mail_options.append(command.partition(">")[2].strip())
                self.reply("250 ok")
            elif verb == "RCPT":
                recipient = _address(command)
                fault = server.fault("rcpt", recipient)
                if fault in ("drop", "lose"):
                    return
                if fault:
                    self.reply(fault)
                elif recipient.startswith("bounce"):
                    self.reply("550 5.1.1 no such user")
                else:
                    recipients.append(recipient)
                    self.reply("250 ok")
            elif verb == "DATA":
                if not recipients:
                    self.reply("554 no valid recipients")
                    continue
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                if not chunk:
                    return  # the client went away before the final dot: nothing to queue
                fault = server.fault("data", recipients[0])
                if fault not in ("lose",) and not (fault and fault[0] in "45"):
                    with server.lock:
                        server.received.append((sender, list(recipients), data))
                sender, recipients = "", []
                if fault in ("drop", "lose"):
                    return
                self.reply(fault or "250 queued")
            elif verb == "RSET":
                sender, recipients = "", []
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def _address(command: str) -> str:
    return command.split(":", 1)[1].strip().partition(">")[0].strip(" <")


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    """Announces PIPELINING and 8BITMIME like Postfix, unless told ``extensions=()``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        extensions: tuple[str, ...] = ("PIPELINING", "8BITMIME"),
        fault: Callable[[str, str], str | None] = lambda stage, recipient: None,
    ):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.extensions = extensions
        self.fault = fault
        self.mail_options: list[str] = []
        self.received: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()

    @property
    def port(self) -> int:
        return self.server_address[1]


class LoopbackSMTPBackend(EmailBackend):
    """Django's SMTP backend, connecting to the loopback port named in the environment."""

    def __init__(self, **options):
        options.update(host="127.0.0.1", port=int(os.environ[PORT_VARIABLE]), timeout=10)
        super().__init__(**options)
