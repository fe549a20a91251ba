"""Benchmark: the crawl state's SQLite store (newsbot.state.store.SQLiteStateStore),
from 10k to 1M ids.

Run ``.venv/bin/python -m benchmarks.state_store`` (or ``./scripts/bench.sh state_store``).
Each size runs in a fresh interpreter, so its memory figures are its own. It marks N news ids as a
crawl does (commits every 100 marks), then times lookups of known and unknown ids, the open of
the store (with the id count a crawl logs at start) and the file size, and compares the memory
with what a Python set of the same ids holds. The table, with a description of the machine, is
written to ``benchmarks/runs/state_store.txt``.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SIZES = (10_000, 100_000, 1_000_000)
LOOKUPS = 100_000
COMMIT_EVERY = 100  # as NEWSBOT_STATE_COMMIT_EVERY


def rss_kib() -> tuple[int, int]:
    """Resident and peak resident memory of this process (VmRSS, VmHWM), in KiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def reset_peak() -> int:
    """Start measuring the peak anew (Linux: clear_refs 5 resets VmHWM); the RSS now."""
    Path("/proc/self/clear_refs").write_text("5")
    return rss_kib()[0]


def measure(size: int) -> dict[str, Any]:
    """One size, in this process: the store first, then a set, for comparison."""
    from newsbot.state.store import SQLiteStateStore, content_fingerprint

    # Ids as a site hands them out, rising with gaps; made on the fly, so that no big list
    # of them sits in (or leaves freed memory in) the process being measured.
    rng = random.Random(size)

    def news_id(n: int) -> int:
        return 3_000_000 + 7 * n + n % 5

    known = [news_id(rng.randrange(size)) for _ in range(LOOKUPS)]
    missing = [news_id(rng.randrange(size)) + 1 for _ in range(LOOKUPS)]
    fingerprint = content_fingerprint("عنوان", "لید", "متن")
    seen = datetime(2026, 11, 26, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "site.sqlite3"
        # Warm up: SQLite's code and caches of an empty store are not the ids' cost.
        warm = SQLiteStateStore(Path(folder) / "warm.sqlite3")
        warm.mark("www", 1, 1, fingerprint, seen)
        assert warm.get("www", 1) is not None
        warm.close()
        rss_before = reset_peak()
        store = SQLiteStateStore(path)
        started = time.perf_counter()
        for n in range(1, size + 1):
            store.mark("www", news_id(n - 1), 1, fingerprint, seen)
            if n % COMMIT_EVERY == 0:
                store.commit()
        store.close()
        insert_s = time.perf_counter() - started
        _, peak_insert = rss_kib()

        reset_peak()
        started = time.perf_counter()
        store = SQLiteStateStore(path)
        count = len(store)
        open_ms = (time.perf_counter() - started) * 1000
        assert count == size
        started = time.perf_counter()
        for wanted in known:
            assert store.get("www", wanted) is not None
        known_us = (time.perf_counter() - started) / LOOKUPS * 1e6
        started = time.perf_counter()
        for unknown in missing:
            assert store.get("www", unknown) is None
        missing_us = (time.perf_counter() - started) / LOOKUPS * 1e6
        rss_store, peak_lookup = rss_kib()
        store.close()
        file_mib = path.stat().st_size / 2**20

    rss_before_set = reset_peak()
    as_set = {news_id(n) for n in range(size)}
    rss_set, _ = rss_kib()
    started = time.perf_counter()
    for wanted in known:
        assert wanted in as_set
    set_us = (time.perf_counter() - started) / LOOKUPS * 1e6
    return {
        "size": size,
        "insert_per_s": size / insert_s,
        "open_ms": open_ms,
        "known_us": known_us,
        "missing_us": missing_us,
        "store_rss_mib": (rss_store - rss_before) / 1024,
        "store_peak_mib": (max(peak_insert, peak_lookup) - rss_before) / 1024,
        "file_mib": file_mib,
        "set_mib": (rss_set - rss_before_set) / 1024,
        "set_us": set_us,
    }


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"store: SQLite {sqlite3.sqlite_version}, WAL, synchronous=NORMAL; "
        f"marks committed every {COMMIT_EVERY}; {LOOKUPS:,} lookups of each kind",
        "memory: growth of resident memory over the process before the store opened, after the "
        "lookups (RSS) and at its highest while marking or looking up (peak); 'set' is a Python "
        "set of the same ids",
        "",
        f"{'ids':>9}  {'marks/s':>8}  {'open+count':>10}  {'lookup hit':>10}  "
        f"{'lookup miss':>11}  {'RSS growth':>10}  {'peak':>8}  {'file':>8}  "
        f"{'set RSS':>8}  {'set lookup':>10}",
    ]
    for row in rows:
        lines.append(
            f"{row['size']:>9,}  {row['insert_per_s']:>8,.0f}  {row['open_ms']:>8.1f}ms  "
            f"{row['known_us']:>8.2f}µs  {row['missing_us']:>9.2f}µs  "
            f"{row['store_rss_mib']:>7.1f}MiB  {row['store_peak_mib']:>5.1f}MiB  "
            f"{row['file_mib']:>5.1f}MiB  {row['set_mib']:>5.1f}MiB  {row['set_us']:>8.2f}µs"
        )
    return lines


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
        return 0
    rows = []
    for size in SIZES:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.state_store", "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(done.stdout))
    from benchmarks.report import save_run

    save_run("state_store", table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
