"""Readers' comments (issue #15 items 1-4): the fixture pages of tests/comments_site give exactly
their hand-written comments; ids stay put when a page changes around them; the pipelines emit a
comment once, ever, and only with its article; the crawl state keeps their ids; crawls over
loopback write the comments feed, and a refresh emits only the comments added since."""

import contextlib
import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsbot.crawl.pipelines import DropDuplicatesPipeline, ParseDatesPipeline, Rejected
from newsbot.crawl.spider import SpiderArgumentError
from newsbot.extract.article import parse_article
from newsbot.extract.comments import parse_comments
from newsbot.extract.records import (
    RecordRejected,
    checked_record,
    dated_comment,
    normalized_comment,
)
from newsbot.items import Article, Comment
from newsbot.schema import RecordInvalid, validate_record
from newsbot.sites.profiles import IRIBNEWS, PROFILES, CommentSelectors, SiteProfile, Theme
from newsbot.spiders.iribnews import IribnewsSpider
from newsbot.state.store import SQLiteStateStore
from newsbot.text.jalali import JalaliDateError
from newsbot.tools.cli import main
from newsbot.tools.reparse import reparse
from snapshot.crawl import LOCAL_SETTINGS, SnapshotCrawl, crawl_snapshot
from snapshot.server import SnapshotServer

SITE = Path(__file__).parent / "comments_site"
# The crawls keep their raw pages, for `newsbot reparse` to read again.
WARC_ON = {**LOCAL_SETTINGS, "NEWSBOT_WARC_ENABLED": "True"}
NOW = "2026-11-26T10:00:00+00:00"
PAGES = sorted(SITE.glob("news/*.json"))


def expected(news_id: int) -> dict[str, Any]:
    facts: dict[str, Any] = json.loads((SITE / "news" / f"{news_id}.json").read_text("utf-8"))
    return facts


def read(path: Path, url: str, profile: SiteProfile = IRIBNEWS) -> list[Comment]:
    """A page's comments as a crawl emits them: parsed, normalised, dated where possible."""
    page = path.read_text("utf-8")
    found = parse_comments(page, url, profile, news_id=7100000, crawled_at=NOW)
    comments = []
    for comment in map(normalized_comment, found):
        with contextlib.suppress(JalaliDateError):  # kept undated, as a crawl keeps it
            comment = dated_comment(comment)
        checked_record(comment)
        comments.append(comment)
    return comments


def as_expected(comments: list[Comment]) -> list[dict[str, Any]]:
    """Comments in the fixtures' hand-written form: the parent by its position."""
    position = {c.comment_id: c.position for c in comments}
    fields = ("position", "author", "text", "published_at_raw", "published_at")
    return [
        {name: getattr(c, name) for name in fields}
        | {
            "parent": position[c.parent_id] if c.parent_id else None,
            "published_at_jalali": c.published_at_jalali,
            "likes": c.likes,
            "dislikes": c.dislikes,
        }
        for c in comments
    ]


# ------------------------------------------------------------------- the fixture pages


@pytest.mark.parametrize("path", PAGES, ids=[path.stem for path in PAGES])
def test_fixture_pages_give_their_hand_written_comments(path: Path) -> None:
    facts = expected(int(path.stem))
    page = path.with_suffix(".html")
    article = parse_article(page.read_text("utf-8"), facts["url"], IRIBNEWS, crawled_at=NOW)
    assert article.comment_count == facts["comment_count"]
    comments = read(page, facts["url"])
    assert as_expected(comments) == facts["comments"]
    for comment in comments:
        assert (comment.site, comment.desk, comment.url) == ("iribnews", "www", facts["url"])
        assert comment.comment_id.startswith("fp-") and len(comment.comment_id) == 19
        if comment.published_at is None:
            assert (comment.published_at_utc, comment.published_precision) == (None, None)
        else:  # the pages' comment times are to the minute
            utc = datetime.fromisoformat(comment.published_at).astimezone(UTC)
            assert comment.published_at_utc == utc.strftime("%Y-%m-%dT%H:%M:%SZ")
            assert comment.published_precision == "minute"
    assert len({c.comment_id for c in comments}) == len(comments)


def test_both_comment_markups_and_a_reply_to_a_reply_are_in_the_fixtures() -> None:
    first, second = expected(7100001)["comments"], expected(7100002)["comments"]
    for comments in (first, second):
        positions = {c["position"]: c for c in comments}
        # A reply to a reply: its parent has a parent itself.
        assert any(c["parent"] and positions[c["parent"]]["parent"] for c in comments)
    raw = [c["published_at_raw"] for c in first + second]
    assert any("۱" in t for t in raw) and any("1" in t for t in raw) and any("١" in t for t in raw)


def test_ids_stay_the_same_when_a_comment_is_added_or_removed() -> None:
    url = "https://www.iribnews.ir/fa/news/7100001"
    before = read(SITE / "news" / "7100001.html", url)
    after = read(SITE / "later" / "7100001.html", url)
    assert [c.comment_id for c in after[:-1]] == [c.comment_id for c in before]
    assert after[-1].comment_id not in {c.comment_id for c in before}
    assert (after[-1].author, after[-1].parent_id) == ("علی", None)
    url = "https://www.iribnews.ir/fa/news/7100002"
    before = read(SITE / "news" / "7100002.html", url)
    after = read(SITE / "later" / "7100002.html", url)
    assert [c.comment_id for c in after] == [c.comment_id for c in before[:-1]]


def comments_page(comments: str) -> str:
    return f'<html><body><div class="comments_list">{comments}</div></body></html>'


def item(author: str, time: str, text: str, inner: str = "") -> str:
    return (
        f'<div class="comments_item"><span class="comm_info_name">{author}</span>'
        f'<span class="comm_info_date">{time}</span><div class="comments">{text}</div>'
        f"{inner}</div>"
    )


def ids_of(page: str) -> list[str]:
    return [
        c.comment_id
        for c in parse_comments(page, "http://x.ir/", IRIBNEWS, news_id=1, crawled_at=NOW)
    ]


def test_the_fingerprint_is_what_a_reader_sees_and_who_is_answered() -> None:
    base = ids_of(comments_page(item("الف", "۱ مهر ۱۴۰۳", "کتاب")))
    assert ids_of(comments_page(item("الف", "۱ مهر ۱۴۰۳", "کتاب"))) == base
    # Spacing and Arabic letter forms are not what a reader tells apart.
    assert ids_of(comments_page(item(" الف ", "۱  مهر ۱۴۰۳", "كتاب<br>"))) == base
    for changed in (
        item("ب", "۱ مهر ۱۴۰۳", "کتاب"),
        item("الف", "۲ مهر ۱۴۰۳", "کتاب"),
        item("الف", "۱ مهر ۱۴۰۳", "کتاب‌ها"),
    ):
        assert ids_of(comments_page(changed)) != base
    # Two identical comments stay two; a reply that reads like a comment is another comment.
    twice = ids_of(comments_page(item("الف", "۱ مهر ۱۴۰۳", "کتاب") * 2))
    assert len(set(twice)) == 2 and twice[0] == base[0]
    reply = (
        '<div class="comm_answer"><span class="comm_info_name">الف</span>'
        '<span class="comm_info_date">۱ مهر ۱۴۰۳</span><div class="comments">کتاب</div></div>'
    )
    nested = ids_of(comments_page(item("ب", "۱ مهر ۱۴۰۳", "پرسش", reply)))
    assert len(nested) == 2 and nested[1] != base[0]


def test_a_provincial_desks_comments_are_that_desks() -> None:
    page = comments_page(item("الف", "۱ مهر ۱۴۰۳", "کتاب"))
    url = "https://yazd.iribnews.ir/fa/news/60536"
    [comment] = parse_comments(page, url, IRIBNEWS, news_id=60536, crawled_at=NOW)
    assert (comment.desk, comment.news_id) == ("yazd", 60536)
    assert checked_record(comment)["desk"] == "yazd"


def test_no_comment_classes_no_comments_and_a_wrapper_is_not_a_comment() -> None:
    assert (
        parse_comments("<p>بی نظر</p>", "http://x.ir/", IRIBNEWS, news_id=1, crawled_at=NOW) == []
    )
    page = comments_page(
        '<div class="comments_item"><span class="comm_info_name">الف</span></div>'
        '<div class="comm_answer"> | </div>'
    )
    assert parse_comments(page, "http://x.ir/", IRIBNEWS, news_id=1, crawled_at=NOW) == []


# A profile naming what the evidence does not show for any family site (invented here, for
# the test): an id attribute, likes and dislikes.
WITH_IDS = replace(
    IRIBNEWS,
    theme=Theme(
        comments=CommentSelectors(likes=".rate_up", dislikes=".rate_down", id_attribute="id")
    ),
)


def test_a_profile_names_the_id_likes_and_dislikes_a_page_shows() -> None:
    page = comments_page(
        '<div class="comments_item" id="comm_۵۰۱"><span class="comm_info_name">الف</span>'
        '<span class="rate_up">۱۲</span><span class="rate_down">3</span>'
        '<div class="comments">متن</div>'
        '<div class="comm_answer" id="comm_502"><div class="comments">پاسخ</div>'
        '<span class="rate_up">0</span></div></div>'
    )
    first, reply = parse_comments(page, "http://x.ir/", WITH_IDS, news_id=1, crawled_at=NOW)
    assert (first.comment_id, first.likes, first.dislikes) == ("501", 12, 3)
    assert (reply.comment_id, reply.parent_id, reply.likes, reply.dislikes) == (
        "502",
        "501",
        0,
        None,
    )
    assert (first.author, reply.author, reply.published_at_raw) == ("الف", None, None)


def test_comment_records_fit_the_schema_and_need_their_article_and_text() -> None:
    [comment] = parse_comments(
        comments_page(item("الف", "۱ مهر ۱۴۰۳ - ۱۰:۰۰", "متن")),
        "http://www.iribnews.ir/fa/news/7",
        IRIBNEWS,
        news_id=7,
        crawled_at=NOW,
    )
    record = checked_record(dated_comment(normalized_comment(comment)))
    assert record["type"] == "comment" and record["published_at"] == "2024-09-22T10:00:00+03:30"
    with pytest.raises(RecordRejected, match="missing_news_id"):
        checked_record(replace(comment, news_id=None))
    with pytest.raises(RecordRejected, match="missing_text"):
        checked_record(replace(comment, text=""))
    with pytest.raises(RecordInvalid, match="comment_id"):
        validate_record(record | {"comment_id": "../x"})
    with pytest.raises(RecordInvalid, match="position"):
        validate_record(record | {"position": 0})


def test_real_pages_hold_no_comment_list(real_pages: Path) -> None:
    """The real article panel counts «۸ نظر» (README) but holds no comment list; the real home
    pages hold none either."""
    facts = json.loads((Path(__file__).parent / "sites" / "real-pages.json").read_text("utf-8"))
    for name, page_facts in facts.items():
        page = (real_pages / name).read_text("utf-8")
        profile = PROFILES[page_facts["site"]]
        assert parse_comments(page, page_facts["url"], profile, news_id=1, crawled_at=NOW) == []
    name = "bartarinha_article_794928_fragment.html"
    page = (real_pages / name).read_text("utf-8")
    article = parse_article(page, facts[name]["url"], PROFILES["bartarinha"], crawled_at=NOW)
    assert article.comment_count == 8


# ----------------------------------------------------------------------- the pipelines

SPIDER = Spider("iribnews")


def comment(
    news_id: int = 7100001, comment_id: str = "fp-0123456789abcdef", **fields: Any
) -> Comment:
    defaults: dict[str, Any] = {
        "site": "iribnews",
        "desk": "www",
        "url": f"http://www.iribnews.ir/fa/news/{news_id}",
        "parent_id": None,
        "position": 1,
        "author": None,
        "text": "متن",
        "published_at_raw": "۱۸ مهر ۱۴۰۳ - ۱۱:۴۰",
        "likes": None,
        "dislikes": None,
        "crawled_at": NOW,
    }
    return Comment(news_id=news_id, comment_id=comment_id, **{**defaults, **fields})


def article(news_id: int) -> Article:
    return Article(
        site="iribnews",
        url=f"http://www.iribnews.ir/fa/news/{news_id}",
        canonical_url=f"https://www.iribnews.ir/fa/news/{news_id}",
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
        crawled_at=NOW,
    )


def test_a_comment_goes_out_once_and_only_with_an_article_in_the_corpus(tmp_path: Path) -> None:
    crawler = get_crawler()
    assert crawler.stats is not None
    store = SQLiteStateStore(tmp_path / "site.sqlite3")
    store.mark("www", 5, 1, b"\x00" * 8, datetime(2026, 1, 1, tzinfo=UTC))
    store.mark_comment("www", 5, "fp-aaaaaaaaaaaaaaaa")
    state = SimpleNamespace(store=store)  # what the pipeline reads of a CrawlState
    pipeline = DropDuplicatesPipeline(crawler.stats, state=state)  # type: ignore[arg-type]
    with pytest.raises(Rejected, match="comment_without_article"):
        pipeline.process_item(comment(7100001), SPIDER)
    pipeline.process_item(article(7100001), SPIDER)
    assert pipeline.process_item(comment(7100001), SPIDER) is not None
    with pytest.raises(Rejected, match="comment_known"):  # twice in one crawl
        pipeline.process_item(comment(7100001), SPIDER)
    # Of an article emitted by an earlier crawl: the new comment goes, the known one does not.
    assert pipeline.process_item(comment(5, "fp-bbbbbbbbbbbbbbbb"), SPIDER) is not None
    with pytest.raises(Rejected, match="comment_known"):
        pipeline.process_item(comment(5, "fp-aaaaaaaaaaaaaaaa"), SPIDER)
    # The same id under another article is another comment.
    assert pipeline.process_item(comment(5, "fp-0123456789abcdef"), SPIDER) is not None
    assert crawler.stats.get_value("newsbot/comments") == 3
    assert crawler.stats.get_value("newsbot/comments/known") == 2
    assert crawler.stats.get_value("newsbot/dropped/comment_without_article") == 1
    store.close()


def test_an_unreadable_comment_time_stays_null_and_is_counted() -> None:
    crawler = get_crawler()
    assert crawler.stats is not None
    pipeline = ParseDatesPipeline(crawler.stats)
    bad = pipeline.process_item(comment(published_at_raw="۳۰ اسفند ۱۴۰۲ - ۱۰:۰۰"), SPIDER)
    assert (bad.published_at, bad.published_at_raw) == (None, "۳۰ اسفند ۱۴۰۲ - ۱۰:۰۰")
    good = pipeline.process_item(comment(), SPIDER)
    assert good.published_at == "2024-10-09T11:40:00+03:30"
    pipeline.process_item(comment(published_at_raw=None), SPIDER)
    assert crawler.stats.get_value("newsbot/comments/dates_unreadable") == 1
    assert crawler.stats.get_value("newsbot/comments/dates_missing") == 1


# ------------------------------------------------------------------------- the state


def test_the_sqlite_state_keeps_comment_ids_by_article(tmp_path: Path) -> None:
    path = tmp_path / "iribnews.sqlite3"
    store = SQLiteStateStore(path)
    store.mark_comment("www", 7, "fp-aaaaaaaaaaaaaaaa")
    store.mark_comment("www", 7, "fp-aaaaaaaaaaaaaaaa")
    store.mark_comment("www", 7, "12")
    store.mark_comment("yazd", 7, "13")
    assert store.comment_known("www", 7, "12")
    assert not store.comment_known("www", 8, "12")
    assert store.comment_ids("www", 7) == {"fp-aaaaaaaaaaaaaaaa", "12"}
    assert len(store) == 0  # articles only
    store.close()
    again = SQLiteStateStore(path)
    assert again.comment_ids("yazd", 7) == {"13"}
    again.close()


@pytest.mark.requires_redis
def test_the_redis_state_keeps_comment_ids_by_article(tmp_path: Path) -> None:
    from redis import Redis

    from newsbot.scale.redis_workers import RedisStateStore
    from tests.services import redis_server

    with redis_server(tmp_path) as url:
        store = RedisStateStore(Redis.from_url(url), "newsbot:site:state")
        store.mark_comment("www", 7, "12")
        assert store.comment_known("www", 7, "12")  # seen before the commit
        assert store.comment_ids("www", 7) == {"12"}
        store.commit()
        store.mark_comment("www", 7, "fp-aaaaaaaaaaaaaaaa")
        other = RedisStateStore(Redis.from_url(url), "newsbot:site:state")
        assert other.comment_ids("www", 7) == {"12"}
        store.close()
        assert other.comment_ids("www", 7) == {"12", "fp-aaaaaaaaaaaaaaaa"}
        assert not other.comment_known("www", 8, "12")
        assert len(other) == 0
        other.close()


# ------------------------------------------------------------------------ the spider


def test_the_comments_argument_is_a_flag() -> None:
    assert IribnewsSpider().comments is True
    assert IribnewsSpider(comments="false").comments is False
    with pytest.raises(SpiderArgumentError, match="comments='maybe'"):
        IribnewsSpider(comments="maybe")


# A site serving an article's comments at a URL of their own (invented: the evidence knows no
# such family site).
LISTED = replace(
    IRIBNEWS, theme=Theme(comments=CommentSelectors(list_path="/fa/comments/{news_id}"))
)


class ListedSpider(IribnewsSpider):
    name = "listed"
    profile = LISTED


def response(url: str, page: str, **meta: Any) -> HtmlResponse:
    return HtmlResponse(url, body=page.encode(), encoding="utf-8", request=Request(url, meta=meta))


def test_comments_counted_but_not_shown_are_fetched_from_the_sites_list() -> None:
    crawler = get_crawler(ListedSpider, settings_dict={"NEWSBOT_STATE_ENABLED": False})
    spider = crawler._create_spider()
    page = (SITE / "news" / "7100003.html").read_text("utf-8")
    url = "http://www.iribnews.ir/fa/news/7100003"
    article_, request = list(spider.parse_article(response(url, page)))
    assert isinstance(article_, Article)
    assert isinstance(request, Request)
    assert request.url == "https://www.iribnews.ir/fa/comments/7100003"
    assert request.meta["newsbot_kind"] == "comments"
    listed = comments_page(item("الف", "۱۲ آذر ۱۴۰۳ - ۱۶:۰۰", "نوبت‌دهی تلفنی خوب است."))
    [found] = spider.parse_comments(response(request.url, listed, **request.meta))
    assert (found.news_id, found.url, found.text) == (
        7100003,
        request.url,
        "نوبت‌دهی تلفنی خوب است.",
    )
    assert list(spider.parse_comments(response(request.url, "<html></html>", **request.meta))) == []
    assert crawler.stats is not None
    assert crawler.stats.get_value("newsbot/dropped/no_comments") == 1
    assert crawler.stats.get_value("newsbot/comments/missing/list_unread") == 1
    # Without a list URL, the article is counted instead.
    plain = get_crawler(IribnewsSpider, settings_dict={"NEWSBOT_STATE_ENABLED": False})
    [only] = list(plain._create_spider().parse_article(response(url, page)))
    assert isinstance(only, Article)
    assert plain.stats is not None
    assert plain.stats.get_value("newsbot/comments/missing/not_on_page") == 1


# ----------------------------------------------------------------- newsbot extract


def test_extract_prints_the_comments_after_their_article(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    page = SITE / "news" / "7100002.html"
    assert main(["extract", str(page), "--url", expected(7100002)["url"]]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["type"] for r in records] == ["article"] + ["comment"] * 7
    assert [r["position"] for r in records[1:]] == list(range(1, 8))
    assert records[4]["published_at"] is None
    assert "time of comment 4 left empty: " in caplog.text
    assert "day 30 does not exist" in caplog.text


# ------------------------------------------------------------------ crawls over loopback


def crawl(data_dir: Path, server: SnapshotServer, **arguments: str) -> SnapshotCrawl:
    done = crawl_snapshot(
        data_dir, server=server, settings=WARC_ON, spider_args={"sources": "front", **arguments}
    )
    assert done.returncode == 0, done.log
    return done


@pytest.mark.e2e
def test_a_crawl_writes_the_comments_feed_and_a_refresh_only_what_was_added(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    data_dir = tmp_path / "data"
    with SnapshotServer(root) as server:
        first = crawl(data_dir, server)
        for later in (root / "later").iterdir():
            shutil.copy(later, root / "news" / later.name)
        second = crawl(data_dir, server, refresh_hours="1")
        third = crawl(data_dir, server, refresh_hours="1")
    assert sorted(r["news_id"] for r in first.records("article")) == [
        7100001,
        7100002,
        7100003,
        7100004,
    ]
    emitted = first.records("comment")
    for news_id in (7100001, 7100002):
        mine = [c for c in emitted if c["news_id"] == news_id]
        position = {c["comment_id"]: c["position"] for c in mine}
        assert [
            {
                name: c[name]
                for name in (
                    "position",
                    "author",
                    "text",
                    "published_at_raw",
                    "published_at",
                    "published_at_jalali",
                    "likes",
                    "dislikes",
                )
            }
            | {"parent": position[c["parent_id"]] if c["parent_id"] else None}
            for c in mine
        ] == expected(news_id)["comments"]
    assert any(feed.name.startswith("comments-") for feed in first.feeds)
    assert (
        "; comments emitted 12, emitted before 0, gone from their pages 0, times unreadable 1, "
        "counted but not read: not_on_page 1; dropped " in first.log
    )
    report = first.report()["comments"]
    assert (report["emitted"], report["known"], report["removed"]) == (12, 0, 0)
    assert report["dates_unreadable"] == 1
    assert report["missing"] == {
        "not_on_page": {"count": 1, "examples": [f"{server.base_url}/fa/news/7100003"]}
    }
    # The refresh: 7100001 gained a comment, 7100002 lost one; their text did not change.
    [added] = second.records("comment")
    assert (added["news_id"], added["author"], added["position"]) == (7100001, "علی", 6)
    assert added["published_at"] == "2024-10-12T10:30:00+03:30"
    assert second.records("article") == []
    report = second.report()["comments"]
    assert (report["emitted"], report["known"], report["removed"]) == (1, 11, 1)
    assert "Comments emitted before and no longer on " in second.log
    assert third.records("comment") == []
    assert third.report()["comments"]["removed"] == 1  # still gone, still counted

    # The crawls' raw pages, parsed again, give the same comments: each once, ever.
    def without_clock(records: list[dict[str, Any]]) -> list[str]:
        return sorted(json.dumps(r | {"crawled_at": None}, sort_keys=True) for r in records)

    warcs = sorted((data_dir / "iribnews" / "warc").iterdir())
    assert len(warcs) == 3
    reparse(warcs, tmp_path / "reparsed")
    reparsed = [
        json.loads(line)
        for feed in sorted((tmp_path / "reparsed").rglob("comments-*.jsonl"))
        for line in feed.read_text("utf-8").splitlines()
    ]
    assert without_clock(reparsed) == without_clock([*emitted, added])


@pytest.mark.e2e
def test_comments_false_turns_comments_off(tmp_path: Path) -> None:
    with SnapshotServer(SITE) as server:
        done = crawl(tmp_path, server, comments="false")
    assert len(done.records("article")) == 4
    assert not [feed for feed in done.feeds if feed.name.startswith("comments-")]
    assert "; comments off; " in done.log
    report = done.report()
    assert report["arguments"]["comments"] is False
    assert report["comments"] == {
        "emitted": 0, "known": 0, "removed": 0, "dates_unreadable": 0, "dates_missing": 0,
        "missing": {},
    }  # fmt: skip
