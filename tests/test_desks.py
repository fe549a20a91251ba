"""Provincial desks are news rooms of their own (issue 10, item 6): yazd.iribnews.ir numbers its
articles itself, so every article is known by (desk, news id): in its record, the crawl state,
the duplicate filter and the pipelines. `provinces=true` with `base_url` crawls them on loopback
through base_url as an HTTP proxy (tests/desks/: a main desk and the Yazd desk, both publishing
a news id 60536, served by snapshot/server.py for their own hosts)."""

import logging
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.utils.test import get_crawler

from newsbot.crawl.pipelines import DropDuplicatesPipeline, Rejected
from newsbot.crawl.spider import SpiderArgumentError
from newsbot.items import Article
from newsbot.spiders.iribnews import IribnewsSpider
from newsbot.spiders.tabnak import TabnakSpider
from newsbot.state.store import SQLiteStateStore, content_fingerprint
from snapshot.crawl import SnapshotCrawl, crawl_snapshot
from snapshot.server import SnapshotServer

DESKS = Path(__file__).parent / "desks"
HOSTS = {
    "www.iribnews.ir": DESKS / "www",
    "iribnews.ir": DESKS / "www",
    "yazd.iribnews.ir": DESKS / "yazd",
}
# What each desk publishes, by hand from tests/desks/*/news/.
TITLES = {
    ("www", 60536): "بازگشایی پل تاریخی شهر",
    ("www", 60537): "برگزاری نمایشگاه کتاب کودک",
    ("yazd", 60536): "برداشت انار در باغ‌های تفت",
    ("yazd", 60540): "آبرسانی به روستاهای مهریز",
}
# The host each article is first linked under: the main desk's 60537 as iribnews.ir. (no www,
# a trailing dot).
HOST_READ = {
    ("www", 60536): "www.iribnews.ir",
    ("www", 60537): "iribnews.ir",
    ("yazd", 60536): "yazd.iribnews.ir",
    ("yazd", 60540): "yazd.iribnews.ir",
}
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
FP = content_fingerprint("عنوان", None, "متن")


def keys(crawl: SnapshotCrawl) -> Counter[tuple[str, int]]:
    return Counter((r["desk"], r["news_id"]) for r in crawl.records("article"))


def requested_articles(crawl: SnapshotCrawl) -> Counter[tuple[str, str]]:
    """(host, /fa/news/<id>) of every article request the proxy answered."""
    found: Counter[tuple[str, str]] = Counter()
    for url in crawl.requests:
        parts = urlsplit(url)
        if parts.path.startswith("/fa/news/"):
            found[parts.hostname or "", "/".join(parts.path.split("/")[:4])] += 1
    return found


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[SnapshotCrawl, SnapshotCrawl]:
    data_dir = tmp_path_factory.mktemp("data")
    arguments = {"provinces": "true", "sources": "front"}  # the fixture desks have no feed
    with SnapshotServer(DESKS / "www", hosts=HOSTS) as proxy:
        first = crawl_snapshot(data_dir, server=proxy, spider_args=arguments)
        second = crawl_snapshot(data_dir, server=proxy, spider_args=arguments)
    assert first.returncode == 0, first.log
    assert second.returncode == 0, second.log
    return first, second


@pytest.mark.e2e
def test_two_desks_publishing_one_id_are_both_emitted_once(
    two_runs: tuple[SnapshotCrawl, SnapshotCrawl],
) -> None:
    first, _ = two_runs
    assert keys(first) == Counter(dict.fromkeys(TITLES, 1))
    for record in first.records("article"):
        assert record["title"] == TITLES[record["desk"], record["news_id"]]
        # Fetched at its own URL (the first link read), through the proxy, over plain http.
        parts = urlsplit(record["url"])
        assert (parts.scheme, parts.hostname) == (
            "http",
            HOST_READ[record["desk"], record["news_id"]],
        )


@pytest.mark.e2e
def test_every_page_goes_through_the_proxy_once_under_its_own_host(
    two_runs: tuple[SnapshotCrawl, SnapshotCrawl],
) -> None:
    first, _ = two_runs
    assert all(url.startswith("http://") for url in first.requests)
    assert Counter(
        url for url in first.requests if not urlsplit(url).path.startswith("/fa/news/")
    ) == Counter(
        [
            "http://www.iribnews.ir/robots.txt",
            "http://www.iribnews.ir/",
            "http://yazd.iribnews.ir/robots.txt",
            "http://yazd.iribnews.ir/",  # the desk's home page, from the main menu
            "http://iribnews.ir/robots.txt",  # iribnews.ir. (trailing dot) is iribnews.ir
        ]
    )
    # One request per article: the main desk's 60537 is linked under three hosts, the
    # Yazd desk's 60536 from both desks.
    assert requested_articles(first) == Counter(
        {
            ("www.iribnews.ir", "/fa/news/60536"): 1,
            ("iribnews.ir", "/fa/news/60537"): 1,
            ("yazd.iribnews.ir", "/fa/news/60536"): 1,
            ("yazd.iribnews.ir", "/fa/news/60540"): 1,
        }
    )


@pytest.mark.e2e
def test_listings_say_whose_page_and_whose_articles(
    two_runs: tuple[SnapshotCrawl, SnapshotCrawl],
) -> None:
    first, _ = two_runs
    tickers = {r["desk"]: r for r in first.records("listing") if r["block"] == "ticker"}
    assert sorted(tickers) == ["www", "yazd"]
    assert [(e["desk"], e["news_id"]) for e in tickers["www"]["entries"]] == [
        ("www", 60536),
        ("www", 60537),
    ]
    assert [(e["desk"], e["news_id"]) for e in tickers["yazd"]["entries"]] == [
        ("yazd", 60540),
        ("yazd", 60536),
        ("www", 60537),
    ]


@pytest.mark.e2e
def test_the_next_run_knows_each_desks_articles(
    two_runs: tuple[SnapshotCrawl, SnapshotCrawl],
) -> None:
    _, second = two_runs
    assert keys(second) == Counter()
    assert requested_articles(second) == Counter()
    assert second.report()["articles"]["skipped_known"] == len(TITLES)


# ------------------------------------------------------------------------- components


def article(desk: str, news_id: int) -> Article:
    host = "www.iribnews.ir" if desk == "www" else f"{desk}.iribnews.ir"
    return Article(
        site="iribnews",
        desk=desk,
        url=f"http://{host}/fa/news/{news_id}",
        canonical_url=f"https://{host}/fa/news/{news_id}",
        news_id=news_id,
        title="عنوان",
        kicker=None,
        lead=None,
        body="متن",
        section=[],
        tags=[],
        published_at_raw=None,
        views=None,
        comment_count=None,
        images=[],
        crawled_at="2026-11-26T10:00:00+00:00",
    )


def test_the_pipelines_keep_desks_apart(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    store.mark("www", 60540, 1, FP, T0)  # the main desk's 60540 is known, not Yazd's
    crawler = get_crawler()
    state: Any = type("State", (), {"store": store})()
    pipeline = DropDuplicatesPipeline(crawler.stats, state)
    spider = IribnewsSpider()
    for key in [("www", 60536), ("yazd", 60536), ("yazd", 60540)]:
        assert pipeline.process_item(article(*key), spider).revision == 1
    with pytest.raises(Rejected, match="duplicate: news id 60536 of desk yazd already emitted"):
        pipeline.process_item(article("yazd", 60536), spider)
    with pytest.raises(Rejected, match="unchanged: news id 60540 is as emitted"):
        pipeline.process_item(article("www", 60540), spider)
    store.close()


def old_state(path: Path, *news_ids: int) -> None:
    """A state file as newsbot wrote it before desks: a row per news id."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE articles (news_id INTEGER PRIMARY KEY, first_seen INTEGER NOT NULL, "
            "revision INTEGER NOT NULL, fingerprint BLOB NOT NULL)"
        )
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, 2, ?)",
            [(news_id, int(T0.timestamp()), FP) for news_id in news_ids],
        )
    db.close()


def test_a_state_written_before_desks_keeps_working_as_the_main_desks(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "iribnews.sqlite3"
    old_state(path, 3900001, 3900002)
    # Read-only (a look while a crawl runs), it is read as it is.
    reader = SQLiteStateStore(path, exclusive=False)
    assert reader.get("www", 3900001) is not None
    assert reader.get("yazd", 3900001) is None
    reader.close()
    with caplog.at_level(logging.WARNING, logger="newsbot.state.store"):
        store = SQLiteStateStore(path)
    assert "its 2 news ids are now keyed as the main desk's (www)" in caplog.text
    known = store.get("www", 3900001)
    assert known is not None
    assert (known.desk, known.revision, known.fingerprint, known.first_seen) == ("www", 2, FP, T0)
    assert store.get("yazd", 3900001) is None
    store.mark("yazd", 3900001, 1, FP, T0)
    assert len(store) == 3
    store.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="newsbot.state.store"):
        again = SQLiteStateStore(path)  # migrated once
    assert "before desks" not in caplog.text
    assert again.get("yazd", 3900001) is not None and again.get("www", 3900002) is not None
    again.close()


def test_a_failed_migration_leaves_the_old_state_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "iribnews.sqlite3"
    old_state(path, 3900001)
    with sqlite3.connect(path) as db:  # a table in the way makes the migration fail
        db.execute("CREATE TABLE articles_by_desk (x)")
    db.close()
    with pytest.raises(sqlite3.OperationalError):
        SQLiteStateStore(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT news_id FROM articles").fetchall() == [(3900001,)]
    db.close()


# ------------------------------------------------------------------------- arguments


def test_provinces_are_refused_where_they_cannot_work() -> None:
    with pytest.raises(SpiderArgumentError, match="tabnak has no provincial desks"):
        TabnakSpider(provinces="true")
    with pytest.raises(SpiderArgumentError, match="must be http://host:port"):
        IribnewsSpider(provinces="true", base_url="https://127.0.0.1:8000")
    crawler = get_crawler(IribnewsSpider, {"SPLASH_URL": "http://127.0.0.1:8050"})
    with pytest.raises(SpiderArgumentError, match="render_js cannot go with provinces=true"):
        IribnewsSpider.from_crawler(
            crawler, provinces="true", base_url="http://127.0.0.1:8000", render_js="front"
        )


@pytest.mark.e2e
def test_a_bad_provinces_crawl_ends_before_anything_is_fetched(tmp_path: Path) -> None:
    crawl = crawl_snapshot(tmp_path, spider="tabnak", spider_args={"provinces": "true"})
    assert crawl.returncode == 2
    assert "scrapy crawl: error: tabnak: provinces=true: tabnak has no provincial desks" in (
        crawl.log
    )
    assert crawl.requests == []


@pytest.mark.e2e
def test_an_id_walk_of_a_desk_fetches_that_desks_ids_and_keeps_them_its_own(
    tmp_path: Path,
) -> None:
    arguments = {"ids": "60535-60541", "desk": "yazd"}
    with SnapshotServer(DESKS / "www", hosts=HOSTS) as proxy:
        crawl = crawl_snapshot(tmp_path, server=proxy, spider_args=arguments)
    assert crawl.returncode == 0, crawl.log
    assert keys(crawl) == Counter({("yazd", 60536): 1, ("yazd", 60540): 1})
    # Every id of the range once, on the desk's own host; none of the main desk's.
    assert requested_articles(crawl) == Counter(
        {("yazd.iribnews.ir", f"/fa/news/{news_id}"): 1 for news_id in range(60535, 60542)}
    )
    # The ids the desk has no article for are tried as the desk's.
    with sqlite3.connect(tmp_path / "state" / "iribnews.sqlite3") as db:
        tried = set(db.execute("SELECT desk, news_id, reason FROM dropped"))
    assert tried == {("yazd", i, "http_404") for i in (60535, 60537, 60538, 60539, 60541)}
