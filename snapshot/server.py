"""Serve the bundled snapshot site over real HTTP on 127.0.0.1 (standard library only).

Routes, with the query string ignored except for the archive's page number:
  /                                   home.html
  /robots.txt                         robots.txt (text/plain)
  /fa/news/<digits>[/<anything>]      news/<digits>.html, whatever the slug says
  /fa/archive[?...&p=<N>]             pages/fa/archive/p<N>.html (p defaults to 1; the dates
                                      in the query are ignored, as by a CMS that ignores them)
  /fa/rss/<path>                      rss/<path>.xml (application/rss+xml)
  /<path>                             pages/<percent-decoded path>.html
Anything else, and any path that would leave pages/, is a 404 with a small HTML body.

With `hosts` (host → site directory), it also answers as an HTTP proxy does, for those hosts
only: a request for `http://<host>/<path>` (the absolute form a client sends a proxy) is
answered from that host's directory, by the routes above; another host is a 404, never
fetched. So a crawl of several hosts (a site's provincial desks) runs on loopback through it.

    python snapshot/server.py [--host 127.0.0.1] [--port 8000] [--root DIR] [--log FILE]

prints the base URL, then serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from typing import cast
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_ROOT = Path(__file__).resolve().parent / "site"

_NEWS_PATH = re.compile(r"/fa/news/([0-9]+)(?:/.*)?", re.DOTALL)
_HTML = "text/html; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_RSS = "application/rss+xml; charset=utf-8"
_ARCHIVE_PATH = "/fa/archive"
_RSS_PREFIX = "/fa/rss/"
_NOT_FOUND = (
    '<!DOCTYPE html>\n<html lang="fa-IR" dir="rtl"><head><meta charset="utf-8">'
    "<title>404</title></head><body><h1>404</h1><p>صفحه پیدا نشد.</p></body></html>\n"
).encode()


def resolve(root: Path, raw_path: str) -> tuple[Path, str] | None:
    """The file that answers a request path (raw, as received) and its content type.

    None when nothing in the snapshot answers it, including every path that tries to
    climb out of the site directory.
    """
    path = urlsplit(raw_path).path
    if path == "/":
        return root / "home.html", _HTML
    if path == "/robots.txt":
        return root / "robots.txt", _TEXT
    news = _NEWS_PATH.fullmatch(path)
    if news:
        return root / "news" / f"{news[1]}.html", _HTML
    if path == _ARCHIVE_PATH:
        page = parse_qs(urlsplit(raw_path).query).get("p", ["1"])[-1]
        if not page.isascii() or not page.isdigit():
            return None
        return root / "pages" / "fa" / "archive" / f"p{int(page)}.html", _HTML
    decoded = unquote(path, errors="strict") if "%" in path else path
    parts = decoded[1:].split("/")
    if not decoded.startswith("/") or any(
        part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts
    ):
        return None
    if decoded.startswith(_RSS_PREFIX):
        return _inside(root / "rss", parts[2:], ".xml", _RSS)
    if decoded.startswith(_ARCHIVE_PATH + "/"):
        return None  # archive pages only by their query: /fa/archive?p=N
    return _inside(root / "pages", parts, ".html", _HTML)


def _inside(
    folder: Path, parts: list[str], suffix: str, content_type: str
) -> tuple[Path, str] | None:
    if not parts:
        return None
    target = folder.joinpath(*parts[:-1], f"{parts[-1]}{suffix}")
    if not target.resolve().is_relative_to(folder.resolve()):
        return None
    return target, content_type


class SnapshotServer:
    """The snapshot served from a daemon thread; a context manager (start on enter, stop on exit).

    `requests` lists every request path (raw, as received, query included; the absolute URL
    for a request to a proxy) in arrival order.
    """

    def __init__(
        self,
        root: Path = DEFAULT_ROOT,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log_file: Path | None = None,
        hosts: Mapping[str, Path] | None = None,
    ) -> None:
        self.root = Path(root)
        self.hosts = {name: Path(folder) for name, folder in (hosts or {}).items()}
        self.host = host
        self.port = port
        self.log_file = log_file
        self.base_url = ""
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Start serving in a daemon thread; returns the base URL `http://host:port`."""
        if self._httpd is not None:
            raise RuntimeError("the snapshot server is already running")
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.snapshot = self
        self._httpd = httpd
        host, port = httpd.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, name="snapshot-server", daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close the socket; does nothing when not running."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def site_for(self, raw_path: str) -> Path | None:
        """The directory that answers a request: `root` for a path, the host's for an absolute
        URL (a request to a proxy), None for a host it does not serve."""
        if raw_path.startswith("/"):
            return self.root
        return self.hosts.get(urlsplit(raw_path).hostname or "")

    def record(self, raw_path: str) -> None:
        with self._lock:
            self.requests.append(raw_path)
            if self.log_file is not None:
                with self.log_file.open("a", encoding="utf-8") as log:
                    log.write(raw_path + "\n")

    def __enter__(self) -> SnapshotServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    snapshot: SnapshotServer


class _Handler(BaseHTTPRequestHandler):
    server_version = "newsbot-snapshot/1"

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, *, with_body: bool) -> None:
        snapshot = cast(_HTTPServer, self.server).snapshot
        snapshot.record(self.path)
        status, content_type, body = 404, _HTML, _NOT_FOUND
        site = snapshot.site_for(self.path)
        try:
            found = resolve(site, self.path) if site is not None else None
        except UnicodeDecodeError:
            found = None
        if found is not None and found[0].is_file():
            status, content_type, body = 200, found[1], found[0].read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: the default handler writes a line to stderr for every request."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Serve the bundled snapshot site until SIGTERM or SIGINT."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the site directory")
    parser.add_argument("--log", type=Path, help="append every request path to this file")
    args = parser.parse_args(argv)

    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    server = SnapshotServer(args.root, args.host, args.port, log_file=args.log)
    try:
        print(server.start(), flush=True)
        while not stopping.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
