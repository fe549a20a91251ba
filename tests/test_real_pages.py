"""Acceptance tests on real IranSamaneh pages from ../shared/real-pages, checked against the
facts in its README. The pages are third-party and never copied into the project: these tests
read them in place and skip when the folder is absent (a fresh clone has no ../shared).

Known flaw of the home pages (README): every ZWNJ was lost in transcription, so nothing here
compares their text; ids, ranks and URLs are what is checked.
"""

import re
from pathlib import Path

from newsbot.parser import parse_article, parse_front_page
from newsbot.pipelines import dated_article, normalized_article
from newsbot.profiles import IRIBNEWS
from newsbot.urls import news_id_from_url

NOW = "2026-11-26T10:00:00+00:00"


def ids(entries: list) -> list[int]:  # type: ignore[type-arg]
    return [entry["news_id"] for entry in entries]


def test_iribnews_home_lists(real_pages: Path) -> None:
    html = (real_pages / "iribnews_home_1396-12-27.html").read_text(encoding="utf-8")
    page = parse_front_page(html, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW)
    lists = {(listing.block, listing.list): listing.entries for listing in page.listings}
    assert list(lists) == [
        ("ticker", "latest"),
        ("sidebar", "latest"),
        ("tabs", "most_viewed"),
        ("tabs", "most_discussed"),
    ]
    assert ids(lists["ticker", "latest"]) == [2069545, 2069442, 2069249, 2069168]
    assert ids(lists["sidebar", "latest"]) == [
        2074309, 2074312, 2074307, 2074306, 2074300, 2068631, 2074295, 2074118,
        2074259, 2074301, 2074241, 2074298, 2074170, 2074296, 2074286,
    ]  # fmt: skip
    assert ids(lists["tabs", "most_viewed"]) == [
        2072322, 2073000, 2072294, 2073337, 2072328, 2072732, 2066116, 2073088, 2073006, 2073364,
    ]  # fmt: skip
    assert [entry["rank"] for entry in lists["tabs", "most_viewed"]] == list(range(1, 11))
    assert lists["tabs", "most_discussed"] == []


def test_iribnews_home_menu_and_article_links(real_pages: Path) -> None:
    html = (real_pages / "iribnews_home_1396-12-27.html").read_text(encoding="utf-8")
    page = parse_front_page(html, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW)
    slugs = {url.removeprefix("http://www.iribnews.ir/fa/") for url in page.section_urls}
    assert {
        "political", "economic", "social", "science-culture", "sport", "provinces",
        "international", "photo", "video", "virtual", "research", "analysis",
    } <= slugs  # fmt: skip
    # Sub-sections and categories are followed too; provincial desks are other hosts.
    assert any(re.fullmatch(r"services/\d+/\d+", slug) for slug in slugs)
    assert any(re.fullmatch(r"[a-z-]+/\d+", slug) for slug in slugs)
    assert all(url.startswith("http://www.iribnews.ir/fa/") for url in page.section_urls)
    # Every article id linked anywhere on the page (the README counts 206 such hrefs).
    hrefs = re.findall(r"href=[\"'](?:https?://[^/\"']+)?/fa/news/(\d+)", html)
    assert len(hrefs) == 206
    linked = set(map(int, hrefs))
    assert {news_id_from_url(url) for url in page.article_urls} == linked


def test_bartarinha_article_fields(real_pages: Path) -> None:
    html = (real_pages / "bartarinha_article_794928_fragment.html").read_text(encoding="utf-8")
    url = "https://www.bartarinha.ir/fa/news/794928/"
    # The CMS's default article selectors, which every profile starts from.
    article = dated_article(normalized_article(parse_article(html, url, IRIBNEWS, crawled_at=NOW)))
    assert article.news_id == 794928
    assert article.published_at_raw == "۲۲ آبان ۱۳۹۷ - ۰۸:۳۰"
    assert article.published_at == "2018-11-13T08:30:00+03:30"
    assert (article.views, article.comment_count, article.kicker) == (5816, 8, None)
    assert article.title == "کلکسیون خودرو\u200cهای لوکس «لیدی گاگا»"
    assert article.lead is not None
    assert article.lead.startswith("سلبریتی را سراغ نداریم که علاقه\u200cای به خودنمایی")
    assert article.body.startswith("برترین ها - ترجمه از محمد کاملان:")
    assert article.tags == [
        "لیدی گاگا", "خودرو", "خودرو سلبریتی ها", "خودرو های جذاب", "تکنولوژی", "تکنولوژی خودرو",
    ]  # fmt: skip
