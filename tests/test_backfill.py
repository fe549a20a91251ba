"""Backfills by Jalali date (newsbot.crawl.backfill), the date-range pipeline and the spider's
arguments for scheduled, incremental and backfill crawls."""

from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from newsbot.crawl.arguments import SpiderArgumentError, SpiderArguments
from newsbot.crawl.backfill import DateRange, archive_step, jalali_day, listed_day, today
from newsbot.crawl.pipelines import InDateRangePipeline, Rejected
from newsbot.extract.listed import ListedArticle
from newsbot.items import Article
from newsbot.sites.profiles import IRIBNEWS
from newsbot.sites.urls import archive_url
from newsbot.spiders.iribnews import IribnewsSpider

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
KHORDAD_1402 = DateRange("1402-03-01", "1402-03-31")


# --------------------------------------------------------------------------- the range


def test_a_range_is_two_jalali_days_both_included() -> None:
    dates = DateRange.parse("1402-03-01", "1402-03-31")
    assert dates == KHORDAD_1402
    assert "1402-03-01T00:05" in dates
    assert "1402-03-31T23:59" in dates
    assert "1402-03-31" in dates
    assert "1402-02-31T23:59" not in dates
    assert "1402-04-01T00:00" not in dates


def test_no_range_without_since_or_until() -> None:
    assert DateRange.parse(None, None) is None


def test_until_defaults_to_today_in_tehran() -> None:
    # 2026-11-26T21:00Z is already the next day in Tehran (+03:30): 1405-09-06.
    late = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    assert today(late) == "1405-09-06"
    assert DateRange.parse("1405-01-01", None, now=late) == DateRange("1405-01-01", "1405-09-06")


def test_persian_digits_are_read() -> None:
    assert jalali_day("since", "۱۴۰۲-۰۳-۰۱") == "1402-03-01"


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("1402-03-31", "1402-03-01", "since=1402-03-31 is after until=1402-03-01"),
        ("1402-12-30", "1403-01-10", "since='1402-12-30': day 30 does not exist in Esfand 1402"),
        ("1402-13-01", None, "since='1402-13-01': month 13 out of range"),
        ("1402/03/01", None, "since='1402/03/01': expected a Jalali day as YYYY-MM-DD"),
        ("1402-3-1", None, "expected a Jalali day as YYYY-MM-DD"),
        ("2023-05-22", None, "year 2023 is not a Jalali year"),
        ("yesterday", None, "expected a Jalali day"),
        (None, "1402-03-31", "until=1402-03-31: a backfill needs since as well"),
        ("1402-03-01", "1402-02-31x", "until='1402-02-31x'"),
    ],
)
def test_bad_or_reversed_days_are_refused_with_the_reason(
    since: str | None, until: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        DateRange.parse(since, until, now=NOW)


def test_the_archive_query_writes_days_as_the_profile_says() -> None:
    assert KHORDAD_1402.query(IRIBNEWS.theme.archive.date_format) == ("1402/03/01", "1402/03/31")
    assert KHORDAD_1402.query("{day}-{month}-{year}") == ("01-03-1402", "31-03-1402")


def test_archive_page_urls() -> None:
    # The archive form's query, as real archive pages were asked (issue 10, item 9).
    assert archive_url("http://127.0.0.1:8000", IRIBNEWS, "1402/03/01", "1402/03/31", 2) == (
        "http://127.0.0.1:8000/fa/archive?service_id=-1&sec_id=-1&cat_id=-1&rpp=100"
        "&from_date=1402%2F03%2F01&to_date=1402%2F03%2F31&p=2"
    )


# ------------------------------------------------------------------ dates lists show


@pytest.mark.parametrize(
    ("shown", "day"),
    [
        ("۱۸ خرداد ۱۴۰۲ - ۱۱:۲۰", "1402-03-18"),
        ("سه‌شنبه ۱۴ آذر ۱۴۰۲ - ۰۹:۰۵", "1402-09-14"),
        ("13:35 - 1396/12/27", "1396-12-27"),
        ("۲ ساعت پیش", "1405-09-05"),
        # RSS: 20:45Z on 21 June 2023 is 00:15 on 1 Tir in Tehran.
        ("Wed, 21 Jun 2023 20:45:00 GMT", "1402-04-01"),
        ("Thu, 08 Jun 2023 11:20:00 +0330", "1402-03-18"),
        ("۳۰ اسفند ۱۴۰۲ - ۱۰:۰۰", None),
        ("Thu, 08 Jun 2023 11:20:00", None),  # no zone: no day
        ("فردا", None),
        ("", None),
        (None, None),
    ],
)
def test_the_day_a_list_shows(shown: str | None, day: str | None) -> None:
    assert listed_day(shown, now=NOW) == day


def listed(news_id: int, shown: str | None) -> ListedArticle:
    return ListedArticle(f"http://www.iribnews.ir/fa/news/{news_id}", news_id, "عنوان", shown)


def test_an_archive_page_gives_the_entries_in_range_and_unreadable_ones() -> None:
    step = archive_step(
        [
            listed(1, "۰۱ تیر ۱۴۰۲ - ۰۰:۱۰"),  # newer than the range
            listed(2, "۳۱ خرداد ۱۴۰۲ - ۲۳:۵۰"),
            listed(3, None),  # no date shown: the article's own date will decide
            listed(4, "۰۱ خرداد ۱۴۰۲ - ۰۰:۰۵"),
        ],
        KHORDAD_1402,
        now=NOW,
    )
    assert [entry.news_id for entry in step.wanted] == [2, 3, 4]
    assert not step.past_the_range


def test_an_entry_older_than_the_range_ends_the_walk() -> None:
    step = archive_step(
        [listed(4, "۰۱ خرداد ۱۴۰۲ - ۰۰:۰۵"), listed(5, "۳۱ اردیبهشت ۱۴۰۲ - ۲۳:۵۵")],
        KHORDAD_1402,
        now=NOW,
    )
    assert [entry.news_id for entry in step.wanted] == [4]
    assert step.past_the_range


def test_a_page_whose_entries_show_no_date_is_undated() -> None:
    undated = archive_step([listed(1, None), listed(2, "فردا")], KHORDAD_1402, now=NOW)
    assert undated.undated and [entry.news_id for entry in undated.wanted] == [1, 2]
    dated = archive_step([listed(1, None), listed(2, "۳۱ خرداد ۱۴۰۲")], KHORDAD_1402, now=NOW)
    assert not dated.undated
    assert not archive_step([], KHORDAD_1402, now=NOW).undated


# ----------------------------------------------------------------- the date pipeline


def article(jalali: str | None) -> Article:
    return Article(
        site="iribnews",
        url="http://www.iribnews.ir/fa/news/1",
        canonical_url="https://www.iribnews.ir/fa/news/1",
        news_id=1,
        title="عنوان",
        kicker=None,
        lead=None,
        body="متن",
        section=[],
        tags=[],
        published_at_raw="x",
        views=None,
        comment_count=None,
        images=[],
        crawled_at="2026-11-26T10:00:00+00:00",
        published_at_jalali=jalali,
    )


def test_only_articles_published_in_the_range_go_on() -> None:
    crawler = get_crawler()
    pipeline = InDateRangePipeline(crawler.stats)
    spider = IribnewsSpider(since="1402-03-01", until="1402-03-31")
    kept = article("1402-03-31T23:50")
    assert pipeline.process_item(kept, spider) is kept
    with pytest.raises(Rejected, match=r"out_of_range: .* published on 1402-04-10, outside") as out:
        pipeline.process_item(article("1402-04-10T09:00"), spider)
    assert out.value.log_level == "INFO"
    with pytest.raises(Rejected, match="date_unknown"):
        pipeline.process_item(article(None), spider)
    assert crawler.stats.get_value("newsbot/dropped/out_of_range") == 1
    assert crawler.stats.get_value("newsbot/dropped/date_unknown") == 1
    # Without a range, every date goes on.
    assert pipeline.process_item(article(None), IribnewsSpider()).news_id == 1


# ------------------------------------------------------------------- spider arguments


def sources(**arguments: str) -> frozenset[str] | None:
    return SpiderArguments.parse("iribnews", arguments, IRIBNEWS).sources


def test_sources_default_to_front_and_rss_or_the_archive_for_a_backfill() -> None:
    assert sources() == {"front", "rss"}
    assert sources(since="1402-03-01") == {"archive"}
    assert sources(sources=" RSS ") == {"rss"}
    assert sources(sources="front,archive", since="1402-03-01") == {"front", "archive"}


@pytest.mark.parametrize(
    ("value", "backfill", "message"),
    [
        ("sitemap", False, "expected a comma-separated subset of"),
        (",", False, "expected a comma-separated subset of"),
        ("archive", False, "sources=archive needs a date range"),
    ],
)
def test_bad_sources_are_refused(value: str, backfill: bool, message: str) -> None:
    since = {"since": "1402-03-01"} if backfill else {}
    with pytest.raises(SpiderArgumentError, match=message):
        sources(sources=value, **since)


def test_hours_and_paths() -> None:
    def parsed(**arguments: str) -> SpiderArguments:
        return SpiderArguments.parse("iribnews", arguments, IRIBNEWS)

    assert parsed().refresh_hours == 0
    assert parsed(refresh_hours="1.5").refresh_hours == 1.5
    for bad in ("-1", "soon", "inf", "nan"):
        with pytest.raises(SpiderArgumentError, match="refresh_hours"):
            parsed(refresh_hours=bad)
    assert parsed().feeds == IRIBNEWS.feed_paths
    assert parsed(feeds="/fa/rss/allnews, /fa/rss/5").feeds == ("/fa/rss/allnews", "/fa/rss/5")
    for bad in ("fa/rss/5", "//evil.example/rss", "http://x/rss", " , "):
        with pytest.raises(SpiderArgumentError, match="feeds"):
            parsed(feeds=bad)


def test_the_spider_takes_the_arguments_or_refuses_them_by_name() -> None:
    spider = IribnewsSpider(since="1402-03-01", refresh_hours="6", feeds="/fa/rss/5")
    assert spider.sources == {"archive"}
    assert spider.date_range is not None and spider.date_range.since == "1402-03-01"
    assert spider.refresh_hours == 6
    assert spider.feed_paths == ("/fa/rss/5",)
    defaults = IribnewsSpider()
    assert defaults.sources == {"front", "rss"}
    assert (defaults.date_range, defaults.refresh_hours) == (None, 0)
    assert defaults.feed_paths == IRIBNEWS.feed_paths
    bad: list[dict[str, Any]] = [
        {"since": "1402-03-31", "until": "1402-03-01"},
        {"sources": "archive"},
        {"base_url": "ftp://x"},
        {"provinces": "maybe"},
    ]
    for arguments in bad:
        with pytest.raises(SpiderArgumentError, match=r"^iribnews: "):
            IribnewsSpider(**arguments)
