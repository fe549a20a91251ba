import logging
from dataclasses import replace
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newsbot.crawl.pipelines import (
    DropDuplicatesPipeline,
    NormalizeTextPipeline,
    ParseDatesPipeline,
    Rejected,
    ValidatePipeline,
)
from newsbot.extract.records import checked_record, dated_article
from newsbot.items import Article, Listing

SPIDER = Spider("iribnews")


def article(**fields: Any) -> Article:
    defaults: dict[str, Any] = {
        "site": "iribnews",
        "url": "http://www.iribnews.ir/fa/news/3900001",
        "canonical_url": "https://www.iribnews.ir/fa/news/3900001",
        "news_id": 3900001,
        "title": "عنوان",
        "kicker": None,
        "lead": None,
        "body": "متن",
        "section": [],
        "tags": [],
        "published_at_raw": "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷",
        "views": None,
        "comment_count": None,
        "images": [],
        "crawled_at": "2026-11-26T10:00:00+00:00",
    }
    return Article(**{**defaults, **fields})


def listing(*titles: str) -> Listing:
    return Listing(
        site="iribnews",
        list="most_discussed",
        block="tabs",
        page_url="http://www.iribnews.ir/",
        captured_at="2026-11-26T10:00:00+00:00",
        entries=[
            {
                "rank": i,
                "desk": "www",
                "news_id": i,
                "url": f"http://www.iribnews.ir/fa/news/{i}",
                "canonical_url": f"https://www.iribnews.ir/fa/news/{i}",
                "title": t,
                "comment_count": None,
            }
            for i, t in enumerate(titles, start=1)
        ],
    )


def test_normalises_every_text_field_and_empties_become_null() -> None:
    raw = article(
        title="  عنوان  ك\u0640ودك\u064a ",
        kicker=" \u200c ",
        lead="",
        body="به گزارش\u00a0خبرگزاری\n\n\n\nپاراگراف ٢",
        section=["اجتماعي", " "],
        tags=["برچسب\u200c\u200cها", ""],
        images=[{"url": "http://x/1.jpg", "alt": " "}, {"url": "http://x/2.jpg", "alt": "عكس"}],
    )
    done = NormalizeTextPipeline().process_item(raw, SPIDER)
    assert done.title == "عنوان کودکی"
    assert done.kicker is None
    assert done.lead is None
    assert done.body == "به گزارش خبرگزاری\n\nپاراگراف ۲"
    assert done.section == ["اجتماعی"]
    assert done.tags == ["برچسب\u200cها"]
    assert done.images == [
        {"url": "http://x/1.jpg", "alt": None},
        {"url": "http://x/2.jpg", "alt": "عکس"},
    ]


def test_normalises_listing_titles_and_keeps_everything_else() -> None:
    done = NormalizeTextPipeline().process_item(listing(" خبر  يك ", "دوم"), SPIDER)
    assert [e["title"] for e in done.entries] == ["خبر یک", "دوم"]
    assert [e["rank"] for e in done.entries] == [1, 2]


@pytest.mark.parametrize(
    ("raw", "iso", "jalali"),
    [
        ("۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", "2023-05-30T12:27:00+03:30", "1402-03-09T12:27"),
        ("۰۱ مرداد ۱۳۹۷ - ۱۰:۰۰", "2018-07-23T10:00:00+04:30", "1397-05-01T10:00"),
        ("1396/12/27", "2018-03-18", "1396-12-27"),
    ],
)
def test_dates_from_the_raw_text(raw: str, iso: str, jalali: str) -> None:
    done = dated_article(article(published_at_raw=raw))
    assert (done.published_at, done.published_at_jalali, done.published_at_raw) == (
        iso,
        jalali,
        raw,
    )


@pytest.mark.parametrize(
    ("raw", "utc", "precision"),
    [
        ("۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", "2023-05-30T08:57:00Z", "minute"),
        ("۰۱ مرداد ۱۳۹۷ - ۱۰:۰۰", "2018-07-23T05:30:00Z", "minute"),
        ("۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷:۴۵", "2023-05-30T08:57:45Z", "second"),
        # A day only: no moment in UTC (midnight would be a guess), but a day's precision.
        ("1396/12/27", None, "day"),
    ],
)
def test_dates_in_utc_with_their_precision(raw: str, utc: str | None, precision: str) -> None:
    done = dated_article(article(published_at_raw=raw))
    assert (done.published_at_utc, done.published_precision) == (utc, precision)
    checked_record(done)


def test_an_undated_article_has_no_utc_time_nor_precision() -> None:
    done = dated_article(article(published_at_raw=None))
    assert (done.published_at_utc, done.published_precision) == (None, None)


def test_relative_times_resolve_against_the_crawl_time() -> None:
    done = dated_article(
        article(published_at_raw="۲ ساعت پیش", crawled_at="2023-05-30T09:00:00+00:00")
    )
    assert done.published_at == "2023-05-30T10:30:00+03:30"


def test_an_impossible_date_stays_null_is_logged_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler()
    pipeline = ParseDatesPipeline(crawler.stats)
    bad = article(published_at_raw="۳۰ اسفند ۱۴۰۲ - ۱۰:۰۰")
    with caplog.at_level(logging.WARNING):
        done = pipeline.process_item(bad, SPIDER)
    assert (done.published_at, done.published_at_jalali) == (None, None)
    assert done.published_at_raw == "۳۰ اسفند ۱۴۰۲ - ۱۰:۰۰"
    assert crawler.stats.get_value("newsbot/dates/unreadable") == 1
    assert bad.url in caplog.text


def test_a_missing_date_is_counted() -> None:
    crawler = get_crawler()
    done = ParseDatesPipeline(crawler.stats).process_item(article(published_at_raw=None), SPIDER)
    assert done.published_at is None
    assert crawler.stats.get_value("newsbot/dates/missing") == 1


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"news_id": None}, "missing_news_id"),
        ({"title": ""}, "missing_title"),
        ({"body": ""}, "missing_body"),
        ({"views": -1}, "invalid_record"),
        ({"url": "not a url"}, "invalid_record"),
        ({"crawled_at": "2026-11-26T10:00:00+03:30"}, "invalid_record"),
    ],
)
def test_validation_drops_by_reason(fields: dict[str, Any], reason: str) -> None:
    crawler = get_crawler()
    pipeline = ValidatePipeline(crawler.stats)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(article(**fields), SPIDER)
    assert crawler.stats.get_value(f"newsbot/dropped/{reason}") == 1


def test_valid_records_pass_and_are_json_ready() -> None:
    record = checked_record(dated_article(article()))
    assert record["type"] == "article"
    assert record["published_at"] == "2023-05-30T12:27:00+03:30"
    assert checked_record(listing("یک"))["entries"][0]["rank"] == 1


def test_each_article_is_emitted_once_per_crawl() -> None:
    crawler = get_crawler()
    pipeline = DropDuplicatesPipeline(crawler.stats)
    first = article()
    assert pipeline.process_item(first, SPIDER) is first
    with pytest.raises(Rejected, match="duplicate"):
        pipeline.process_item(replace(first, url="http://iribnews.ir/fa/news/3900001/x"), SPIDER)
    assert pipeline.process_item(article(news_id=3900002), SPIDER).news_id == 3900002
    pipeline.process_item(listing("یک"), SPIDER)
    pipeline.process_item(listing("یک"), SPIDER)
    stats = crawler.stats.get_stats()
    assert (
        stats["newsbot/articles"],
        stats["newsbot/listings"],
        stats["newsbot/dropped/duplicate"],
    ) == (2, 2, 1)
