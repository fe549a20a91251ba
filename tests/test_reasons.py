"""Drop reasons as one table (newsbot.extract.reasons): keys, families, what is retried and
what counts in the field coverage, and the README's list."""

import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from newsbot.crawl.report import CrawlReport
from newsbot.extract.reasons import DropReason
from newsbot.spiders.iribnews import IribnewsSpider

PROJECT_DIR = Path(__file__).resolve().parent.parent
ARTICLE_URL = "http://www.iribnews.ir/fa/news/3900001"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("http_404", DropReason.HTTP),
        ("splash_connection_refused", DropReason.SPLASH),
        ("missing_body", DropReason.MISSING),
        ("print_page", DropReason.ARTICLE_COPY),
        ("empty_page", DropReason.EMPTY_PAGE),  # one reason, not of the `<kind>_page` family
        ("not_a_front_page", DropReason.NOT_A_FRONT_PAGE),
        ("not_html", DropReason.NOT_HTML),
        ("DropItem", None),  # another pipeline's
    ],
)
def test_a_key_names_its_reason(key: str, reason: DropReason | None) -> None:
    assert DropReason.of(key) is reason


def test_keys_are_the_stats_and_report_keys_users_read() -> None:
    assert f"newsbot/dropped/{DropReason.NOT_HTML}" == "newsbot/dropped/not_html"
    assert DropReason.HTTP.key("503") == "http_503"
    assert DropReason.MISSING.key("title") == "missing_title"
    with pytest.raises(ValueError, match="one reason"):
        DropReason.TIMEOUT.key("x")


def test_the_readme_lists_every_reason() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    named = {
        DropReason.of(re.sub(r"<\w+>", "x", key))
        for key in re.findall(r"`([a-z0-9_]+(?:<\w+>)?)`", readme)
    }
    assert set(DropReason) - named == set()


def spider_and_report(tmp_path: Path) -> tuple[IribnewsSpider, CrawlReport]:
    crawler = get_crawler(IribnewsSpider, settings_dict={"NEWSBOT_DATA_DIR": str(tmp_path)})
    report = CrawlReport.from_crawler(crawler)
    spider = IribnewsSpider.from_crawler(crawler)
    crawler.spider = spider
    return spider, report


def test_an_article_page_that_is_not_html_is_neither_retried_nor_counted(tmp_path: Path) -> None:
    spider, report = spider_and_report(tmp_path)
    pdf = Response(ARTICLE_URL, body=b"%PDF-1.4", request=Request(ARTICLE_URL))
    assert list(spider.parse_article(pdf)) == []  # no retry request
    assert report.dropped_counts == {"not_html": 1}
    assert report.coverage.pages == 0  # says nothing about the site's layout
    assert spider.crawler.stats is not None
    assert spider.crawler.stats.get_value("newsbot/dropped/not_html") == 1


def test_an_article_page_cut_short_is_retried(tmp_path: Path) -> None:
    spider, report = spider_and_report(tmp_path)
    cut = HtmlResponse(
        ARTICLE_URL, body=b"<html><body><p>", encoding="utf-8", request=Request(ARTICLE_URL)
    )
    [retry] = spider.parse_article(cut)
    assert isinstance(retry, Request)
    assert retry.meta["retry_times"] == 1
    assert report.dropped_counts == {}


def test_an_article_page_without_article_markup_counts_against_coverage(tmp_path: Path) -> None:
    spider, report = spider_and_report(tmp_path)
    page = HtmlResponse(
        ARTICLE_URL,
        body=b"<html><body><p>nothing</p></body></html>",
        encoding="utf-8",
        request=Request(ARTICLE_URL),
    )
    assert list(spider.parse_article(page)) == []
    assert report.dropped_counts == {"not_an_article": 1}
    assert report.coverage.pages == 1
