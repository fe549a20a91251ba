"""Benchmark: the disk cost of archiving raw pages (NEWSBOT_WARC_ENABLED), per 1,000 pages.

Run ``.venv/bin/python -m benchmarks.warc_size`` (or ``./scripts/bench.sh warc_size``). It
crawls the bundled snapshot as the demo does (WARC on), then measures, per page kind, the bytes
its records take in the gzipped WARC file (each record is its own gzip member: its offset and
length in the file), the uncompressed HTML bodies, and, for comparison, the articles feed. The
snapshot's pages are written by hand and lighter than the live site's (no scripts, ads or
inline styles), so a live crawl's WARC costs more per page. The table is saved to
``benchmarks/runs/warc_size.txt`` (``./scripts/bench.sh publish warc_size`` publishes it).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from benchmarks.report import save_run
from newsbot.crawl.warc import PAGE_KIND_HEADER
from snapshot.crawl import LOCAL_SETTINGS, crawl_snapshot


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-warc-") as folder:
        data = Path(folder)
        crawl = crawl_snapshot(data, settings={**LOCAL_SETTINGS, "NEWSBOT_WARC_ENABLED": "True"})
        if crawl.returncode != 0:
            raise SystemExit(crawl.log)
        [warc] = (data / "iribnews" / "warc").iterdir()
        pages: Counter[str] = Counter()
        stored: Counter[str] = Counter()
        bodies: Counter[str] = Counter()
        with warc.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                kind = record.rec_headers.get_header(PAGE_KIND_HEADER) or record.rec_type
                body = record.content_stream().read() if record.http_headers else b""
                records.read_to_end(record)
                pages[kind] += 1
                stored[kind] += records.get_record_length()
                bodies[kind] += len(body)
        feed = sum(f.stat().st_size for f in crawl.feeds if f.name.startswith("articles-"))
        articles = len(crawl.records("article"))
        lines = [
            f"snapshot crawl: {sum(pages.values())} WARC records, {warc.stat().st_size:,} bytes",
            "",
            f"{'kind':<10} {'records':>7} {'WARC KB':>8} {'KB per 1,000':>13} "
            f"{'HTML KB per 1,000':>18} {'ratio':>6}",
        ]
        for kind in sorted(pages):
            per = 1000 / pages[kind]
            lines.append(
                f"{kind:<10} {pages[kind]:>7} {stored[kind] / 1024:8.1f} "
                f"{stored[kind] * per / 1024:13.0f} {bodies[kind] * per / 1024:18.0f} "
                f"{bodies[kind] / max(1, stored[kind]):6.1f}"
            )
        lines += [
            "",
            f"articles feed: {articles} records, {feed * 1000 / articles / 1024:.0f} KB per "
            "1,000 articles (uncompressed JSON Lines)",
        ]
    save_run("warc_size", lines)


if __name__ == "__main__":
    main()
