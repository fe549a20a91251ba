"""The spider every IranSamaneh site uses: what to fetch, and nothing else.

Home page → section menus → section pages, and every article linked from the home and section
pages. Article pages are leaves: their site-wide lists repeat the home page's, so they are
neither snapshotted nor followed, and the crawl never wanders from article to article.
Parsing is newsbot.parser's job; cleaning and dating are the pipelines'.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from newsbot.items import Article, Listing
from newsbot.parser import NotAnArticle, parse_article, parse_front_page
from newsbot.profiles import SiteProfile
from newsbot.urls import CrawlScope, validate_base_url

logger = logging.getLogger(__name__)

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def parse_flag(name: str, value: str | bool) -> bool:
    """A boolean spider argument (`-a provinces=true`); anything unclear is an error."""
    if isinstance(value, bool):
        return value
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ValueError(f"spider argument {name}={value!r}: expected true or false")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class NewsSiteSpider(scrapy.Spider):
    """Spider arguments:

    base_url   crawl a mirror or local copy (http://host:port) instead of the live site;
               links to the site's canonical hosts are mapped onto it. Default: the
               NEWSBOT_BASE_URL setting, else the live site.
    provinces  also follow the regional desks on subdomains (live site only). Default false.
    """

    profile: ClassVar[SiteProfile]

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        provinces: str | bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scope = CrawlScope(
            self.profile,
            base_url=validate_base_url(base_url) if base_url else None,
            regional=parse_flag("provinces", provinces),
        )
        self.allowed_domains = self.scope.allowed_domains

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        kwargs.setdefault("base_url", crawler.settings.get("NEWSBOT_BASE_URL") or None)
        spider: Self = super().from_crawler(crawler, *args, **kwargs)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.scope.home_url, callback=self.parse_front)

    def parse_front(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        """A home or section page: snapshot its lists, follow its sections and articles.

        @path /
        @returns items 4
        @returns requests 10
        """
        if not isinstance(response, TextResponse):
            self._skip(response, "not_html")
            return
        self._count("pages/front")
        page = parse_front_page(response.text, response.url, self.profile, captured_at=utc_now())
        yield from page.listings
        yield from self._follow(page.section_urls, self.parse_front)
        yield from self._follow(page.article_urls, self.parse_article)

    def parse_article(self, response: Response) -> Iterator[Article]:
        """An article page, a leaf of the crawl.

        @path /fa/news/3900001
        @returns items 1 1
        @returns requests 0 0
        @scrapes news_id title body published_at_raw
        """
        if not isinstance(response, TextResponse):
            self._skip(response, "not_html")
            return
        self._count("pages/article")
        try:
            yield parse_article(response.text, response.url, self.profile, crawled_at=utc_now())
        except NotAnArticle as error:
            self._skip(response, error.reason)

    def _follow(
        self, urls: list[str], callback: Callable[[Response], Iterator[Any]]
    ) -> Iterator[scrapy.Request]:
        for url in urls:
            target = self.scope.to_fetch(url)
            if target is not None:
                yield scrapy.Request(target, callback=callback)

    def _skip(self, response: Response, reason: str) -> None:
        self._count(f"dropped/{reason}")
        logger.warning("Skipped %s: %s", response.url, reason)

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newsbot/{key}")
