"""Crawl the bundled snapshot site exactly as a user would: `scrapy crawl` in a subprocess,
against the snapshot served over real HTTP on 127.0.0.1.

`python -m snapshot.crawl` is the README's offline demo (./scripts/demo.sh): it writes feeds,
reports and a crawl state of its own under demo/, never into the live corpus's data/, whose
crawl state would otherwise count the snapshot's invented articles, which carry real IRIB news
ids, as emitted. The end-to-end tests call `crawl_snapshot` and check what it wrote.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from snapshot.server import DEFAULT_ROOT, SnapshotServer

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Politeness is for live sites; the snapshot is ours and local.
LOCAL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}
# The demo's folder (relative to the working directory: demo.sh runs from the repository's
# top), and its port: a crawl state records the host it was filled from, so the next demo must
# serve the snapshot on the same one.
DEMO_DIR = Path("demo")
DEMO_PORT = 8765


@dataclass(frozen=True)
class SnapshotCrawl:
    returncode: int
    log: str
    requests: list[str]
    feeds: list[Path]
    reports: list[Path] = field(default_factory=list)

    def records(self, kind: str) -> list[dict[str, Any]]:
        """Every record of one kind ("article" or "listing") in the feeds this crawl wrote."""
        return [
            json.loads(line)
            for feed in self.feeds
            if feed.name.startswith(f"{kind}s-")
            for line in feed.read_text(encoding="utf-8").splitlines()
        ]

    def report(self) -> dict[str, Any]:
        """The crawl report this crawl wrote (data/<site>/reports/<time>.json)."""
        [path] = self.reports
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return report


def crawl_command(
    base_url: str,
    data_dir: Path,
    *,
    spider: str = "iribnews",
    settings: Mapping[str, str] = LOCAL_SETTINGS,
    spider_args: Mapping[str, str] | None = None,
) -> list[str]:
    """The `scrapy crawl` command line that crawls the snapshot served at base_url."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"base_url={base_url}"]
    for name, value in (spider_args or {}).items():
        command += ["-a", f"{name}={value}"]
    for name, value in {**settings, "NEWSBOT_DATA_DIR": str(data_dir)}.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl_snapshot(
    data_dir: Path,
    *,
    spider: str = "iribnews",
    settings: Mapping[str, str] = LOCAL_SETTINGS,
    spider_args: Mapping[str, str] | None = None,
    timeout: float = 300,
    root: Path = DEFAULT_ROOT,
    server: SnapshotServer | None = None,
) -> SnapshotCrawl:
    """Serve the snapshot (the site under `root`, or use a running `server`), run
    `scrapy crawl <spider>` on it writing feeds and reports under data_dir, and return what
    the crawl wrote: feeds (new `*.jsonl` files, recovered ones included) and reports."""
    data_dir.mkdir(parents=True, exist_ok=True)
    before = set(data_dir.rglob("*.jsonl")) | set(data_dir.rglob("reports/*.json"))
    with _serving(server, root) as running:
        first = len(running.requests)
        command = crawl_command(
            running.base_url, data_dir, spider=spider, settings=settings, spider_args=spider_args
        )
        done = subprocess.run(
            command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=timeout, check=False
        )
        requests = list(running.requests[first:])
    feeds = sorted(set(data_dir.rglob("*.jsonl")) - before)
    reports = sorted(set(data_dir.rglob("reports/*.json")) - before)
    return SnapshotCrawl(done.returncode, done.stderr, requests, feeds, reports)


@contextmanager
def _serving(server: SnapshotServer | None, root: Path) -> Iterator[SnapshotServer]:
    if server is not None:
        yield server
        return
    with SnapshotServer(root) as started:
        yield started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEMO_DIR,
        help=f"where the demo writes feeds, reports and its crawl state (default: {DEMO_DIR}/)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEMO_PORT,
        help=f"serve the snapshot on this port of 127.0.0.1 (default {DEMO_PORT}; 0: any free "
        "port, for a data dir used once)",
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    server = SnapshotServer(port=args.port)
    try:
        server.start()
    except OSError as error:
        print(
            f"snapshot.crawl: cannot serve on 127.0.0.1:{args.port} ({error.strerror}); "
            "choose another with --port (and a new --data-dir: the crawl state knows the port)",
            file=sys.stderr,
        )
        return 1
    try:
        # The demo archives the raw pages too (<data dir>/iribnews/warc/), for `newsbot reparse`.
        warc_on = {**LOCAL_SETTINGS, "NEWSBOT_WARC_ENABLED": "True"}
        crawl = crawl_snapshot(data_dir, server=server, settings=warc_on)
    finally:
        server.stop()
    if crawl.returncode != 0:
        sys.stderr.write(crawl.log)
        return crawl.returncode
    for feed in crawl.feeds:
        lines = feed.read_text(encoding="utf-8").count("\n")
        print(f"{lines:5d} records  {feed}")
    for path in crawl.reports:
        print(f"report: {path}")
        skipped = crawl.report()["articles"]["skipped_known"]
        if skipped:
            print(f"{skipped} articles were emitted by an earlier demo and skipped")
    print(
        f"The demo wrote to {data_dir}: feeds and reports in {data_dir / 'iribnews'}, its crawl "
        f"state in {data_dir / 'state'} (delete {data_dir} to start over)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
