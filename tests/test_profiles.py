"""The site profiles as data: one spider per site, hosts, list headings, and dated themes."""

from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from newsbot.extract.article import NotAnArticle, parse_article
from newsbot.sites.profiles import (
    IRIBNEWS,
    PROFILES,
    ArticleSelectors,
    DatedTheme,
    Theme,
    list_kind_from_heading,
    profile_for_url,
)
from newsbot.sites.urls import article_copy_kind, is_issue_url
from newsbot.tools.cli import main

THEMES = Path(__file__).parent / "sites" / "themes"
NOW = "2026-11-26T10:00:00+00:00"

SITES = [
    "iribnews", "kayhan", "bartarinha", "fardanews", "asriran", "basijnews", "yjc", "tabnak",
    "entekhab",
]  # fmt: skip


def spider_loader() -> SpiderLoader:
    settings = Settings()
    settings.setmodule("newsbot.settings")
    return SpiderLoader.from_settings(settings)


def test_one_spider_per_site_named_after_its_profile() -> None:
    loader = spider_loader()
    # And one for any site of the family (tests/test_family.py).
    assert sorted(loader.list()) == sorted([*PROFILES, "iransamaneh"])
    assert sorted(PROFILES) == sorted(SITES)
    for name in SITES:
        assert loader.load(name).profile is PROFILES[name]


@pytest.mark.parametrize("name", SITES)
def test_a_site_is_named_by_the_first_label_of_its_domain(name: str) -> None:
    profile = PROFILES[name]
    host = urlsplit(profile.home_url).hostname or ""
    assert profile.name == name == host.removeprefix("www.").split(".")[0]
    assert profile.home_url == f"https://{host}/"
    assert host in profile.hosts
    # The site answers with and without www; links use both.
    assert {h.removeprefix("www.") for h in profile.hosts} == {
        h for h in profile.hosts if not h.startswith("www.")
    }


@pytest.mark.parametrize("name", SITES)
def test_every_host_of_a_site_maps_to_its_profile_and_onto_a_mirror(name: str) -> None:
    profile = PROFILES[name]
    spider = spider_loader().load(name)(base_url="http://127.0.0.1:8000")
    for host in profile.hosts:
        assert profile_for_url(f"https://{host}/fa/news/1") is profile
        assert spider.scope.to_fetch(f"http://{host}/fa/news/1/x") == (
            "http://127.0.0.1:8000/fa/news/1/x"
        )
    assert spider.scope.home_url == "http://127.0.0.1:8000/"


ZWNJ = "\u200c"


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        # Headings seen on real pages (../shared/evidence, site-notes.md).
        ("آخرین اخبار", "latest"),
        ("جدیدترین اخبار", "latest"),
        ("آخرین خبرها", "latest"),
        ("تازه های خبر", "latest"),
        ("اخبار لحظه به لحظه", "latest"),
        ("پربازدیدها", "most_viewed"),
        ("پربازدید ها", "most_viewed"),
        ("پربازدید ترین", "most_viewed"),
        (f"پربازدیدترین{ZWNJ}ها", "most_viewed"),
        ("پربیننده ها", "most_viewed"),
        ("پربیننده ترین", "most_viewed"),
        ("پر بحث ترین ها", "most_discussed"),
        ("پربحث ترین", "most_discussed"),
        ("پربحث ترین عناوین", "most_discussed"),
        ("پر نظرترین", "most_discussed"),
        # The same words, otherwise spaced, joined or spelt.
        (" آخرین  اخبار ", "latest"),
        ("آخریناخبار", "latest"),
        ("اخرین اخبار", "latest"),  # alef without madda
        ("آخرين خبرها", "latest"),  # Arabic yeh
        (f"تازه{ZWNJ}های خبر", "latest"),
        (f"تازه{ZWNJ}هاي خبر", "latest"),
        (f"جدید{ZWNJ}ترین{ZWNJ}اخبار", "latest"),
        ("جديدترين اخبار", "latest"),
        (f"پربیننده{ZWNJ}ترین", "most_viewed"),
        (f"پر{ZWNJ}بازدید{ZWNJ}ترین{ZWNJ}ها", "most_viewed"),
        (f"پربحث{ZWNJ}ترین{ZWNJ}ها", "most_discussed"),
        ("پربحث\u200cترين عناوين", "most_discussed"),
        ("پُربازدیدها", "most_viewed"),  # a vowel mark
        ("پربازدیدها:", "most_viewed"),
        ("« آخرین اخبار »", "latest"),
        ("پربـازدیدها", "most_viewed"),  # tatweel
        # Other words of the same meaning.
        ("آخرین عناوین", "latest"),
        ("آخرین مطالب", "latest"),
        ("آخرین ها", "latest"),
        ("جدیدترین", "latest"),
        ("تازه ترین ها", "latest"),
        ("تازه ترین خبرها", "latest"),
        ("تازه ها", "latest"),
        ("خبرهای تازه", "latest"),
        ("اخبار جدید", "latest"),
        ("پرخواننده ترین ها", "most_viewed"),
        ("پرمخاطب ترین اخبار", "most_viewed"),
        ("اخبار پربازدید", "most_viewed"),
        ("مطالب پربیننده", "most_viewed"),
        ("پربحث", "most_discussed"),
        ("پرنظرها", "most_discussed"),
        ("پر بحث ترین اخبار", "most_discussed"),
        ("خبرهای پربحث", "most_discussed"),
        # Boxes that are not ranked lists, and comment forms.
        ("تیتر امروز", None),
        ("پیشنهاد سردبیر", None),
        ("اخبار ویژه", None),
        ("ویدئو", None),
        ("اخبار منتخب استانها", None),
        ("نظر شما", None),
        ("دیدگاه تان را بنویسید", None),
        ("نظرات بینندگان", None),
        ("پیشخوان", None),
        ("عناوین این صفحه", None),
        ("اخبار", None),
        ("خبر", None),
        ("تازه", None),
        ("آخرین", None),  # a pager's link to the last page
        ("« آخرین", None),
        ("جدید", None),
        ("پر", None),
        ("ترین", None),
        ("بازدید", None),
        ("۱۲۳ بازدید", None),
        ("۱۴ نظر", None),
        ("", None),
        # A word more makes another list: a section's, a period's, a medium's.
        ("آخرین اخبار ورزشی", None),
        ("آخرین اخبار استانها", None),
        ("آخرین ویدئوها", None),
        ("پربازدیدترین های هفته", None),
        ("پربیننده ترین فیلم ها", None),
        ("پربحث ترین های امروز", None),
        ("اخبار پربازدید و پربحث", None),
        ("آخرین اخبار پربازدید", None),
        ("آخرین اخبار آرشیو", None),
    ],
)
def test_lists_are_recognised_by_the_words_of_their_heading(heading: str, kind: str | None) -> None:
    assert list_kind_from_heading(heading) == kind


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/fa/issue/1245/1", True),
        ("/fa/issue/1245/12/", True),
        ("/fa/issue/1245", False),
        ("/fa/issue", False),
        ("/fa/news/1245/1", False),
    ],
)
def test_print_issue_pages(path: str, expected: bool) -> None:
    assert is_issue_url("https://kayhan.ir" + path) is expected


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/fa/print/128705", "print"),
        ("/fa/send/128705", "send"),
        ("/fa/save/128705/", "save"),
        ("/fa/report/128705", "report"),
        ("/fa/news/128705", None),
        ("/fa/print", None),
        ("/fa/printing/1", None),
    ],
)
def test_copies_of_an_article(path: str, kind: str | None) -> None:
    assert article_copy_kind("https://kayhan.ir" + path) == kind


# A site that, hypothetically, redesigned its article pages on 1 Farvardin 1400 (2021-03-21).
OLD_THEME = ArticleSelectors(
    news_id=".news_code",
    published=".news_date",
    kicker=".news_rutitr",
    title="h2.news_title",
    lead=".news_lead",
    body=".news_text",
)
REDESIGNED = replace(
    IRIBNEWS,
    earlier_themes=(DatedTheme(valid_until=date(2021, 3, 21), theme=Theme(article=OLD_THEME)),),
)


def themed_page(name: str) -> str:
    return (THEMES / f"{name}.html").read_text(encoding="utf-8")


def test_a_page_is_read_with_the_theme_of_the_day_it_was_served() -> None:
    old_url = "https://www.iribnews.ir/fa/news/2600001"
    old = parse_article(
        themed_page("old"), old_url, REDESIGNED, crawled_at=NOW, served_on=date(2019, 10, 4)
    )
    assert (old.news_id, old.title, old.kicker) == (
        2600001,
        "بازگشایی مدارس با شیوه\u200cنامه تازه",
        "وزیر آموزش و پرورش:",
    )
    assert old.published_at_raw == "۱۲ مهر ۱۳۹۸ - ۰۹:۳۰"
    assert old.lead == "مدارس از شنبه با شیوه\u200cنامه بهداشتی تازه باز می\u200cشوند."
    assert old.body.count("\n\n") == 1
    # Without a day, the day of the crawl decides: a crawl of 2020 sees the old theme.
    crawled_2020 = parse_article(
        themed_page("old"), old_url, REDESIGNED, crawled_at="2020-05-01T08:00:00+00:00"
    )
    assert crawled_2020 == replace(old, crawled_at="2020-05-01T08:00:00+00:00")

    new = parse_article(
        themed_page("new"), "https://www.iribnews.ir/fa/news/3900501", REDESIGNED, crawled_at=NOW
    )
    assert (new.news_id, new.title) == (3900501, "آغاز ثبت\u200cنام پیش\u200cدبستانی\u200cها")
    assert new.published_at_raw == "۰۳ خرداد ۱۴۰۳ - ۱۱:۰۰"


def test_the_wrong_theme_finds_no_article() -> None:
    with pytest.raises(NotAnArticle):
        parse_article(
            themed_page("old"),
            "https://www.iribnews.ir/fa/news/2600001",
            REDESIGNED,
            crawled_at=NOW,
        )
    with pytest.raises(NotAnArticle):
        parse_article(
            themed_page("new"),
            "https://www.iribnews.ir/fa/news/3900501",
            REDESIGNED,
            crawled_at=NOW,
            served_on=date(2020, 1, 1),
        )


def test_profile_check_reads_saved_pages_with_the_theme_of_their_day(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(PROFILES, "iribnews", REDESIGNED)
    old = str(THEMES / "old.html")
    assert main(["profile", "check", "iribnews", old, "--served-on", "2019-10-04"]) == 0
    assert "found    title                بازگشایی مدارس" in capsys.readouterr().out
    assert main(["profile", "check", "iribnews", old]) == 1
    assert "MISSING  article markup" in capsys.readouterr().out


def test_themes_must_be_listed_oldest_first() -> None:
    themes = (
        DatedTheme(valid_until=date(2022, 1, 1), theme=Theme(article=OLD_THEME)),
        DatedTheme(valid_until=date(2021, 1, 1), theme=Theme(article=OLD_THEME)),
    )
    with pytest.raises(ValueError, match="oldest first"):
        replace(IRIBNEWS, earlier_themes=themes)
