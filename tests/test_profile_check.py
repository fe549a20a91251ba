"""`newsbot profile check SITE URL_OR_FILE...`: what a profile finds on pages, on saved files
and on pages fetched from a fixture site served on 127.0.0.1."""

import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.tools.cli import main
from newsbot.tools.profile_check import score
from snapshot.server import SnapshotServer
from tests.faultserver import FaultServer, Status

SITES = Path(__file__).parent / "sites"
SCRIPT = Path(sys.executable).with_name("newsbot")


def check(*argv: str | Path) -> int:
    return main(["profile", "check", *map(str, argv)])


def test_an_article_and_a_home_page_with_every_required_field_and_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = check(
        "fardanews", SITES / "fardanews" / "home.html", SITES / "fardanews" / "news" / "800101.html"
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines()[:7] == [
        f"fardanews {SITES / 'fardanews' / 'home.html'}",
        "  front  https://www.fardanews.com/",
        "  found    menu                 3 links, 2 to front pages",
        "  found    latest               sidebar: 3",
        "  found    most_viewed          boxes: 2",
        "  found    most_discussed       boxes: 2",
        "  found    article links        4",
    ]
    assert "  article  https://www.fardanews.com/fa/news/800101" in out
    assert "  found    news_id              800101" in out
    assert "  found    published_at         2023-08-01T13:35:00+03:30" in out
    assert "  found    body                 2 paragraphs: بر پایه گزارش گمرک،" in out
    assert "  found    tags                 2: فرش، صادرات" in out
    assert "missing" not in out


def test_missing_required_fields_and_lists_fail_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.html"
    article.write_text(
        '<html><head><link rel="canonical" href="https://www.tabnak.ir/fa/news/5"></head><body>'
        '<h1 class="title">عنوان</h1><div class="body"> </div></body></html>',
        encoding="utf-8",
    )
    home = tmp_path / "home.html"
    home.write_text(
        '<html><body><ul id="js-news"><li class="news-item"><a href="/fa/news/5">یک</a></li></ul>'
        "</body></html>",
        encoding="utf-8",
    )
    # Read with the CMS's defaults, Tabnak's theme before 2019.
    assert check("tabnak", article, home, "--served-on", "2018-06-01") == 1
    out = capsys.readouterr().out
    assert "  found    news_id              5" in out  # from the URL
    assert "  MISSING  body" in out
    assert "  absent   published_at_raw" in out
    assert "  missing: body" in out
    assert "  MISSING  menu                 0 links, 0 to front pages" in out
    assert "  found    latest               ticker: 1" in out
    assert "  missing: menu, most_viewed, most_discussed" in out


def test_pages_fetched_over_http_and_print_pages_skipped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with SnapshotServer(root=SITES / "kayhan") as server:
        status = check(
            "kayhan",
            f"{server.base_url}/",
            f"{server.base_url}/fa/news/130004/قهرمانی",
            f"{server.base_url}/fa/print/130003",
            "--served-on",
            "2018-03-17",
        )
        requested = list(server.requests)
    out = capsys.readouterr().out
    assert status == 0
    assert f"  front  {server.base_url}/" in out
    assert "  found    menu                 3 links, 3 to front pages" in out
    assert "  found    most_discussed       tabs: 0" in out
    assert (
        "  found    images               1: https://kayhan.ir/files/fa/news/1404/9/2/130004_1.jpg"
        in out
    )
    assert "  not an article  " in out
    assert "  found    article copy         print page: skipped, never emitted" in out
    # The print page is recognised by its URL: fetched (it was asked for), but never read.
    assert "  found    title                سرمقاله" not in out
    # Each page only once robots.txt allows it.
    assert requested[0::2] == ["/robots.txt"] * 3
    assert len(requested) == 6


def test_a_page_robots_txt_disallows_is_not_fetched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The snapshot's robots.txt disallows /fa/news/3900090 for every user agent.
    with SnapshotServer() as server:
        status = check("iribnews", f"{server.base_url}/fa/news/3900090", f"{server.base_url}/")
        requested = list(server.requests)
    assert status == 1
    assert requested == ["/robots.txt", "/robots.txt", "/"]
    err = capsys.readouterr().err
    assert err == (
        f"newsbot profile check: {server.base_url}/fa/news/3900090: the site's robots.txt "
        f"disallows {server.base_url}/fa/news/3900090: not fetched\n"
    )


def test_a_site_without_robots_txt_allows_every_page_and_a_failing_one_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "home.html").write_text(
        (SITES / "kayhan" / "home.html").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with SnapshotServer(root=site) as server:  # robots.txt: 404
        assert check("kayhan", f"{server.base_url}/") == 0
        assert server.requests == ["/robots.txt", "/"]
    with FaultServer({"/robots.txt": [Status(503)]}, root=SITES / "kayhan") as failing:
        assert check("kayhan", f"{failing.base_url}/") == 1
        assert failing.requests == ["/robots.txt"]
    assert f"{failing.base_url}/robots.txt answered 503: the page is not fetched" in (
        capsys.readouterr().err
    )


def test_a_saved_print_page_is_skipped_by_profile_check_and_extract(
    capsys: pytest.CaptureFixture[str],
) -> None:
    saved = SITES / "kayhan" / "pages" / "fa" / "print" / "130003.html"
    url = "https://kayhan.ir/fa/print/130003"
    assert check("kayhan", saved, "--url", url) == 0
    assert "print page: skipped, never emitted" in capsys.readouterr().out
    assert main(["extract", str(saved), "--url", url]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().endswith(f"{url}: print_page")


def test_unreadable_sources_fail_and_unknown_sites_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check("yjc", tmp_path / "absent.html") == 1
    assert "newsbot profile check: " in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        check("example", tmp_path / "absent.html")
    assert caught.value.code == 2
    assert "site='example' is neither a known site nor a host name" in capsys.readouterr().err


def test_the_console_script() -> None:
    page = SITES / "yjc" / "news" / "8500002.html"
    done = subprocess.run(
        [str(SCRIPT), "profile", "check", "yjc", str(page), "--served-on", "2017-12-01"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert "  found    section              2: فرهنگی، کتاب" in done.stdout.decode()


def test_scores_against_expected_facts() -> None:
    facts = {
        "front": {
            "lists": [
                {"block": "ticker", "list": "latest", "entries": [{"news_id": 1, "title": "یک"}]},
                {"block": "tabs", "list": "most_viewed", "entries": []},
                {"block": "tabs", "list": "most_viewed", "entries": []},
            ],
            "section_urls": ["https://x.ir/fa/sport"],
        }
    }
    expected = {
        "front": {
            "lists": [
                {"block": "ticker", "list": "latest", "entries": [{"news_id": 1}]},
                {"block": "sidebar", "list": "latest", "entries": []},
                {"block": "tabs", "list": "most_viewed", "entries": []},
            ],
            "section_urls": [],
        }
    }
    assert [(s.name, s.expected, s.found, s.correct) for s in score(facts, expected)] == [
        ("section_urls", False, True, False),
        ("list ticker latest", True, True, True),  # an entry may give only its news_id
        ("list sidebar latest", True, False, False),
        ("list tabs most_viewed", True, True, True),
        ("list tabs most_viewed #2", False, True, False),  # a list nobody expected
    ]
    article = {"article": {"lead": "سلام و درود", "views": None}}
    assert [s.correct for s in score(article, {"article": {"lead": "سلام…", "views": None}})] == [
        True,
        True,
    ]
    assert [s.correct for s in score(article, {"article": {"lead": "درود…", "views": 3}})] == [
        False,
        False,
    ]


def test_each_field_says_which_level_read_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "article.html"
    saved.write_text(
        '<html><head><link rel="canonical" href="https://www.bartarinha.ir/fa/news/5">'
        '<meta name="description" content="لید از متا."></head><body>'
        '<div class="news-rutitr">روتیتر</div><h2 class="news-title">عنوان در کلاس خانواده</h2>'
        '<div class="body"><p>متن خبر.</p></div></body></html>',
        encoding="utf-8",
    )
    assert check("bartarinha", saved) == 0
    out = capsys.readouterr().out
    assert "  found    news_id              5  [url: /fa/news/<id>]" in out
    assert "  found    kicker               روتیتر  [family: .news-rutitr]" in out
    assert "  found    title                عنوان در کلاس خانواده  [family: .news-title]" in out
    assert "  found    lead                 لید از متا.  [metadata: meta:description]" in out
    assert "  found    body                 1 paragraph: متن خبر.  [" in out
    assert "  absent   tags" in out
