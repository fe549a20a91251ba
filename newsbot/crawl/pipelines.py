"""Item pipelines, in this order (settings.ITEM_PIPELINES): normalise text → parse dates →
validate → keep to the date range (backfills) → drop duplicates and number revisions (and keep
each comment to one emission, with its article).

Each stage is a pure function on a record (newsbot.extract.records) plus a thin Scrapy
pipeline here that counts and logs what it did, so `newsbot extract` runs exactly the same
steps outside a crawl.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from newsbot.crawl.logformatter import readable_url
from newsbot.extract.reasons import DropReason
from newsbot.extract.records import (
    RecordRejected,
    checked_record,
    dated_article,
    dated_comment,
    normalized_article,
    normalized_comment,
    normalized_listing,
)
from newsbot.items import MAIN_DESK, Article, ArticleKeys, Comment, Listing
from newsbot.state.store import CrawlState, content_fingerprint, crawl_state
from newsbot.text.jalali import JalaliDateError

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from newsbot.crawl.backfill import DateRange

logger = logging.getLogger(__name__)


class Rejected(DropItem):
    """A record that must not be published; `reason` is a short stable key for stats.

    `log_level` (a logging level name) is for records left out by design, such as an
    article unchanged since it was emitted, which are not worth a warning each. `record` is
    the record as the pipelines had read it when they dropped it (normalised and dated):
    Scrapy's item_dropped signal carries the spider's original item, and the crawl report
    measures field coverage on what was read (newsbot.crawl.report).
    """

    def __init__(
        self,
        reason: DropReason | str,
        detail: str,
        *,
        log_level: str | None = None,
        record: Any = None,
    ) -> None:
        super().__init__(f"{reason}: {detail}", log_level=log_level)
        self.reason = reason
        self.record = record


class NormalizeTextPipeline:
    def process_item(self, item: Any, spider: Spider) -> Any:
        if isinstance(item, Article):
            return normalized_article(item)
        if isinstance(item, Listing):
            return normalized_listing(item)
        if isinstance(item, Comment):
            return normalized_comment(item)
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
        if isinstance(item, Comment):
            return self._comment(item)
        if not isinstance(item, Article):
            return item
        if item.published_at_raw is None:
            self.stats.inc_value("newsbot/dates/missing")
            logger.warning("No publication date on %s", readable_url(item.url))
            return item
        try:
            return dated_article(item)
        except JalaliDateError as error:
            self.stats.inc_value("newsbot/dates/unreadable")
            logger.warning("Unreadable publication date on %s: %s", readable_url(item.url), error)
            return item

    def _comment(self, comment: Comment) -> Comment:
        """A comment's time, read as an article's: one that cannot be read stays null (its
        text kept in published_at_raw), counted and logged, never guessed."""
        if comment.published_at_raw is None:
            self.stats.inc_value("newsbot/comments/dates_missing")
            return comment
        try:
            return dated_comment(comment)
        except JalaliDateError as error:
            self.stats.inc_value("newsbot/comments/dates_unreadable")
            logger.warning(
                "Unreadable time of comment %s on %s: %s",
                comment.comment_id,
                readable_url(comment.url),
                error,
            )
            return comment


class ValidatePipeline(_CountingPipeline):
    def process_item(self, item: Any, spider: Spider) -> Any:
        if isinstance(item, Article | Listing | Comment):
            try:
                checked_record(item)
            except RecordRejected as rejection:
                self.stats.inc_value(f"newsbot/dropped/{rejection.reason}")
                raise Rejected(rejection.reason, rejection.detail, record=item) from rejection
        return item


class InDateRangePipeline(_CountingPipeline):
    """In a backfill (the spider's `date_range`), only articles published in the range go
    on, judged by the article's own date, whatever list led to it."""

    def process_item(self, item: Any, spider: Spider) -> Any:
        dates: DateRange | None = getattr(spider, "date_range", None)
        if not isinstance(item, Article) or dates is None:
            return item
        if item.published_at_jalali is None:
            self.stats.inc_value(f"newsbot/dropped/{DropReason.DATE_UNKNOWN}")
            raise Rejected(
                DropReason.DATE_UNKNOWN,
                f"{item.url} has no readable date to place in the range",
                record=item,
            )
        if item.published_at_jalali not in dates:
            self.stats.inc_value(f"newsbot/dropped/{DropReason.OUT_OF_RANGE}")
            raise Rejected(
                DropReason.OUT_OF_RANGE,
                f"{item.url} was published on {item.published_at_jalali[:10]}, outside "
                f"{dates.since}..{dates.until}",
                log_level="INFO",
                record=item,
            )
        return item


class DropDuplicatesPipeline(_CountingPipeline):
    """Emit each article once, whatever URL (slug, host) it was reached by: once per crawl,
    and across crawls through the crawl state (newsbot.state.store), which knows every article
    emitted before. An article is its desk and news id: a provincial desk's 60536 is not the
    main desk's. A known article goes out again only when its title, lead or body changed, as
    its next revision (`refresh_hours` is what makes the spider fetch it).

    Each comment goes out once, ever (the state keeps the ids of those emitted), and only with
    an article in the corpus: one emitted in this crawl or before. The spider yields a page's
    comments after its article, so the comments of an article left out (outside a backfill's
    range, invalid) are left out too (`comment_without_article`)."""

    def __init__(self, stats: StatsCollector, state: CrawlState | None = None) -> None:
        super().__init__(stats)
        self.state = state
        # One crawl is one site: its articles by desk and id.
        self.seen = ArticleKeys()
        self.seen_comments: set[tuple[str, int, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DropDuplicatesPipeline:
        assert crawler.stats is not None
        return cls(crawler.stats, crawl_state(crawler))

    def process_item(self, item: Any, spider: Spider) -> Any:
        if isinstance(item, Article):
            assert item.news_id is not None  # ValidatePipeline refuses an article without one
            if (item.desk, item.news_id) in self.seen:
                self.stats.inc_value(f"newsbot/dropped/{DropReason.DUPLICATE}")
                raise Rejected(
                    DropReason.DUPLICATE,
                    f"{_named(item)} already emitted ({item.url})",
                    record=item,
                )
            item = self._revision(item)
            self.seen.add(item.desk, item.news_id)
            self.stats.inc_value("newsbot/articles")
        elif isinstance(item, Listing):
            self.stats.inc_value("newsbot/listings")
        elif isinstance(item, Comment):
            self._comment(item)
        return item

    def _revision(self, article: Article) -> Article:
        known = None
        if self.state is not None and article.news_id is not None:
            known = self.state.store.get(article.desk, article.news_id)
        if known is None:
            self.stats.inc_value("newsbot/articles/new")
            return article if article.revision == 1 else replace(article, revision=1)
        if known.fingerprint == content_fingerprint(article.title, article.lead, article.body):
            self.stats.inc_value(f"newsbot/dropped/{DropReason.UNCHANGED}")
            raise Rejected(
                DropReason.UNCHANGED,
                f"{_named(article)} is as emitted (revision {known.revision})",
                log_level="DEBUG",
                record=article,
            )
        self.stats.inc_value("newsbot/articles/revised")
        logger.info(
            "%s changed since revision %s: emitting revision %s",
            _named(article).capitalize(),
            known.revision,
            known.revision + 1,
        )
        return replace(article, revision=known.revision + 1)

    def _comment(self, comment: Comment) -> None:
        # Validation refused comments without a news id.
        desk, news_id, comment_id = comment.desk, comment.news_id or 0, comment.comment_id
        store = self.state.store if self.state is not None else None
        key = (desk, news_id, comment_id)
        if key in self.seen_comments or (
            store is not None and store.comment_known(desk, news_id, comment_id)
        ):
            self.stats.inc_value("newsbot/comments/known")
            raise Rejected(
                DropReason.COMMENT_KNOWN,
                f"comment {comment_id} of {_named(comment)} already emitted",
                log_level="DEBUG",
            )
        if (desk, news_id) not in self.seen and (store is None or store.get(desk, news_id) is None):
            self.stats.inc_value(f"newsbot/dropped/{DropReason.COMMENT_WITHOUT_ARTICLE}")
            raise Rejected(
                DropReason.COMMENT_WITHOUT_ARTICLE,
                f"{_named(comment)} was not emitted ({comment.url})",
                log_level="INFO",
            )
        self.seen_comments.add(key)
        self.stats.inc_value("newsbot/comments")


def _named(record: Article | Comment) -> str:
    """How logs name an article: `news id 3900001`, or on a provincial desk
    `news id 60536 of desk yazd`."""
    desk = "" if record.desk == MAIN_DESK else f" of desk {record.desk}"
    return f"news id {record.news_id}{desk}"
