"""A fault-injecting HTTP server on a loopback address: the bundled snapshot site, with chosen
pages answering badly.

`FaultServer(faults)` serves snapshot/site exactly as snapshot.server does, except for the
paths named in `faults`: each maps to the answers its successive requests get, the last one
repeating (`[Status(503), Status(503), Serve()]`: 503 twice, then the page). An article is
named by its news id (`"3900001"`, whatever slug the request carries), any other page by its
path; `default` answers every path not named (`[Status(403)]`: a site that refuses us). Every request is recorded in `requests` (raw path, query included), as by
SnapshotServer, so a test can also prove that a server was never asked for anything.

Answers: Serve (the page, optionally re-encoded or with another declared charset), Status,
Slow (sleep past the client's timeout, then answer), Reset (TCP RST after reading the
request), ShortBody (fewer bytes than Content-Length, then close: data loss), CutHtml (a
complete HTTP response whose HTML stops mid-body, with or without Content-Length), Redirect,
MetaRefresh, Huge (an enormous 200, with or without Content-Length), Empty (200, no body).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from newsbot.sites.urls import news_id_from_url
from snapshot.server import DEFAULT_ROOT, SnapshotServer, resolve


@dataclass(frozen=True)
class Serve:
    """The snapshot's page; `encoding` re-encodes its text, `charset` is what the header says."""

    encoding: str | None = None
    charset: str | None = None


@dataclass(frozen=True)
class Status:
    code: int


@dataclass(frozen=True)
class Slow:
    seconds: float


@dataclass(frozen=True)
class Reset:
    pass


@dataclass(frozen=True)
class ShortBody:
    """Content-Length of the whole page, `share` of it sent, then the connection closed."""

    share: float = 0.5


@dataclass(frozen=True)
class CutHtml:
    """`share` of the page as a complete response: Content-Length says so, or (without it) the
    connection closes after it, as an HTTP/1.0 server ends a body."""

    share: float = 0.5
    content_length: bool = True


@dataclass(frozen=True)
class Redirect:
    """`location` may use {base} (this server's base URL)."""

    location: str
    code: int = 302


@dataclass(frozen=True)
class MetaRefresh:
    location: str


@dataclass(frozen=True)
class Huge:
    size: int
    content_length: bool = True


@dataclass(frozen=True)
class Empty:
    pass


Answer = Serve | Status | Slow | Reset | ShortBody | CutHtml | Redirect | MetaRefresh | Huge | Empty


class FaultServer(SnapshotServer):
    """The snapshot site with faults; a context manager like SnapshotServer."""

    def __init__(
        self,
        faults: Mapping[str, Sequence[Answer]] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        root: Path = DEFAULT_ROOT,
        default: Sequence[Answer] = (),
    ) -> None:
        super().__init__(root, host, port)
        self.faults = {key: list(answers) for key, answers in (faults or {}).items()}
        self.default = list(default)
        self._served: dict[str, int] = {}
        self._fault_lock = threading.Lock()

    def start(self) -> str:
        httpd = _FaultHTTPServer((self.host, self.port), _FaultHandler)
        httpd.faults = self
        self._httpd = httpd  # type: ignore[assignment]  # stopped by SnapshotServer.stop
        host, port = httpd.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, name="fault-server", daemon=True
        )
        self._thread.start()
        return self.base_url

    def __enter__(self) -> FaultServer:
        self.start()
        return self

    def answer_for(self, raw_path: str) -> Answer:
        """The answer to this request of the path (counting it)."""
        path = urlsplit(raw_path).path
        news_id = news_id_from_url(path)
        key = str(news_id) if news_id is not None else path
        answers = self.faults.get(key) or self.default
        if not answers:
            return Serve()
        with self._fault_lock:
            count = self._served.get(key, 0)
            self._served[key] = count + 1
        return answers[min(count, len(answers) - 1)]

    def requests_for(self, news_id: int | str) -> list[str]:
        return [path for path in self.requests if news_id_from_url(path) == int(news_id)]


class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # A crawl opens many connections at once; the default backlog (5) would drop some.
    request_queue_size = 128
    faults: FaultServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Silenced: a client that gave up (a timeout, a refused huge page) breaks the pipe."""


class _FaultHandler(BaseHTTPRequestHandler):
    server_version = "newsbot-faults/1"

    def do_GET(self) -> None:
        server = cast(_FaultHTTPServer, self.server).faults
        server.record(self.path)
        answer = server.answer_for(self.path)
        if isinstance(answer, Slow):
            time.sleep(answer.seconds)
            answer = Serve()
        if isinstance(answer, Reset):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if isinstance(answer, Redirect):
            location = answer.location.format(base=server.base_url)
            self._send(answer.code, b"", headers={"Location": location})
            return
        if isinstance(answer, MetaRefresh):
            page = f'<html><head><meta http-equiv="refresh" content="0; url={answer.location}">'
            self._send(200, (page + "</head><body></body></html>").encode())
            return
        if isinstance(answer, Status):
            self._send(answer.code, f"<html><body>{answer.code}</body></html>".encode())
            return
        if isinstance(answer, Empty):
            self._send(200, b"")
            return
        if isinstance(answer, Huge):
            self._send_huge(answer)
            return
        status, content_type, body = self._page(server)
        if isinstance(answer, Serve):
            if answer.encoding:
                body = body.decode("utf-8").encode(answer.encoding, "xmlcharrefreplace")
            if answer.charset:
                content_type = f"text/html; charset={answer.charset}"
            self._send(status, body, content_type=content_type)
        elif isinstance(answer, ShortBody):
            self._send(status, body[: int(len(body) * answer.share)], length=len(body))
        elif isinstance(answer, CutHtml):
            cut = body[: int(len(body) * answer.share)]
            self._send(status, cut, length=len(cut) if answer.content_length else None)

    def _page(self, server: FaultServer) -> tuple[int, str, bytes]:
        try:
            found = resolve(server.root, self.path)
        except UnicodeDecodeError:
            found = None
        if found is not None and found[0].is_file():
            return 200, found[1], found[0].read_bytes()
        return 404, "text/html; charset=utf-8", b"<html><body>404</body></html>"

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        length: int | None = -1,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(len(body) if length == -1 else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _send_huge(self, answer: Huge) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if answer.content_length:
            self.send_header("Content-Length", str(answer.size))
        self.end_headers()
        chunk = b"<p>" + "بسیار بزرگ ".encode() * 5000 + b"</p>\n"
        sent = 0
        try:
            while sent < answer.size:
                part = chunk[: answer.size - sent]
                self.wfile.write(part)
                sent += len(part)
        except OSError:  # the client gave up on it, as it should
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Silenced."""
