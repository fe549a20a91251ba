"""The sites' themes of today and before, on small pages written here from the evidence
(../shared/evidence/live-themes.md): what each theme reads, and what it leaves alone. The fixture
sites (tests/test_sites.py) cover whole pages of each theme."""

from datetime import date

import pytest

from newsbot.extract.article import FieldSource, NotAnArticle, parse_article, read_article
from newsbot.extract.frontpage import parse_front_page
from newsbot.extract.listed import ListedArticle, parse_archive_page
from newsbot.sites.profiles import (
    ASRIRAN,
    BASIJNEWS,
    ENTEKHAB,
    IRIBNEWS,
    KAYHAN,
    PROFILES,
    TABNAK,
    YJC,
    SiteProfile,
)

NOW = "2026-11-26T10:00:00+00:00"
TODAY = date(2026, 11, 26)


def page(body: str) -> str:
    return (
        f'<html lang="fa" dir="rtl"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    )


def article_on(profile: SiteProfile, body: str, day: date = TODAY, news_id: int = 5):  # type: ignore[no-untyped-def]
    url = f"{profile.home_url}fa/news/{news_id}"
    return parse_article(page(body), url, profile, crawled_at=NOW, served_on=day)


def test_each_earlier_theme_ends_the_day_its_successor_begins() -> None:
    for profile in PROFILES.values():
        for dated in profile.earlier_themes:
            last_day = date.fromordinal(dated.valid_until.toordinal() - 1)
            assert profile.theme_on(last_day) is dated.theme
            assert profile.theme_on(dated.valid_until) is not dated.theme


def test_the_day_a_theme_begins_is_the_first_of_the_year_the_evidence_shows_it() -> None:
    begins = {
        name: [dated.valid_until for dated in profile.earlier_themes]
        for name, profile in PROFILES.items()
    }
    assert begins == {
        "iribnews": [date(2024, 1, 1)],
        "kayhan": [date(2025, 1, 1)],
        "fardanews": [],
        "bartarinha": [],
        "asriran": [date(2019, 1, 1)],
        "basijnews": [date(2019, 1, 1)],
        "yjc": [date(2023, 1, 1)],
        "tabnak": [date(2019, 1, 1)],
        "entekhab": [date(2018, 1, 1)],
    }


IRIB_TOOLBAR = (
    '<div class="news_nav news_id_c col-sm-10 col-xs-11"><span class="news_nav_title">کد خبر: </span>۵۵۰۰۰۰۱</div>'
    '<div class="news_nav news_pdate_c col-sm-16 col-xs-25"><span class="news_nav_title">تاریخ انتشار: </span>'
    "۰۲ آذر ۱۴۰۳ - ۰۹:۱۰</div>"
)


def test_iribnews_breadcrumb_today_and_before() -> None:
    body = (
        IRIB_TOOLBAR
        + '<div class="col-xs-36 col-ms-18 news_path2"><a href="/fa/social">اجتماعی</a> » <a href="/fa/social/1">شهری</a></div>'
        '<h1 class="title title_news"><span>عنوان</span></h1><div class="body"><div>متن</div></div>'
    )
    assert article_on(IRIBNEWS, body).section == ["اجتماعی", "شهری"]
    # The theme of 2018 knew no `.news_path2`: only the family fallback reads it then.
    url = f"{IRIBNEWS.home_url}fa/news/5"
    reading = read_article(page(body), url, IRIBNEWS, crawled_at=NOW, served_on=date(2023, 12, 31))
    assert reading.sources["section"] == FieldSource("family", ".news_path2 a")
    older = body.replace("news_path2", "news_path")
    assert article_on(IRIBNEWS, older).section == ["اجتماعی", "شهری"]


def test_iribnews_photo_and_video_pages() -> None:
    photo = article_on(
        IRIBNEWS,
        '<div class="news_nav news_id_c">۵۵۰۰۰۰۲</div>'
        '<div class="photo_pub_date"><span class="news_nav_title">تاریخ انتشار: </span>۰۲ آذر ۱۴۰۳ - ۰۹:۱۰</div>'
        '<h1 class="title title_news"><span>عکس روز</span></h1>'
        '<div class="photo_subtitle">شرح عکس‌ها.</div>'
        '<div class="photo_body"><p>متن خبر عکس.</p></div>'
        '<div class="news_album_main_part"><img src="/files/a.jpg" alt="یک"><img src="/files/b.jpg" alt="دو"></div>',
    )
    assert (photo.news_id, photo.title, photo.lead, photo.body) == (
        5500002,
        "عکس روز",
        "شرح عکس‌ها.",
        "متن خبر عکس.",
    )
    assert photo.published_at_raw == "۰۲ آذر ۱۴۰۳ - ۰۹:۱۰"
    assert [image["url"] for image in photo.images] == [
        "https://www.iribnews.ir/files/a.jpg",
        "https://www.iribnews.ir/files/b.jpg",
    ]
    video = article_on(
        IRIBNEWS,
        IRIB_TOOLBAR + '<div class="video_title">فیلم | رژه</div>'
        '<div class="video_content"><video src="/v.mp4"></video><p>شرح فیلم.</p></div>',
    )
    assert (video.title, video.body) == ("فیلم | رژه", "شرح فیلم.")
    # Before 2024 neither was a class of the theme: no title, no body.
    old_video = article_on(
        IRIBNEWS, IRIB_TOOLBAR + '<div class="video_title">فیلم</div>', date(2020, 1, 1)
    )
    assert (old_video.title, old_video.body) == ("", "")


KAYHAN_ARTICLE = (
    '<div class="col-md-26 margin_bt_fari"><div style="direction: rtl;">'
    '<div class="news_nav news_id_c"><span class="news_nav_title">کد خبر: </span>۳۱۰۰۰۱</div>'
    '<div class="news_nav news_pdate_c"><span class="fa fa-calendar"></span><span>تاریخ انتشار: </span>۰۱ آذر ۱۴۰۴ - ۱۰:۰۰</div>'
    '<div class="news_nav news_cat_c"><span class="fa fa-folder"></span><span>سرویس: </span>سیاسی</div>'
    '<h1 class="title">عنوان کیهان</h1><div class="body"><p>متن.</p></div>'
    "</div></div>"
    # The sidebar: another .margin_bt_fari, without the article's style.
    '<div class="margin_bt_fari sidebar"><h1 class="title">ستون کناری</h1><div class="body">تبلیغ</div></div>'
)


def test_kayhan_article_inside_its_styled_div_and_its_section_without_labels() -> None:
    found = article_on(KAYHAN, KAYHAN_ARTICLE)
    assert (found.news_id, found.title, found.body) == (310001, "عنوان کیهان", "متن.")
    assert found.section == ["سیاسی"]
    assert found.published_at_raw == "۰۱ آذر ۱۴۰۴ - ۱۰:۰۰"


MISSING = (
    '<div class="margin_bt_fari"><div class="error_container"><div class="error_icon"></div>'
    '<p>صفحه درخواستی شما موجود نمی باشد</p><a href="/">بازگشت</a></div></div>'
    '<div class="sp_ln_news"><div class="sp_ln_box_title">آخرین اخبار</div></div>'
)


def test_kayhans_page_for_a_missing_article_is_dropped_with_its_own_reason() -> None:
    with pytest.raises(NotAnArticle) as caught:
        article_on(KAYHAN, MISSING)
    assert (caught.value.reason, caught.value.url) == (
        "missing_article",
        "https://kayhan.ir/fa/news/5",
    )
    # Only Kayhan's theme of today names that page; elsewhere it is a page without an article.
    with pytest.raises(NotAnArticle) as caught:
        article_on(KAYHAN, MISSING, date(2024, 6, 1))
    assert caught.value.reason == "not_an_article"
    with pytest.raises(NotAnArticle) as caught:
        article_on(TABNAK, MISSING)
    assert caught.value.reason == "not_an_article"


def test_an_article_that_mentions_the_error_box_class_in_its_text_is_read() -> None:
    found = article_on(KAYHAN, KAYHAN_ARTICLE.replace("<p>متن.</p>", "<p>error_container</p>"))
    assert found.body == "error_container"


def test_asriran_title_is_the_bare_h1_inside_its_article_not_the_sites_name() -> None:
    found = article_on(
        ASRIRAN,
        '<div class="logo"><h1>عصر ایران</h1></div>'
        '<div class="col1-news"><div class="news_nav news_pdate_c">'
        "۰۸ مرداد ۱۴۰۳ - ۱۰:۲۰ <span>29 July 2024</span></div>"
        '<h1>عنوان عصر ایران</h1><div class="subtitle">لید.</div><div class="body"><p>متن.</p></div></div>',
    )
    assert (found.title, found.lead, found.body) == ("عنوان عصر ایران", "لید.", "متن.")
    assert found.published_at_raw == "۰۸ مرداد ۱۴۰۳ - ۱۰:۲۰"


def test_basijnews_reads_its_article_only_inside_page() -> None:
    body = (
        '<div class="sidebar"><div class="subtitle">لید ستون کناری</div></div>'
        '<div class="page"><h1 class="title">عنوان</h1><div class="subtitle">لید خبر</div>'
        '<div class="body"><p>متن.</p></div></div>'
    )
    found = article_on(BASIJNEWS, body)
    assert (found.title, found.lead) == ("عنوان", "لید خبر")
    with pytest.raises(NotAnArticle):
        article_on(BASIJNEWS, body.replace('class="page"', 'class="main"'))


def test_yjc_own_theme_and_its_republished_items() -> None:
    date_box = (
        '<div class="details-box-news"><div class="photo-newspage-date"><i class="fa"></i> '
        '<span class="date-color-news">۱۶ مهر ۱۴۰۳ - ۰۷:۵۵</span></div></div>'
    )
    own = article_on(
        YJC,
        '<div class="news-box">' + date_box + '<h1 class="title-news">عنوان</h1>'
        '<div class="news_body_serv2"><div><strong class="news_strong">لید.</strong></div>'
        '<div class="baznashr-body"><p>متن.</p></div></div>'
        '<div class="path_bottom_body"><a href="/fa/services/8">فرهنگی</a> <a href="/fa/services/8/1">کتاب</a></div></div>',
    )
    assert (own.title, own.lead, own.body) == ("عنوان", "لید.", "متن.")
    assert own.section == ["فرهنگی", "کتاب"]
    assert own.published_at_raw == "۱۶ مهر ۱۴۰۳ - ۰۷:۵۵"
    republished = article_on(
        YJC,
        '<div class="news-box">' + date_box + '<h1 class="baznashr-title">بازنشر</h1>'
        '<div class="baznashr-subtitle">لید بازنشر.</div><div class="baznashr-body"><p>متن.</p></div></div>',
    )
    assert (republished.title, republished.lead) == ("بازنشر", "لید بازنشر.")
    # YJC of 2018: the CMS's markup, its lead in div.subtitle > h2 > strong.news_strong.
    old = article_on(
        YJC,
        '<div class="news_pdate_c">۰۱ مهر ۱۳۹۶ - ۱۰:۰۰</div><h1 class="title">عنوان</h1>'
        '<div class="news_body_con"><div class="subtitle"><h2 class="Htags_news_subtitle">'
        '<strong class="news_strong">لید قدیم.</strong></h2></div><div class="body"><p>متن.</p></div></div>',
        date(2017, 9, 23),
    )
    assert (old.title, old.lead, old.published_at_raw) == (
        "عنوان",
        "لید قدیم.",
        "۰۱ مهر ۱۳۹۶ - ۱۰:۰۰",
    )


def test_entekhab_body_without_its_inline_ad() -> None:
    found = article_on(
        ENTEKHAB,
        '<div class="news_nav news_pdate_c">تاریخ انتشار: ۰۹:۰۰ - ۱۸ مهر ۱۴۰۲</div>'
        '<h1>عنوان انتخاب</h1><div class="subtitle">لید.</div>'
        '<div class="khabar-matn"><p>بند یک.</p><div class="ad"><script>show_ad("x")</script></div>'
        "<p>بند دو.</p></div>",
    )
    assert (found.title, found.lead) == ("عنوان انتخاب", "لید.")
    assert found.body == "بند یک.\n\nبند دو."


def test_tabnak_article_theme() -> None:
    found = article_on(
        TABNAK,
        '<div class="gutter_news"><div class="news_nav">کد خبر: <span class="news_id">۱۲۳۴۵۶</span></div>'
        '<div class="news_nav"><span class="fa_date">۰۹ تير ۱۴۰۱ - ۰۹:۱۹</span> <span class="en_date">30 June 2022</span></div>'
        '<div class="news_nav news_hits visible-xs"><i class="fa fa-eye"></i> <span>۴۲</span></div>'
        '<div class="news_path"><a href="/">صفحه نخست</a> <span>»</span> <a href="/fa/services/24">سیاسی</a></div>'
        '<h1 class="Htag">عنوان تابناک</h1><div id="newsMainBody"><p>متن.</p></div></div>',
    )
    assert (found.news_id, found.title, found.body, found.views) == (
        123456,
        "عنوان تابناک",
        "متن.",
        42,
    )
    assert found.published_at_raw == "۰۹ تير ۱۴۰۱ - ۰۹:۱۹"
    assert found.section == ["سیاسی"]


def tabs(pane_prefix: str, visibility: str) -> str:
    """Tabnak's lists as bootstrap tabs; the mobile copy uses other pane ids."""
    return (
        f'<div class="box {visibility}"><ul class="nav nav-tabs">'
        f'<li><a href="#{pane_prefix}_aa" data-toggle="tab">جدیدترین اخبار</a></li>'
        f'<li><a href="#{pane_prefix}_bb" data-toggle="tab">پربازدید ها</a></li>'
        f'<li><a href="#{pane_prefix}_cc" data-toggle="tab">پربحث ترین عناوین</a></li></ul>'
        f'<div class="tab-content"><div id="{pane_prefix}_aa"><a href="/fa/news/1">یک</a><a href="/fa/news/2">دو</a></div>'
        f'<div id="{pane_prefix}_bb"><a href="/fa/news/2">دو</a></div>'
        f'<div id="{pane_prefix}_cc"><ul><li><a href="/fa/news/3">سه</a>&nbsp;<span>(۱۱۳ نظر)</span></li></ul></div>'
        "</div></div>"
    )


def test_tabnak_lists_shown_twice_are_snapshotted_once_with_their_comment_counts() -> None:
    html = page(tabs("tab1", "hidden-xs") + tabs("tab", "visible-xs"))
    lists = [
        (x.block, x.list, [(e["news_id"], e["title"], e["comment_count"]) for e in x.entries])
        for x in parse_front_page(html, "https://www.tabnak.ir/", TABNAK, captured_at=NOW).listings
    ]
    assert lists == [
        ("tabs", "latest", [(1, "یک", None), (2, "دو", None)]),
        ("tabs", "most_viewed", [(2, "دو", None)]),
        ("tabs", "most_discussed", [(3, "سه", 113)]),
    ]


# Archive pages as real sites served them (evidence, "Archive pages"): 100 entries a page,
# no date per entry, a pager.
TABNAK_2014_ARCHIVE = page(
    '<div class="archive_content">'
    '<div class="linear_news"><a class="title5" href="http://www.tabnak.ir/fa/news/400001/یک">\n   یک   \n</a></div>'
    '<div class="linear_news"><a class="title5" href="http://www.tabnak.ir/fa/news/400002/دو"> دو </a></div>'
    "</div>"
    '<div id="pager">صفحه ۱ از ۳۹۳۲ <a class="next" href="/fa/archive?rpp=100&amp;p=2">►</a></div>'
    '<div class="sp_ln_news"><div class="linear_news"><a class="title5" href="/fa/news/9">ستون کناری</a></div></div>'
)


def test_tabnak_archive_entries_without_dates() -> None:
    url = "http://www.tabnak.ir/fa/archive?rpp=100&p=1"
    for day in (date(2014, 5, 24), TODAY):
        archive = parse_archive_page(TABNAK_2014_ARCHIVE, url, TABNAK, served_on=day)
        assert archive.entries == [
            ListedArticle("http://www.tabnak.ir/fa/news/400001/%DB%8C%DA%A9", 400001, "یک", None),
            ListedArticle("http://www.tabnak.ir/fa/news/400002/%D8%AF%D9%88", 400002, "دو", None),
        ]
        assert not archive.last_page  # the pager's a.next «►»
    today = TABNAK_2014_ARCHIVE.replace(
        '<div id="pager">صفحه ۱ از ۳۹۳۲ <a class="next" href="/fa/archive?rpp=100&amp;p=2">►</a></div>',
        '<ul class="pagination"><li><a href="/fa/archive?rpp=100&amp;p=2">►</a></li></ul>',
    )
    assert not parse_archive_page(today, url, TABNAK, served_on=TODAY).last_page
    archive = TABNAK.theme.archive
    assert (archive.per_page_param, archive.per_page) == ("rpp", 100)


def test_asriran_older_archive_of_bare_links_without_its_ticker() -> None:
    html = page(
        '<ul id="js-news"><li class="news-item"><a href="/fa/news/7">تیتر</a></li></ul>'
        '<img src="/dot.gif"><a class="title4" href="http://www.asriran.com/fa/news/300001">یک</a><br>'
        '<img src="/dot.gif"><a class="title4" href="http://www.asriran.com/fa/news/300002">دو</a><br>'
        '<div id="pager"><a class="next" href="/fa/archive?p=2">►</a></div>'
    )
    url = "http://www.asriran.com/fa/archive?p=1"
    entries = parse_archive_page(html, url, ASRIRAN, served_on=date(2014, 5, 24)).entries
    assert [(entry.news_id, entry.title, entry.published) for entry in entries] == [
        (300001, "یک", None),
        (300002, "دو", None),
    ]


def test_entekhab_archive_links() -> None:
    html = page(
        '<div class="archive_content"><div class="x"><a class="title5" href="/fa/news/500001">یک</a></div>'
        '<a class="title5" href="/fa/news/500002">دو</a><a href="/fa/news/500003">عکس</a></div>'
    )
    entries = parse_archive_page(
        html, "https://www.entekhab.ir/fa/archive", ENTEKHAB, served_on=TODAY
    ).entries
    assert [(entry.news_id, entry.published) for entry in entries] == [
        (500001, None),
        (500002, None),
    ]
