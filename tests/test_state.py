"""The crawl state: the SQLite store, the CrawlState extension (recovery, marking, commits,
JOBDIR), and the pipeline that numbers revisions against it."""

import json
import logging
import os
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsbot.crawl import feeds
from newsbot.crawl.pipelines import DropDuplicatesPipeline, Rejected
from newsbot.items import Article
from newsbot.sites.profiles import IRIBNEWS
from newsbot.state.store import (
    NO_ARTICLE,
    PAUSED_MARKER,
    RUNNING_MARKER,
    CrawlState,
    Dropped,
    SQLiteStateStore,
    StateLocked,
    content_fingerprint,
    record_fingerprint,
    state_dir,
)

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
FP = content_fingerprint("عنوان", "لید", "متن")


class IribnewsSpider(Spider):
    name = "iribnews"


def article(news_id: int = 3900001, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "site": "iribnews",
        "url": f"http://www.iribnews.ir/fa/news/{news_id}",
        "canonical_url": f"https://www.iribnews.ir/fa/news/{news_id}",
        "news_id": news_id,
        "title": "عنوان",
        "kicker": None,
        "lead": "لید",
        "body": "متن",
        "section": [],
        "tags": [],
        "published_at_raw": None,
        "views": None,
        "comment_count": None,
        "images": [],
        "crawled_at": "2026-11-26T10:00:00+00:00",
    }
    return Article(**{**values, **fields})


def record(news_id: int, revision: int = 1, **fields: Any) -> dict[str, Any]:
    return {
        "type": "article",
        "news_id": news_id,
        "revision": revision,
        "title": "عنوان",
        "lead": None,
        "body": "متن",
        "crawled_at": "2026-11-26T10:00:00+00:00",
        **fields,
    }


def line(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode() + b"\n"


# --------------------------------------------------------------------------------- the store


def test_the_store_knows_what_it_was_told_and_keeps_it(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    assert store.get("www", 1) is None
    store.mark("www", 1, 1, FP, T0)
    # Visible at once, before any commit: the spider asks within the same run.
    known = store.get("www", 1)
    assert known is not None
    assert (known.desk, known.news_id, known.revision, known.fingerprint, known.first_seen) == (
        "www",
        1,
        1,
        FP,
        T0,
    )
    store.close()
    again = SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    assert again.get("www", 1) == known
    assert len(again) == 1
    again.close()


def test_a_mark_never_goes_back_a_revision_nor_forward_in_first_seen(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "s.sqlite3")
    other = content_fingerprint("عنوان تازه", "لید", "متن")
    store.mark("www", 7, 2, other, T0 + timedelta(hours=2))
    store.mark("www", 7, 1, FP, T0)  # an older revision, recovered late from a .part file
    store.mark("www", 7, 2, other, T0 + timedelta(hours=5))  # the same mark again
    known = store.get("www", 7)
    assert known is not None
    assert (known.revision, known.fingerprint, known.first_seen) == (2, other, T0)
    store.close()


def test_uncommitted_marks_are_lost_with_the_process_committed_ones_are_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    store = SQLiteStateStore(path)
    store.mark("www", 1, 1, FP, T0)
    store.commit()
    store.mark("www", 2, 1, FP, T0)
    reader = SQLiteStateStore(path, exclusive=False)
    assert reader.get("www", 1) is not None
    assert reader.get("www", 2) is None
    reader.close()
    store.close()


def test_one_crawl_per_site_holds_the_store(tmp_path: Path) -> None:
    first = SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    with pytest.raises(StateLocked, match=r"another crawl \(pid \d+\) holds .*iribnews\.lock"):
        SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    SQLiteStateStore(tmp_path / "kayhan.sqlite3").close()  # another site is another lock
    first.close()
    SQLiteStateStore(tmp_path / "iribnews.sqlite3").close()


def test_the_state_lives_under_the_data_dir_unless_moved() -> None:
    crawler = get_crawler(settings_dict={"NEWSBOT_DATA_DIR": "/srv/corpus"})
    assert state_dir(crawler.settings) == Path("/srv/corpus/state")
    crawler = get_crawler(settings_dict={"NEWSBOT_STATE_DIR": "/var/lib/newsbot"})
    assert state_dir(crawler.settings) == Path("/var/lib/newsbot")


def test_the_fingerprint_is_title_lead_and_body() -> None:
    assert content_fingerprint("a", "b", "c") != content_fingerprint("a", "b", "c.")
    assert content_fingerprint("a", "b", "c") != content_fingerprint("a", "bc", "")
    assert content_fingerprint("a", None, "c") == content_fingerprint("a", "", "c")
    assert record_fingerprint(record(1, views=5)) == record_fingerprint(record(1, views=9))
    assert len(content_fingerprint("a", "b", "c")) == 8


# ------------------------------------------------------------------------ the extension


def crawl_state(tmp_path: Path, **settings: Any) -> CrawlState:
    crawler = get_crawler(
        IribnewsSpider,
        settings_dict={"NEWSBOT_DATA_DIR": str(tmp_path), **settings},
    )
    return CrawlState.from_crawler(crawler)


def test_switched_off_by_setting_and_under_scrapy_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(NotConfigured):
        crawl_state(tmp_path, NEWSBOT_STATE_ENABLED=False)
    monkeypatch.setenv("SCRAPY_CHECK", "true")
    with pytest.raises(NotConfigured):
        crawl_state(tmp_path)
    assert not (tmp_path / "state").exists()


def test_a_dead_crawls_part_files_are_published_and_their_articles_known(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "iribnews"
    site.mkdir()
    articles = site / "articles-2026-11-26T10-00-00+00-00.jsonl.part"
    articles.write_bytes(line(record(1)) + line(record(2, revision=3)) + b'{"type": "arti')
    listings = site / "listings-2026-11-26T10-00-00+00-00.jsonl.part"
    listings.write_bytes(line({"type": "listing", "entries": []}))
    (site / "empty-2026-11-26T10-00-00+00-00.jsonl.part").write_bytes(b'{"cut')
    with caplog.at_level(logging.WARNING, logger="newsbot.state.store"):
        state = crawl_state(tmp_path)
    assert sorted(p.name for p in site.iterdir() if p.name != ".lock") == [
        "articles-2026-11-26T10-00-00+00-00.recovered.jsonl",
        "listings-2026-11-26T10-00-00+00-00.recovered.jsonl",
    ]
    recovered = site / "articles-2026-11-26T10-00-00+00-00.recovered.jsonl"
    assert recovered.read_bytes() == line(record(1)) + line(record(2, revision=3))
    known = state.store.get("www", 2)
    assert known is not None and known.revision == 3
    assert state.store.get("www", 1) is not None
    assert state.known_at_start == 2
    stats = state.crawler.stats
    assert stats is not None
    assert stats.get_value("newsbot/state/recovered_feeds") == 3
    assert stats.get_value("newsbot/state/recovered_records") == 3
    assert "Recovered 2 records a dead crawl left in" in caplog.text
    assert "14 bytes of a cut line dropped" in caplog.text
    state.close()


def test_articles_are_marked_when_their_line_is_written_and_committed_in_batches(
    tmp_path: Path,
) -> None:
    state = crawl_state(tmp_path, NEWSBOT_STATE_COMMIT_EVERY=2)
    part = tmp_path / "iribnews" / "articles.jsonl.part"
    part.write_bytes(b"")
    reader = SQLiteStateStore(tmp_path / "state" / "iribnews.sqlite3", exclusive=False)
    state.record_written(line({"type": "listing", "entries": []}), part)
    state.record_written(line(record(1)), part)
    assert state.store.get("www", 1) is not None
    assert reader.get("www", 1) is None  # not committed yet
    state.record_written(line(record(2)), part)
    assert reader.get("www", 1) is not None and reader.get("www", 2) is not None  # a batch of two
    state.record_written(line(record(3)), part)
    assert reader.get("www", 3) is None
    state.part_synced(part)  # the feed is about to be renamed: commit first
    assert reader.get("www", 3) is not None
    reader.close()
    state.close()
    SQLiteStateStore(tmp_path / "state" / "iribnews.sqlite3").close()  # the lock is free


def kill(state: CrawlState) -> None:
    """What a SIGKILL does to a crawl's state: its descriptors close, nothing else happens."""
    state.store.close()
    assert state.folder_lock is not None
    os.close(state.folder_lock)


def test_a_crawl_holds_its_sites_feed_folder(tmp_path: Path) -> None:
    state = crawl_state(tmp_path)
    with pytest.raises(StateLocked, match=r"iribnews/\.lock"):
        crawl_state(tmp_path, NEWSBOT_STATE_DIR=str(tmp_path / "elsewhere"))
    state.close()
    crawl_state(tmp_path, NEWSBOT_STATE_DIR=str(tmp_path / "elsewhere")).close()


def test_a_state_that_cannot_be_written_stops_the_crawl(tmp_path: Path) -> None:
    state = crawl_state(tmp_path)
    closed: list[str] = []
    state.crawler.spider = IribnewsSpider()
    state.crawler.engine = SimpleNamespace(  # type: ignore[assignment]
        close_spider=lambda spider, reason: closed.append(reason)
    )
    state.store.close()
    state.record_written(line(record(1)), tmp_path / "x.part")
    assert closed == ["state_error"]
    stats = state.crawler.stats
    assert stats is not None and stats.get_value("newsbot/exit_status") == 4


def test_a_jobdir_goes_on_only_after_a_pause(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    job = tmp_path / "job"

    def leave_job_files() -> None:
        (job / "requests.queue").mkdir(parents=True, exist_ok=True)
        (job / "requests.queue" / "active.json").write_text("[0]")
        (job / "requests.seen").write_text("ab\n")
        (job / "spider.state").write_bytes(b"")

    leave_job_files()
    state = crawl_state(tmp_path, JOBDIR=str(job))  # a new job: nothing to go on from
    assert sorted(p.name for p in job.iterdir()) == [RUNNING_MARKER]
    leave_job_files()
    state.spider_closed(IribnewsSpider(), "shutdown")  # paused
    assert sorted(p.name for p in job.iterdir()) == [
        PAUSED_MARKER, "requests.queue", "requests.seen", "spider.state",
    ]  # fmt: skip

    state = crawl_state(tmp_path, JOBDIR=str(job))  # goes on
    assert sorted(p.name for p in job.iterdir()) == [
        RUNNING_MARKER, "requests.queue", "requests.seen", "spider.state",
    ]  # fmt: skip
    kill(state)  # the running marker stays

    with caplog.at_level(logging.WARNING, logger="newsbot.state.store"):
        state = crawl_state(tmp_path, JOBDIR=str(job))
    assert "did not end cleanly" in caplog.text
    assert sorted(p.name for p in job.iterdir()) == [RUNNING_MARKER]
    stats = state.crawler.stats
    assert stats is not None and stats.get_value("newsbot/state/jobdir_discarded") == 1
    state.spider_closed(IribnewsSpider(), "finished")
    assert list(job.iterdir()) == []


# --------------------------------------------------------------------------- revisions


def revisions(tmp_path: Path) -> tuple[DropDuplicatesPipeline, SQLiteStateStore]:
    store = SQLiteStateStore(tmp_path / "s.sqlite3")
    crawler = get_crawler()
    return DropDuplicatesPipeline(crawler.stats, SimpleNamespace(store=store)), store  # type: ignore[arg-type]


def test_a_new_article_is_revision_one(tmp_path: Path) -> None:
    pipeline, store = revisions(tmp_path)
    assert pipeline.process_item(article(), IribnewsSpider()).revision == 1
    assert pipeline.stats.get_value("newsbot/articles/new") == 1
    store.close()


def test_an_unchanged_known_article_is_not_emitted_again(tmp_path: Path) -> None:
    pipeline, store = revisions(tmp_path)
    store.mark("www", 3900001, 2, content_fingerprint("عنوان", "لید", "متن"), T0)
    with pytest.raises(Rejected, match="unchanged: news id 3900001 is as emitted") as caught:
        pipeline.process_item(article(views=99), IribnewsSpider())
    assert caught.value.log_level == "DEBUG"
    assert pipeline.stats.get_value("newsbot/dropped/unchanged") == 1
    store.close()


@pytest.mark.parametrize("change", [{"title": "عنوان نو"}, {"lead": None}, {"body": "متن نو"}])
def test_a_changed_known_article_is_its_next_revision(tmp_path: Path, change: Any) -> None:
    pipeline, store = revisions(tmp_path)
    store.mark("www", 3900001, 2, content_fingerprint("عنوان", "لید", "متن"), T0)
    emitted = pipeline.process_item(replace(article(), **change), IribnewsSpider())
    assert emitted.revision == 3
    assert pipeline.stats.get_value("newsbot/articles/revised") == 1
    with pytest.raises(Rejected, match="duplicate"):  # once per run, whatever its text
        pipeline.process_item(article(), IribnewsSpider())
    store.close()


def test_the_feed_storage_reports_lines_after_writing_them(tmp_path: Path) -> None:
    crawler = get_crawler(IribnewsSpider)
    final = tmp_path / "articles.jsonl"
    part = tmp_path / "articles.jsonl.part"
    seen: list[tuple[str, bytes, bool, bool]] = []

    def on_line(line: bytes, path: Path) -> None:
        seen.append(("line", line, path.read_bytes().endswith(line), final.exists()))

    def on_synced(path: Path) -> None:
        seen.append(("synced", b"", path.exists(), final.exists()))

    crawler.signals.connect(on_line, signal=feeds.record_written)
    crawler.signals.connect(on_synced, signal=feeds.part_synced)
    storage = feeds.AtomicFileFeedStorage.from_crawler(
        crawler, str(final), feed_options={"overwrite": True}
    )
    file = storage.open(IribnewsSpider())
    file.write(b'{"n": 1}\n')
    file.write(b'{"n": 2}\n')
    storage.store(file)
    assert seen == [
        ("line", b'{"n": 1}\n', True, False),
        ("line", b'{"n": 2}\n', True, False),
        ("synced", b"", True, False),  # before the rename
    ]
    assert final.read_bytes() == b'{"n": 1}\n{"n": 2}\n'
    assert not part.exists()


def test_articles_emitted_but_never_marked_are_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    state = crawl_state(tmp_path)
    stats = state.crawler.stats
    assert stats is not None
    stats.set_value("newsbot/articles", 2)  # two went out, as if to a feed newsbot cannot see
    state.record_written(line(record(1)), tmp_path / "x.part")
    with caplog.at_level(logging.ERROR, logger="newsbot.state.store"):
        state.spider_closed(IribnewsSpider(), "finished")
    assert "2 articles were emitted but only 1 reached the crawl state" in caplog.text


# ------------------------------------------------------------ pages that gave no article


def test_the_store_remembers_a_drop_until_the_id_becomes_an_article(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    assert store.dropped("www", 1) is None
    store.drop("www", 1, "not_an_article", T0)
    store.drop("www", 1, "http_404", T0 + timedelta(days=2))  # tried again, renewed
    store.drop("yazd", 1, "missing_body", T0)
    store.close()
    again = SQLiteStateStore(tmp_path / "iribnews.sqlite3")
    dropped = again.dropped("www", 1)
    assert dropped is not None
    assert (dropped.reason, dropped.dropped_at) == ("http_404", T0 + timedelta(days=2))
    again.mark("www", 1, 1, FP, T0)
    assert again.dropped("www", 1) is None
    assert again.dropped("yazd", 1) is not None  # desks apart
    assert len(again) == 1  # drops are no articles
    again.close()


def test_a_state_made_before_drops_gets_their_table_in_place(tmp_path: Path) -> None:
    path = tmp_path / "iribnews.sqlite3"
    db = sqlite3.connect(path)
    db.execute(SQLiteStateStore._TABLE.format(name="articles"))
    db.execute("INSERT INTO articles VALUES ('www', 5, 0, 1, x'00')")
    db.commit()
    db.close()
    reader = SQLiteStateStore(path, exclusive=False)  # read-only: not migrated, no drops
    assert reader.dropped("www", 5) is None
    reader.close()
    store = SQLiteStateStore(path)
    assert store.get("www", 5) is not None
    store.drop("www", 6, "missing_article", T0)
    store.close()
    reader = SQLiteStateStore(path, exclusive=False)
    assert reader.dropped("www", 6) is not None
    reader.close()


def test_an_id_walks_own_table_of_missing_ids_becomes_drops(tmp_path: Path) -> None:
    path = tmp_path / "iribnews.sqlite3"
    SQLiteStateStore(path).close()
    # As id-range walks kept their missing ids before they shared the drops' table.
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE tried_ids (desk TEXT NOT NULL, news_id INTEGER NOT NULL, reason TEXT "
        "NOT NULL, tried_at INTEGER NOT NULL, PRIMARY KEY (desk, news_id)) WITHOUT ROWID"
    )
    db.execute("INSERT INTO tried_ids VALUES ('www', 7, 'redirect_home', ?)", (T0.timestamp(),))
    db.execute("INSERT INTO tried_ids VALUES ('yazd', 8, 'http_404', ?)", (T0.timestamp(),))
    db.execute("INSERT INTO tried_ids VALUES ('www', 9, 'http_404', ?)", (T0.timestamp(),))
    db.execute(
        "INSERT INTO dropped VALUES ('www', 9, 'not_an_article', ?)",
        ((T0 + timedelta(days=1)).timestamp(),),
    )
    db.commit()
    db.close()
    store = SQLiteStateStore(path)
    assert store.dropped("www", 7) == Dropped("www", 7, "redirect_home", T0)
    assert store.dropped("yazd", 8) == Dropped("yazd", 8, "http_404", T0)
    # A drop the state had already recorded stays as it was.
    assert store.dropped("www", 9) == Dropped("www", 9, "not_an_article", T0 + timedelta(days=1))
    store.close()
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert "tried_ids" not in tables


def test_article_pages_that_gave_no_article_wait_before_they_are_fetched_again(
    tmp_path: Path,
) -> None:
    state = crawl_state(tmp_path, NEWSBOT_DROPPED_RETRY_HOURS=24)
    state.crawler.spider = SimpleNamespace(profile=IRIBNEWS)  # type: ignore[assignment]
    # From the spider (its page_dropped signal) and the pipelines (item_dropped), by reason.
    state.page_dropped(url="http://127.0.0.1:8000/fa/news/1/x", reason="http_404", kind="article")
    state.page_dropped(
        url="http://yazd.iribnews.ir/fa/news/2", reason="not_an_article", kind="article"
    )
    state.page_dropped(url="http://127.0.0.1:8000/fa/news/3", reason="http_503", kind="article")
    state.page_dropped(url="http://127.0.0.1:8000/fa/news/4", reason="timeout", kind="article")
    state.item_dropped(article(5), None, Rejected("missing_body", "x"))
    state.item_dropped(article(6), None, Rejected("duplicate", "x"))
    assert not state.worth_fetching("www", 1)
    assert not state.worth_fetching("yazd", 2) and state.worth_fetching("www", 2)
    assert state.worth_fetching("www", 3) and state.worth_fetching("www", 4)
    assert not state.worth_fetching("www", 5)
    assert state.worth_fetching("www", 6)
    assert {"not_an_article", "missing_article", "missing_body", "http_404"} <= NO_ARTICLE
    # A day later, they are worth a try again.
    state.store.drop("www", 1, "http_404", datetime.now(UTC) - timedelta(hours=24))
    assert state.worth_fetching("www", 1)
    state.close()
