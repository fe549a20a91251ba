"""Id-range backfill benchmarks over loopback (`-a ids=...`, newsbot.crawl.idwalk).

./scripts/bench.sh idrange memory [--sizes 10000 100000 1000000]
      peak RSS of an id-range walk of each size over a generated site where 80% of the ids
      are articles and the rest 404s, missing-article pages and redirects to the home page
      (benchmarks/sitegen.py --gaps), politeness off; pages/s of each, against the
      `scrapy bench` no-op ceiling measured in the same run. Target (issue #13): peak RSS
      grows at most 20 MB from 10k to 1M ids. Sizes short of 1M are extrapolated to it,
      linearly from the last two, and the table says so.
./scripts/bench.sh idrange workers [--ids 1200] [--delay 0.2]
      1, 2 and 4 Redis workers sharing one walk of a site answering each page `delay`
      seconds late (so that what workers add is visible), each worker at the project's
      concurrency per domain; wall time and ids/s.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from pathlib import Path

from benchmarks.crawl import UNTHROTTLED, Run, generated_site, measured, scrapy_bench
from benchmarks.report import save_run
from benchmarks.sitegen import FIRST_ID
from snapshot.crawl import PROJECT_DIR, crawl_command
from tests.services import redis_server

TARGET_MB = 20.0
MILLION = 1_000_000
# Field coverage is measured on every page the walk reads, the 20% missing ones included.
WALK_SETTINGS = {**UNTHROTTLED, "NEWSBOT_COVERAGE_MIN_ARTICLES": "100000000"}


def site_with_gaps(ids: int, delay: float = 0.0) -> AbstractContextManager[str]:
    return generated_site(ids, "--gaps", *(["--delay", str(delay)] if delay else []))


def walk(ids: int, base_url: str, data_dir: Path) -> list[str]:
    return crawl_command(
        base_url,
        data_dir,
        settings=WALK_SETTINGS,
        spider_args={"ids": f"{FIRST_ID}-{FIRST_ID + ids - 1}"},
    )


def memory(sizes: list[int]) -> list[str]:
    ceiling = scrapy_bench(seconds=15)
    lines = [
        f"{'run':<34} {'pages':>9} {'seconds':>9} {'pages/s':>8} {'vs bench':>9} "
        f"{'peak RSS MB':>12}",
        f"{'scrapy bench (no-op, its defaults)':<34} {ceiling.pages:>9} "
        f"{ceiling.seconds:>9.1f} {ceiling.pages_per_second:>8.0f} {'100%':>9} "
        f"{ceiling.peak_rss_mb:>12.1f}",
    ]
    runs: list[Run] = []
    for size in sizes:
        with site_with_gaps(size) as base_url, tempfile.TemporaryDirectory() as data_dir:
            run = measured(walk(size, base_url, Path(data_dir)), PROJECT_DIR)
        runs.append(run)
        share = run.pages_per_second / ceiling.pages_per_second
        lines.append(
            f"{f'id walk of {size:,} ids':<34} {run.pages:>9} {run.seconds:>9.1f} "
            f"{run.pages_per_second:>8.0f} {share:>9.0%} {run.peak_rss_mb:>12.1f}"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    lines.append("")
    first, last = runs[0], runs[-1]
    if sizes[-1] >= MILLION:
        growth = last.peak_rss_mb - first.peak_rss_mb
        lines.append(
            f"peak RSS grows {growth:.1f} MB from {sizes[0]:,} to {sizes[-1]:,} ids "
            f"(target <= {TARGET_MB:.0f} MB: {'met' if growth <= TARGET_MB else 'NOT met'})."
        )
    else:
        before = runs[-2] if len(runs) > 1 else first
        size_before = sizes[-2] if len(runs) > 1 else sizes[0]
        slope = (last.peak_rss_mb - before.peak_rss_mb) / max(sizes[-1] - size_before, 1)
        projected = last.peak_rss_mb + slope * (MILLION - sizes[-1])
        growth = projected - first.peak_rss_mb
        lines += [
            f"measured: peak RSS grows {last.peak_rss_mb - first.peak_rss_mb:.1f} MB from "
            f"{sizes[0]:,} to {sizes[-1]:,} ids.",
            f"EXTRAPOLATED (not measured) to 1,000,000 ids, linearly from the last two sizes: "
            f"{projected:.1f} MB, growth {growth:.1f} MB from {sizes[0]:,} "
            f"(target <= {TARGET_MB:.0f} MB: {'met' if growth <= TARGET_MB else 'NOT met'}).",
        ]
    return lines


def workers(ids: int, delay: float, counts: list[int]) -> list[str]:
    lines = [
        f"{ids:,} ids, the site answering each page {delay} s late; "
        "each worker at the project's concurrency per domain",
        "",
        f"{'workers':>8} {'seconds':>9} {'ids/s':>7} {'vs 1 worker':>12}",
    ]
    first = None
    with tempfile.TemporaryDirectory() as redis_dir, redis_server(Path(redis_dir)) as url:
        for database, count in enumerate(counts, start=1):
            with site_with_gaps(ids, delay) as base_url, tempfile.TemporaryDirectory() as data:
                started = time.monotonic()
                processes = []
                for n in range(count):
                    command = walk(ids, base_url, Path(data) / f"worker{n}")
                    command += ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
                    processes.append(
                        subprocess.Popen(
                            command,
                            cwd=PROJECT_DIR,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env={**os.environ, "REDIS_URL": url.rsplit("/", 1)[0] + f"/{database}"},
                        )
                    )
                if any(p.wait() != 0 for p in processes):
                    raise SystemExit(f"a worker of {count} failed")
                seconds = time.monotonic() - started
            rate = ids / seconds
            first = first or rate
            lines.append(f"{count:>8} {seconds:>9.1f} {rate:>7.1f} {rate / first:>11.2f}x")
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=["memory", "workers"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, MILLION])
    parser.add_argument("--ids", type=int, default=1200)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args(argv)
    if args.which == "memory":
        save_run("idrange_memory", memory(args.sizes))
    else:
        save_run("idrange_workers", workers(args.ids, args.delay, [1, 2, 4]))


if __name__ == "__main__":
    main()
