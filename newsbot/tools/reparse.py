"""Archived pages (WARC, newsbot.crawl.warc) → records again, with today's parser.

`newsbot reparse WARC... -o DIR` rebuilds the feeds a crawl wrote, after a parser fix or for a
new field: every archived home, section and article page goes through the same parser and
record steps as in a crawl (newsbot.tools.pages), dated by its capture time (WARC-Date), and
the crawl's last step is repeated: an article is emitted once per WARC file (one crawl), and
again in a later file only when its title, lead or body changed, as its next revision.
Revisions are numbered over the files given, oldest name first. `newsbot extract FILE.warc.gz`
prints every archived page's records, without that step.

What a crawl did not parse is not parsed here either: robots.txt, RSS feeds and archive pages
only led to other pages, answers other than 2xx were dropped (a redirect's target is archived
as its own response), and a page cut short, empty or undecodable is dropped for the same
reason as in the crawl (newsbot.crawl.downloads.page_problem, on a Scrapy response built from
the record). A backfill's date range is not applied: every archived article is emitted.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsbot.crawl.downloads import page_problem
from newsbot.crawl.feeds import PART_SUFFIX
from newsbot.crawl.warc import HOME_FIELD, PAGE_KIND_HEADER, WARC_SUFFIX
from newsbot.extract.article import NotAnArticle
from newsbot.extract.records import RecordRejected
from newsbot.sites.catalog import family_profile_for_url
from newsbot.sites.urls import is_section_url, news_id_from_url
from newsbot.state.store import record_fingerprint
from newsbot.tools.pages import PageKind, page_records

logger = logging.getLogger(__name__)

# Headers that describe the body as sent; the body handed to the parser is decoded.
_CODING_HEADERS = (b"Content-Encoding", b"Transfer-Encoding", b"Content-Length")


class ReparseError(ValueError):
    """A WARC file that cannot be read, or whose pages belong to no known site."""


@dataclass(frozen=True)
class ArchivedPage:
    site: str
    kind: PageKind
    url: str
    fetched_at: str  # the capture time, to the second, as records carry it
    records: list[dict[str, Any]]


@dataclass
class Summary:
    """What a reparse read and wrote, for the command's output."""

    pages: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    written: list[Path] = field(default_factory=list)

    def text(self) -> str:
        def pairs(counts: Counter[str]) -> str:
            return ", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "none"

        return "\n".join(
            [
                f"pages read: {pairs(self.pages)}",
                f"records written: {pairs(self.records)}",
                f"dropped: {pairs(self.dropped)}",
                *(f"wrote {path}" for path in self.written),
            ]
        )


def archived_pages(path: Path, summary: Summary | None = None) -> Iterator[ArchivedPage]:
    """Every home, section and article page archived in a WARC file, with its records.

    Pages that give no record are counted in `summary.dropped` by reason and logged.
    """
    summary = summary if summary is not None else Summary()
    home: str | None = None
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type == "warcinfo":
                    info = _warcinfo(record.content_stream().read())
                    home = info.get(HOME_FIELD, home)
                elif record.rec_type == "response" and record.http_headers is not None:
                    page = _page(record, home, summary)
                    if page is not None:
                        yield page
        except ArchiveLoadFailed as error:
            raise ReparseError(f"{path}: not a readable WARC file ({error})") from error


def reparse(warcs: list[Path], output: Path) -> Summary:
    """Rebuild the feeds of `warcs` under `output`: `<site>/<kind>s-<time>.jsonl` per WARC."""
    summary = Summary()
    # An article is its site, desk and news id (as in a crawl: newsbot.sites.urls.article_key)
    # → (revision, fingerprint) of its last revision emitted.
    emitted: dict[tuple[str, str, int], tuple[int, bytes]] = {}
    # A comment is emitted once, ever, as a crawl's state keeps them: (site, desk, news id, id).
    emitted_comments: set[tuple[str, str, int, str]] = set()
    for warc in sorted(warcs, key=lambda path: path.name):
        feeds: dict[tuple[str, str], list[dict[str, Any]]] = {}
        in_this_crawl: set[tuple[str, str, int]] = set()
        for page in archived_pages(warc, summary):
            for record in page.records:
                if record["type"] == "article":
                    key = (page.site, record["desk"], record["news_id"])
                    if key in in_this_crawl:
                        summary.dropped["duplicate"] += 1
                        continue
                    in_this_crawl.add(key)
                    fingerprint = record_fingerprint(record)
                    known = emitted.get(key)
                    if known is not None and known[1] == fingerprint:
                        summary.dropped["unchanged"] += 1
                        continue
                    record["revision"] = known[0] + 1 if known else 1
                    emitted[key] = (record["revision"], fingerprint)
                elif record["type"] == "comment":
                    comment = (page.site, record["desk"], record["news_id"], record["comment_id"])
                    if comment in emitted_comments:
                        summary.dropped["comment_known"] += 1
                        continue
                    emitted_comments.add(comment)
                feeds.setdefault((page.site, record["type"]), []).append(record)
                summary.records[record["type"]] += 1
        stem = warc.name.removesuffix(PART_SUFFIX).removesuffix(WARC_SUFFIX)
        for (site, kind), records in sorted(feeds.items()):
            target = output / site / f"{kind}s-{stem}.jsonl"
            _write_feed(target, records)
            summary.written.append(target)
    return summary


def _page(record: Any, home: str | None, summary: Summary) -> ArchivedPage | None:
    url: str = record.rec_headers.get_header("WARC-Target-URI")
    kind = _kind(record.rec_headers.get_header(PAGE_KIND_HEADER), url)
    if kind is None:
        return None
    summary.pages[kind] += 1
    try:
        # The site's home page names the profile even when the pages came from a mirror.
        profile = family_profile_for_url(home or url)
    except ValueError as error:
        raise ReparseError(f"{url}: no site to read it as ({error})") from error
    status = int(record.http_headers.get_statuscode() or 0)
    if not 200 <= status < 300:
        _drop(summary, url, f"http_{status}")
        return None
    fetched_at = _capture_time(record.rec_headers.get_header("WARC-Date"))
    response = _response(record, url, status)
    text = page_problem(response, whole=kind == "article")
    if isinstance(text, str):
        _drop(summary, url, text)
        return None
    try:
        records = page_records(kind, text.text, url, profile, fetched_at=fetched_at)
    except (NotAnArticle, RecordRejected) as error:
        _drop(summary, url, error.reason)
        return None
    return ArchivedPage(profile.name, kind, url, fetched_at, records)


def _kind(archived_kind: str | None, url: str) -> PageKind | None:
    """The page kind the crawl requested the page as; for a WARC that does not say (another
    tool's), an article URL or a home or section URL."""
    if archived_kind is not None:
        return archived_kind if archived_kind in ("front", "article") else None  # type: ignore[return-value]
    if news_id_from_url(url) is not None:
        return "article"
    if is_section_url(url) or urlsplit(url).path in ("", "/"):
        return "front"
    return None


def _warcinfo(block: bytes) -> dict[str, str]:
    """The `name: value` fields of a warcinfo record."""
    fields = {}
    for line in block.decode("utf-8", "replace").splitlines():
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    return fields


def _capture_time(warc_date: str) -> str:
    """WARC-Date (`2026-11-29T20:56:44.968923Z`) as the records' UTC time, to the second."""
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _response(record: Any, url: str, status: int) -> Response:
    """The Scrapy response the crawl's callback saw: the body decoded (chunks, gzip), the
    headers otherwise as archived, so the page's charset is read as the crawl read it."""
    body: bytes = record.content_stream().read()
    headers = Headers()
    for name, value in record.http_headers.headers:
        if name.encode("latin-1").title() not in _CODING_HEADERS:
            headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body)


def _drop(summary: Summary, url: str, reason: str) -> None:
    summary.dropped[reason] += 1
    logger.warning("Skipped %s: %s", url, reason)


def _write_feed(target: Path, records: list[dict[str, Any]]) -> None:
    """A feed as a crawl writes it: one JSON object per line, whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + PART_SUFFIX)
    with part.open("w", encoding="utf-8") as file:
        for record in records:
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
        file.flush()
        os.fsync(file.fileno())
    part.replace(target)
