"""The crawl report (newsbot.crawl.report): coverage, the floor, the JSON file and the log."""

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsbot.crawl.config import COVERAGE_FLOOR, check_floor
from newsbot.crawl.pipelines import Rejected
from newsbot.crawl.report import (
    EXIT_COVERAGE_BELOW_FLOOR,
    CrawlReport,
    FieldCoverage,
    below_floor,
)
from newsbot.extract.article import FieldSource
from newsbot.items import COVERAGE_FIELDS, Article, Listing


class IribnewsSpider(Spider):
    name = "iribnews"


def article(news_id: int = 1, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "site": "iribnews",
        "url": f"http://www.iribnews.ir/fa/news/{news_id}",
        "canonical_url": f"https://www.iribnews.ir/fa/news/{news_id}",
        "news_id": news_id,
        "title": "عنوان",
        "kicker": "روتیتر",
        "lead": None,
        "body": "متن",
        "section": ["اجتماعی"],
        "tags": [],
        "published_at_raw": "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷",
        "views": 0,
        "comment_count": None,
        "images": [],
        "crawled_at": "2026-11-26T10:00:00+00:00",
        "published_at": "2023-05-30T12:27:00+03:30",
    }
    return Article(**{**values, **fields})


def test_coverage_counts_present_fields_over_pages_read() -> None:
    coverage = FieldCoverage()
    coverage.add(article())
    coverage.add(article(kicker=None, views=None, body=""))
    coverage.add(None)  # a page with no article markup at all
    shares = coverage.shares()
    assert list(shares) == list(COVERAGE_FIELDS)
    assert shares["title"] == round(2 / 3, 4)
    assert shares["body"] == round(1 / 3, 4)
    assert shares["views"] == round(1 / 3, 4)  # zero views is a value
    assert shares["lead"] == shares["tags"] == 0
    assert FieldCoverage().shares() == {}


def test_the_default_floor_names_known_fields() -> None:
    assert check_floor(COVERAGE_FLOOR.default) == COVERAGE_FLOOR.default


def test_the_floor_names_known_fields_and_shares() -> None:
    assert check_floor({"body": "0.9", "lead": 0}) == {"body": 0.9, "lead": 0.0}
    with pytest.raises(ValueError, match="unknown field 'bodyy'"):
        check_floor({"bodyy": 0.9})
    with pytest.raises(ValueError, match=r"\['body'\] = 90: expected 0 to 1"):
        check_floor({"body": 90})
    assert below_floor({"body": 0.5, "title": 1.0}, {"body": 0.8, "title": 0.8}) == {"body": 0.5}
    assert below_floor({}, {"views": 0.1}) == {"views": 0.0}


def report_for(tmp_path: Path, **settings: Any) -> CrawlReport:
    crawler = get_crawler(
        IribnewsSpider, settings_dict={"NEWSBOT_DATA_DIR": str(tmp_path), **settings}
    )
    assert crawler.stats is not None
    crawler.stats.set_value("start_time", datetime(2026, 11, 26, 10, 0, 0, 123, tzinfo=UTC))
    return CrawlReport.from_crawler(crawler)


def test_switched_off_by_setting_and_under_scrapy_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(NotConfigured):
        report_for(tmp_path, NEWSBOT_REPORT_ENABLED=False)
    monkeypatch.setenv("SCRAPY_CHECK", "true")
    with pytest.raises(NotConfigured):
        report_for(tmp_path)


def run(report: CrawlReport, articles: int, *, bodies: int) -> None:
    spider = IribnewsSpider()
    stats = report.crawler.stats
    assert stats is not None
    for n in range(articles):
        item = article(n) if n < bodies else article(n, body="")
        if item.body:
            report.item_scraped(item, spider)
            stats.inc_value("newsbot/articles/new")
        else:
            report.item_dropped(item, None, Rejected("missing_body", item.url), spider)
    report.item_dropped(article(0), None, Rejected("duplicate", "again"), spider)
    listing = Listing(
        site="iribnews",
        list="latest",
        block="ticker",
        page_url="http://www.iribnews.ir/",
        captured_at="2026-11-26T10:00:00+00:00",
        entries=[],
    )
    report.item_scraped(listing, spider)
    report.page_dropped("http://www.iribnews.ir/fa/news/99", "not_an_article", "article")
    report.page_dropped("http://www.iribnews.ir/fa/news/98", "http_404", "article")
    report.page_dropped("http://www.iribnews.ir/fa/news/97", "robots_txt", "article")
    for n in range(8):
        report.page_dropped(f"http://www.iribnews.ir/fa/news/{200 + n}", "http_500", "article")
    stats.inc_value("newsbot/pages/article", articles + 1)
    report.spider_closed(spider, "finished")  # no FeedExporter here: the report comes now
    report.engine_stopped()  # the summary, after Scrapy's closing lines


def test_the_report_file_says_what_the_run_did(tmp_path: Path) -> None:
    report = report_for(tmp_path)
    run(report, 24, bodies=24)
    path = tmp_path / "iribnews" / "reports" / "2026-11-26T10-00-00+00-00.json"
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["status"] == "ok"
    assert written["finish_reason"] == "finished"
    assert written["started_at"] == "2026-11-26T10:00:00+00:00"
    assert written["pages"] == {"article": 25}
    assert written["articles"]["new"] == 24
    coverage = written["coverage"]
    # 24 articles and the page without article markup; not the duplicate nor the failed
    # requests, which say nothing about the layout.
    assert coverage["article_pages"] == 25
    assert coverage["fields"]["body"] == 0.96
    assert coverage["floor_applied"] and coverage["below_floor"] == {}
    assert written["dropped"]["not_an_article"] == {
        "count": 1,
        "examples": ["http://www.iribnews.ir/fa/news/99"],
    }
    assert written["dropped"]["http_500"]["count"] == 8
    assert len(written["dropped"]["http_500"]["examples"]) == 5
    assert set(written["dropped"]) == {
        "duplicate", "http_404", "http_500", "not_an_article", "robots_txt",
    }  # fmt: skip
    assert not list(path.parent.glob("*.tmp"))
    assert (written["exit_status"], written["problems"]) == (0, [])
    stats = report.crawler.stats
    assert stats is not None and stats.get_value("newsbot/exit_status") == 0


def test_coverage_below_the_floor_fails_the_run_with_a_clear_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    report = report_for(tmp_path)
    with caplog.at_level(logging.INFO, logger="newsbot.crawl.report"):
        run(report, 24, bodies=6)
    [path] = (tmp_path / "iribnews" / "reports").iterdir()
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["status"] == "coverage_below_floor"
    assert written["coverage"]["below_floor"] == {"body": 0.24}
    stats = report.crawler.stats
    assert stats is not None
    assert stats.get_value("newsbot/exit_status") == EXIT_COVERAGE_BELOW_FLOOR
    assert "Field coverage below the floor over 25 article pages: body 24% < 80%" in caplog.text
    assert "exit status 3" in caplog.text
    error = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(error) == 1


def test_the_floor_waits_for_enough_pages(tmp_path: Path) -> None:
    report = report_for(tmp_path, NEWSBOT_COVERAGE_MIN_ARTICLES=30)
    run(report, 24, bodies=0)
    [path] = (tmp_path / "iribnews" / "reports").iterdir()
    coverage = json.loads(path.read_text(encoding="utf-8"))["coverage"]
    assert (coverage["floor_applied"], coverage["below_floor"]) == (False, {})


def test_a_floor_set_on_the_command_line(tmp_path: Path) -> None:
    report = report_for(tmp_path, NEWSBOT_COVERAGE_FLOOR='{"kicker": 0.99}')
    assert report.floor == {"kicker": 0.99}
    run(report, 24, bodies=24)
    stats = report.crawler.stats
    assert stats is not None and stats.get_value("newsbot/exit_status") == 3


def test_the_report_waits_for_the_feeds_to_be_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsbot.crawl.report.feed_exporter_runs", lambda crawler: True)
    report = report_for(tmp_path)
    report.item_scraped(replace(article(), news_id=5), IribnewsSpider())
    report.spider_closed(IribnewsSpider(), "finished")
    assert not (tmp_path / "iribnews" / "reports").exists()
    report.feed_slot_closed(type("Slot", (), {"uri": "/data/iribnews/articles-T.jsonl"})())  # type: ignore[arg-type]
    report.feeds_closed()
    [path] = (tmp_path / "iribnews" / "reports").iterdir()
    assert json.loads(path.read_text(encoding="utf-8"))["feeds"] == [
        "/data/iribnews/articles-T.jsonl"
    ]


def test_a_dropped_article_counts_as_the_pipelines_read_it(tmp_path: Path) -> None:
    # Scrapy's item_dropped carries the spider's item, undated; the rejection carries the record
    # the pipelines had read (dated), and that is what the coverage measures.
    report = report_for(tmp_path)
    read = article(1)
    raw = replace(read, published_at=None)
    for reason in ("unchanged", "out_of_range"):
        report.item_dropped(raw, None, Rejected(reason, "left out", record=read), IribnewsSpider())
    report.item_dropped(raw, None, Rejected("missing_body", "no body"), IribnewsSpider())
    assert report.coverage.pages == 3
    assert report.coverage.shares()["published_at"] == round(2 / 3, 4)


def test_a_missing_article_page_is_a_drop_of_its_own_not_a_layout_problem(
    tmp_path: Path,
) -> None:
    report = report_for(tmp_path)
    report.item_scraped(article(), IribnewsSpider())
    report.page_dropped("https://kayhan.ir/fa/news/311999", "missing_article", "article")
    report.page_dropped("https://kayhan.ir/fa/news/311998", "not_an_article", "article")
    report.spider_closed(IribnewsSpider(), "finished")
    [path] = (tmp_path / "iribnews" / "reports").iterdir()
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["dropped"]["missing_article"] == {
        "count": 1,
        "examples": ["https://kayhan.ir/fa/news/311999"],
    }
    # The article and the page without article markup; the site's "no such article" page
    # says nothing about the layout.
    assert written["coverage"]["article_pages"] == 2


def test_fields_read_by_fallbacks_are_counted_and_named_once_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    report = report_for(tmp_path)
    spider = IribnewsSpider()
    by_profile = {
        "title": FieldSource("profile", "h1.title"),
        "body": FieldSource("profile", ".body"),
    }
    by_family = {**by_profile, "title": FieldSource("family", ".news-title")}
    with caplog.at_level(logging.INFO, logger="newsbot.crawl.report"):
        report.article_read("http://www.iribnews.ir/fa/news/1", by_profile, spider)
        for n in range(2, 5):
            report.article_read(f"http://www.iribnews.ir/fa/news/{n}", by_family, spider)
        report.article_read(
            "http://www.iribnews.ir/fa/news/5",
            {"news_id": FieldSource("url", "/fa/news/<id>"), "lead": FieldSource("metadata", "x")},
            spider,
        )
        run(report, 0, bodies=0)
    [path] = (tmp_path / "iribnews" / "reports").iterdir()
    read_by = json.loads(path.read_text(encoding="utf-8"))["coverage"]["read_by"]
    assert read_by["title"] == {"profile": 1, "family": 3, "metadata": 0, "url": 0}
    assert read_by["body"] == {"profile": 4, "family": 0, "metadata": 0, "url": 0}
    assert read_by["news_id"] == {"profile": 0, "family": 0, "metadata": 0, "url": 1}
    assert read_by["lead"]["metadata"] == 1
    assert read_by["views"] == {"profile": 0, "family": 0, "metadata": 0, "url": 0}
    first_use = [
        r.getMessage() for r in caplog.records if "not by the profile, first on" in r.message
    ]
    assert first_use == [
        "iribnews: title read by the CMS family's alternative (.news-title), not by the profile, "
        "first on http://www.iribnews.ir/fa/news/2; the site's theme may have changed. Further "
        "pages are counted in the crawl report (coverage.read_by).",
        "iribnews: news_id read by the URL (/fa/news/<id>), not by the profile, first on "
        "http://www.iribnews.ir/fa/news/5; the site's theme may have changed. Further pages are "
        "counted in the crawl report (coverage.read_by).",
        "iribnews: lead read by the page's metadata (x), not by the profile, first on "
        "http://www.iribnews.ir/fa/news/5; the site's theme may have changed. Further pages are "
        "counted in the crawl report (coverage.read_by).",
    ]
    assert (
        "Fields read by fallbacks, not by the profile (pages): "
        "news_id url 1, title family 3, lead metadata 1" in caplog.text
    )
