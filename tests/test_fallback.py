"""The family-wide fallback (newsbot.sites.family): a field the profile's selector misses is
read from the CMS family's alternative classes, then from the page's metadata, never instead
of what the profile found; each field says which level read it. Small pages written here;
the snapshot and every fixture site show that nothing the profile reads changes."""

import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from parsel import Selector

from newsbot.extract.article import (
    ArticleReading,
    FieldSource,
    NotAnArticle,
    read_article,
)
from newsbot.extract.records import checked_record, dated_article, normalized_article
from newsbot.extract.selectors import IndexedPage, NotIndexed
from newsbot.items import READ_FIELDS
from newsbot.schema import validate_record
from newsbot.sites.family import FAMILY_ALTERNATIVES, METADATA_KEYS, family_selectors
from newsbot.sites.profiles import IRIBNEWS, PROFILES, ArticleSelectors, SiteProfile, Theme
from newsbot.text.jalali import JalaliDateError
from newsbot.tools.profile_check import read_page, score
from snapshot.crawl import PROJECT_DIR, crawl_snapshot

NOW = "2026-11-26T10:00:00+00:00"
URL = "https://www.aftabnews.ir/fa/news/912345/slug"
# A site on the CMS with no profile of its own: the CMS defaults.
AFTABNEWS = SiteProfile(
    name="aftabnews", home_url="https://www.aftabnews.ir/", hosts=("www.aftabnews.ir",)
)
SNAPSHOT = PROJECT_DIR / "snapshot"
SITES = Path(__file__).parent / "sites"


def page(body: str, head: str = "") -> str:
    return (
        '<html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        f"{head}</head><body>{body}</body></html>"
    )


def read(body: str, head: str = "", **options: Any) -> ArticleReading:
    return read_article(page(body, head), URL, AFTABNEWS, crawled_at=NOW, **options)


def levels(reading: ArticleReading) -> dict[str, str]:
    return {name: source.level for name, source in reading.sources.items()}


# An article in a theme no profile names, built from the family's alternative classes.
FAMILY_THEME = (
    '<div class="news_path2"><a href="/fa/services/1">سیاسی</a> » <a href="/fa/services/1/5">مجلس</a></div>'
    '<div class="col_r_inner_news">'
    ' <div class="news-rutitr">سخنگوی کمیسیون:</div>'
    ' <h2 class="news-title">بررسی لایحه بودجه در کمیسیون</h2>'
    ' <div class="news-subtitle">لایحه هفته آینده به صحن می‌رود.</div>'
    ' <div class="item-date"><span>۱۲ آذر ۱۴۰۳ - ۱۰:۱۵</span></div>'
    ' <div class="body"><p>بند نخست خبر.</p><p>بند دوم خبر.</p></div>'
    ' <ul class="tags"><li>بودجه</li><li>مجلس</li></ul>'
    "</div>"
    '<div class="box"><div class="title">پربازدیدها</div></div>'
)


def test_fields_the_profile_misses_are_read_by_the_family() -> None:
    reading = read(FAMILY_THEME)
    found = reading.article
    assert (found.news_id, found.kicker, found.title) == (
        912345,
        "سخنگوی کمیسیون:",
        "بررسی لایحه بودجه در کمیسیون",
    )
    assert found.lead == "لایحه هفته آینده به صحن می‌رود."
    assert found.published_at_raw == "۱۲ آذر ۱۴۰۳ - ۱۰:۱۵"
    assert found.body == "بند نخست خبر.\n\nبند دوم خبر."
    assert (found.section, found.tags) == (["سیاسی", "مجلس"], ["بودجه", "مجلس"])
    assert reading.sources == {
        "news_id": FieldSource("url", "/fa/news/<id>"),
        "kicker": FieldSource("family", ".news-rutitr"),
        "title": FieldSource("family", ".news-title"),
        "lead": FieldSource("family", ".news-subtitle"),
        "published_at_raw": FieldSource("family", ".item-date span"),
        "body": FieldSource("profile", ".body"),  # the CMS default finds it
        "section": FieldSource("family", ".news_path2 a"),
        "tags": FieldSource("family", ".tags li"),
    }


def test_without_fallbacks_only_the_profile_reads() -> None:
    reading = read(FAMILY_THEME, fallbacks=False)
    assert (reading.article.title, reading.article.kicker, reading.article.tags) == ("", None, [])
    assert levels(reading) == {"news_id": "url", "body": "profile"}
    with pytest.raises(NotAnArticle):
        read(FAMILY_THEME.replace('"body"', '"text"'), fallbacks=False)


def test_what_the_profile_finds_is_never_overridden() -> None:
    reading = read(
        '<div class="rutitr"></div><div class="news-rutitr">روتیتر دیگر</div>'
        '<h1 class="title">عنوان از پروفایل</h1><div class="news-title">عنوان دیگر</div>'
        '<div class="body"><p>متن.</p></div>',
        head='<meta property="og:title" content="عنوان متا"><meta property="og:type" content="article">',
    )
    assert reading.article.title == "عنوان از پروفایل"
    assert reading.sources["title"] == FieldSource("profile", "h1.title")
    # An empty kicker slot is the profile's answer: this article has no kicker.
    assert reading.article.kicker is None
    assert "kicker" not in reading.sources


def test_generic_classes_are_read_only_inside_the_article_wrapper() -> None:
    toolbar = '<div class="news_id_c">۹۱۲۳۴۵</div>'
    outside = read(toolbar + '<div class="title">پربازدیدها</div><div class="body">متن</div>')
    assert outside.article.title == ""
    inside = read(
        toolbar + '<div class="col_r_inner_news"><div class="title">عنوان خبر</div>'
        '<div class="subtitle">لید</div></div><div class="body">متن</div>'
    )
    assert inside.article.title == "عنوان خبر"
    assert inside.sources["title"] == FieldSource("family", ".title")
    # `.subtitle` is the CMS default: the profile reads it anywhere.
    assert inside.sources["lead"] == FieldSource("profile", ".subtitle")


def test_a_bare_h1_is_the_title_only_inside_the_wrapper() -> None:
    toolbar = '<div class="news_id_c">۹۱۲۳۴۵</div>'
    assert read(toolbar + "<h1>نام سایت</h1>").article.title == ""
    reading = read(toolbar + '<h1>نام سایت</h1><div class="col1-news"><h1>عنوان خبر</h1></div>')
    assert reading.article.title == "عنوان خبر"
    assert reading.sources["title"] == FieldSource("family", "h1")


def test_a_generic_class_alone_does_not_make_a_page_an_article() -> None:
    wrapped = '<article><div class="title">عنوان</div><p>متن</p></article>'
    with pytest.raises(NotAnArticle):
        read(wrapped)
    # The page's metadata saying it is an article does.
    reading = read(wrapped, head='<meta property="og:type" content="article">')
    assert reading.article.title == "عنوان"
    assert reading.sources["title"] == FieldSource("family", ".title")


def test_a_body_the_profile_reads_makes_a_page_an_article() -> None:
    # A title only in a bare h1 inside the wrapper, and og:title without og:type.
    body = '<div class="col_r_inner_news"><h1>عنوان خبر</h1><div class="body">متن</div></div>'
    reading = read(body, head='<meta property="og:title" content="عنوان خبر">')
    assert (reading.article.title, reading.article.body) == ("عنوان خبر", "متن")
    assert levels(reading) == {"news_id": "url", "title": "family", "body": "profile"}
    # Read by a generic family class in the wrapper, it does not.
    elsewhere = replace(AFTABNEWS, theme=Theme(article=ArticleSelectors(body="#newsMainBody")))
    with pytest.raises(NotAnArticle):
        read_article(page(body), URL, elsewhere, crawled_at=NOW)


def test_the_first_wrapper_of_the_list_is_the_article() -> None:
    reading = read(
        '<div class="news_id_c">۱</div>'
        '<article><h2 class="title">خبر دیگر در ستون کناری</h2></article>'
        '<div class="col_r_inner_news"><h2 class="title">عنوان خبر</h2></div>'
    )
    assert reading.article.title == "عنوان خبر"


METADATA_ONLY = (
    '<meta property="og:type" content="article">'
    '<meta property="og:title" content="عنوان از متا">'
    '<meta name="description" content="لید از متا.">'
    '<meta name="keywords" content="اخبار,ایران,خبر">'
    '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
    '{"@type": "WebPage", "name": "صفحه"},'
    '{"@type": "NewsArticle", "headline": "عنوان از ld", "datePublished": "2023-05-30T08:57:00Z",'
    ' "keywords": "بودجه، مجلس, دولت", "articleSection": "سیاسی", "commentCount": 4,'
    ' "author": {"@type": "Person", "name": "نویسنده"}}]}</script>'
)


def test_page_metadata_is_the_last_level() -> None:
    reading = read(
        '<div itemprop="articleBody"><p>بند یک.</p><p>بند دو.</p></div>', head=METADATA_ONLY
    )
    found = reading.article
    assert (found.title, found.lead, found.body) == (
        "عنوان از متا",
        "لید از متا.",
        "بند یک.\n\nبند دو.",
    )
    # meta keywords are a site-wide word list on family sites: never tags.
    assert found.tags == ["بودجه", "مجلس", "دولت"]
    assert (found.section, found.comment_count) == (["سیاسی"], 4)
    assert found.published_at_raw == "2023-05-30T08:57:00Z"
    assert reading.sources == {
        "news_id": FieldSource("url", "/fa/news/<id>"),
        "title": FieldSource("metadata", "meta:og:title"),
        "lead": FieldSource("metadata", "meta:description"),
        "body": FieldSource("metadata", "itemprop:articleBody"),
        "published_at_raw": FieldSource("metadata", "ld:datePublished"),
        "section": FieldSource("metadata", "ld:articleSection"),
        "tags": FieldSource("metadata", "ld:keywords"),
        "comment_count": FieldSource("metadata", "ld:commentCount"),
    }
    # Dated like any other page's date, in Tehran time; the record has no sources.
    record = checked_record(dated_article(normalized_article(found)))
    assert (record["published_at"], record["published_at_jalali"]) == (
        "2023-05-30T12:27:00+03:30",
        "1402-03-09T12:27",
    )
    assert "sources" not in record


def test_microdata_and_a_json_ld_body() -> None:
    reading = read(
        '<div itemscope itemtype="https://schema.org/NewsArticle">'
        '<h3 itemprop="headline">عنوان از میکرودیتا</h3>'
        '<time itemprop="datePublished" datetime="2018-07-23T10:00:00+04:30">۱ مرداد</time>'
        '<meta itemprop="keywords" content="الف,ب"></div>',
        head='<script type="application/ld+json">{"@type": ["NewsArticle"], '
        '"articleBody": "بند یک.\\n\\n  بند دو.  "}</script>',
    )
    found = reading.article
    assert (found.title, found.published_at_raw, found.tags) == (
        "عنوان از میکرودیتا",
        "2018-07-23T10:00:00+04:30",
        ["الف", "ب"],
    )
    assert found.body == "بند یک.\n\nبند دو."
    assert dated_article(found).published_at == "2018-07-23T10:00:00+04:30"


def test_metadata_that_is_not_an_article_makes_no_article() -> None:
    head = (
        '<meta property="og:title" content="خبرگزاری"><meta property="og:type" content="website">'
        '<script type="application/ld+json">{"@type": "WebSite", "name": "خبرگزاری"</script>'
    )
    with pytest.raises(NotAnArticle):
        read('<div class="box">متن</div>', head=head)


def test_broken_json_ld_is_ignored() -> None:
    reading = read(
        '<div class="body">متن</div>',
        head='<meta property="og:type" content="article"><meta property="og:title" content="ع">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>',
    )
    assert reading.sources["title"] == FieldSource("metadata", "meta:og:title")


def test_a_jalali_year_in_iso_form_is_read_as_the_jalali_date_it_is() -> None:
    # Some sites write their Jalali time in datePublished; 1402 cannot be a Gregorian year,
    # and the date parser reads 9 Khordad 1402, 12:27 at +03:30 (site-notes.md's example).
    article = read('<div class="body">متن</div><h1 class="title">ع</h1>').article
    dated = dated_article(replace(article, published_at_raw="1402-03-09T12:27:00+03:30"))
    assert dated.published_at == "2023-05-30T12:27:00+03:30"


@pytest.mark.parametrize(
    "raw",
    [
        "2023-05-30T10:00:00",  # no offset: in which zone?
        "2023-02-30T10:00:00Z",  # no such day
    ],
)
def test_metadata_times_without_a_gregorian_moment_are_refused(raw: str) -> None:
    article = read('<div class="body">متن</div><h1 class="title">ع</h1>').article
    with pytest.raises(JalaliDateError):
        dated_article(replace(article, published_at_raw=raw))


def test_every_family_selector_is_answered_from_the_class_index() -> None:
    indexed = IndexedPage(page(FAMILY_THEME), ArticleSelectors())
    with pytest.raises(NotIndexed):
        indexed.select(".news-title")
    html = page(FAMILY_THEME + "<h1>یک</h1><article><h1>دو</h1><div><h1>سه</h1></div></article>")
    indexed = IndexedPage(html, ArticleSelectors(), family_selectors())
    parsed = Selector(text=html, type="html")
    for selector in family_selectors():
        assert [lxml_html.tostring(e) for e in indexed.select(selector)] == [
            lxml_html.tostring(found.root) for found in parsed.css(selector)
        ], selector
    [wrapper] = indexed.select("article")
    assert [e.text for e in indexed.select("h1", within=wrapper)] == ["دو", "سه"]
    assert set(FAMILY_ALTERNATIVES) <= set(READ_FIELDS)
    assert set(METADATA_KEYS) <= set(READ_FIELDS)


def snapshot_articles() -> list[tuple[str, str]]:
    truth = json.loads((SNAPSHOT / "truth.json").read_text(encoding="utf-8"))
    return [
        (
            (SNAPSHOT / "site" / "news" / f"{news_id}.html").read_text(encoding="utf-8"),
            f"https://www.iribnews.ir{article['linked_as']}",
        )
        for news_id, article in sorted(truth["articles"].items())
    ]


@dataclass(frozen=True)
class FixtureArticle:
    html: str
    url: str
    profile: SiteProfile
    served_on: date | None


def fixture_articles() -> list[FixtureArticle]:
    """Every article page of the fixture sites that have a profile (tests/sites/<site>[-2025]),
    with the day it was served, which picks its theme (tests/sites/README.md)."""
    pages = []
    for expected_path in sorted(SITES.glob("*/news/*.json")):
        site = expected_path.parent.parent.name.removesuffix("-2025")
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        if site in PROFILES and "article" in expected:
            pages.append(
                FixtureArticle(
                    expected_path.with_suffix(".html").read_text(encoding="utf-8"),
                    expected["url"],
                    PROFILES[site],
                    date.fromisoformat(expected["served_on"]) if "served_on" in expected else None,
                )
            )
    return pages


def test_fallbacks_only_fill_what_the_profile_leaves_empty() -> None:
    pages = [FixtureArticle(html, url, IRIBNEWS, None) for html, url in snapshot_articles()]
    pages += fixture_articles()
    assert len(pages) >= 80
    for page in pages:
        options: dict[str, Any] = {"crawled_at": NOW, "served_on": page.served_on}
        reading = read_article(page.html, page.url, page.profile, **options)
        without = read_article(page.html, page.url, page.profile, fallbacks=False, **options)
        for name in READ_FIELDS:
            value = getattr(without.article, name)
            if value not in (None, "", []):
                assert getattr(reading.article, name) == value, (page.url, name)
                assert reading.sources[name].level in ("profile", "url"), (page.url, name)


def test_the_snapshot_is_read_by_its_profile_alone() -> None:
    for html, url in snapshot_articles():
        reading = read_article(html, url, IRIBNEWS, crawled_at=NOW)
        assert {source.level for source in reading.sources.values()} == {"profile"}, url


def write_site(root: Path) -> None:
    """A home page and three articles: one in the CMS's default markup, two in the family's
    alternative classes (which the iribnews profile does not name)."""
    (root / "news").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    links = "".join(
        f'<li class="news-item"><a href="/fa/news/{n}">خبر {n}</a></li>' for n in (1, 2, 3)
    )
    (root / "home.html").write_text(page(f'<ul id="js-news">{links}</ul>'), encoding="utf-8")
    default = (  # as IRIB News writes it in 2018 and 2024-25 alike
        '<div class="news_nav news_id_c col-sm-10 col-xs-11">۱</div>'
        '<div class="news_nav news_pdate_c col-sm-16 col-xs-25">۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷</div>'
        '<h1 class="title title_news"><span>عنوان خبر یک</span></h1>'
        '<div class="body body_media_content_show"><div>متن خبر یک.</div></div>'
    )
    (root / "news" / "1.html").write_text(page(default), encoding="utf-8")
    for n in (2, 3):
        (root / "news" / f"{n}.html").write_text(page(FAMILY_THEME), encoding="utf-8")


@pytest.mark.e2e
def test_a_crawl_reports_where_fields_were_read_and_records_do_not(tmp_path: Path) -> None:
    write_site(tmp_path / "site")
    crawl = crawl_snapshot(
        tmp_path / "data", root=tmp_path / "site", spider_args={"sources": "front"}
    )
    assert crawl.returncode == 0, crawl.log
    articles = crawl.records("article")
    assert sorted((a["news_id"], a["title"]) for a in articles) == [
        (1, "عنوان خبر یک"),
        (2, "بررسی لایحه بودجه در کمیسیون"),
        (3, "بررسی لایحه بودجه در کمیسیون"),
    ]
    for record in articles:
        validate_record(record)  # no field beyond the schema's
    read_by = crawl.report()["coverage"]["read_by"]
    assert read_by["title"] == {"profile": 1, "family": 2, "metadata": 0, "url": 0}
    assert read_by["news_id"] == {"profile": 1, "family": 0, "metadata": 0, "url": 2}
    assert read_by["tags"] == {"profile": 0, "family": 2, "metadata": 0, "url": 0}
    # Once per run and field, not per page.
    assert crawl.log.count("title read by the CMS family's alternative (.news-title)") == 1
    assert crawl.log.count("news_id read by the URL") == 1
    assert "Fields read by fallbacks, not by the profile (pages): news_id url 2, " in crawl.log


def test_a_family_site_without_a_profile_is_read_exactly() -> None:
    """tests/sites/family-2025/: a theme no profile names, built from the family's alternative
    classes and page metadata, on a host with no profile: the CMS defaults and the fallbacks
    read at least 99% of its expected facts exactly (parser and record steps, as a crawl)."""
    family = SITES / "family-2025"
    profile = SiteProfile(
        name="aftabnews",
        home_url="https://www.aftabnews.ir/",
        hosts=("www.aftabnews.ir", "aftabnews.ir"),
    )
    scores = []
    for expected_path in sorted(family.rglob("*.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        html = expected_path.with_suffix(".html").read_text(encoding="utf-8")
        reading = read_page(html, expected["url"], profile, now=NOW)
        assert reading.kind == ("article" if "article" in expected else "front"), expected_path
        scores += score(reading.facts, expected)
    assert len(scores) > 100
    exact = sum(field.correct for field in scores) / len(scores)
    assert exact >= 0.99, [field.name for field in scores if not field.correct]
