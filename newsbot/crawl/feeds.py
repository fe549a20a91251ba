"""Feed storage that never shows a half-written file under a feed's name, and its recovery.

Records go to `<feed>.part` first, one whole line per write, flushed at once; only when the
crawl closes the feed is the file fsynced and renamed to its final name (or, for an appending
feed, added to the existing file). A crawl that dies leaves the `.part` file, whose lines are
all complete except possibly the last, and no file that readers of `*.jsonl` would pick up.
The next crawl of the site recovers it (`find_part_files`, `read_part_file`, then
`RecoveredFeed.publish`, run by newsbot.state.store): complete lines are kept, a trailing partial
line is dropped, and the file is renamed to `<feed>.recovered.jsonl`.

Two signals let the crawl state (newsbot.state.store) follow the feed exactly:

- `record_written` (line, path): a record's line has reached the OS in a `.part` file. Sent
  after the write, so a record counts as emitted only once it is in the feed.
- `part_synced` (path): a `.part` file is complete and fsynced, just before its rename. A
  record whose id is not committed to the state by then would, after a crash at this point, be
  neither in a `.part` file (recovered next run) nor known: the state commits here.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.extensions.feedexport import FeedExporter, FileFeedStorage

from newsbot.crawl import config

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager

PART_SUFFIX = ".part"
RECOVERED_SUFFIX = ".recovered.jsonl"

record_written = object()
part_synced = object()


class _LineFlushingWriter(io.BufferedWriter):
    """Each write (the exporter writes one record per call) reaches the OS before it returns;
    then `on_line` hears of it."""

    def __init__(self, raw: io.RawIOBase, on_line: Callable[[bytes], None] | None) -> None:
        super().__init__(raw)
        self._on_line = on_line

    def write(self, data: bytes) -> int:  # type: ignore[override]
        written = super().write(data)
        self.flush()
        if self._on_line is not None:
            self._on_line(bytes(data))
        return written


class AtomicFileFeedStorage(FileFeedStorage):
    def __init__(
        self,
        uri: str,
        *,
        feed_options: dict[str, Any] | None = None,
        signals: SignalManager | None = None,
    ) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.signals = signals

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> AtomicFileFeedStorage:
        return cls(uri, feed_options=feed_options, signals=crawler.signals)

    def open(self, spider: Spider) -> IO[bytes]:
        final = Path(self.path)
        final.parent.mkdir(parents=True, exist_ok=True)
        on_line = self._announce_line if self.signals is not None else None
        return _LineFlushingWriter(io.FileIO(self._part_path(), "w"), on_line)

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        part, final = self._part_path(), Path(self.path)
        if self.signals is not None:
            self.signals.send_catch_log(part_synced, path=part)
        if self.write_mode == "ab" and final.exists():
            with part.open("rb") as source, final.open("ab") as target:
                shutil.copyfileobj(source, target)
                target.flush()
                os.fsync(target.fileno())
            part.unlink()
        else:
            part.replace(final)

    def _announce_line(self, line: bytes) -> None:
        assert self.signals is not None
        self.signals.send_catch_log(record_written, line=line, path=self._part_path())

    def _part_path(self) -> Path:
        return Path(self.path + PART_SUFFIX)


def feed_exporter_runs(crawler: Crawler) -> bool:
    """Whether Scrapy's FeedExporter runs in this crawl, and so will send feed_exporter_closed.

    Extensions that must act after the feeds are stored wait for that signal: FeedExporter
    closes its feeds in a coroutine that runs after the spider_closed handlers return.
    """
    return crawler.extensions is not None and crawler.get_extension(FeedExporter) is not None


def csv_feed_refusal(feeds: Mapping[Any, Mapping[str, Any]]) -> str | None:
    """Why a crawl will not write a CSV feed (`-o out.csv`), or None when it has none.

    Scrapy's CSV exporter takes its columns from the first item, a listing, and writes every
    article as an empty row; and both record types nest lists. One-line reason, pointing to what
    does work.
    """
    for uri, options in feeds.items():
        if str(options.get("format", "")).lower() == "csv":
            return (
                f"{uri}: newsbot writes no CSV feed (articles and listings have different fields, "
                "and nested ones); write JSON Lines (-o out.jsonl, or the default feeds in "
                "data/<site>/) and convert them to CSV with `newsbot export`"
            )
    return None


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """Feed URI parameters: Scrapy's own plus %(data_dir)s, the NEWSBOT_DATA_DIR setting."""
    return {**params, "data_dir": config.DATA_DIR.read(spider.crawler.settings)}


@dataclass(frozen=True)
class RecoveredFeed:
    """A `.part` file a dead crawl left, read back: its whole records, ready to publish."""

    part: Path
    target: Path
    records: list[dict[str, Any]]
    # Length of the file up to its last newline; anything after it is a line cut short.
    whole_length: int
    # Bytes of that cut line (dropped) and complete lines that are not JSON objects (kept in
    # the file, since a crawl writes whole lines only and such a line was not written by it).
    dropped_bytes: int
    unreadable_lines: int

    def publish(self) -> Path | None:
        """Cut the cut-short line off and rename the file to `target`; an empty file goes.

        Safe to repeat after a crash half-way: truncating to the same length is idempotent,
        and once the rename happened there is no `.part` file left to recover.
        """
        if self.whole_length == 0:
            self.part.unlink(missing_ok=True)
            return None
        if self.dropped_bytes:
            os.truncate(self.part, self.whole_length)
            with self.part.open("rb") as file:
                os.fsync(file.fileno())
        self.part.replace(self.target)
        return self.target


def read_part_file(part: Path) -> RecoveredFeed:
    """Read what a dead crawl left in `part`: every complete line, as JSON records."""
    data = part.read_bytes()
    cut = data.rfind(b"\n") + 1
    records: list[dict[str, Any]] = []
    unreadable = 0
    for line in data[:cut].split(b"\n")[:-1]:
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            records.append(record)
        else:
            unreadable += 1
    return RecoveredFeed(
        part=part,
        target=_recovered_name(part),
        records=records,
        whole_length=cut,
        dropped_bytes=len(data) - cut,
        unreadable_lines=unreadable,
    )


def find_part_files(folder: Path) -> list[Path]:
    """The `.part` feeds a dead crawl left in a site's folder, oldest name first."""
    return sorted(folder.glob(f"*.jsonl{PART_SUFFIX}")) if folder.is_dir() else []


def _recovered_name(part: Path) -> Path:
    """`articles-<time>.jsonl.part` → `articles-<time>.recovered.jsonl` (`...recovered-2...`
    if that exists). Never the feed's own name: a crawl started in the same second as the dead
    one would write its feed there and replace the recovered records."""
    stem = part.name.removesuffix(f".jsonl{PART_SUFFIX}")
    target = part.with_name(stem + RECOVERED_SUFFIX)
    n = 2
    while target.exists():
        target = part.with_name(f"{stem}.recovered-{n}.jsonl")
        n += 1
    return target
