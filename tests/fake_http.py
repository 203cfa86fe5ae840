"""A recording HTTP server on 127.0.0.1 that stands in for SMS and push providers."""

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake server received; header names are lower case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class CannedResponse:
    """What the fake server answers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Responder = Callable[[RecordedRequest], CannedResponse]


class FakeHttpServer:
    """Serves in a thread; records every request and answers with ``respond(request)``."""

    def __init__(self, respond: Responder) -> None:
        self.requests: list[RecordedRequest] = []
        self.respond = respond
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        # Handler threads must not keep the test process alive when a test leaves one hanging.
        self._server.daemon_threads = True
        # A short poll keeps shutdown, and so each test's teardown, quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeHttpServer":
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _handler_for(fake: FakeHttpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = RecordedRequest(self.command, self.path, headers, body)
            fake.requests.append(request)
            response = fake.respond(request)
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        #: Feeds are fetched with GET; the fake answers every method the same way.
        do_GET = do_POST

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output clean."""

    return Handler


def closed_port_url() -> str:
    """A loopback URL on which nothing listens, so connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
