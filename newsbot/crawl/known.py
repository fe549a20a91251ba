"""Skipping the articles a site has already emitted: a spider middleware over the crawl state.

The spider decides what to fetch from the pages it reads (every article link in the crawl's
scope); this middleware takes out of its output the article requests the crawl state
(newsbot.state.store) says not to fetch, so a scheduled run fetches only what is new:

- an article new to the state is requested, once per run (whatever URL it is reached by);
- a known one is skipped (`newsbot/articles/skipped_known`, counted once per article), unless
  `refresh_hours` asks for articles first seen that recently (`newsbot/articles/refetched`);
- an id whose page gave no article recently (not an article, 404, ...) is skipped until
  NEWSBOT_DROPPED_RETRY_HOURS have passed (`newsbot/articles/skipped_dropped`).

An archive walk whose entries show no date fetches one article of a page first, whose own date
decides the walk (newsbot.crawl.spider.ArchiveProbe): when that article is skipped, the next one
decides, as if it gave no date.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

import scrapy
from scrapy.http import Response

from newsbot.crawl.kinds import KIND, PageKind
from newsbot.crawl.spider import PROBE, NewsSiteSpider
from newsbot.items import ArticleKeys
from newsbot.scale.splash_rendering import page_url
from newsbot.sites.urls import article_key
from newsbot.state.store import CrawlState, crawl_state

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class KnownArticlesMiddleware:
    def __init__(
        self, stats: StatsCollector, state: CrawlState | None, *, refresh_hours: float = 0
    ) -> None:
        self.stats = stats
        self.state = state  # None: no crawl state, every article is new
        self.refresh_hours = refresh_hours
        self._refresh_since = datetime.now(UTC) - timedelta(hours=refresh_hours)
        # Articles requested in this run; known ones counted as refetched or skipped (once).
        self._requested = ArticleKeys()
        self._counted = ArticleKeys()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        refresh_hours = getattr(crawler.spider, "refresh_hours", 0)
        return cls(crawler.stats, crawl_state(crawler), refresh_hours=refresh_hours)

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: scrapy.Spider
    ) -> Iterator[Any]:
        for output in result:
            yield from self._wanted(output, spider, response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: scrapy.Spider
    ) -> AsyncIterator[Any]:
        async for output in result:
            for wanted in self._wanted(output, spider, response):
                yield wanted

    def _wanted(self, output: Any, spider: scrapy.Spider, response: Any) -> Iterator[Any]:
        """The output, unless it is a request for an article not to fetch; for an archive
        walk's deciding article, what the walk does next without it. A request for the page
        being read (a retry of a page cut short) is the same fetch again, not a new find."""
        article = isinstance(output, scrapy.Request) and output.meta.get(KIND) == PageKind.ARTICLE
        if not article or not isinstance(spider, NewsSiteSpider):
            yield output
            return
        key = article_key(page_url(output), spider.profile)
        reading = (
            article_key(response.url, spider.profile) if isinstance(response, Response) else None
        )
        if key is not None and key == reading:
            yield output
        elif key is not None and self._to_fetch(key):
            self._requested.add(*key)
            yield output
        elif PROBE in output.meta:
            for following in spider.after_probe(output.meta, None, page_url(output)):
                yield from self._wanted(following, spider, response)

    def _to_fetch(self, key: tuple[str, int]) -> bool:
        """New articles, and with refresh_hours, those first seen recently enough; each once."""
        if key in self._requested:
            return False
        if self.state is not None and not self.state.worth_fetching(*key):
            # Its page gave no article recently (newsbot.state.store.NO_ARTICLE).
            self._count_once(key, "articles/skipped_dropped")
            return False
        known = self.state.store.get(*key) if self.state is not None else None
        if known is None:
            return True
        if self.refresh_hours and known.first_seen > self._refresh_since:
            self._count_once(key, "articles/refetched")
            return True
        self._count_once(key, "articles/skipped_known")
        return False

    def _count_once(self, key: tuple[str, int], stat: str) -> None:
        if key not in self._counted:
            self._counted.add(*key)
            self.stats.inc_value(f"newsbot/{stat}")
