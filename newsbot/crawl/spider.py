"""The spider every IranSamaneh site uses: what to fetch, and nothing else.

Articles come from up to three sources (`sources`): the front pages (home page → section
menus → section pages, whose ranked lists are snapshotted every run), the site's RSS feeds,
and the paged archive for a backfill by Jalali date (`since`, `until`). Article pages are
leaves: their site-wide lists repeat the home page's, so they are neither snapshotted nor
followed, and the crawl never wanders from article to article.

Every request names the kind of page it is for (newsbot.crawl.kinds.PageKind). Skipping what
the crawl state knows (articles emitted before, unless first seen less than `refresh_hours` ago;
ids whose page gave no article recently) is the job of a spider middleware over the state
(newsbot.crawl.known). An article is its desk and news id (newsbot.sites.urls.article_key): with
`provinces`, a provincial desk's article is not the main desk's of the same id. Parsing is
newsbot.extract's job; cleaning, dating, revisions and the date range are the pipelines'.

An article page also gives its readers' comments (unless `comments=false`), after the article.
Where the page counts comments it does not show, the site's own comment list for the article is
fetched when the profile knows its URL, and otherwise the article is counted as such.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, Self
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsbot.crawl import config
from newsbot.crawl.arguments import SpiderArgumentError, SpiderArguments
from newsbot.crawl.backfill import archive_step, listed_day
from newsbot.crawl.downloads import failure_reason, page_problem
from newsbot.crawl.idwalk import META_KEY, IdWalk
from newsbot.crawl.kinds import KIND, PageKind
from newsbot.crawl.logformatter import readable_url
from newsbot.crawl.signals import article_read, comments_missing, page_dropped
from newsbot.extract.article import NotAnArticle, read_article
from newsbot.extract.comments import parse_comments
from newsbot.extract.frontpage import parse_front_page
from newsbot.extract.listed import parse_archive_page, parse_feed
from newsbot.extract.reasons import DropReason
from newsbot.items import MAIN_DESK, Article, ArticleKeys, Comment, Listing, utc_now
from newsbot.scale.splash_rendering import (
    check_rendering,
    page_url,
    rendered_request,
    splash_enabled,
)
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import CrawlScope, archive_url, article_key, desk_of
from newsbot.state.store import crawl_state

logger = logging.getLogger(__name__)

# Request meta: the request fetches an archive page's deciding article (ArchiveProbe).
PROBE = "newsbot_probe"


@dataclass(frozen=True)
class ArchiveCursor:
    """Where a backfill's walk through the archive stands (travels in request meta)."""

    page: int
    empty_streak: int = 0
    previous_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ArchiveProbe:
    """An archive page whose entries show no date, and its articles (travels in request meta).

    The archive lists newest first: the page's first article to fetch is fetched alone, and
    its own date decides. Older than the range, the whole page is, and every page after it:
    the walk ends. Else the page's other articles are requested, and the next page. An article
    that gives no date hands the decision to the next one. Carried by the requests, the walk
    survives a pause (JOBDIR) and goes on whichever Redis worker fetches the article.
    """

    page: int
    next_page: ArchiveCursor
    # The page's articles still to request, the next to decide first.
    rest: tuple[str, ...]


class NewsSiteSpider(scrapy.Spider):
    """The spider arguments are newsbot.crawl.arguments.SpiderArguments. Every argument is
    checked when the spider is made, before any request (SpiderArgumentError, a ValueError).
    """

    # A site spider names its profile; the family spider (newsbot.crawl.family) picks one.
    profile: SiteProfile
    arguments_model: type[SpiderArguments] = SpiderArguments

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            raise SpiderArgumentError(f"{self.name}: unknown spider argument {args[0]!r}")
        self.arguments = self.arguments_model.parse(self.name, kwargs, self.profile)
        super().__init__()
        arguments = self.arguments
        # The model resolves every default (the profile's feeds and render_js, the sources).
        assert arguments.sources is not None and arguments.feeds is not None
        assert arguments.render_js is not None
        self.scope: CrawlScope = arguments.scope
        self.date_range = arguments.date_range
        self.sources: frozenset[str] = arguments.sources
        self.refresh_hours = arguments.refresh_hours
        self.feed_paths = arguments.feeds
        self.render_kinds: frozenset[str] = arguments.render_js
        self.served_on = arguments.served_on
        self.comments = arguments.comments
        self.id_ranges = arguments.id_ranges
        self.walk_desk = arguments.walk_desk
        self.ids_retry = arguments.ids_retry
        self.allowed_domains = self.scope.allowed_domains
        self._told_earlier_archive = False
        self.id_walk: IdWalk | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        # The settings' values, where the arguments give none.
        for name, setting in (("base_url", config.BASE_URL), ("render_js", config.RENDER_JS)):
            if setting.read(crawler.settings):
                kwargs.setdefault(name, setting.read(crawler.settings))
        if os.environ.get("SCRAPY_CHECK"):
            # `scrapy check` holds an article page's items to the article's contracts.
            kwargs.setdefault("comments", False)
        spider: Self = super().from_crawler(crawler, *args, **kwargs)
        if spider.scope.proxy and spider.render_kinds and splash_enabled(crawler.settings):
            raise SpiderArgumentError(
                f"{spider.name}: render_js cannot go with provinces=true and base_url: Splash "
                "would fetch the pages itself, not through base_url"
            )
        check_rendering(spider.name, spider.render_kinds, crawler.settings)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Start pages are marked: one that fails fails the run (newsbot.crawl.report).
        start = {"newsbot_start": True}
        if "front" in self.sources:
            yield self._request(self.scope.home_url, self.parse_front, PageKind.FRONT, meta=start)
        if "rss" in self.sources:
            for path in self.feed_paths:
                feed = self._site_url(path)
                yield self._request(feed, self.parse_feed, PageKind.FEED, meta=start)
        if "archive" in self.sources:
            yield self._archive_request(ArchiveCursor(page=1), meta=start)
        if "ids" in self.sources:
            state = crawl_state(self.crawler)
            self.id_walk = IdWalk(
                self.crawler,
                self.walk_desk,
                self.id_ranges,
                state.store if state is not None else None,
                on_tried=state.commit if state is not None else None,
                retry=self.ids_retry,
            )
            for desk, news_id in self.id_walk.ids():
                # Lazily, as Scrapy's docs show: the next id only when the downloader has
                # room, so a range of millions holds a few requests in memory, not millions.
                assert self.crawler.engine is not None
                if self.crawler.engine.needs_backout():
                    await self.crawler.signals.wait_for(signals.scheduler_empty)  # type: ignore[no-untyped-call]
                url = self.scope.to_fetch(self._desk_url(desk, f"/fa/news/{news_id}"))
                assert url is not None  # the desk is in scope (regional), the main site always
                meta = {META_KEY: (desk, news_id)}
                yield self._request(url, self.parse_article, PageKind.ARTICLE, meta=meta)

    # --- callbacks ---------------------------------------------------------------------------

    def parse_front(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        """A home or section page: snapshot its lists, follow its sections and articles.

        @path /
        @returns items 4
        @returns requests 10
        """
        text = page_problem(response, whole=False)
        if isinstance(text, DropReason):
            self._skip(response.url, text, PageKind.FRONT, start=_is_start(response))
            return
        self._count(f"pages/{PageKind.FRONT}")
        page = parse_front_page(
            text.text, text.url, self.profile, captured_at=utc_now(), served_on=self.served_on
        )
        if not (page.listings or page.section_urls or page.article_urls):
            # No list, menu or article link: a parked domain, a block page, another CMS.
            self._skip(
                response.url, DropReason.NOT_A_FRONT_PAGE, PageKind.FRONT, start=_is_start(response)
            )
            return
        yield from page.listings
        # A desk's home page (http://yazd.iribnews.ir) is the front page of its news room.
        desk_homes = [u for u in page.menu_urls if u and self._is_desk_home(u)]
        for url in [*page.section_urls, *desk_homes]:
            target = self.scope.to_fetch(url)
            if target is not None:
                yield self._request(target, self.parse_front, PageKind.FRONT)
        yield from self._articles(page.article_urls)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """An RSS feed: its articles (within the date range, when there is one)."""
        self._count(f"pages/{PageKind.FEED}")
        entries = parse_feed(response.body, response.url)
        if not entries:
            self._skip(
                response.url,
                DropReason.FEED_WITHOUT_ARTICLES,
                PageKind.FEED,
                start=_is_start(response),
            )
            return
        now = datetime.now(UTC)
        yield from self._articles(
            entry.url
            for entry in entries
            if self.date_range is None
            or (day := listed_day(entry.published, now=now)) is None
            or day in self.date_range
        )

    def parse_archive(self, response: Response) -> Iterator[scrapy.Request]:
        """A page of the archive: its articles within the range, then the next page, until
        the range is behind or the archive runs dry."""
        cursor: ArchiveCursor = response.meta["newsbot_archive"]
        self._count(f"pages/{PageKind.ARCHIVE}")
        if not isinstance(response, TextResponse):
            self._skip(
                response.url, DropReason.NOT_HTML, PageKind.ARCHIVE, start=_is_start(response)
            )
            yield from self._archive_requests(cursor, ())
            return
        assert self.date_range is not None
        now = datetime.now(UTC)
        page = parse_archive_page(
            response.text, response.url, self.profile, served_on=self.served_on or now.date()
        )
        if page.read_with_theme_until is not None:
            self._read_with_earlier_theme(response.url, page.read_with_theme_until)
        step = archive_step(page.entries, self.date_range, now=now)
        if not page.entries:
            self._count("archive/empty_pages")
            logger.info(
                "Archive page %s lists no articles: %s", cursor.page, readable_url(response.url)
            )
        ids = tuple(entry.news_id for entry in page.entries)
        following = self._following_page(
            cursor, ids, past_the_range=step.past_the_range, last_page=page.last_page
        )
        urls = tuple(self._in_scope(entry.url for entry in step.wanted))
        if step.undated and following is not None and urls:
            yield self._probe(ArchiveProbe(cursor.page, following, urls))
            return
        yield from map(self._article_request, urls)
        if following is not None:
            yield self._archive_request(following)

    def parse_article(self, response: Response) -> Iterator[Article | Comment | scrapy.Request]:
        """An article page, a leaf of the crawl.

        @path /fa/news/3900001
        @returns items 1 1
        @returns requests 0 0
        @scrapes news_id title body published_at_raw
        """
        page = page_problem(response)
        if isinstance(page, DropReason):
            # A page cut short may come whole next time; a wrong charset or an image will not.
            retry = None
            if page.retried and response.request is not None:
                retry = get_retry_request(response.request, spider=self, reason=page)
            if retry is not None:
                yield retry
            else:
                self._skip(response.url, page, PageKind.ARTICLE)
                self._walk_missed(response.meta, page)
                yield from self.after_probe(response.meta, None, response.url)
            return
        self._count(f"pages/{PageKind.ARTICLE}")
        try:
            reading = read_article(
                page.text, page.url, self.profile, crawled_at=utc_now(), served_on=self.served_on
            )
        except NotAnArticle as error:
            self._skip(response.url, error.reason, PageKind.ARTICLE)
            self._walk_missed(response.meta, error.reason)
            yield from self.after_probe(response.meta, None, response.url)
            return
        self.crawler.signals.send_catch_log(
            article_read, spider=self, url=page.url, sources=reading.sources
        )
        article = reading.article
        yield article
        if self.comments:
            yield from self._article_comments(page, article)
        now = datetime.fromisoformat(article.crawled_at)
        day = listed_day(article.published_at_raw, now=now)
        yield from self.after_probe(response.meta, day, response.url)

    def parse_comments(self, response: Response) -> Iterator[Comment]:
        """The site's own comment list of an article whose page counted comments it did not
        show (the profile's `comments.list_path`)."""
        desk, news_id, article_url = response.meta["newsbot_article"]
        page = page_problem(response, whole=False)
        if isinstance(page, DropReason):
            self._skip(response.url, page, PageKind.COMMENTS)
            self._comments_missing(article_url, "list_unread")
            return
        self._count(f"pages/{PageKind.COMMENTS}")
        found = parse_comments(
            page.text,
            page.url,
            self.profile,
            news_id=news_id,
            crawled_at=utc_now(),
            served_on=self.served_on,
        )
        if not found:
            self._skip(response.url, DropReason.NO_COMMENTS, PageKind.COMMENTS)
            self._comments_missing(article_url, "list_unread")
            return
        yield from self._comments(found, desk, news_id, page.url)

    def _article_comments(
        self, page: TextResponse, article: Article
    ) -> Iterator[Comment | scrapy.Request]:
        news_id = article.news_id
        if news_id is None:
            return  # validation refuses the article: its comments would have none to go with
        found = parse_comments(
            page.text,
            page.url,
            self.profile,
            news_id=news_id,
            crawled_at=article.crawled_at,
            served_on=self.served_on,
        )
        if found or not article.comment_count:
            yield from self._comments(found, article.desk, news_id, page.url)
            return
        # The page counts comments it does not show: a list loaded by a script, or none yet.
        day = self.served_on or datetime.fromisoformat(article.crawled_at).date()
        list_path = self.profile.theme_on(day).comments.list_path
        if list_path is None:
            self._comments_missing(page.url, "not_on_page")
            return
        yield self._request(
            self._site_url(list_path.format(news_id=news_id)),
            self.parse_comments,
            PageKind.COMMENTS,
            meta={"newsbot_article": (article.desk, news_id, page.url)},
        )

    def _comments(
        self, found: list[Comment], desk: str, news_id: int, url: str
    ) -> Iterator[Comment]:
        """An article's comments, after counting those emitted before that it no longer shows
        (removed, or edited: the corpus keeps what was emitted)."""
        state = crawl_state(self.crawler)
        if state is not None:
            gone = state.store.comment_ids(desk, news_id) - {c.comment_id for c in found}
            if gone:
                self._count("comments/removed", len(gone))
                logger.info(
                    "Comments emitted before and no longer on %s: %s",
                    readable_url(url),
                    ", ".join(sorted(gone)),
                )
        yield from found

    def _comments_missing(self, url: str, reason: str) -> None:
        self._count(f"comments/missing/{reason}")
        # One line per article would fill the log of a site that loads its comments by script:
        # the report counts them, with examples.
        logger.debug("Comments counted but not read on %s: %s", readable_url(url), reason)
        self.crawler.signals.send_catch_log(comments_missing, url=url, reason=reason)

    def page_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A request that gave no page (HTTP error, robots.txt, network): counted, logged,
        and for the archive walk, a page that counts as empty."""
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get(KIND, "page")
        reason = failure_reason(failure)
        self._skip(
            page_url(request),
            reason,
            kind,
            detail=failure.getErrorMessage(),
            start=request.meta.get("newsbot_start", False),
        )
        self._walk_missed(request.meta, reason)
        cursor = request.meta.get("newsbot_archive")
        if isinstance(cursor, ArchiveCursor):
            yield from self._archive_requests(cursor, ())
        yield from self.after_probe(request.meta, None, page_url(request))

    # --- what to fetch -----------------------------------------------------------------------

    def _articles(self, urls: Iterable[str]) -> Iterator[scrapy.Request]:
        """Requests for the articles among `urls` (the crawl state's middleware,
        newsbot.crawl.known, then leaves out those already emitted)."""
        yield from map(self._article_request, self._in_scope(urls))

    def _in_scope(self, urls: Iterable[str]) -> Iterator[str]:
        """The URLs to request for the article links among `urls`: in the crawl's scope, each
        article once."""
        seen = ArticleKeys()
        for url in urls:
            target = self.scope.to_fetch(url)
            key = article_key(target, self.profile) if target else None
            if target is not None and key is not None and key not in seen:
                seen.add(*key)
                yield target

    def _article_request(self, url: str) -> scrapy.Request:
        return self._request(url, self.parse_article, PageKind.ARTICLE)

    def _walk_missed(self, meta: dict[str, Any], reason: str) -> None:
        if self.id_walk is not None:
            self.id_walk.missed(meta, reason)

    def _desk_url(self, desk: str, path: str) -> str:
        """A path on a desk's own host (the main site's for www)."""
        if desk == MAIN_DESK:
            return self._site_url(path)
        home = urlsplit(self.profile.home_url)
        return f"{home.scheme}://{desk}.{self.profile.regional_domain}{path}"

    def _is_desk_home(self, url: str) -> bool:
        return desk_of(url, self.profile) != MAIN_DESK and urlsplit(url).path in ("", "/")

    def _archive_requests(
        self, cursor: ArchiveCursor, ids: tuple[int, ...]
    ) -> Iterator[scrapy.Request]:
        """The next page of the archive after a page that gave these entries, if any."""
        following = self._following_page(cursor, ids, past_the_range=False, last_page=False)
        if following is not None:
            yield self._archive_request(following)

    def _following_page(
        self, cursor: ArchiveCursor, ids: tuple[int, ...], *, past_the_range: bool, last_page: bool
    ) -> ArchiveCursor | None:
        """Where the walk goes after a page: the next page, or None when it ends here."""
        settings = self.crawler.settings
        streak = 0 if ids else cursor.empty_streak + 1
        stop = None
        if past_the_range:
            stop = "it reached articles older than the range"
        elif last_page:
            stop = "the pager shows no next page"
        elif ids and ids == cursor.previous_ids:
            stop = (
                "the page repeats the one before it (is the page parameter "
                f"{self.profile.theme.archive.page_param!r} right for this site?)"
            )
            logger.warning("Archive page %s repeats page %s", cursor.page, cursor.page - 1)
        elif streak >= config.ARCHIVE_EMPTY_PAGES.read(settings):
            stop = f"{streak} pages in a row gave no articles"
        elif cursor.page >= config.ARCHIVE_MAX_PAGES.read(settings):
            stop = "it reached NEWSBOT_ARCHIVE_MAX_PAGES"
        if stop:
            self._archive_walk_ends(cursor.page, stop)
            return None
        return ArchiveCursor(cursor.page + 1, streak, ids)

    def _probe(self, probe: ArchiveProbe) -> scrapy.Request:
        """The request for the first of a probe's articles, carrying the rest."""
        url, *rest = probe.rest
        request = self._request(
            url,
            self.parse_article,
            PageKind.ARTICLE,
            meta={PROBE: replace(probe, rest=tuple(rest))},
        )
        # The walk goes on from this article: never dropped as a duplicate (another Redis
        # worker, or the run before a pause, may have requested it), at worst fetched twice.
        request.dont_filter = True
        return request

    def after_probe(
        self, meta: dict[str, Any], day: str | None, url: str
    ) -> Iterator[scrapy.Request]:
        """After an article, if it was an archive page's probe: the walk's next step, by the
        article's own Jalali day (None when it gave none)."""
        probe = meta.get(PROBE)
        if not isinstance(probe, ArchiveProbe):
            return
        assert self.date_range is not None
        if day is not None and day < self.date_range.since:
            self._archive_walk_ends(
                probe.page,
                f"its newest article fetched ({readable_url(url)}) was published on {day}, "
                "before the range",
            )
        elif day is None and probe.rest:
            yield self._probe(probe)
        else:
            yield from map(self._article_request, probe.rest)
            yield self._archive_request(probe.next_page)

    def _archive_walk_ends(self, page: int, reason: str) -> None:
        logger.info("Archive walk ends at page %s: %s", page, reason)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newsbot/archive/last_page", page)

    def _read_with_earlier_theme(self, url: str, valid_until: date) -> None:
        """Count an archive page that only an earlier theme's markup could read; say so once."""
        self._count("archive/read_with_earlier_theme")
        if not self._told_earlier_archive:
            self._told_earlier_archive = True
            logger.warning(
                "%s: archive pages such as %s list no entries in the current theme's archive "
                "markup, and were read with that of the theme valid until %s: the site may "
                "still serve it, and its profile should say so",
                self.name,
                readable_url(url),
                valid_until,
            )

    def _archive_request(
        self, cursor: ArchiveCursor, *, meta: dict[str, Any] | None = None
    ) -> scrapy.Request:
        assert self.date_range is not None
        from_date, to_date = self.date_range.query(self.profile.theme.archive.date_format)
        url = archive_url(self.scope.home_url, self.profile, from_date, to_date, cursor.page)
        return self._request(
            url,
            self.parse_archive,
            PageKind.ARCHIVE,
            meta={**(meta or {}), "newsbot_archive": cursor},
        )

    def _request(
        self,
        url: str,
        callback: Callable[[Response], Iterator[Any]],
        kind: PageKind,
        *,
        meta: dict[str, Any] | None = None,
    ) -> scrapy.Request:
        meta = {KIND: kind, **(meta or {})}
        if kind in self.render_kinds and splash_enabled(self.crawler.settings):
            return rendered_request(url, callback, self.page_failed, meta, self.crawler.settings)
        return scrapy.Request(url, callback=callback, errback=self.page_failed, meta=meta)

    def _site_url(self, path: str) -> str:
        return self.scope.home_url.rstrip("/") + path

    def _skip(
        self, url: str, reason: str, kind: PageKind | str, *, detail: str = "", start: bool = False
    ) -> None:
        self._count(f"dropped/{reason}")
        level = logging.INFO if reason == DropReason.ROBOTS_TXT else logging.WARNING
        logger.log(
            level,
            "Skipped %s%s: %s%s",
            "start page " if start else "",
            readable_url(url),
            reason,
            f" ({detail})" if detail else "",
        )
        self.crawler.signals.send_catch_log(
            page_dropped, url=url, reason=reason, kind=kind, start=start
        )

    def _count(self, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newsbot/{key}", count)


def _is_start(response: Response) -> bool:
    """Whether the page is one the crawl started from (NewsSiteSpider.start)."""
    return bool(response.meta.get("newsbot_start", False))
