"""Parser tests on small pages written here, one behaviour each. The bundled snapshot site
(tests/test_crawl.py) and the real pages (tests/test_real_pages.py) cover whole pages."""

from datetime import date

import pytest

from newsbot.extract.article import NotAnArticle, parse_article
from newsbot.extract.frontpage import HEADING_BLOCK, parse_front_page
from newsbot.sites.profiles import FARDANEWS, IRIBNEWS, KAYHAN

URL = "http://www.iribnews.ir/fa/news/3900001/slug"
NOW = "2026-11-26T10:00:00+00:00"


def page(body: str) -> str:
    return (
        f'<html lang="fa" dir="rtl"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    )


def article(body: str, url: str = URL):  # type: ignore[no-untyped-def]
    return parse_article(page(body), url, IRIBNEWS, crawled_at=NOW)


TOOLBAR = (
    '<div class="news_nav news_id_c col-sm-10"><span class="news_nav_title">کد خبر: </span>۳۹۰۰۰۰۱</div>'
    '<div class="news_nav news_pdate_c col-xs-25"><span class="news_nav_title">تاریخ انتشار: </span>'
    "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷</div>"
)


def test_fields_of_an_article_page() -> None:
    found = article(
        TOOLBAR
        + '<div class="news_nav news_hits"><span class="news_nav_title">بازدید: </span>۱۲۴۵</div>'
        '<div class="news_nav news_comments"><a href="#comments">۳ نظر</a></div>'
        '<div class="news_path"><a href="/fa/social">اجتماعی</a> <span>»</span> <a href="/fa/services/7/316">جامعه و شهری</a></div>'
        '<div class="rutitr">روتیتر:</div><h1 class="title title_news"><span>عنوان خبر</span></h1>'
        '<p class="subtitle">لید خبر.</p><div class="body body_media_content_show"><p>بند یک.</p><p>بند دو.</p></div>'
        '<div class="tags_container"><div class="tags_title">برچسب ها: <a class="tags_item" href="/fa/tag/1/a">الف</a>،'
        '<a class="tags_item" href="/fa/tag/1/b">ب</a></div></div>'
    )
    assert found.site == "iribnews"
    assert found.url == URL
    assert found.news_id == 3900001
    assert found.published_at_raw == "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷"
    assert (found.views, found.comment_count) == (1245, 3)
    assert found.section == ["اجتماعی", "جامعه و شهری"]
    assert (found.kicker, found.title, found.lead) == ("روتیتر:", "عنوان خبر", "لید خبر.")
    assert found.body == "بند یک.\n\nبند دو."
    assert found.tags == ["الف", "ب"]
    assert found.crawled_at == NOW
    assert (found.published_at, found.published_at_jalali) == (None, None)  # the pipeline dates it


def test_optional_fields_absent_or_empty() -> None:
    found = article(
        TOOLBAR
        + '<div class="rutitr"> </div><h1 class="title">عنوان</h1><div class="body"><p>متن</p></div>'
    )
    assert (found.kicker, found.lead, found.views, found.comment_count) == (None, None, None, None)
    assert (found.section, found.tags, found.images) == ([], [], [])


def test_title_after_an_icon_in_a_link() -> None:
    found = article(
        '<h1 class="title"><a href="/fa/news/3900001"><i class="fa fa-circle"></i> عنوان دیگر </a></h1>'
    )
    assert found.title == "عنوان دیگر"


def test_title_and_body_are_never_glued_together() -> None:
    found = article(
        '<h1 class="title">تهران</h1><div class="body">به گزارش<div>بند</div>پایان</div>'
    )
    assert found.title == "تهران"
    assert found.body == "به گزارش\n\nبند\n\nپایان"


def test_body_paragraphs_from_divs_inline_elements_and_line_breaks() -> None:
    found = article(
        '<h1 class="title">ع</h1><div class="body">'
        '<div>به گزارش <strong>خبرگزاری</strong> صدا و <span style="color:red">سیما</span>، متن.</div>'
        "<div><br></div><h2>میان‌تیتر</h2><p>سطر یک<br>سطر دو</p>"
        "<script>var x = 'کد';</script><style>p{}</style><p><video src='/v.mp4'>ویدیو</video></p>"
        "<!-- یادداشت --><p>آخر<a href='/fa/tag/1/x'> پیوند</a></p></div>"
    )
    assert (
        found.body
        == "به گزارش خبرگزاری صدا و سیما، متن.\n\nمیان‌تیتر\n\nسطر یک\nسطر دو\n\nآخر پیوند"
    )


def test_html_whitespace_inside_paragraphs_is_one_space_but_zwnj_and_nbsp_stay() -> None:
    found = article(
        '<h1 class="title">ع</h1><div class="body"><p>می\u200cشود\n   گفت\u00a0که</p></div>'
    )
    # NBSP is the normaliser's to turn into a space; the parser keeps the text as shown.
    assert found.body == "می\u200cشود گفت\u00a0که"


def test_images_in_body_and_album_resolved_against_the_page() -> None:
    found = article(
        '<h1 class="title">ع</h1><div class="body"><p><img class="image_btn" src="/files/fa/news/1402/3/9/1_1.jpg" alt="عکس یک"></p>'
        '<p><img src="http://cdn.iribnews.ir/2.jpg"></p></div>'
        '<div class="album_content"><a href="#"><img src="3.jpg" alt=" "></a></div>'
    )
    assert found.images == [
        {"url": "http://www.iribnews.ir/files/fa/news/1402/3/9/1_1.jpg", "alt": "عکس یک"},
        {"url": "http://cdn.iribnews.ir/2.jpg", "alt": None},
        {"url": "http://www.iribnews.ir/fa/news/3900001/3.jpg", "alt": None},
    ]


def test_an_image_with_a_broken_attribute_name_still_gives_its_url() -> None:
    # Found by the fuzz test: lxml refuses to list an attribute whose name holds a control
    # character, so only the attributes that are read are asked for.
    found = article(
        '<h1 class="title">ع</h1><div class="body"><img \x1fclass="x" src="/1.jpg" alt="ب"></div>'
    )
    assert found.images == [{"url": "http://www.iribnews.ir/1.jpg", "alt": "ب"}]


def test_date_without_the_inner_gregorian_date() -> None:
    found = article(
        '<h1 class="title">ع</h1><div class="news_pdate_c"><span class="news_nav_title">تاریخ انتشار: </span>'
        '۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷<span class="en_date"> 2023-05-30</span></div>'
    )
    assert found.published_at_raw == "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷"


def test_date_wrapped_in_its_own_span() -> None:
    found = article(
        '<h1 class="title">ع</h1><div class="news_pdate_c"><span class="news_nav_title">تاریخ انتشار:</span><span> 1396/12/27 </span></div>'
    )
    assert found.published_at_raw == "1396/12/27"


@pytest.mark.parametrize("date_class", ["photo_pub_date", "photo_pdate"])
def test_photo_news_dates(date_class: str) -> None:
    found = article(
        f'<h1 class="title">ع</h1><div class="{date_class}"><span class="news_nav_title">تاریخ انتشار:</span> ۰۱ مرداد ۱۳۹۷ - ۱۰:۰۰</div>'
    )
    assert found.published_at_raw == "۰۱ مرداد ۱۳۹۷ - ۱۰:۰۰"


@pytest.mark.parametrize(
    ("markup", "views"),
    [
        ('<div class="news_hits"><span class="news_nav_title">بازدید: </span>۱۲۴۵</div>', 1245),
        ('<span class="news_hits">۵۸۱۶ بازدید</span>', 5816),
        ('<span class="news_hits">٥٨١٦ بازدید</span>', 5816),
        ('<span class="news_hits">بازدید: 1,245</span>', 1245),
        ('<span class="news_hits">بازدید: ۱٬۲۴۵</span>', 1245),
        ('<span class="news_hits">بازدید:</span>', None),
    ],
)
def test_view_counts(markup: str, views: int | None) -> None:
    assert article('<h1 class="title">ع</h1>' + markup).views == views


def test_news_id_from_the_page_wins_and_the_url_is_the_fallback() -> None:
    assert (
        article('<h1 class="title">ع</h1><div class="news_id_c">کد خبر: 123</div>').news_id == 123
    )
    assert article('<h1 class="title">ع</h1>').news_id == 3900001
    assert article('<h1 class="title">ع</h1>', url="http://x/some/file.html").news_id is None


def test_missing_body_comes_back_empty_for_validation_to_name() -> None:
    assert (
        article(TOOLBAR + '<h1 class="title">ع</h1><div class="body"> <p> </p> </div>').body == ""
    )


def test_a_page_without_article_markup_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle) as error:
        article('<div class="error">خبر مورد نظر یافت نشد</div>')
    assert error.value.reason == "not_an_article"
    assert URL in str(error.value)


FRONT = page(
    '<div id="nav3" class="nav_service"><ul>'
    '<li class="nav_link" id="service_1"><a href="http://www.iribnews.ir">صفحه نخست</a></li>'
    '<li class="nav_link"><a href="http://www.iribnews.ir/fa/political"><span>سیاسی</span></a></li>'
    '<li class="nav_link"><a href="/fa/services/6">اقتصادی</a></li>'
    '<li class="nav_link"><a href="/fa/archive">آرشیو</a></li></ul></div>'
    '<ul class="nav"><li class="dropdown navigation_header"><a href="/fa/services/7/316">شهری</a>'
    '<ul><li><a href="http://tabriz.iribnews.ir">تبریز</a></li><li><a href="/fa/sport/120">فوتبال</a></li></ul></li></ul>'
    '<a href="/fa/print/5">چاپ</a><a href="/fa/tag/1/x">برچسب</a>'
    '<ul id="js-news"><li class="news-item"><a href="/fa/news/1/a">یک</a></li>'
    '<li class="news-item"><a href="/fa/news/2/b">دو</a></li></ul>'
    '<div class="sp_ln_news"><div class="sp_ln_box_title">آخرین اخبار</div>'
    '<div class="sp_linear_news"><a class="sp_title1" href="/fa/news/3">سه</a></div>'
    '<div class="sp_linear_news"><a class="sp_title1" href="/fa/news/1/other-slug ">یک</a></div></div>'
    '<div class="sp_ln_news"><div class="sp_ln_box_title">پیشنهاد سردبیر</div>'
    '<a class="sp_title1" href="/fa/news/9">نه</a></div>'
    '<div class="tab_most"><ul><li><a href="#tab_a1" data-toggle="tab"><span>پربازدیدترین‌ها</span></a></li>'
    '<li><a href="#tab_b2" data-toggle="tab"><span>پر بحث ترین ها</span></a></li></ul>'
    '<div id="tab_a1"><h3 class="Htags"><a class="sp_title1" href="/fa/news/4" title="چهار"> چهار </a></h3>'
    '<h3 class="Htags"><a class="sp_title1" href="/fa/news/5">پنج</a></h3></div>'
    '<div id="tab_b2"><h3 class="Htags"><a class="sp_title1" href="/fa/news/6">شش  (۱۴ نظر)</a></h3>'
    '<h3 class="Htags"><a class="sp_title1" href="/fa/news/7">هفت (نظر بدهید)</a></h3>'
    '<h3 class="Htags"><a class="sp_title1" href="/fa/tag/1/x">برچسب</a></h3></div></div>'
)


def front():  # type: ignore[no-untyped-def]
    return parse_front_page(FRONT, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW)


def test_list_snapshots_in_page_order() -> None:
    found = {(listing.block, listing.list): listing for listing in front().listings}
    assert list(found) == [
        ("ticker", "latest"),
        ("sidebar", "latest"),
        ("tabs", "most_viewed"),
        ("tabs", "most_discussed"),
    ]
    ticker = found["ticker", "latest"]
    assert (ticker.site, ticker.page_url, ticker.captured_at) == (
        "iribnews",
        "http://www.iribnews.ir/",
        NOW,
    )
    assert [(e["rank"], e["news_id"], e["title"]) for e in ticker.entries] == [
        (1, 1, "یک"),
        (2, 2, "دو"),
    ]
    assert [e["news_id"] for e in found["sidebar", "latest"].entries] == [3, 1]
    assert (
        found["sidebar", "latest"].entries[1]["url"]
        == "http://www.iribnews.ir/fa/news/1/other-slug"
    )
    assert [(e["news_id"], e["title"]) for e in found["tabs", "most_viewed"].entries] == [
        (4, "چهار"),
        (5, "پنج"),
    ]
    discussed = found["tabs", "most_discussed"].entries
    assert [(e["rank"], e["news_id"], e["title"], e["comment_count"]) for e in discussed] == [
        (1, 6, "شش", 14),
        (2, 7, "هفت (نظر بدهید)", None),
    ]


def test_an_empty_pane_is_a_snapshot_without_entries_and_an_absent_block_is_none() -> None:
    html = page(
        '<div class="tab_most"><a href="#tab_a1" data-toggle="tab">پربازدیدها</a>'
        '<a href="#tab_b2" data-toggle="tab">پر بحث ترین ها</a><div id="tab_a1"></div><div id="tab_b2"></div></div>'
    )
    listings = parse_front_page(
        html, "http://www.iribnews.ir/fa/sport", IRIBNEWS, captured_at=NOW
    ).listings
    assert [(x.list, x.entries) for x in listings] == [("most_viewed", []), ("most_discussed", [])]


def test_links_to_follow() -> None:
    found = front()
    assert found.section_urls == [
        "http://www.iribnews.ir/fa/political",
        "http://www.iribnews.ir/fa/services/6",
        "http://www.iribnews.ir/fa/services/7/316",
        "http://www.iribnews.ir/fa/sport/120",
    ]
    assert [url.rsplit("/fa/news/", 1)[1] for url in found.article_urls] == [
        "1/a", "2/b", "3", "1/other-slug", "9", "4", "5", "6", "7",
    ]  # fmt: skip


@pytest.mark.parametrize("kind", ["print", "send", "save", "report", "PRINT"])
def test_copies_of_an_article_are_never_articles(kind: str) -> None:
    with pytest.raises(NotAnArticle) as error:
        article(
            TOOLBAR + '<h1 class="title">ع</h1><div class="body"><p>متن</p></div>',
            url=f"http://www.iribnews.ir/fa/{kind}/3900001",
        )
    assert error.value.reason == f"{kind.lower()}_page"


def lists_of(html: str, profile=IRIBNEWS):  # type: ignore[no-untyped-def]
    found = parse_front_page(page(html), "http://www.iribnews.ir/", profile, captured_at=NOW)
    return [
        (x.block, x.list, [(e["news_id"], e["title"], e["comment_count"]) for e in x.entries])
        for x in found.listings
    ]


def test_entries_whose_link_and_comment_count_sit_side_by_side() -> None:
    html = (
        '<div class="most-comment"><div class="column-title">پربحث ترین</div><ul>'
        '<li><div class="farda-stack-2x">۱۵ </div><h5><a href="/fa/news/5" title="13:35 - 1396/12/27"> پنج </a></h5></li>'
        '<li><div class="farda-stack-2x"></div><h5><a href="/fa/news/6">شش (۲ نظر)</a></h5></li>'
        "<li><h5>بی‌پیوند</h5></li></ul></div>"
    )
    # The title is the link text, never its title attribute; the count is the item's own.
    assert lists_of(html, FARDANEWS) == [
        ("boxes", "most_discussed", [(5, "پنج", 15), (6, "شش (۲ نظر)", None)])
    ]


def test_comment_counts_inside_the_link_or_in_a_span_right_after_it() -> None:
    html = (
        '<div class="tab_most"><ul><li><a href="#most_c" data-toggle="tab">پر بحث ترین ها</a></li></ul>'
        '<div id="most_c">'
        '<div><a class="sp_title1" href="/fa/news/1">یک&nbsp;<span>(۱۱۳ نظر)</span></a></div>'
        '<div><a class="sp_title1" href="/fa/news/2">دو</a>&nbsp;<span>(۴۷ نظر)</span></div>'
        '<div><a class="sp_title1" href="/fa/news/3">سه</a> (٩ نظر)</div>'
        '<div><a class="sp_title1" href="/fa/news/4">چهار</a>&nbsp;<span> ( 2 نظر ) </span> </div>'
        # Not a count: other words after the link, a count after another link, a count in a block.
        '<div><a class="sp_title1" href="/fa/news/5">پنج</a> <span>(۱۲ نظر) و بیشتر</span></div>'
        '<div><a class="sp_title1" href="/fa/news/6">شش</a><a href="/fa/tag/1/x">برچسب</a><span>(۵ نظر)</span></div>'
        '<div><a class="sp_title1" href="/fa/news/7">هفت</a><div>(۳ نظر)</div></div>'
        "</div></div>"
    )
    assert lists_of(html) == [
        (
            "tabs",
            "most_discussed",
            [
                (1, "یک", 113),
                (2, "دو", 47),
                (3, "سه", 9),
                (4, "چهار", 2),
                (5, "پنج", None),
                (6, "شش", None),
                (7, "هفت", None),
            ],
        )
    ]


def test_a_pagers_links_are_no_list_headings() -> None:
    html = (
        '<div class="news_list"><div><a href="/fa/news/1">یک</a></div>'
        '<div class="pager"><a href="?p=2">بعدی</a> <a href="?p=9">آخرین</a></div></div>'
    )
    assert lists_of(html) == []


def test_a_list_shown_twice_is_one_snapshot() -> None:
    sidebar = (
        '<div class="sp_ln_news"><div class="sp_ln_box_title">آخرین اخبار</div>'
        '<a class="sp_title1" href="/fa/news/1">یک</a><a class="sp_title1" href="/fa/news/2">دو</a></div>'
    )
    # The same entries again (a copy for mobile), and an empty copy whose entries a script
    # would fill: one snapshot.
    empty = '<div class="sp_ln_news"><div class="sp_ln_box_title">آخرین اخبار</div></div>'
    assert lists_of(sidebar + empty + sidebar) == [
        ("sidebar", "latest", [(1, "یک", None), (2, "دو", None)])
    ]
    # Two lists of one kind with other entries (a ticker and a sidebar) stay two; an empty
    # list with no copy elsewhere stays, empty.
    ticker = '<ul id="js-news"><li class="news-item"><a href="/fa/news/2">دو</a></li></ul>'
    most_viewed = (
        '<div class="tab_most"><ul><li><a href="#a" data-toggle="tab">پربازدیدها</a></li></ul>'
        '<div id="a"></div></div>'
    )
    assert lists_of(ticker + sidebar + most_viewed) == [
        ("ticker", "latest", [(2, "دو", None)]),
        ("sidebar", "latest", [(1, "یک", None), (2, "دو", None)]),
        ("tabs", "most_viewed", []),
    ]
    # The same entries in another order are another list.
    reordered = sidebar.replace("/fa/news/1", "/fa/news/x").replace("/fa/news/2", "/fa/news/1")
    reordered = reordered.replace("/fa/news/x", "/fa/news/2")
    assert len(lists_of(sidebar + reordered)) == 2


def test_a_block_whose_heading_names_no_list_is_skipped() -> None:
    html = (
        '<div class="hot-news"><div class="column-title">پیشخوان</div><ul class="list_1"><li class="new_linear"><a href="/fa/news/1">یک</a></li></ul></div>'
        '<div class="hot-news"><div class="column-title"><a href="/fa/archive">تازه‌های خبر</a></div><ul class="list_1"><li class="new_linear"><a href="/fa/news/2">دو</a></li></ul></div>'
    )
    assert lists_of(html, FARDANEWS) == [("sidebar", "latest", [(2, "دو", None)])]


def test_tabs_paired_with_their_panes_by_position() -> None:
    html = (
        '<div class="box box_tab"><div class="t_box"><a class="tab_name"><span>پربازدید ترین</span></a>'
        '<a class="tab_name"><span>پربحث ترین</span></a></div><div class="box_content">'
        '<div class="l_column_content_h"><div class="linear_news"><a class="title5" href="/fa/news/7">هفت</a></div></div>'
        '<div class="l_column_content_h"></div></div></div>'
    )
    assert lists_of(html, KAYHAN) == [
        ("tabs", "most_viewed", [(7, "هفت", None)]),
        ("tabs", "most_discussed", []),
    ]


def test_lists_found_by_heading_when_a_theme_renames_their_boxes() -> None:
    html = (
        '<ul id="js-news"><li class="news-item"><a href="/fa/news/1">یک</a></li></ul>'
        '<div class="side_box"><div class="side_box_head"><span>پربازدید‌ترین‌ها</span></div>'
        '<ul><li><a href="/fa/news/2">دو</a></li><li><a href="/fa/tag/1/x">برچسب</a></li></ul></div>'
        '<ul class="new_tabs"><li><a href="#most_c"><span>پربحث ترین</span></a></li></ul>'
        '<div id="most_c"><a href="/fa/news/3">سه (۴ نظر)</a></div>'
    )
    assert lists_of(html) == [
        ("ticker", "latest", [(1, "یک", None)]),
        (HEADING_BLOCK, "most_viewed", [(2, "دو", None)]),
        (HEADING_BLOCK, "most_discussed", [(3, "سه", 4)]),
    ]


def test_no_list_by_heading_beside_a_known_block_nor_far_from_its_heading() -> None:
    html = (
        # The ticker's own title bar: the box around it is the known ticker.
        '<div class="ticker"><div class="sar_ticker"><div>آخرین اخبار</div></div>'
        '<ul id="js-news"><li class="news-item"><a href="/fa/news/1">یک</a></li></ul></div>'
        # A menu item named like a list, with no article links near it.
        '<div><div><div><div><nav><a href="/fa/archive">آخرین اخبار</a></nav></div></div></div>'
        '<a href="/fa/news/2">دو</a></div>'
    )
    assert lists_of(html) == [("ticker", "latest", [(1, "یک", None)])]


def test_print_issue_pages_are_front_pages_only_where_the_profile_says_so() -> None:
    html = page(
        '<span class="zir_mozo_black"><a href="/fa/issue/1300/2">۲</a></span>'
        '<div class="main_pager"><a href="/fa/issue/1300/2">۲</a><a href="/fa/issue/1300/3">۳</a></div>'
        '<li class="nav_link"><a href="/fa/issue/1300/4">۴</a></li>'
    )
    # Kayhan's home page of 2018, whose only menu is the issue's page index.
    kayhan = parse_front_page(
        html, "http://kayhan.ir/", KAYHAN, captured_at=NOW, served_on=date(2018, 3, 17)
    )
    assert kayhan.section_urls == [
        "http://kayhan.ir/fa/issue/1300/2",
        "http://kayhan.ir/fa/issue/1300/3",
    ]
    assert kayhan.menu_urls == kayhan.section_urls
    irib = parse_front_page(html, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW)
    assert (irib.menu_urls, irib.section_urls) == (["http://www.iribnews.ir/fa/issue/1300/4"], [])


@pytest.mark.parametrize(
    "text", ["{}", '{"title": "x"}', "[1, 2]", "null", '<?xml version="1.0"?><a/>']
)
def test_text_that_looks_like_json_or_xml_is_still_read_as_html(text: str) -> None:
    # Left to guess, parsel reads such text as JSON, on which every CSS query raises.
    assert (
        parse_front_page(text, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW).listings == []
    )
    with pytest.raises(NotAnArticle):
        parse_article(text, URL, IRIBNEWS, crawled_at=NOW)
