"""Benchmark: `newsbot export` of a generated corpus of 1,000,000 article records and 200,000
listing snapshots (target: each table in under 2 minutes and 1 GB peak RSS on 2 cores).

Run ``.venv/bin/python -m benchmarks.export`` (or ``./scripts/bench.sh export``); ``--articles``
and ``--snapshots`` change the sizes, ``--keep DIR`` keeps (and reuses) the generated corpus.
The corpus is 1,000 runs' feeds of one site: 1,000 articles a run, 5% of them a second
revision of an article of an earlier run, bodies of about 1,500 Persian characters; 200
listing snapshots a run of 10 entries each. Every table is exported to Parquet by the real
command (`newsbot export`) in a child process, whose wall time, CPU time and peak RSS (its
rusage) are measured; the load average of the machine before and after each is reported with
them, since it is shared. The table is saved to ``benchmarks/runs/export.txt``
(``./scripts/bench.sh publish export`` makes it the published result).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.report import save_run

SITE = "iribnews"
RUNS = 1000
WORDS = (
    "کتابخانه", "عمومی", "استان", "گزارش", "خبرنگار", "شهر", "مردم", "دولت", "ورزش", "بازار",
    "نمایشگاه", "دانشگاه", "هوا", "باران", "قطار", "ایستگاه", "مسابقه", "تیم", "فرهنگ", "هنر",
)  # fmt: skip
SECTIONS = (["اجتماعی", "جامعه و شهری"], ["ورزشی"], ["اقتصادی", "بازار"], ["فرهنگی"])
LISTS = ("latest", "most_viewed", "most_discussed")


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def generate(folder: Path, articles: int, snapshots: int) -> None:
    """Write the corpus: RUNS pairs of feeds, as scheduled runs of one site leave them."""
    rng = random.Random(14)
    bodies = [text(rng, 250) for _ in range(64)]  # ~1,500 characters each
    site_dir = folder / SITE
    site_dir.mkdir(parents=True, exist_ok=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    per_run, snapshots_per_run = articles // RUNS, snapshots // RUNS
    next_id = 3_000_000
    for run in range(RUNS):
        at = start + timedelta(minutes=15 * run)
        stamp = at.isoformat(timespec="seconds").replace(":", "-")
        crawled = at.isoformat(timespec="seconds")
        lines = []
        # A second revision of articles of earlier runs, each once in this run.
        revised_ids = iter(rng.sample(range(3_000_000, next_id), per_run // 20) if run else ())
        for n in range(per_run):
            revised = run > 0 and n % 20 == 0
            news_id = next(revised_ids) if revised else next_id
            next_id += 0 if revised else 1
            published = at - timedelta(minutes=rng.randrange(600))
            record = {
                "type": "article", "site": SITE, "desk": "www",
                "url": f"https://www.iribnews.ir/fa/news/{news_id}/slug",
                "canonical_url": f"https://www.iribnews.ir/fa/news/{news_id}",
                "news_id": news_id, "revision": 2 if revised else 1,
                "title": text(rng, 8), "kicker": text(rng, 3), "lead": text(rng, 30),
                "body": bodies[n % len(bodies)], "section": SECTIONS[n % len(SECTIONS)],
                "tags": [text(rng, 1), text(rng, 2)],
                "published_at": (published + timedelta(hours=3, minutes=30)).strftime(
                    "%Y-%m-%dT%H:%M:00+03:30"
                ),
                "published_at_utc": published.strftime("%Y-%m-%dT%H:%M:00Z"),
                "published_precision": "minute", "published_at_jalali": "1404-10-11T12:27",
                "published_at_raw": "۱۱ دی ۱۴۰۴ - ۱۲:۲۷", "views": rng.randrange(10_000),
                "comment_count": rng.randrange(50),
                "images": [{"url": f"https://www.iribnews.ir/files/{news_id}.jpg", "alt": None}],
                "crawled_at": crawled,
            }  # fmt: skip
            lines.append(json.dumps(record, ensure_ascii=False))
        (site_dir / f"articles-{stamp}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
        lines = []
        for n in range(snapshots_per_run):
            ids = rng.sample(range(max(3_000_000, next_id - 300), next_id), 10)
            record = {
                "type": "listing", "site": SITE, "list": LISTS[n % 3], "block": "sidebar",
                "page_url": f"https://www.iribnews.ir/fa/services/{n // 3}", "captured_at": crawled,
                "entries": [
                    {
                        "rank": rank, "news_id": i, "url": f"https://www.iribnews.ir/fa/news/{i}",
                        "canonical_url": f"https://www.iribnews.ir/fa/news/{i}", "desk": "www",
                        "title": text(rng, 8), "comment_count": None,
                    }
                    for rank, i in enumerate(ids, start=1)
                ],
            }  # fmt: skip
            lines.append(json.dumps(record, ensure_ascii=False))
        (site_dir / f"listings-{stamp}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


def run_export(data_dir: Path, what: str, output: Path) -> tuple[float, float, float, str]:
    """`newsbot export` in a child process: its wall time and CPU time (s), peak RSS (MB), and
    stdout. On a busy machine the wall time grows with the load; the CPU time much less."""
    command = [sys.executable, "-m", "newsbot.tools.cli", "export", str(data_dir), "--site", SITE]
    command += ["--what", what, "--format", "parquet", "-o", str(output)]
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {status}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--snapshots", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="generate the corpus here (reused if there)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-export-") as scratch:
        data_dir = args.keep or Path(scratch) / "data"
        if not (data_dir / SITE).is_dir():
            started = time.monotonic()
            generate(data_dir, args.articles, args.snapshots)
            print(f"generated {data_dir} in {time.monotonic() - started:.0f} s", file=sys.stderr)
        size = sum(path.stat().st_size for path in (data_dir / SITE).iterdir())
        lines = [
            f"corpus: {args.articles:,} article records, {args.snapshots:,} listing snapshots "
            f"({args.snapshots * 10:,} entries) in {2 * RUNS} feeds, {size / 1e9:.2f} GB",
            "",
            f"{'table':<10} {'wall s':>7} {'CPU s':>6} {'peak RSS MB':>12} {'rows':>10} "
            f"{'Parquet MB':>11}  load average before → after (1 min)",
        ]
        for what in ("articles", "revisions", "listings", "rankings"):
            output = Path(scratch) / f"{what}.parquet"
            before = os.getloadavg()[0]
            elapsed, cpu, peak, out = run_export(data_dir, what, output)
            after = os.getloadavg()[0]
            rows = out.split()[1] if out.startswith("wrote") else "?"
            lines.append(
                f"{what:<10} {elapsed:7.1f} {cpu:6.1f} {peak:12.0f} {rows:>10} "
                f"{output.stat().st_size / 1e6:11.1f}  {before:.2f} → {after:.2f}"
            )
            print(lines[-1], file=sys.stderr)
    save_run("export", lines)


if __name__ == "__main__":
    main()
