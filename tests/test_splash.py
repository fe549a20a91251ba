"""JavaScript pages through a real Splash (newsbot.scale.splash_rendering).

tests/js_site is a front page whose «پربازدیدها» pane is empty in its HTML and filled by a
script after the load event. `scrapy crawl iribnews -a render_js=front` runs against it over
real HTTP on 127.0.0.1 twice: with SPLASH_URL (a real Splash 3.5, started by the test on a free
loopback port, tests/services.py) and without. Splash is addressed as `localhost` while the site
is `127.0.0.1`, so a Splash request that the offsite filter dropped would show.
"""

import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.utils.test import get_crawler

from newsbot.crawl.arguments import SpiderArgumentError
from newsbot.crawl.fingerprint import NewsIdRequestFingerprinter
from newsbot.crawl.kinds import PageKind
from newsbot.scale.splash_rendering import SplashMiddleware, SplashRendering, parse_render_kinds
from newsbot.spiders.iribnews import IribnewsSpider
from snapshot.crawl import LOCAL_SETTINGS, SnapshotCrawl, crawl_snapshot
from snapshot.server import SnapshotServer
from tests.services import splash_server

JS_SITE = Path(__file__).resolve().parent / "js_site"
# The most-viewed list the page's script builds, in rank order.
BUILT_BY_SCRIPT = [5000003, 5000001, 5000004]
ARGS = {"sources": "front", "render_js": "front"}


@pytest.fixture(scope="module")
def splash() -> Iterator[str]:
    with splash_server() as url:
        yield url


@pytest.fixture(scope="module")
def site() -> Iterator[SnapshotServer]:
    with SnapshotServer(JS_SITE) as server:
        yield server


def crawl(data_dir: Path, site: SnapshotServer, **settings: str) -> SnapshotCrawl:
    done = crawl_snapshot(
        data_dir,
        server=site,
        spider_args=ARGS,
        # DEBUG: the log's line per page fetched says whether it went through Splash.
        settings={**LOCAL_SETTINGS, "LOG_LEVEL": "DEBUG", **settings},
        timeout=120,
    )
    assert done.returncode == 0, done.log
    return done


@pytest.fixture(scope="module")
def rendered(
    splash: str, site: SnapshotServer, tmp_path_factory: pytest.TempPathFactory
) -> SnapshotCrawl:
    port = urlsplit(splash).port
    return crawl(tmp_path_factory.mktemp("rendered"), site, SPLASH_URL=f"http://localhost:{port}")


@pytest.fixture(scope="module")
def plain(site: SnapshotServer, tmp_path_factory: pytest.TempPathFactory) -> SnapshotCrawl:
    return crawl(tmp_path_factory.mktemp("plain"), site)


def listing(crawl: SnapshotCrawl, site: SnapshotServer, kind: str) -> dict[str, Any]:
    [found] = [
        record
        for record in crawl.records("listing")
        if record["page_url"] == f"{site.base_url}/" and record["list"] == kind
    ]
    return found


def crawled_lines(log: str) -> dict[str, str]:
    """Scrapy's `Crawled (200) <GET url[ via splash]>` lines, by the page's path."""
    found = re.findall(r"Crawled \(200\) <GET (\S+)( via \S+)?>", log)
    return {unquote(urlsplit(url).path): via.strip() for url, via in found}


# --------------------------------------------------------------- through a real Splash


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_a_list_built_by_javascript_is_snapshotted_through_splash(
    rendered: SnapshotCrawl, site: SnapshotServer
) -> None:
    most_viewed = listing(rendered, site, "most_viewed")
    assert most_viewed["block"] == "tabs"
    assert [entry["news_id"] for entry in most_viewed["entries"]] == BUILT_BY_SCRIPT
    assert [entry["rank"] for entry in most_viewed["entries"]] == [1, 2, 3]
    assert most_viewed["entries"][0]["title"] == "سومین خبر آزمایشی"
    assert most_viewed["entries"][0]["url"].startswith(f"{site.base_url}/fa/news/5000003/")
    # The static lists read the same as without Splash.
    assert [e["news_id"] for e in listing(rendered, site, "most_discussed")["entries"]] == [5000002]


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_records_keep_the_pages_own_url_not_splashs(rendered: SnapshotCrawl) -> None:
    pages = {record["page_url"] for record in rendered.records("listing")}
    assert {unquote(urlsplit(url).path) for url in pages} == {"/", "/fa/politics"}
    assert all(url.startswith("http://127.0.0.1:") for url in pages)
    assert "render.json" not in json.dumps(
        rendered.records("article") + rendered.records("listing")
    )


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_only_front_pages_go_through_splash_articles_stay_plain(
    rendered: SnapshotCrawl, splash: str
) -> None:
    crawled = crawled_lines(rendered.log)
    render = f"via http://localhost:{urlsplit(splash).port}/render.json"
    assert {path for path, via in crawled.items() if via} == {"/", "/fa/politics"}
    assert all(via == render for via in crawled.values() if via)
    articles = {path for path in crawled if path.startswith("/fa/news/")}
    assert len(articles) == 4
    assert all(not crawled[path] for path in articles | {"/robots.txt"})
    assert "'splash/render.json/request_count': 3," in rendered.log  # and /fa/gone


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_a_rendered_page_keeps_its_http_status(
    rendered: SnapshotCrawl, site: SnapshotServer
) -> None:
    # Splash answers 200 for the page it rendered; the crawl still sees the site's 404.
    assert "/fa/gone" in rendered.requests
    assert rendered.report()["dropped"]["http_404"]["examples"] == [f"{site.base_url}/fa/gone"]


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_articles_found_only_in_the_rendered_list_are_fetched(rendered: SnapshotCrawl) -> None:
    assert sorted(a["news_id"] for a in rendered.records("article")) == [
        5000001, 5000002, 5000003, 5000004,
    ]  # fmt: skip


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_robots_txt_still_applies_to_rendered_pages(rendered: SnapshotCrawl) -> None:
    # Splash fetched each front page from the site once; nothing fetched /fa/private.
    assert rendered.requests.count("/") == 1
    assert rendered.requests.count("/robots.txt") == 1
    assert "/fa/private" not in rendered.requests
    assert "/fa/private" in rendered.report()["dropped"]["robots_txt"]["examples"][0]


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_a_rendered_crawl_logs_no_warnings(rendered: SnapshotCrawl) -> None:
    # None from Python's warnings (scrapy-splash's deprecated imports and calls) either.
    warnings = [line for line in rendered.log.splitlines() if " WARNING: " in line]
    assert warnings == [line for line in warnings if "Skipped" in line and "/fa/gone" in line]
    assert " ERROR: " not in rendered.log


@pytest.mark.e2e
@pytest.mark.requires_splash
def test_splash_stays_small(rendered: SnapshotCrawl, splash: str) -> None:
    with urllib.request.urlopen(f"{splash}/_ping", timeout=5) as ping:
        maxrss = json.load(ping)["maxrss"]
    assert maxrss < 1024**3  # ~250 MB measured after the crawl (about 330 MB after 100 pages)


# ----------------------------------------------------------------------- without Splash


@pytest.mark.e2e
def test_without_splash_the_block_is_present_and_empty(
    plain: SnapshotCrawl, site: SnapshotServer
) -> None:
    assert listing(plain, site, "most_viewed")["entries"] == []
    assert "front pages need JavaScript, but SPLASH_URL is not set" in plain.log
    assert not any(crawled_lines(plain.log).values())
    assert sorted(a["news_id"] for a in plain.records("article")) == [5000001, 5000002]


# ----------------------------------------------------------------- configuration, no Splash


def test_render_js_names_page_kinds_and_defaults_to_the_profiles() -> None:
    assert parse_render_kinds(" Front,article ") == {"front", "article"}
    assert parse_render_kinds("none") == frozenset()
    assert IribnewsSpider().render_kinds == frozenset()

    class RenderingSpider(IribnewsSpider):
        profile = replace(IribnewsSpider.profile, render_js=("front",))

    assert RenderingSpider().render_kinds == {"front"}
    assert RenderingSpider(render_js="none").render_kinds == frozenset()
    with pytest.raises(SpiderArgumentError, match="render_js='feed'"):
        IribnewsSpider(render_js="feed")


def test_the_setting_sets_render_js_and_the_argument_wins() -> None:
    crawler = get_crawler(IribnewsSpider, {"NEWSBOT_RENDER_JS": "front,archive"})
    assert IribnewsSpider.from_crawler(crawler).render_kinds == {"front", "archive"}
    spider = IribnewsSpider.from_crawler(crawler, render_js="none")
    assert spider.render_kinds == frozenset()


def test_the_add_on_enables_splash_only_with_splash_url() -> None:
    addon = {"ADDONS": {SplashRendering: 100}}
    off = get_crawler(settings_dict=addon).settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert SplashMiddleware not in off
    settings = get_crawler(settings_dict={**addon, "SPLASH_URL": "http://127.0.0.1:8050"}).settings
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares[SplashMiddleware] == 725
    assert middlewares[HttpCompressionMiddleware] == 810


def test_a_rendered_page_keeps_its_fingerprint() -> None:
    """The duplicate filter, JOBDIR and the cache see a rendered page as the page itself."""
    crawler = get_crawler(
        IribnewsSpider,
        {
            "SPLASH_URL": "http://127.0.0.1:8050",
            "REQUEST_FINGERPRINTER_CLASS": NewsIdRequestFingerprinter,
        },
    )
    spider = IribnewsSpider.from_crawler(crawler, render_js="front,article")
    fingerprint = NewsIdRequestFingerprinter(crawler).fingerprint
    front = spider._request(
        "https://www.iribnews.ir/fa/political", spider.parse_front, PageKind.FRONT
    )
    article = spider._request(
        "https://www.iribnews.ir/fa/news/3900001/a", spider.parse_article, PageKind.ARTICLE
    )
    assert "splash" in front.meta and "splash" in article.meta
    assert fingerprint(front) == fingerprint(Request("https://www.iribnews.ir/fa/political"))
    assert fingerprint(article) == fingerprint(Request("https://www.iribnews.ir/fa/news/3900001"))
    feed = spider._request(
        "https://www.iribnews.ir/fa/rss/allnews", spider.parse_feed, PageKind.FEED
    )
    assert "splash" not in feed.meta
