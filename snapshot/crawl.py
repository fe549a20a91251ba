"""Crawl the bundled snapshot site exactly as a user would: `scrapy crawl` in a subprocess,
against the snapshot served over real HTTP on 127.0.0.1.

`python -m snapshot.crawl` is the README's offline demo; the end-to-end tests call
`crawl_snapshot` and check what it wrote.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from snapshot.server import SnapshotServer

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Politeness is for live sites; the snapshot is ours and local.
LOCAL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


@dataclass(frozen=True)
class SnapshotCrawl:
    returncode: int
    log: str
    requests: list[str]
    feeds: list[Path]

    def records(self, kind: str) -> list[dict[str, Any]]:
        """Every record of one kind ("article" or "listing") in the feeds this crawl wrote."""
        return [
            json.loads(line)
            for feed in self.feeds
            if feed.name.startswith(f"{kind}s-")
            for line in feed.read_text(encoding="utf-8").splitlines()
        ]


def crawl_snapshot(
    data_dir: Path,
    *,
    spider: str = "iribnews",
    settings: Mapping[str, str] = LOCAL_SETTINGS,
    spider_args: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> SnapshotCrawl:
    """Serve the snapshot, run `scrapy crawl <spider>` on it writing feeds under data_dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    before = set(data_dir.rglob("*.jsonl"))
    with SnapshotServer() as server:
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            spider,
            "-a",
            f"base_url={server.base_url}",
        ]
        for name, value in (spider_args or {}).items():
            command += ["-a", f"{name}={value}"]
        for name, value in {**settings, "NEWSBOT_DATA_DIR": str(data_dir)}.items():
            command += ["-s", f"{name}={value}"]
        done = subprocess.run(
            command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=timeout, check=False
        )
        requests = list(server.requests)
    feeds = sorted(set(data_dir.rglob("*.jsonl")) - before)
    return SnapshotCrawl(done.returncode, done.stderr, requests, feeds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / "data")
    args = parser.parse_args(argv)
    crawl = crawl_snapshot(args.data_dir)
    if crawl.returncode != 0:
        sys.stderr.write(crawl.log)
        return crawl.returncode
    for feed in crawl.feeds:
        lines = feed.read_text(encoding="utf-8").count("\n")
        print(f"{lines:5d} records  {feed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
