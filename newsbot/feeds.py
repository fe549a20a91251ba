"""Feed storage that never shows a half-written file under a feed's name.

Records go to `<feed>.part` first, one whole line per write, flushed at once; only when the
crawl closes the feed is the file fsynced and renamed to its final name (or, for an appending
feed, added to the existing file). A crawl that dies leaves the `.part` file, whose lines are
all complete except possibly the last, and no file that readers of `*.jsonl` would pick up.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.extensions.feedexport import FileFeedStorage

if TYPE_CHECKING:
    from scrapy import Spider

PART_SUFFIX = ".part"


class _LineFlushingWriter(io.BufferedWriter):
    """Each write (the exporter writes one record per call) reaches the OS before it returns."""

    def write(self, data: bytes) -> int:  # type: ignore[override]
        written = super().write(data)
        self.flush()
        return written


class AtomicFileFeedStorage(FileFeedStorage):
    def open(self, spider: Spider) -> IO[bytes]:
        final = Path(self.path)
        final.parent.mkdir(parents=True, exist_ok=True)
        return _LineFlushingWriter(io.FileIO(self._part_path(), "w"))

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        part, final = self._part_path(), Path(self.path)
        if self.write_mode == "ab" and final.exists():
            with part.open("rb") as source, final.open("ab") as target:
                shutil.copyfileobj(source, target)
                target.flush()
                os.fsync(target.fileno())
            part.unlink()
        else:
            part.replace(final)

    def _part_path(self) -> Path:
        return Path(self.path + PART_SUFFIX)


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """Feed URI parameters: Scrapy's own plus %(data_dir)s, the NEWSBOT_DATA_DIR setting."""
    return {**params, "data_dir": spider.crawler.settings.get("NEWSBOT_DATA_DIR", "data")}
