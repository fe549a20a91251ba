"""The spider decides what to fetch; the crawl state's spider middleware (newsbot.crawl.known)
leaves out the articles already emitted. Page kinds are named, not read off callback names."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from newsbot.crawl.kinds import KIND, PageKind
from newsbot.crawl.known import KnownArticlesMiddleware
from newsbot.crawl.spider import PROBE, ArchiveCursor, ArchiveProbe
from newsbot.items import Listing
from newsbot.spiders.iribnews import IribnewsSpider
from newsbot.state.store import SQLiteStateStore

SITE = "https://www.iribnews.ir"
NOW = datetime.now(UTC)


def article_request(news_id: int, slug: str = "") -> Request:
    return Request(f"{SITE}/fa/news/{news_id}{slug}", meta={KIND: PageKind.ARTICLE})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStateStore]:
    store = SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    store.mark("www", 1, 1, b"f", NOW - timedelta(days=3))  # emitted three days ago
    store.mark("www", 2, 1, b"f", NOW - timedelta(hours=1))  # an hour ago
    yield store
    store.close()


def middleware(store: SQLiteStateStore, refresh_hours: float = 0) -> KnownArticlesMiddleware:
    stats = get_crawler().stats
    # Id 5's page gave no article an hour ago (CrawlState.worth_fetching).
    state: Any = SimpleNamespace(store=store, worth_fetching=lambda desk, news_id: news_id != 5)
    return KnownArticlesMiddleware(stats, state, refresh_hours=refresh_hours)  # type: ignore[arg-type]


def passed(
    known: KnownArticlesMiddleware, outputs: list[Any], spider: Any = None, url: str = SITE
) -> list[Any]:
    response = Response(url)
    return list(known.process_spider_output(response, outputs, spider or IribnewsSpider()))


def test_known_articles_are_left_out_and_counted_once(store: SQLiteStateStore) -> None:
    known = middleware(store)
    listing = Listing(site="iribnews", list="latest", block="x", page_url=SITE, captured_at="t", entries=[])  # fmt: skip
    front = Request(f"{SITE}/fa/sport", meta={KIND: PageKind.FRONT})
    new, old, recent = article_request(3), article_request(1), article_request(2)
    assert passed(known, [listing, front, new, old, recent]) == [listing, front, new]
    # The same articles again, under other slugs: each once, and counted once.
    assert passed(known, [article_request(3, "/x"), article_request(1, "/y")]) == []
    assert known.stats.get_value("newsbot/articles/skipped_known") == 2


def test_an_id_whose_page_gave_no_article_recently_is_left_out(store: SQLiteStateStore) -> None:
    known = middleware(store)
    assert passed(known, [article_request(5), article_request(5, "/x")]) == []
    assert known.stats.get_value("newsbot/articles/skipped_dropped") == 1


def test_a_retry_of_the_article_being_read_is_no_new_find(store: SQLiteStateStore) -> None:
    known = middleware(store)
    [first] = passed(known, [article_request(3)])
    retry = first.replace(dont_filter=True, meta={**first.meta, "retry_times": 1})
    assert passed(known, [retry], url=first.url) == [retry]  # its page came cut short


def test_with_refresh_hours_recent_articles_are_fetched_again(store: SQLiteStateStore) -> None:
    known = middleware(store, refresh_hours=6)
    recent = article_request(2)  # first seen an hour ago; 1, three days ago, is skipped
    assert passed(known, [article_request(1), recent]) == [recent]
    assert known.stats.get_value("newsbot/articles/refetched") == 1
    assert known.stats.get_value("newsbot/articles/skipped_known") == 1


def test_a_known_deciding_article_hands_the_decision_to_the_next(
    store: SQLiteStateStore,
) -> None:
    spider = IribnewsSpider.from_crawler(get_crawler(IribnewsSpider), since="1402-03-01")
    probe = ArchiveProbe(1, ArchiveCursor(2), (f"{SITE}/fa/news/1", f"{SITE}/fa/news/4"))
    [request] = passed(middleware(store), [spider._probe(probe)], spider)
    assert request.url == f"{SITE}/fa/news/4"  # the next article decides the walk
    assert request.meta[PROBE].rest == ()
    # A page whose articles are all known: the walk goes on to the next page.
    only_known = ArchiveProbe(1, ArchiveCursor(2), (f"{SITE}/fa/news/1",))
    [following] = passed(middleware(store), [spider._probe(only_known)], spider)
    assert following.meta[KIND] == PageKind.ARCHIVE
    assert following.meta["newsbot_archive"] == ArchiveCursor(2)


def test_the_kind_of_a_request_is_named_not_read_off_its_callback() -> None:
    crawler = get_crawler(IribnewsSpider, {"SPLASH_URL": "http://127.0.0.1:8050"})
    spider = IribnewsSpider.from_crawler(crawler, render_js="front")

    def read_home(response: Response) -> Iterator[Any]:  # not named parse_front
        yield from ()

    request = spider._request(f"{SITE}/", read_home, PageKind.FRONT)
    assert request.meta[KIND] == PageKind.FRONT
    assert "splash" in request.meta  # rendered, as front pages are here
    article = spider._request(f"{SITE}/fa/news/1", read_home, PageKind.ARTICLE)
    assert "splash" not in article.meta
