"""Acceptance tests on real IranSamaneh pages from ../shared/real-pages, checked against the
facts in its README. The pages are third-party and never copied into the project: these tests
read them in place and skip when the folder is absent (a fresh clone has no ../shared).

Known flaw of the home pages (README): every ZWNJ was lost in transcription, so nothing here
compares their text; ids, ranks and URLs are what is checked.
"""

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from newsbot.extract.article import parse_article
from newsbot.extract.frontpage import parse_front_page
from newsbot.extract.records import dated_article, normalized_article
from newsbot.sites.profiles import BARTARINHA, FARDANEWS, IRIBNEWS, PROFILES
from newsbot.sites.urls import news_id_from_url
from newsbot.tools.profile_check import read_page, score

# The README's facts, page by page, in the format of the fixture pages' expected facts.
README_FACTS: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "sites" / "real-pages.json").read_text(encoding="utf-8")
)

NOW = "2026-11-26T10:00:00+00:00"


def served_on(name: str) -> date:
    """The day a real page was served (its expected facts say), which picks its theme."""
    return date.fromisoformat(README_FACTS[name]["served_on"])


def ids(entries: list) -> list[int]:  # type: ignore[type-arg]
    return [entry["news_id"] for entry in entries]


def test_iribnews_home_lists(real_pages: Path) -> None:
    name = "iribnews_home_1396-12-27.html"
    html = (real_pages / name).read_text(encoding="utf-8")
    page = parse_front_page(
        html, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW, served_on=served_on(name)
    )
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
    name = "iribnews_home_1396-12-27.html"
    html = (real_pages / name).read_text(encoding="utf-8")
    page = parse_front_page(
        html, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW, served_on=served_on(name)
    )
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
    name = "bartarinha_article_794928_fragment.html"
    html = (real_pages / name).read_text(encoding="utf-8")
    url = "https://www.bartarinha.ir/fa/news/794928/"
    # Bartarinha's profile, whose article selectors are the CMS's defaults.
    parsed = parse_article(html, url, BARTARINHA, crawled_at=NOW, served_on=served_on(name))
    article = dated_article(normalized_article(parsed))
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


@pytest.mark.parametrize("name", sorted(README_FACTS))
def test_each_page_gives_the_readme_facts_through_its_sites_profile(
    real_pages: Path, name: str
) -> None:
    expected = README_FACTS[name]
    html = (real_pages / name).read_text(encoding="utf-8")
    profile = PROFILES[expected["site"]]
    reading = read_page(html, expected["url"], profile, now=NOW, served_on=served_on(name))
    assert reading.problems == []
    assert [field.name for field in score(reading.facts, expected) if not field.correct] == []


def test_farda_lists_in_full(real_pages: Path) -> None:
    name = "fardanews_home_1396-12-28.html"
    html = (real_pages / name).read_text(encoding="utf-8")
    page = parse_front_page(
        html, "http://www.fardanews.com/", FARDANEWS, captured_at=NOW, served_on=served_on(name)
    )
    lists = {(listing.block, listing.list): listing.entries for listing in page.listings}
    assert list(lists) == [
        ("sidebar", "latest"),
        ("boxes", "most_viewed"),
        ("boxes", "most_discussed"),
    ]
    latest = lists["sidebar", "latest"]
    assert (len(latest), latest[0]["news_id"], latest[-1]["news_id"]) == (111, 795203, 792514)
    assert [entry["rank"] for entry in latest] == list(range(1, 112))
    # Some links carry title="13:35 - 1396/12/27"; every entry's title is its link text.
    time_title = re.compile(r"\d\d:\d\d - \d{4}/\d\d/\d\d")
    links = Selector(text=html).css("div.hot-news ul.list_1 > li.new_linear > a")
    assert any(time_title.fullmatch(link.attrib.get("title", "")) for link in links)
    assert all(entry["title"] and not time_title.search(entry["title"]) for entry in latest)
    # Sections only: the home link and the mobile-only utility links are left out.
    assert page.section_urls == page.menu_urls[1:]
    assert len(page.section_urls) == 9


def test_kayhan_issue_pages_are_its_sections(real_pages: Path) -> None:
    html = (real_pages / "kayhan_home.html").read_text(encoding="utf-8")
    page = parse_front_page(
        html,
        "http://kayhan.ir/",
        PROFILES["kayhan"],
        captured_at=NOW,
        served_on=served_on("kayhan_home.html"),
    )
    assert sorted(page.section_urls, key=lambda url: int(url.rsplit("/", 1)[1])) == [
        f"http://kayhan.ir/fa/issue/1245/{n}" for n in range(1, 13)
    ]
    # The ticker's id-only links are followed as articles.
    assert {f"http://kayhan.ir/fa/news/{n}" for n in (128705, 128703, 128700, 128694)} <= set(
        page.article_urls
    )
