"""Raw pages, archived: every response a crawl gets, in one gzipped WARC file per run, so that
the corpus can be rebuilt later with a better parser (`newsbot reparse`).

Opt-in (`NEWSBOT_WARC_ENABLED`); written through warcio to
`<NEWSBOT_DATA_DIR>/<site>/warc/<time>.warc.gz`. Like the feeds (newsbot.crawl.feeds), the file
is `<name>.part` until the crawl closes it, then fsynced and renamed: a file under its `.warc.gz`
name is always whole. Each record is its own gzip member, so a `.part` file a killed crawl left
still reads record by record up to the cut.

The downloader middleware sits next to the downloader (order 950, nearer to it than any of
Scrapy's own), so it sees every response as it came, before redirects are followed, retries
decided or bodies decompressed: 3xx, 4xx and robots.txt answers are archived too, and a
gzip-encoded body stays gzip-encoded with its Content-Encoding header (WARC readers,
warcio's among them, decode it).
Twisted has already undone chunked transfer coding, so Transfer-Encoding is left out of the
archived headers. Each record carries the page kind the spider requested it as
(`Newsbot-Page-Kind: front|article|feed|archive`), and the file's warcinfo record names the site:
what `newsbot reparse` needs to read a mirror's pages with the right profile and parser.
Pages rendered through Splash are archived as Splash's answers (its render.json), which
`newsbot reparse` skips.
"""

from __future__ import annotations

import io
import logging
import os
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, TYPE_CHECKING, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbot.crawl import config
from newsbot.crawl.feeds import PART_SUFFIX
from newsbot.crawl.kinds import KIND

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

WARC_SUFFIX = ".warc.gz"
PAGE_KIND_HEADER = "Newsbot-Page-Kind"
# The warcinfo fields newsbot writes: the site, and its home page, whose profile (its own, a
# catalog site's or the CMS defaults: newsbot.sites.catalog) reads the pages.
SITE_FIELD = "newsbot-site"
HOME_FIELD = "newsbot-home"
# Hop-by-hop coding Twisted has removed from the body it hands over.
_UNDONE_HEADERS = frozenset({b"transfer-encoding"})


def warc_folder(data_dir: Path, site: str) -> Path:
    return data_dir / site / "warc"


class WarcArchive:
    """Downloader middleware: each response into the run's WARC file, as it arrived."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.data_dir = Path(config.DATA_DIR.read(crawler.settings))
        self.path: Path | None = None
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self.records = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not config.WARC_ENABLED.read(crawler.settings):
            raise NotConfigured
        archive = cls(crawler)
        crawler.signals.connect(archive.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(archive.spider_closed, signal=signals.spider_closed)
        return archive

    def spider_opened(self, spider: Spider) -> None:
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace(":", "-")
        self.path = warc_folder(self.data_dir, spider.name) / f"{stamp}{WARC_SUFFIX}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = io.FileIO(self._part_path(), "w")
        self._writer = WARCWriter(self._file, gzip=True, warc_version="1.1")
        settings = self.crawler.settings
        info = {
            "software": "newsbot (warcio)",
            "format": "WARC File Format 1.1",
            "http-header-user-agent": settings.get("USER_AGENT") or "",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            SITE_FIELD: spider.name,
            HOME_FIELD: spider.profile.home_url,  # type: ignore[attr-defined]
        }
        self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, info))

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        if self._writer is None:
            return response
        status = f"{response.status} {_reason(response.status)}"
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            if name.lower() not in _UNDONE_HEADERS
            for value in values
        ]
        warc_headers = {
            "WARC-Date": _warc_date(datetime.now(UTC)),
            PAGE_KIND_HEADER: str(request.meta.get(KIND, "other")),
        }
        if response.ip_address is not None:
            warc_headers["WARC-IP-Address"] = str(response.ip_address)
        record = self._writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            length=len(response.body),
            http_headers=StatusAndHeaders(
                status, headers, protocol=response.protocol or "HTTP/1.1"
            ),
            warc_headers_dict=warc_headers,
        )
        self._writer.write_record(record)
        self.records += 1
        return response

    def spider_closed(self, spider: Spider) -> None:
        if self._file is None or self.path is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = self._writer = None
        self._part_path().replace(self.path)
        logger.info("Archived %s responses in %s", self.records, self.path)

    def _part_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + PART_SUFFIX)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _warc_date(moment: datetime) -> str:
    """WARC 1.1's WARC-Date, to the microsecond: `2026-11-29T20:50:29.123456Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
