"""Item pipelines, in this order (settings.ITEM_PIPELINES): normalise text → parse dates →
validate → drop duplicates.

Each stage is a pure function on a record plus a thin Scrapy pipeline that counts and logs
what it did, so `newsbot extract` runs exactly the same steps outside a crawl.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newsbot.items import Article, Image, Listing
from newsbot.jalali import JalaliDateError, format_jalali, parse_jalali, to_iso
from newsbot.persian import normalize
from newsbot.schema import RecordInvalid, validate_record

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("news_id", "title", "body")


class Rejected(DropItem):
    """A record that must not be published; `reason` is a short stable key for stats."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def normalized_article(article: Article) -> Article:
    return replace(
        article,
        title=normalize(article.title),
        kicker=_normalized_or_none(article.kicker),
        lead=_normalized_or_none(article.lead),
        body=normalize(article.body),
        section=_normalized_list(article.section),
        tags=_normalized_list(article.tags),
        images=[Image(url=i["url"], alt=_normalized_or_none(i["alt"])) for i in article.images],
    )


def normalized_listing(listing: Listing) -> Listing:
    entries = [entry | {"title": normalize(entry["title"])} for entry in listing.entries]
    return replace(listing, entries=entries)


def dated_article(article: Article) -> Article:
    """Fill published_at and published_at_jalali from published_at_raw.

    Raises JalaliDateError for a time that cannot be read or does not exist: a wrong date is
    worse than none, so nothing is guessed. Relative times resolve against the crawl time.
    """
    if article.published_at_raw is None:
        return article
    value = parse_jalali(article.published_at_raw, now=datetime.fromisoformat(article.crawled_at))
    return replace(article, published_at=to_iso(value), published_at_jalali=format_jalali(value))


def checked_record(item: Article | Listing) -> dict[str, Any]:
    """The record as it will be written, once it has every required field and fits the schema.

    Raises Rejected naming the first missing field, or the schema violation.
    """
    record = ItemAdapter(item).asdict()
    if isinstance(item, Article):
        for name in REQUIRED_FIELDS:
            if not record[name]:
                raise Rejected(f"missing_{name}", item.url)
    try:
        validate_record(record)
    except RecordInvalid as error:
        raise Rejected("invalid_record", str(error)) from error
    return record


class NormalizeTextPipeline:
    def process_item(self, item: Any, spider: Spider) -> Any:
        if isinstance(item, Article):
            return normalized_article(item)
        if isinstance(item, Listing):
            return normalized_listing(item)
        return item


class _CountingPipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _CountingPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)


class ParseDatesPipeline(_CountingPipeline):
    def process_item(self, item: Any, spider: Spider) -> Any:
        if not isinstance(item, Article):
            return item
        if item.published_at_raw is None:
            self.stats.inc_value("newsbot/dates/missing")
            logger.warning("No publication date on %s", item.url)
            return item
        try:
            return dated_article(item)
        except JalaliDateError as error:
            self.stats.inc_value("newsbot/dates/unreadable")
            logger.warning("Unreadable publication date on %s: %s", item.url, error)
            return item


class ValidatePipeline(_CountingPipeline):
    def process_item(self, item: Any, spider: Spider) -> Any:
        if isinstance(item, Article | Listing):
            try:
                checked_record(item)
            except Rejected as rejection:
                self.stats.inc_value(f"newsbot/dropped/{rejection.reason}")
                raise
        return item


class DropDuplicatesPipeline(_CountingPipeline):
    """Emit each article once per crawl, whatever URL (slug, host) it was reached by."""

    def __init__(self, stats: StatsCollector) -> None:
        super().__init__(stats)
        self.seen: set[tuple[str, int | None]] = set()

    def process_item(self, item: Any, spider: Spider) -> Any:
        if isinstance(item, Article):
            key = (item.site, item.news_id)
            if key in self.seen:
                self.stats.inc_value("newsbot/dropped/duplicate")
                raise Rejected("duplicate", f"news id {item.news_id} already emitted ({item.url})")
            self.seen.add(key)
            self.stats.inc_value("newsbot/articles")
        elif isinstance(item, Listing):
            self.stats.inc_value("newsbot/listings")
        return item


def _normalized_or_none(text: str | None) -> str | None:
    return (normalize(text) or None) if text else None


def _normalized_list(texts: list[str]) -> list[str]:
    return [t for t in map(normalize, texts) if t]
