"""The bundled snapshot site agrees with its hand-written answer key, and its server routes as
documented. Everything is read over real HTTP from snapshot.server.

The text checks here use their own small normaliser on purpose: they check the answer key
against the pages, independently of newsbot's parser, which the key exists to judge.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import urllib.robotparser
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree

import pytest
from parsel import Selector

from snapshot.server import DEFAULT_ROOT, SnapshotServer

SNAPSHOT = Path(__file__).resolve().parent.parent / "snapshot"
TRUTH: dict[str, Any] = json.loads((SNAPSHOT / "truth.json").read_text(encoding="utf-8"))
ARTICLES: dict[str, dict[str, Any]] = TRUTH["articles"]
# Articles only the archive lists (for backfills), and what each archive page lists.
ARCHIVE_ARTICLES: dict[str, dict[str, Any]] = TRUTH["archive"]["articles"]
ARCHIVE_PAGES: dict[str, list[list[Any]]] = TRUTH["archive"]["pages"]
FEEDS: dict[str, list[int]] = TRUTH["feeds"]
NOT_EMITTED: dict[str, str] = TRUTH["not_emitted"]
FRONT_PAGES: list[str] = ["/", *TRUTH["sections"]]
SITE_HOSTS = ("", "www.iribnews.ir", "iribnews.ir")
LINKED_FROM_ARTICLES_ONLY = "linked only from article pages"

_NEWS_PATH = re.compile(r"^/fa/news/([0-9]+)(?:/|$)")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_NORMALISE = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ـ": None, "\u00a0": " "}
    | {chr(0x660 + d): chr(0x6F0 + d) for d in range(10)}
)
_COMMENT_COUNT = re.compile(r"\s*\(([0-9۰-۹]+) نظر\)$")
_TAB_KINDS = {"پربازدیدها": "most_viewed", "پر بحث ترین ها": "most_discussed"}
_ARTICLE_KEYS = {
    "linked_as", "title", "kicker", "lead", "body", "section", "tags", "published_at_raw",
    "published_at", "published_at_jalali", "published_at_utc", "published_precision", "views", "comment_count", "images",
}  # fmt: skip


def normalise(text: str) -> str:
    return " ".join(text.translate(_NORMALISE).split())


# ------------------------------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def server() -> Iterator[SnapshotServer]:
    with SnapshotServer() as running:
        yield running


def fetch(base_url: str, raw_path: str, method: str = "GET") -> tuple[int, str, bytes]:
    """Status, Content-Type and body for a request path sent exactly as given (ASCII)."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request(method, raw_path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def page(server: SnapshotServer, path: str) -> Selector:
    status, _, body = fetch(server.base_url, quote(path, safe="/%?=&-"))
    assert status == 200, path
    return Selector(text=body.decode("utf-8"))


def site_path(href: str) -> str | None:
    """The percent-decoded path of a link to the site itself; None for other links."""
    href = href.strip(" \t\n\r\f")
    parts = urlsplit(href)
    if not href or href.startswith("#") or parts.netloc.lower() not in SITE_HOSTS:
        return None
    return unquote(parts.path) or "/"


def news_links(selector: Selector) -> list[tuple[int, str]]:
    """(news id, decoded path) of every link to an article path, in document order."""
    found = []
    for href in selector.css("a::attr(href)").getall():
        path = site_path(href)
        match = _NEWS_PATH.match(path or "")
        if path and match:
            found.append((int(match[1]), path))
    return found


# ---------------------------------------------------------------------------- answer key


def test_truth_has_the_documented_shape() -> None:
    assert TRUTH["site"] == "iribnews"
    assert len(ARTICLES) >= 34
    assert not set(ARTICLES) & set(NOT_EMITTED)
    assert len(set(TRUTH["sections"])) == len(TRUTH["sections"]) >= 6
    for news_id, article in ARTICLES.items():
        assert set(article) == _ARTICLE_KEYS, news_id
        assert article["title"] and article["body"], news_id
        linked = _NEWS_PATH.match(article["linked_as"])
        assert linked and linked[1] == news_id
        dated = article["published_at"]
        assert (dated is None) == (article["published_at_jalali"] is None), news_id
        if dated:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+0[34]:30", dated), news_id
            assert re.fullmatch(r"1[34]\d\d-\d\d-\d\dT\d\d:\d\d", article["published_at_jalali"])
        for field in ("title", "kicker", "lead", "body"):
            value = article[field]
            assert value is None or value == "\n\n".join(map(normalise, value.split("\n\n")))


def test_every_article_and_special_case_has_a_page() -> None:
    for news_id in [*ARTICLES, *NOT_EMITTED]:
        assert (DEFAULT_ROOT / "news" / f"{news_id}.html").is_file(), news_id
    for section in TRUTH["sections"]:
        assert (DEFAULT_ROOT / "pages" / f"{section.lstrip('/')}.html").is_file(), section


@pytest.mark.parametrize("news_id", sorted([*ARTICLES, *ARCHIVE_ARTICLES]))
def test_article_page_shows_the_key_fields(server: SnapshotServer, news_id: str) -> None:
    article = ARTICLES.get(news_id) or ARCHIVE_ARTICLES[news_id]
    doc = page(server, article["linked_as"])
    code = "".join(doc.css(".news_id_c ::text").getall()).translate(_DIGITS)
    assert re.sub(r"\D", "", code) == news_id
    assert normalise(" ".join(doc.css("h1.title ::text").getall())) == article["title"]
    date = doc.css(".news_pdate_c, .photo_pub_date, .photo_pdate")[0]
    shown = date.xpath(
        ".//text()[not(ancestor::*[contains(concat(' ', @class, ' '), ' news_nav_title ')"
        " or contains(concat(' ', @class, ' '), ' en_date ')])]"
    ).getall()
    assert " ".join("".join(shown).split()) == article["published_at_raw"]
    body_text = normalise(" ".join(doc.css(".body ::text").getall()))
    for paragraph in article["body"].split("\n\n"):
        assert paragraph in body_text, (news_id, paragraph)
    srcs = [img["src"] for img in article["images"]]
    assert doc.css(".body img::attr(src), .album_content img::attr(src)").getall() == srcs


def test_special_pages_are_what_the_key_says(server: SnapshotServer) -> None:
    reasons = set(NOT_EMITTED.values())
    assert reasons == {
        "robots.txt disallows it",
        "not an article page",
        "missing body",
        LINKED_FROM_ARTICLES_ONLY,
    }
    for news_id, reason in NOT_EMITTED.items():
        doc = page(server, f"/fa/news/{news_id}")
        if reason == "not an article page":
            assert "خبر مورد نظر یافت نشد" in doc.get()
            assert not doc.css("h1.title, .news_id_c, .body, .news_pdate_c")
        elif reason == "missing body":
            assert doc.css("h1.title") and doc.css(".news_id_c")
            assert not normalise(" ".join(doc.css(".body ::text").getall()))
        else:
            assert doc.css("h1.title") and normalise(" ".join(doc.css(".body ::text").getall()))


# ------------------------------------------------------------------------- front pages


@pytest.mark.parametrize("path", FRONT_PAGES)
def test_listing_blocks_match_the_key(server: SnapshotServer, path: str) -> None:
    doc = page(server, path)
    blocks: list[tuple[str, str, list[Selector]]] = []
    for ticker in doc.css("ul#js-news"):
        blocks.append(("latest", "ticker", ticker.css("li.news-item a")))
    for box in doc.css("div.sp_ln_news"):
        assert normalise(" ".join(box.css(".sp_ln_box_title ::text").getall())) == "آخرین اخبار"
        blocks.append(("latest", "sidebar", box.css("a.sp_title1")))
    for tabs in doc.css("div.tab_most"):
        for tab in tabs.css("a[data-toggle='tab']"):
            kind = _TAB_KINDS[normalise(" ".join(tab.css("::text").getall()))]
            pane = tabs.css(tab.attrib["href"])
            assert len(pane) == 1
            blocks.append((kind, "tabs", pane.css("a.sp_title1")))
    found = [
        {"page": path, "list": kind, "block": name, "entries": [entry(a) for a in links]}
        for kind, name, links in blocks
    ]
    assert found == [record for record in TRUTH["listings"] if record["page"] == path]


def entry(link: Selector) -> list[Any]:
    path = site_path(link.attrib["href"])
    match = _NEWS_PATH.match(path or "")
    assert match, link.attrib["href"]
    title = normalise(" ".join(link.css("::text").getall()))
    count = _COMMENT_COUNT.search(title)
    if count:
        return [int(match[1]), title[: count.start()], int(count[1].translate(_DIGITS))]
    return [int(match[1]), title, None]


def test_the_key_covers_the_edge_cases_of_the_lists() -> None:
    blocks = {(r["page"], r["list"], r["block"]) for r in TRUTH["listings"]}
    assert {r["page"] for r in TRUTH["listings"]} == set(FRONT_PAGES)
    assert any(not r["entries"] for r in TRUTH["listings"] if r["list"] == "most_discussed")
    assert any((p, "latest", "ticker") not in blocks for p in TRUTH["sections"])
    home_discussed = next(
        r for r in TRUTH["listings"] if r["page"] == "/" and r["list"] == "most_discussed"
    )
    counts = [count for _, _, count in home_discussed["entries"]]
    assert None in counts and any(counts)


def test_front_pages_link_exactly_the_expected_articles(server: SnapshotServer) -> None:
    first_link: dict[str, str] = {}
    for path in FRONT_PAGES:
        for news_id, link in news_links(page(server, path)):
            first_link.setdefault(str(news_id), link)
    leaves_only = {i for i, reason in NOT_EMITTED.items() if reason == LINKED_FROM_ARTICLES_ONLY}
    assert set(first_link) == set(ARTICLES) | (set(NOT_EMITTED) - leaves_only)
    # linked_as: the first link to it, in document order, on the home page and then on the
    # section pages in the key's order.
    assert {i: first_link[i] for i in ARTICLES} == {i: a["linked_as"] for i, a in ARTICLES.items()}
    from_articles = {
        str(news_id)
        for article in [*ARTICLES, *NOT_EMITTED]
        for news_id, _ in news_links(page(server, f"/fa/news/{article}"))
    }
    assert leaves_only <= from_articles


def test_articles_are_linked_under_several_slugs_and_hosts(server: SnapshotServer) -> None:
    raw: dict[int, set[str]] = {}
    for path in FRONT_PAGES:
        for href in page(server, path).css("a::attr(href)").getall():
            match = _NEWS_PATH.match(urlsplit(href.strip()).path)
            if match:
                raw.setdefault(int(match[1]), set()).add(href)
    hrefs = [href for links in raw.values() for href in links]
    for host in ("http://www.iribnews.ir/", "https://www.iribnews.ir/", "http://iribnews.ir/"):
        assert any(href.startswith(host) for href in hrefs), host
    assert any(href.startswith("/fa/news/") for href in hrefs)
    for marker in ("%E2%80%8C", "%C2%A0", "%20"):
        assert any(marker in href for href in hrefs), marker
    assert any(href.endswith(" ") for href in hrefs)
    assert any(href.endswith("-") for href in hrefs)
    assert any(re.fullmatch(r"/fa/news/\d+", href) for href in hrefs)
    assert any(len({unquote(h).strip() for h in links}) > 1 for links in raw.values())


def test_menus_link_exactly_the_key_sections(server: SnapshotServer) -> None:
    home = page(server, "/")
    nav3 = home.css("div#nav3.nav_service > ul > li.nav_link > a::attr(href)").getall()
    assert any(href.startswith("/fa/") for href in nav3)
    for host in ("http://www.iribnews.ir/", "https://www.iribnews.ir/", "http://iribnews.ir/"):
        assert any(href.startswith(host) for href in nav3), host
    paths = [p for p in map(site_path, nav3) if p and p != "/"]
    forms = (r"/fa/[a-z-]+", r"/fa/services/\d+", r"/fa/services/\d+/\d+", r"/fa/[a-z-]+/\d+")
    for form in forms:
        assert any(re.fullmatch(form, p) for p in paths), form
    assert paths == TRUTH["sections"]
    # Every section-like menu link on every front page is one of the key's sections.
    menus = "#nav3 a, li.nav_link > a, li.navigation_header a, ul.ul_cat_nav a, a.titleSarser"
    for path in FRONT_PAGES:
        for href in page(server, path).css(menus).xpath("@href").getall():
            target = site_path(href)
            assert target in (None, "/", *TRUTH["sections"]), (path, href)


def test_robots_txt_disallows_what_the_key_says(server: SnapshotServer) -> None:
    status, content_type, body = fetch(server.base_url, "/robots.txt")
    assert (status, content_type) == (200, "text/plain; charset=utf-8")
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(body.decode("utf-8").splitlines())
    for news_id, reason in NOT_EMITTED.items():
        url = f"{server.base_url}/fa/news/{news_id}/{quote('نمونه')}"
        assert robots.can_fetch("newsbot", url) == (reason != "robots.txt disallows it")
    for article in ARTICLES.values():
        assert robots.can_fetch("newsbot", server.base_url + quote(article["linked_as"]))
    for path in FRONT_PAGES:
        assert robots.can_fetch("newsbot", server.base_url + path)


def test_readme_lists_every_article_id() -> None:
    readme = (SNAPSHOT / "README.md").read_text(encoding="utf-8")
    for news_id in [*ARTICLES, *NOT_EMITTED, *ARCHIVE_ARTICLES]:
        assert f"| {news_id} |" in readme, news_id


# ------------------------------------------------------------------- archive and feeds


def archive_entries(doc: Selector) -> list[list[Any]]:
    """[news id, date shown or None] of each entry of an archive page's list."""
    found = []
    for item in doc.css(".archive_content li.news"):
        path = site_path(item.css("h3 a::attr(href)").get(""))
        match = _NEWS_PATH.match(path or "")
        assert match, item.get()
        shown = " ".join(" ".join(item.css(".archive_date ::text").getall()).split())
        found.append([int(match[1]), shown or None])
    return found


def test_the_archive_lists_the_key_newest_first_then_runs_dry(server: SnapshotServer) -> None:
    for number, entries in ARCHIVE_PAGES.items():
        assert archive_entries(page(server, f"/fa/archive?p={number}")) == entries, number
    assert not ARCHIVE_PAGES[str(len(ARCHIVE_PAGES))]  # the last page is empty
    listed = [news_id for entries in ARCHIVE_PAGES.values() for news_id, _ in entries]
    assert len(listed) == len(set(listed))
    assert set(listed) == {int(i) for i in [*ARTICLES, *ARCHIVE_ARTICLES]}
    # Newest first by the day each article's own page shows, except where the list's date
    # and the page's differ on purpose.
    days = [
        (ARTICLES.get(str(i)) or ARCHIVE_ARTICLES[str(i)])["published_at_jalali"] for i in listed
    ]
    known = [day for day in days if day]
    assert sum(a < b for a, b in pairwise(known)) == 1  # 3900105
    status, _, _ = fetch(server.base_url, f"/fa/archive?p={len(ARCHIVE_PAGES) + 1}")
    assert status == 404


def test_archive_only_articles_are_not_on_front_pages(server: SnapshotServer) -> None:
    assert not set(ARCHIVE_ARTICLES) & (set(ARTICLES) | set(NOT_EMITTED))
    linked = {str(i) for path in FRONT_PAGES for i, _ in news_links(page(server, path))}
    assert not linked & set(ARCHIVE_ARTICLES)
    for news_id, article in ARCHIVE_ARTICLES.items():
        assert set(article) == _ARTICLE_KEYS, news_id
        assert (DEFAULT_ROOT / "news" / f"{news_id}.html").is_file()


def test_the_archive_cases_the_key_promises() -> None:
    shown = {i: day for entries in ARCHIVE_PAGES.values() for i, day in entries}
    # The list shows no date for one article, and another date than its page for one.
    assert shown[3900106] is None
    assert shown[3900105] != ARCHIVE_ARTICLES["3900105"]["published_at_raw"]
    # An article on each edge of Khordad 1402, inside and out.
    days = {i: a["published_at_jalali"][:10] for i, a in ARCHIVE_ARTICLES.items()}
    assert {days["3900101"], days["3900102"], days["3900103"], days["3900104"]} == {
        "1402-03-01", "1402-03-31", "1402-02-31", "1402-04-01",
    }  # fmt: skip


@pytest.mark.parametrize("path", sorted(FEEDS))
def test_feeds_list_what_the_key_says(server: SnapshotServer, path: str) -> None:
    status, content_type, body = fetch(server.base_url, path)
    assert (status, content_type) == (200, "application/rss+xml; charset=utf-8")
    channel = ElementTree.fromstring(body).find("channel")
    assert channel is not None
    ids = []
    for item in channel.iter("item"):
        link = (item.findtext("link") or item.findtext("guid") or "").strip()
        match = _NEWS_PATH.match(unquote(urlsplit(link).path))
        assert match, link
        ids.append(int(match[1]))
    assert ids == FEEDS[path]
    assert set(ids) <= {int(i) for i in [*ARTICLES, *NOT_EMITTED]}


# ------------------------------------------------------------------------------- server

SLUG = quote("گشایش-سه-کتابخانه-عمومی-تازه-در-استان")
ARTICLE = DEFAULT_ROOT / "news" / "3900001.html"
POLITICAL = DEFAULT_ROOT / "pages" / "fa" / "political.html"


@pytest.mark.parametrize(
    ("raw_path", "served"),
    [
        ("/", DEFAULT_ROOT / "home.html"),
        ("/?utm=1", DEFAULT_ROOT / "home.html"),
        ("/fa/news/3900001", ARTICLE),
        ("/fa/news/3900001/", ARTICLE),
        (f"/fa/news/3900001/{SLUG}", ARTICLE),
        (f"/fa/news/3900001/{SLUG}-", ARTICLE),
        (f"/fa/news/3900001/{SLUG}%20", ARTICLE),
        (f"/fa/news/3900001/%20{SLUG}%C2%A0", ARTICLE),
        ("/fa/news/3900001/%D8%AF%D9%88%DA%86%D8%B1%D8%AE%D9%87%E2%80%8C%D9%87%D8%A7", ARTICLE),
        ("/fa/news/3900001/any/thing?x=1&y=2", ARTICLE),
        ("/fa/news/3900001/%FF%FE", ARTICLE),
        ("/fa/political", POLITICAL),
        ("/fa/political?service_id=5&p=2", POLITICAL),
        ("/fa/%70olitical", POLITICAL),
        ("/fa/services/7/316", DEFAULT_ROOT / "pages" / "fa" / "services" / "7" / "316.html"),
        ("/fa/sport/120", DEFAULT_ROOT / "pages" / "fa" / "sport" / "120.html"),
        ("/fa/archive", DEFAULT_ROOT / "pages" / "fa" / "archive" / "p1.html"),
        ("/fa/archive?p=2", DEFAULT_ROOT / "pages" / "fa" / "archive" / "p2.html"),
        (
            "/fa/archive?from_date=1402%2F03%2F01&to_date=1402%2F03%2F31&p=03",
            DEFAULT_ROOT / "pages" / "fa" / "archive" / "p3.html",
        ),
    ],
)
def test_server_routes(server: SnapshotServer, raw_path: str, served: Path) -> None:
    status, content_type, body = fetch(server.base_url, raw_path)
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert body == served.read_bytes()


@pytest.mark.parametrize(
    "raw_path",
    [
        "/fa/news",
        "/fa/news/",
        "/fa/news/abc",
        "/fa/news/3900001x",
        "/fa/news/9999999",
        "/fa/nothing",
        "/fa/political/",
        "/fa//political",
        "/pages/fa/political",
        "/home",
        "/fa/%FF",
        # Path traversal: each would otherwise reach a real .html file outside pages/.
        "/../home",
        "/fa/../../home",
        "/%2e%2e/home",
        "/fa/%2E%2E/%2E%2E/news/3900001",
        "/..%2Fhome",
        "/fa/..%5C..%5Chome",
        "/fa/archive?p=99",
        "/fa/archive?p=two",
        "/fa/archive?p=%DB%B2",
        "/fa/archive/p1",
        "/fa/rss",
        "/fa/rss/",
        "/fa/rss/none",
        "/fa/rss/%2E%2E/%2E%2E/home",
    ],
)
def test_server_answers_404_for_everything_else(server: SnapshotServer, raw_path: str) -> None:
    status, content_type, body = fetch(server.base_url, raw_path)
    assert (status, content_type) == (404, "text/html; charset=utf-8")
    assert b"404" in body and len(body) < 1000


def test_server_answers_head_without_a_body(server: SnapshotServer) -> None:
    status, content_type, body = fetch(server.base_url, "/fa/news/3900002", method="HEAD")
    assert (status, content_type, body) == (200, "text/html; charset=utf-8", b"")


def test_request_log_keeps_raw_paths_in_arrival_order() -> None:
    paths = ["/", f"/fa/news/3900001/{SLUG}%20", "/fa/political?p=2", "/fa/nothing", "/robots.txt"]
    with SnapshotServer() as running:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", running.base_url)
        for path in paths:
            fetch(running.base_url, path)
        assert running.requests == paths
        threads = [
            threading.Thread(target=fetch, args=(running.base_url, f"/fa/news/{3900001 + n}"))
            for n in range(20)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(running.requests[len(paths) :]) == [
            f"/fa/news/{3900001 + n}" for n in range(20)
        ]
    with pytest.raises(OSError):
        fetch(running.base_url, "/")


def test_command_line_prints_the_base_url_serves_and_logs(tmp_path: Path) -> None:
    log = tmp_path / "requests.log"
    script = SNAPSHOT / "server.py"
    command = [sys.executable, str(script), "--port", "0", "--log", str(log)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            base_url = process.stdout.readline().strip()
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
            assert fetch(base_url, "/fa/news/3900003?from=cli")[0] == 200
            assert fetch(base_url, "/fa/missing")[0] == 404
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                process.kill()
    assert log.read_text(encoding="utf-8").splitlines() == [
        "/fa/news/3900003?from=cli",
        "/fa/missing",
    ]
