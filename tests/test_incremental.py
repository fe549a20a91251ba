"""End to end, over loopback: scheduled runs, refreshes, backfills, the RSS fast path, crashes
and pauses, and exit statuses. Every crawl is `scrapy crawl iribnews` in a subprocess against
the bundled snapshot site (snapshot/), compared with its answer key (snapshot/truth.json)."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from newsbot.state.store import PAUSED_MARKER, SQLiteStateStore
from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, SnapshotCrawl, crawl_command, crawl_snapshot
from snapshot.server import DEFAULT_ROOT, SnapshotServer

pytestmark = pytest.mark.e2e

TRUTH: dict[str, Any] = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
ARTICLES = {int(news_id) for news_id in TRUTH["articles"]}
ALL_ARTICLES: dict[int, dict[str, Any]] = {
    int(news_id): article
    for news_id, article in [*TRUTH["articles"].items(), *TRUTH["archive"]["articles"].items()]
}
# Slow enough to stop a crawl half-way: one request at a time, 50 to 150 ms apart.
SLOW = {**LOCAL_SETTINGS, "CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.1"}


def article_ids(*crawls: SnapshotCrawl) -> list[int]:
    return [record["news_id"] for crawl in crawls for record in crawl.records("article")]


def requested_articles(crawl: SnapshotCrawl) -> set[int]:
    return {int(p.split("/")[3]) for p in crawl.requests if p.startswith("/fa/news/")}


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the crawl")
        time.sleep(0.02)


def part_lines(data_dir: Path, kind: str = "articles") -> int:
    return sum(part.read_bytes().count(b"\n") for part in data_dir.rglob(f"{kind}-*.part"))


def all_records(data_dir: Path, kind: str) -> list[dict[str, Any]]:
    """Every record of one kind in every feed of a data dir (recovered ones included)."""
    return [
        json.loads(line)
        for feed in sorted(data_dir.rglob(f"{kind}s-*.jsonl"))
        for line in feed.read_text(encoding="utf-8").splitlines()
    ]


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A copy of the snapshot site that a test may change between crawls."""
    root = tmp_path / "site"
    shutil.copytree(DEFAULT_ROOT, root)
    return root


# ------------------------------------------------------------------- scheduled runs


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[SnapshotCrawl, SnapshotCrawl]:
    data_dir = tmp_path_factory.mktemp("data")
    with SnapshotServer() as server:
        first = crawl_snapshot(data_dir, server=server)
        second = crawl_snapshot(data_dir, server=server)
    assert first.returncode == 0, first.log
    assert second.returncode == 0, second.log
    return first, second


def test_two_runs_emit_each_article_exactly_once(
    two_runs: tuple[SnapshotCrawl, SnapshotCrawl],
) -> None:
    first, second = two_runs
    assert Counter(article_ids(first, second)) == Counter(dict.fromkeys(ARTICLES, 1))
    assert article_ids(second) == []
    assert {record["revision"] for record in first.records("article")} == {1}


def test_the_second_run_reads_the_front_pages_and_feeds_but_no_known_article(
    two_runs: tuple[SnapshotCrawl, SnapshotCrawl],
) -> None:
    _, second = two_runs
    paths = {unquote(urlsplit(path).path) for path in second.requests}
    assert {"/", "/fa/rss/allnews", *TRUTH["sections"]} <= paths
    # Nor the pages that gave no article (not an article, no body): the state remembers them.
    assert requested_articles(second) == set()


def test_each_run_emits_a_fresh_set_of_listing_snapshots(
    two_runs: tuple[SnapshotCrawl, SnapshotCrawl],
) -> None:
    first, second = two_runs

    def snapshots(crawl: SnapshotCrawl) -> list[tuple[str, str, str, list[int]]]:
        return sorted(
            (
                unquote(urlsplit(r["page_url"]).path),
                r["list"],
                r["block"],
                [e["news_id"] for e in r["entries"]],
            )
            for r in crawl.records("listing")
        )

    assert len(second.records("listing")) == len(TRUTH["listings"])
    assert snapshots(first) == snapshots(second)
    assert min(r["captured_at"] for r in second.records("listing")) >= max(
        r["captured_at"] for r in first.records("listing")
    )


def test_each_run_writes_its_report(two_runs: tuple[SnapshotCrawl, SnapshotCrawl]) -> None:
    first, second = two_runs
    report = second.report()
    assert report["status"] == "ok"
    assert report["articles"] == {
        "emitted": 0, "new": 0, "revised": 0, "unchanged": 0,
        "skipped_known": len(ARTICLES), "refetched": 0, "skipped_dropped": 2,
    }  # fmt: skip
    assert report["pages"] == {"feed": 1, "front": 1 + len(TRUTH["sections"])}
    assert report["listings"] == len(TRUTH["listings"])
    assert report["state"]["known_at_start"] == report["state"]["known_at_end"] == len(ARTICLES)
    assert sorted(report["feeds"]) == sorted(str(feed) for feed in second.feeds)
    assert first.report()["articles"]["new"] == len(ARTICLES)
    assert "Crawl report (finished): pages feed 1, front 8" in second.log


def test_pages_that_gave_no_article_are_tried_again_after_the_retry_time(tmp_path: Path) -> None:
    with SnapshotServer() as server:
        first = crawl_snapshot(tmp_path, server=server)
        store = SQLiteStateStore(tmp_path / "state" / "iribnews.sqlite3", exclusive=False)
        dropped = {news_id: store.dropped("www", news_id) for news_id in (3900091, 3900092)}
        store.close()
        again = crawl_snapshot(
            tmp_path, server=server, settings={**LOCAL_SETTINGS, "NEWSBOT_DROPPED_RETRY_HOURS": "0"}
        )
    assert first.returncode == again.returncode == 0, again.log
    assert {news_id: d.reason if d else None for news_id, d in dropped.items()} == {
        3900091: "not_an_article",
        3900092: "missing_body",
    }
    assert requested_articles(again) == {3900091, 3900092}


# --------------------------------------------------------------------------- refresh


def test_a_changed_article_is_emitted_again_as_revision_2(site_copy: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with SnapshotServer(site_copy) as server:
        first = crawl_snapshot(data_dir, server=server)
        page = site_copy / "news" / "3900001.html"
        page.write_text(
            page.read_text("utf-8").replace(
                "<span>گشایش سه کتابخانه عمومی تازه در استان</span>",
                "<span>گشایش چهار کتابخانه عمومی تازه در استان</span>",
            ),
            "utf-8",
        )
        views = site_copy / "news" / "3900002.html"  # views change, the text does not
        views.write_text(views.read_text("utf-8").replace("۵۸۱۶ بازدید", "۶۰۰۰ بازدید"), "utf-8")
        # Only these two were first seen less than an hour ago.
        with sqlite3.connect(data_dir / "state" / "iribnews.sqlite3") as db:
            db.execute(
                "UPDATE articles SET first_seen = first_seen - 5 * 3600 "
                "WHERE news_id NOT IN (3900001, 3900002)"
            )
        second = crawl_snapshot(data_dir, server=server, spider_args={"refresh_hours": "1"})
        third = crawl_snapshot(data_dir, server=server)
    assert first.returncode == second.returncode == third.returncode == 0, second.log
    [revised] = second.records("article")
    assert (revised["news_id"], revised["revision"]) == (3900001, 2)
    assert revised["title"] == "گشایش چهار کتابخانه عمومی تازه در استان"
    # The pages that gave no article wait for NEWSBOT_DROPPED_RETRY_HOURS, refresh or not.
    assert requested_articles(second) == {3900001, 3900002}
    assert second.report()["articles"] | {"skipped_known": None} == {
        "emitted": 1, "new": 0, "revised": 1, "unchanged": 1, "refetched": 2,
        "skipped_known": None, "skipped_dropped": 2,
    }  # fmt: skip
    assert "News id 3900001 changed since revision 1: emitting revision 2" in second.log
    # Without refresh_hours, known articles are not fetched at all.
    assert article_ids(third) == []
    assert requested_articles(third) == set()


# -------------------------------------------------------------------------- backfill


def in_range(since: str, until: str) -> set[int]:
    return {
        news_id
        for news_id, article in ALL_ARTICLES.items()
        if article["published_at_jalali"] and since <= article["published_at_jalali"][:10] <= until
    }


def test_a_backfill_emits_exactly_the_articles_of_the_range(tmp_path: Path) -> None:
    crawl = crawl_snapshot(tmp_path, spider_args={"since": "1402-03-01", "until": "1402-03-31"})
    assert crawl.returncode == 0, crawl.log
    expected = in_range("1402-03-01", "1402-03-31")
    assert expected == {3900001, 3900101, 3900102, 3900106}
    assert Counter(article_ids(crawl)) == Counter(dict.fromkeys(expected, 1))
    for record in crawl.records("article"):
        truth = ALL_ARTICLES[record["news_id"]]
        for field in ("title", "kicker", "lead", "body", "section", "tags", "published_at"):
            assert record[field] == truth[field], (record["news_id"], field)
    assert crawl.records("listing") == []
    # The archive, newest first, up to the page where the range ends; its dates in the query.
    archive = [path for path in crawl.requests if path.startswith("/fa/archive")]
    assert [parse_qs(urlsplit(path).query)["p"] for path in archive] == [["1"], ["2"], ["3"], ["4"]]
    query = parse_qs(urlsplit(archive[0]).query)
    assert (query["from_date"], query["to_date"]) == (["1402/03/01"], ["1402/03/31"])
    assert "/" not in crawl.requests
    # Fetched: what the archive dates in the range, and what it shows no readable date for;
    # emitted: what the article itself dates in the range.
    assert requested_articles(crawl) == {3900001, 3900101, 3900102, 3900105, 3900106, 3900011}
    report = crawl.report()
    assert report["arguments"]["since"] == "1402-03-01"
    assert report["dropped"]["out_of_range"]["count"] == 1
    assert report["dropped"]["date_unknown"]["count"] == 1
    assert "Archive walk ends at page 4: it reached articles older than the range" in crawl.log


def test_a_backfill_beyond_the_archive_stops_after_empty_pages(tmp_path: Path) -> None:
    crawl = crawl_snapshot(tmp_path, spider_args={"since": "1380-01-01", "until": "1380-12-29"})
    assert crawl.returncode == 0, crawl.log
    pages = [parse_qs(urlsplit(p).query)["p"][0] for p in crawl.requests if "/fa/archive" in p]
    last = len(TRUTH["archive"]["pages"])  # an empty page, then pages that are not there
    assert pages == [str(n) for n in range(1, last + 3)]
    assert article_ids(crawl) == []
    assert "Archive walk ends at page 10: 3 pages in a row gave no articles" in crawl.log


# ------------------------------------------------------------------------------ RSS


def test_the_rss_fast_path_reads_only_the_feeds(tmp_path: Path) -> None:
    feeds = TRUTH["feeds"]
    crawl = crawl_snapshot(tmp_path, spider_args={"sources": "rss", "feeds": ",".join(feeds)})
    assert crawl.returncode == 0, crawl.log
    not_articles = [p for p in crawl.requests if not p.startswith("/fa/news/")]
    assert not_articles[0] == "/robots.txt"
    assert sorted(not_articles[1:]) == sorted(feeds)
    listed = {news_id for ids in feeds.values() for news_id in ids}
    assert 3900090 in listed  # and robots.txt still forbids it
    assert Counter(article_ids(crawl)) == Counter(dict.fromkeys(listed - {3900090}, 1))
    assert crawl.records("listing") == []


# ------------------------------------------------------------------- exit statuses


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"since": "1402-12-30"}, "since='1402-12-30': day 30 does not exist in Esfand 1402"),
        (
            {"since": "1402-03-31", "until": "1402-03-01"},
            "since=1402-03-31 is after until=1402-03-01: the range is reversed",
        ),
        ({"sources": "archive"}, "sources=archive needs a date range"),
    ],
)
def test_bad_arguments_fail_before_anything_is_fetched(
    tmp_path: Path, arguments: dict[str, str], message: str
) -> None:
    crawl = crawl_snapshot(tmp_path, spider_args=arguments)
    assert crawl.returncode == 2
    assert f"scrapy crawl: error: iribnews: {message}" in crawl.log
    assert "Traceback" not in crawl.log
    assert crawl.requests == []
    assert not list(tmp_path.rglob("*.json*"))


def test_layout_drift_fails_the_run_with_exit_status_3(site_copy: Path, tmp_path: Path) -> None:
    for page in (site_copy / "news").glob("*.html"):  # a redesign renames the body's class
        page.write_text(page.read_text("utf-8").replace('class="body', 'class="matn'), "utf-8")
    crawl = crawl_snapshot(tmp_path, root=site_copy)
    assert crawl.returncode == 3, crawl.log
    assert "Field coverage below the floor over 38 article pages: body 0% < 80%" in crawl.log
    report = crawl.report()
    assert report["status"] == "coverage_below_floor"
    assert report["dropped"]["missing_body"]["count"] == 37
    assert len(report["dropped"]["missing_body"]["examples"]) == 5


def test_a_second_crawl_of_a_site_is_refused_while_one_holds_its_state(tmp_path: Path) -> None:
    running = SQLiteStateStore(tmp_path / "state" / "iribnews.sqlite3")  # as a running crawl
    try:
        crawl = crawl_snapshot(tmp_path)
    finally:
        running.close()
    assert crawl.returncode == 1
    assert f"scrapy crawl: error: another crawl (pid {os.getpid()}) holds" in crawl.log
    assert crawl.requests == []


# ----------------------------------------------------------------- crash and resume


@pytest.fixture
def server() -> Iterator[SnapshotServer]:
    with SnapshotServer() as running:
        yield running


def start(server: SnapshotServer, data_dir: Path, **arguments: str) -> subprocess.Popen[bytes]:
    command = crawl_command(
        server.base_url,
        data_dir,
        settings={**SLOW, "JOBDIR": str(data_dir / "job")},
        spider_args=arguments,
    )
    log = (data_dir / "killed.log").open("wb")
    try:
        return subprocess.Popen(command, cwd=PROJECT_DIR, stderr=log)
    finally:
        log.close()


MODES = {
    "scheduled": ({}, 10, ARTICLES),
    "backfill": (
        {"since": "1402-03-01", "until": "1402-03-31"},
        1,
        {3900001, 3900101, 3900102, 3900106},
    ),
}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_a_killed_crawl_resumed_ends_with_every_article_once(
    server: SnapshotServer, tmp_path: Path, mode: str
) -> None:
    arguments, kill_after, expected = MODES[mode]
    process = start(server, tmp_path, **arguments)
    try:
        wait_for(lambda: part_lines(tmp_path) >= kill_after)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    killed_with = part_lines(tmp_path)
    assert 0 < killed_with < len(expected), "not killed half-way"
    assert not list(tmp_path.rglob("*.jsonl"))

    resumed = crawl_snapshot(
        tmp_path,
        server=server,
        settings={**LOCAL_SETTINGS, "JOBDIR": str(tmp_path / "job")},
        spider_args=arguments,
    )
    assert resumed.returncode == 0, resumed.log
    assert "did not end cleanly (killed?)" in resumed.log
    # None missing, none twice, across the recovered feed and the resumed run's.
    assert Counter(r["news_id"] for r in all_records(tmp_path, "article")) == Counter(
        dict.fromkeys(expected, 1)
    )
    assert len(article_ids(resumed)) == len(expected)  # recovered + new
    assert not list(tmp_path.rglob("*.part"))
    report = resumed.report()
    [recovered] = [r for r in report["recovered_feeds"] if "articles-" in r["part"]]
    assert recovered["records"] == killed_with
    assert report["articles"]["new"] == len(expected) - killed_with


def test_a_paused_crawl_goes_on_where_it_stopped(server: SnapshotServer, tmp_path: Path) -> None:
    process = start(server, tmp_path)
    try:
        wait_for(lambda: part_lines(tmp_path) >= 8)
        process.send_signal(signal.SIGINT)  # Ctrl-C once: Scrapy stops cleanly
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (tmp_path / "job" / PAUSED_MARKER).read_text().strip() == "shutdown"
    paused = all_records(tmp_path, "article")
    assert 8 <= len(paused) < len(ARTICLES)
    seen_before = len(server.requests)

    resumed = crawl_snapshot(
        tmp_path, server=server, settings={**LOCAL_SETTINGS, "JOBDIR": str(tmp_path / "job")}
    )
    assert resumed.returncode == 0, resumed.log
    assert "going on with the run paused there" in resumed.log
    assert "Resuming crawl" in resumed.log
    assert Counter(r["news_id"] for r in all_records(tmp_path, "article")) == Counter(
        dict.fromkeys(ARTICLES, 1)
    )
    # Every front page read once over both runs: one set of snapshots, none twice.
    assert len(all_records(tmp_path, "listing")) == len(TRUTH["listings"])
    assert "/" not in server.requests[seen_before:]

    # The job is done: the next scheduled run in the same JOBDIR is a new one.
    again = crawl_snapshot(
        tmp_path, server=server, settings={**LOCAL_SETTINGS, "JOBDIR": str(tmp_path / "job")}
    )
    assert again.returncode == 0, again.log
    assert article_ids(again) == []
    assert len(again.records("listing")) == len(TRUTH["listings"])
