"""End to end: `scrapy crawl iribnews` over real HTTP on 127.0.0.1 against the bundled snapshot
site, compared with the site's hand-written answer key, snapshot/truth.json."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from jsonschema import Draft202012Validator

from newsbot.schema import load_schema, validate_record
from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, SnapshotCrawl, crawl_command, crawl_snapshot
from snapshot.server import SnapshotServer

REFERENCE = Draft202012Validator(load_schema())

pytestmark = pytest.mark.e2e

TRUTH: dict[str, Any] = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> SnapshotCrawl:
    done = crawl_snapshot(tmp_path_factory.mktemp("data"))
    assert done.returncode == 0, done.log
    return done


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


def test_one_feed_per_record_type_in_the_site_folder(crawl: SnapshotCrawl) -> None:
    assert sorted(feed.name.split("-")[0] for feed in crawl.feeds) == ["articles", "listings"]
    assert {feed.parent.name for feed in crawl.feeds} == {"iribnews"}
    assert not list(crawl.feeds[0].parent.glob("*.part"))


def test_every_article_of_the_answer_key_exactly_once(crawl: SnapshotCrawl) -> None:
    articles = crawl.records("article")
    counts = Counter(article["news_id"] for article in articles)
    assert counts == Counter({int(news_id): 1 for news_id in TRUTH["articles"]})


def test_a_first_crawl_emits_revision_1_of_every_article(crawl: SnapshotCrawl) -> None:
    assert {article["revision"] for article in crawl.records("article")} == {1}


def test_the_crawl_reads_the_feed_and_writes_its_report(crawl: SnapshotCrawl) -> None:
    assert "/fa/rss/allnews" in crawl.requests
    report = crawl.report()
    assert report["status"] == "ok"
    assert report["articles"]["new"] == len(TRUTH["articles"])
    assert report["listings"] == len(TRUTH["listings"])
    assert report["coverage"]["floor_applied"]
    assert report["coverage"]["fields"]["body"] == round(36 / 38, 4)
    assert "/fa/news/3900090" in report["dropped"]["robots_txt"]["examples"][0]


@pytest.mark.parametrize("news_id", sorted(TRUTH["articles"]))
def test_article_fields_match_the_answer_key(crawl: SnapshotCrawl, news_id: str) -> None:
    expected = TRUTH["articles"][news_id]
    [article] = [a for a in crawl.records("article") if a["news_id"] == int(news_id)]
    assert article["site"] == "iribnews"
    assert path_of(article["url"]).startswith(f"/fa/news/{news_id}")
    for field in (
        "title", "kicker", "lead", "body", "section", "tags", "published_at_raw",
        "published_at", "published_at_jalali", "views", "comment_count",
    ):  # fmt: skip
        assert article[field] == expected[field], field
    assert article["published_at_utc"] == expected["published_at_utc"]
    assert article["published_precision"] == expected["published_precision"]
    # Fetched from the snapshot on 127.0.0.1 (a mirror): the site's own URLs.
    assert article["canonical_url"] == f"https://www.iribnews.ir/fa/news/{news_id}"
    assert article["images"] == [
        {"url": urljoin(article["canonical_url"], image["src"]), "alt": image["alt"]}
        for image in expected["images"]
    ]


def test_listing_snapshots_of_every_front_page_in_rank_order(crawl: SnapshotCrawl) -> None:
    def key(listing: dict[str, Any], page: str) -> tuple[str, str, str]:
        return (page, listing["list"], listing["block"])

    found = {
        key(listing, path_of(listing["page_url"])): [
            [entry["news_id"], entry["title"], entry["comment_count"]]
            for entry in listing["entries"]
        ]
        for listing in crawl.records("listing")
    }
    expected = {key(listing, listing["page"]): listing["entries"] for listing in TRUTH["listings"]}
    assert len(crawl.records("listing")) == len(TRUTH["listings"])
    assert found == expected
    for listing in crawl.records("listing"):
        assert [entry["rank"] for entry in listing["entries"]] == list(
            range(1, len(listing["entries"]) + 1)
        )


def test_listing_entries_of_the_mirror_carry_the_sites_own_urls(crawl: SnapshotCrawl) -> None:
    entries = [entry for listing in crawl.records("listing") for entry in listing["entries"]]
    # The snapshot links its articles in four forms: mirror host, http, https, www or not.
    assert len({urlsplit(entry["url"])[:2] for entry in entries}) >= 2
    assert all(
        entry["canonical_url"] == f"https://www.iribnews.ir/fa/news/{entry['news_id']}"
        for entry in entries
    )


def test_what_must_not_be_emitted_is_not(crawl: SnapshotCrawl) -> None:
    emitted = {article["news_id"] for article in crawl.records("article")}
    assert emitted.isdisjoint(int(news_id) for news_id in TRUTH["not_emitted"])


def test_requests_obey_robots_and_the_crawl_shape(crawl: SnapshotCrawl) -> None:
    requested = [unquote(urlsplit(path).path) for path in crawl.requests]
    assert requested[0] == "/robots.txt"
    assert "/" in requested
    assert set(TRUTH["sections"]) <= set(requested)
    article_ids = [p.split("/")[3] for p in requested if p.startswith("/fa/news/")]
    # Each article once, whatever slugs it was linked with; robots-disallowed and
    # article-page-only links never; print/send/report pages never.
    assert len(article_ids) == len(set(article_ids))
    assert "3900090" not in article_ids
    assert {"3900095", "3900096", "3900097", "3900098"}.isdisjoint(article_ids)
    assert not [p for p in requested if p.split("/")[2:3] in (["print"], ["send"], ["report"])]


def test_output_validates_against_the_schema_and_reads_as_persian(crawl: SnapshotCrawl) -> None:
    for feed in crawl.feeds:
        text = feed.read_text(encoding="utf-8")
        assert "\\u06" not in text
        for line in text.splitlines():
            record = json.loads(line)
            validate_record(record)
            # And with the reference validator, against the published schema as a whole.
            REFERENCE.validate(record)


def test_dropped_pages_are_logged_with_url_and_counted_by_reason(crawl: SnapshotCrawl) -> None:
    assert "'newsbot/dropped/not_an_article': 1" in crawl.log
    assert "'newsbot/dropped/missing_body': 1" in crawl.log
    assert "'newsbot/dates/unreadable': 1" in crawl.log
    assert "Skipped http://127.0.0.1:" in crawl.log
    assert "/fa/news/3900091" in crawl.log
    assert "Dropped article record: missing_body" in crawl.log
    assert "Unreadable publication date on http://127.0.0.1:" in crawl.log


def test_scrapy_check_passes_against_the_snapshot() -> None:
    with SnapshotServer() as server:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "check",
                "iribnews",
                "-s",
                f"NEWSBOT_BASE_URL={server.base_url}",
            ],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    # Two callbacks: @returns, @returns on the front page; @returns, @returns, @scrapes on articles.
    assert "Ran 5 contracts" in done.stderr
    assert done.stderr.rstrip().endswith("OK")


def test_a_killed_crawl_leaves_no_feed_file_and_only_whole_lines(tmp_path: Path) -> None:
    slow = {**LOCAL_SETTINGS, "CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.2"}
    with SnapshotServer() as server:
        command = crawl_command(server.base_url, tmp_path, settings=slow)
        process = subprocess.Popen(command, cwd=PROJECT_DIR, stderr=subprocess.DEVNULL)
        part = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and part is None:
            time.sleep(0.1)
            part = next((p for p in tmp_path.rglob("articles-*.part") if p.stat().st_size), None)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert part is not None, "the crawl wrote no article in time"
    assert not list(tmp_path.rglob("*.jsonl"))
    lines = part.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines and all(line.endswith("\n") for line in lines)
    for line in lines:
        validate_record(json.loads(line))


def test_a_data_frame_reads_the_utc_times_of_a_feed(crawl: SnapshotCrawl) -> None:
    """pandas is no dependency of newsbot: this runs where it is installed."""
    pandas = pytest.importorskip("pandas", reason="pandas is not installed (optional)")
    [feed] = [feed for feed in crawl.feeds if feed.name.startswith("articles-")]
    frame = pandas.read_json(feed, lines=True)
    # read_json converts by column name (`*_at`, `*_time`): crawled_at, not published_at_utc.
    assert str(frame["crawled_at"].dtype).startswith("datetime64")
    published = pandas.to_datetime(frame["published_at_utc"])
    assert str(published.dtype).startswith("datetime64") and str(published.dt.tz) == "UTC"
    by_id = dict(zip(frame["news_id"], published, strict=True))
    assert by_id[3900001] == pandas.Timestamp("2023-06-08T07:50:00Z")
    assert pandas.isna(by_id[3900011])  # an impossible date stays unknown
    # published_at mixes +03:30 and +04:30: pandas refuses it without utc=True.
    with pytest.raises(ValueError, match="utc=True"):
        pandas.to_datetime(frame["published_at"])
