"""Crawl benchmarks over loopback, politeness off, each run in its own processes.

  ./scripts/bench.sh crawl speed     pages/s crawling a generated site (2,000 articles) against
                                     the `scrapy bench` no-op ceiling, measured in the same run
  ./scripts/bench.sh crawl memory    peak RSS of a crawl of 1k, 10k and 100k generated articles

The site is benchmarks/sitegen.py in a separate process; the crawl is `scrapy crawl iribnews`
with the project's own settings except politeness, exactly as a user runs it.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import save_run
from snapshot.crawl import PROJECT_DIR, crawl_command

UNTHROTTLED = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    # The same concurrency as `scrapy bench` uses (Scrapy's defaults).
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "INFO",
}


@dataclass(frozen=True)
class Run:
    pages: int
    items: int
    seconds: float
    peak_rss_mb: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds


@contextmanager
def generated_site(articles: int, *options: str) -> Iterator[str]:
    """benchmarks.sitegen serving `articles` (with its other `options`, such as `--gaps`) in a
    process of its own; yields its base URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.sitegen", "--articles", str(articles), *options],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait(timeout=30)
        assert server.stdout is not None
        server.stdout.close()


def measured(command: list[str], cwd: Path) -> Run:
    """Run a Scrapy command to its end; read its stats and its own peak RSS (wait4)."""
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=cwd, stderr=log, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text[-3000:]}")

    def stat(name: str) -> float:
        match = re.search(rf"'{re.escape(name)}': ([\d.]+)", text)
        return float(match.group(1)) if match else 0.0

    return Run(
        pages=int(stat("response_received_count")),
        items=int(stat("item_scraped_count")),
        seconds=stat("elapsed_time_seconds"),
        peak_rss_mb=usage.ru_maxrss / 1024,
    )


def crawl(base_url: str, data_dir: str) -> Run:
    # The generated site has menus and lists but no feed, whose start page would fail (exit
    # status 7).
    command = crawl_command(
        base_url, Path(data_dir), settings=UNTHROTTLED, spider_args={"sources": "front"}
    )
    return measured(command, PROJECT_DIR)


def scrapy_bench(seconds: int) -> Run:
    # Outside the project, so `scrapy bench` runs with Scrapy's defaults, as its ceiling means.
    with tempfile.TemporaryDirectory() as elsewhere:
        command = [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"]
        return measured(command, Path(elsewhere))


def speed() -> list[str]:
    articles = 2000
    ceiling = scrapy_bench(seconds=15)
    with generated_site(articles) as base_url, tempfile.TemporaryDirectory() as data_dir:
        ours = crawl(base_url, data_dir)
    share = ours.pages_per_second / ceiling.pages_per_second
    return [
        f"{'run':<44} {'pages':>7} {'seconds':>8} {'pages/s':>8}",
        f"{'scrapy bench (no-op spider, Scrapy defaults)':<44} {ceiling.pages:>7} "
        f"{ceiling.seconds:>8.1f} {ceiling.pages_per_second:>8.0f}",
        f"{f'newsbot crawl, {articles} generated articles':<44} {ours.pages:>7} "
        f"{ours.seconds:>8.1f} {ours.pages_per_second:>8.0f}",
        "",
        f"newsbot reaches {share:.0%} of the scrapy bench ceiling ({ours.items} records written).",
    ]


def memory(sizes: list[int]) -> list[str]:
    lines = [f"{'articles':>9} {'pages':>8} {'seconds':>8} {'peak RSS MB':>12}"]
    runs = []
    for size in sizes:
        with generated_site(size) as base_url, tempfile.TemporaryDirectory() as data_dir:
            run = crawl(base_url, data_dir)
        runs.append(run)
        lines.append(f"{size:>9} {run.pages:>8} {run.seconds:>8.1f} {run.peak_rss_mb:>12.1f}")
        print(lines[-1], file=sys.stderr, flush=True)
    growth = runs[-1].peak_rss_mb - runs[0].peak_rss_mb
    lines += ["", f"peak RSS grows {growth:.1f} MB from {sizes[0]} to {sizes[-1]} articles."]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=["speed", "memory"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    if args.which == "speed":
        save_run("crawl_speed", speed())
    else:
        save_run("crawl_memory", memory(args.sizes))


if __name__ == "__main__":
    main()
