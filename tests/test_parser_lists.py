"""The parser's archive pages and RSS feeds (newsbot.extract.listed)."""

from datetime import date
from pathlib import Path

import pytest

from newsbot.extract.listed import ListedArticle, parse_archive_page, parse_feed
from newsbot.sites.profiles import ASRIRAN, ENTEKHAB, IRIBNEWS, TABNAK, SiteProfile

PAGE_URL = "http://www.iribnews.ir/fa/archive?p=2"
TODAY = date(2026, 11, 29)

ARCHIVE = """<html><body>
<div class="sp_ln_news"><a class="sp_title1" href="/fa/news/9">خبر ستون کناری</a></div>
<div class="archive_content"><ul class="list_archive">
 <li class="news"><div class="linear_news">
  <a class="picLink" href="/fa/news/2/عکس"><img src="/x.jpg"></a>
  <h3 class="Htag"><a class="title5" href="/fa/news/1/عنوان-یک">عنوان  یک</a></h3>
  <div class="lead_archive">لید</div>
  <div class="archive_date">۱۸ خرداد ۱۴۰۲ - ۱۱:۲۰</div>
 </div></li>
 <li class="news"><div class="linear_news">
  <a class="picLink" href="https://www.iribnews.ir/fa/news/2/عکس"><img src="/y.jpg"></a>
  <h3><a href="https://www.iribnews.ir/fa/news/2/عنوان-دو" title="13:35 - 1396/12/27">عنوان دو</a></h3>
 </div></li>
 <li class="news"><div class="linear_news"><h3><a href="/fa/tag/1/x">برچسب</a></h3></div></li>
 <li class="news"><div class="linear_news">
  <h3><a class="title5" href="/fa/news/1/تکرار">تکرار</a></h3>
 </div></li>
 <li class="news"><div class="linear_news"><a class="title5" href="/fa/news/3">سه</a></div></li>
</ul></div>
</body></html>"""


def test_archive_entries_in_page_order_with_their_dates() -> None:
    assert parse_archive_page(ARCHIVE, PAGE_URL, IRIBNEWS, served_on=TODAY).entries == [
        ListedArticle(
            "http://www.iribnews.ir/fa/news/1/%D8%B9%D9%86%D9%88%D8%A7%D9%86-%DB%8C%DA%A9",
            1,
            "عنوان یک",
            "۱۸ خرداد ۱۴۰۲ - ۱۱:۲۰",
        ),
        # The title link, not the picture's; the date from the link's title attribute.
        ListedArticle(
            "https://www.iribnews.ir/fa/news/2/%D8%B9%D9%86%D9%88%D8%A7%D9%86-%D8%AF%D9%88",
            2,
            "عنوان دو",
            "13:35 - 1396/12/27",
        ),
        ListedArticle("http://www.iribnews.ir/fa/news/3", 3, "سه", None),
    ]


def test_an_archive_page_without_the_list_has_no_entries() -> None:
    assert (
        parse_archive_page(
            "<html><body>خبری یافت نشد.</body></html>", PAGE_URL, IRIBNEWS, served_on=TODAY
        ).entries
        == []
    )
    assert (
        parse_archive_page(
            ARCHIVE.replace("archive_content", "other"), PAGE_URL, IRIBNEWS, served_on=TODAY
        ).entries
        == []
    )


# Archive pages in each markup of the evidence (tests/archives/, ours): no date per entry.
ARCHIVES = Path(__file__).parent / "archives"


@pytest.mark.parametrize(
    ("markup", "page", "profile", "ids", "last_page"),
    [
        # div.archive_content > div.linear_news > a.title5; not the sidebar's div.linear_news.
        ("tabnak-2014", 1, TABNAK, [1101, 1102, 1103, 1104], False),
        ("tabnak-2014", 2, TABNAK, [1104, 1105, 1106], True),  # div#pager without a.next
        # Bare a.title4 links; not the ul#js-news ticker above them.
        ("asriran-2014", 1, ASRIRAN, [2201, 2202, 2203], False),
        ("tabnak-2025", 1, TABNAK, [3301, 3302, 3303], False),
        ("tabnak-2025", 3, TABNAK, [3306, 3307], True),  # .pagination without «►»
        # One div.archive_content holding a run of a.title5, no pager.
        ("entekhab", 1, ENTEKHAB, [4401, 4402, 4403, 4404, 4405], False),
        ("entekhab", 3, ENTEKHAB, [], False),
    ],
)
def test_archive_pages_as_real_sites_serve_them(
    markup: str, page: int, profile: SiteProfile, ids: list[int], last_page: bool
) -> None:
    html = (ARCHIVES / markup / f"p{page}.html").read_text("utf-8")
    read = parse_archive_page(
        html, f"{profile.home_url}fa/archive?p={page}", profile, served_on=TODAY
    )
    assert [entry.news_id for entry in read.entries] == ids
    assert all(entry.published is None for entry in read.entries)
    assert read.last_page is last_page


def test_an_entry_is_its_link_text_without_the_padding() -> None:
    html = (ARCHIVES / "tabnak-2014" / "p1.html").read_text("utf-8")
    entry = parse_archive_page(
        html, "http://www.tabnak.ir/fa/archive", TABNAK, served_on=TODAY
    ).entries[0]
    assert entry.title == "پایان برداشت گندم در دشت‌های شمالی"
    assert entry.url.startswith("http://www.tabnak.ir/fa/news/1101/")


def test_an_archive_page_the_served_theme_cannot_read_is_read_with_an_earlier_ones() -> None:
    html = (ARCHIVES / "asriran-2014" / "p1.html").read_text("utf-8")
    url = "http://www.asriran.com/fa/archive"
    today = parse_archive_page(html, url, ASRIRAN, served_on=TODAY)
    assert today.read_with_theme_until == date(2019, 1, 1)
    # Saved in 2014, it is in the theme of its day.
    saved = parse_archive_page(html, url, ASRIRAN, served_on=date(2014, 6, 1))
    assert saved.read_with_theme_until is None
    assert saved.entries == today.entries
    # A site with one theme has nothing else to try.
    assert parse_archive_page(html, url, TABNAK, served_on=TODAY).entries == []


FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>https://www.iribnews.ir</link>
<item><title>\xd8\xa7\xd9\x88\xd9\x84</title>
 <link> https://www.iribnews.ir/fa/news/11/%D8%A7 </link>
 <pubDate>Thu, 08 Jun 2023 07:50:00 GMT</pubDate></item>
<item><title>two</title><guid>http://www.iribnews.ir/fa/news/12</guid></item>
<item><title>not an article</title><link>https://www.iribnews.ir/fa/services/5</link></item>
<item><title>again</title><link>/fa/news/11</link></item>
<item><title>relative</title><link>/fa/news/13/slug</link></item>
</channel></rss>"""


def test_feed_items_in_feed_order() -> None:
    assert parse_feed(FEED, "http://127.0.0.1:8000/fa/rss/allnews") == [
        ListedArticle(
            "https://www.iribnews.ir/fa/news/11/%D8%A7",
            11,
            "اول",
            "Thu, 08 Jun 2023 07:50:00 GMT",
        ),
        ListedArticle("http://www.iribnews.ir/fa/news/12", 12, "two", None),
        ListedArticle("http://127.0.0.1:8000/fa/news/13/slug", 13, "relative", None),
    ]


def test_a_broken_feed_is_read_as_far_as_it_goes() -> None:
    cut = FEED[: FEED.index(b"<item><title>two")]
    assert [entry.news_id for entry in parse_feed(cut, "http://x/")] == [11]
    assert parse_feed(b"", "http://x/") == []
    assert parse_feed(b"<html><body>404</body></html>", "http://x/") == []
    assert parse_feed(b"\x00\x01 not xml", "http://x/") == []


def test_a_feed_cannot_make_the_parser_read_files_or_expand_entities() -> None:
    hostile = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname"><!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss><channel><item><title>&xxe;&b;</title><link>/fa/news/5</link></item></channel></rss>"""
    [entry] = parse_feed(hostile, "http://x/")
    assert entry.news_id == 5
    assert "aaaaaaaaaa" not in entry.title
