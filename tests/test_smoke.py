"""`newsbot smoke SITE...` over loopback only: fixture sites served on 127.0.0.1 and mapped onto
with --base-url, as the spiders' base_url does. It never runs against the live sites here."""

import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from newsbot.tools.cli import main
from snapshot.crawl import PROJECT_DIR
from snapshot.server import DEFAULT_ROOT, SnapshotServer

SITES = Path(__file__).parent / "sites"
SCRIPT = Path(sys.executable).with_name("newsbot")
TRUTH: dict[str, Any] = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
FIELDS = (
    "news_id", "title", "body", "published_at", "kicker", "lead", "section", "tags", "views",
    "comment_count", "images",
)  # fmt: skip
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


class TimedServer(SnapshotServer):
    """A fixture server that also notes when each request arrived."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.times: list[float] = []

    def record(self, raw_path: str) -> None:
        self.times.append(time.monotonic())
        super().record(raw_path)


def smoke(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "smoke", *argv],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def rows(stdout: str) -> dict[str, list[str]]:
    """The table's cells by row label (cells are separated by two spaces or more)."""
    table = stdout.split("\nresult", 1)
    lines = [*table[0].splitlines(), "result" + table[1].splitlines()[0]]
    return {cells[0]: cells[1:] for cells in (re.split(r"\s{2,}", line) for line in lines)}


@pytest.mark.e2e
def test_a_healthy_site_politely_read_passes() -> None:
    delay = 0.3
    with TimedServer(DEFAULT_ROOT) as server:
        done = smoke(
            "iribnews",
            "--base-url",
            server.base_url,
            "-s",
            f"DOWNLOAD_DELAY={delay}",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        )
        # Articles by /fa/news/<id>, whatever slug they were linked with.
        requested = [
            "/".join(unquote(urlsplit(path).path).split("/")[:4]) for path in server.requests
        ]
        times = list(server.times)
    assert done.returncode == 0, done.stderr
    # robots.txt first; then the home page, the first section of its menu, and the five highest
    # news ids it links (snapshot/site/home.html), but 3900090, which robots.txt disallows.
    assert requested[:2] == ["/robots.txt", "/"]
    assert sorted(requested[2:]) == sorted(
        [
            "/fa/political",
            *(f"/fa/news/{news_id}" for news_id in (3900036, 3900034, 3900033, 3900032)),
        ]
    )
    # Scrapy waits between 0.5 and 1.5 times DOWNLOAD_DELAY between two requests to a site.
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.5 * delay - 0.02
    table = rows(done.stdout)
    assert table["site"] == ["iribnews"]
    assert table["CMS"] == ["yes"]
    assert re.fullmatch(
        r"iribnews profile, current theme( since \d{4}-\d\d-\d\d)?", table["theme"][0]
    )
    # snapshot/truth.json, listings of / and /fa/political.
    assert table["home page lists"] == ["latest 4+8, most_viewed 5, most_discussed 6"]
    assert table["section page"] == ["/fa/political"]
    assert table["section page lists"] == ["latest 3+5, most_viewed 3, most_discussed 3"]
    assert table["article pages"] == ["4 read, 4 emitted"]
    read = [TRUTH["articles"][str(news_id)] for news_id in (3900036, 3900034, 3900033, 3900032)]
    for name in FIELDS:
        present = (
            len(read)
            if name == "news_id"
            else sum(1 for a in read if a[name] not in (None, "", []))
        )
        assert table[name] == [f"{present}/4"], name
    # The iribnews theme's selectors find every field these pages have (news ids in
    # .news_id_c); the pages have no family-only classes, metadata or pictures to fall back to.
    assert table["read by fallbacks"] == ["none"]
    assert table["result"] == ["ok"]
    # 20 ids: grep -o 'href="[^"]*"' snapshot/site/home.html | grep -o '/fa/news/[0-9]*' | sort -u
    assert re.fullmatch(
        r"www\.iribnews\.ir \(at http://127\.0\.0\.1:\d+\) is on the IranSamaneh CMS: "
        r"lib\.iransamaneh_46001\.js, no credit, 20 /fa/news/<id> links",
        done.stdout.splitlines()[-1],
    )


@pytest.mark.e2e
def test_a_site_without_a_profile_in_todays_theme_passes() -> None:
    with SnapshotServer(SITES / "family-2025") as server:
        done = smoke("www.aftabnews.ir", "--base-url", server.base_url, *FAST)
    table = rows(done.stdout)
    assert table["CMS"] == ["yes"]
    assert done.returncode == 0, done.stdout
    # The five highest ids of tests/sites/family-2025/home.html: 951003, 951004, 951005, 951007,
    # 951008, read with the CMS defaults (newsbot.sites.profiles.ArticleSelectors), counted
    # from their pages: no .news_id_c (ids from the URL); titles .news-title (951003, 951007),
    # .title-news (951008) and the wrapper's bare h1 (951004, 951005); kickers .news-rutitr
    # (951005, 951008); leads .sub_ax, .news-subtitle, .subtitle-news and 951004's
    # meta description; bodies .body but 951003's .album_content; breadcrumbs .news_path a
    # (the default: 951003, 951005) or .news_path2 a; tags .tags li or .tags_title a (951007
    # has none); dates .news_pdate_c (the default: 951004), .fa_date, .news-date and 951005's
    # itemprop datePublished; pictures under .album_content and .body (the defaults).
    assert table["read by fallbacks"] == [
        "news_id: url 5/5; title: family 5/5; kicker: family 2/5; "
        "lead: family 3/5, metadata 1/5; body: family 1/5; section: family 3/5; "
        "tags: family 4/5; published_at_raw: family 3/5, metadata 1/5"
    ]


@pytest.mark.e2e
def test_a_site_that_left_the_cms_fails_beside_one_that_passes() -> None:
    with (
        SnapshotServer(SITES / "basijnews") as healthy,
        SnapshotServer(SITES / "not-on-cms") as gone,
    ):
        done = smoke(
            "news.example-site.ir",
            "fardanews",
            "--base-url",
            healthy.base_url,
            "--base-url",
            gone.base_url,
            *FAST,
        )
        gone_requested = list(gone.requests)
    assert done.returncode == 1, done.stderr
    assert gone_requested == ["/robots.txt", "/"]
    # tests/sites/basijnews/*.json: two articles, one with every optional field but the
    # kicker and images, one with none.
    expected = """\
site                news.example-site.ir                         fardanews
CMS                 yes                                          no
theme               CMS defaults (no profile)                    fardanews profile, current theme
home page lists     latest 1+1, most_viewed 1, most_discussed 0
section page        /fa/services/3
section page lists  latest 1, most_viewed 1, most_discussed 0
article pages       2 read, 2 emitted
news_id             2/2
title               2/2
body                2/2
published_at        2/2
kicker              0/2
lead                1/2
section             1/2
tags                1/2
views               1/2
comment_count       1/2
images              0/2
read by fallbacks   none
result              ok                                           FAILED
"""
    table, notes = done.stdout.split("FAILED\n", 1)
    assert (
        re.sub(
            r"fardanews profile, current theme since \S+",
            "fardanews profile, current theme",
            table + "FAILED\n",
        )
        == expected
    )
    lines = notes.splitlines()
    assert re.fullmatch(
        r"news\.example-site\.ir \(at http://127\.0\.0\.1:\d+\) is on the IranSamaneh CMS: no "
        r"lib\.iransamaneh script, no credit, 2 /fa/news/<id> links \(by its article URLs alone: "
        r"a site that left the CMS may keep them\)",
        lines[0],
    )
    assert re.fullmatch(
        r"www\.fardanews\.com \(at http://127\.0\.0\.1:\d+\) is not on the IranSamaneh CMS: no "
        r"lib\.iransamaneh script, no credit, 0 /fa/news/<id> links; found title «فردا \| "
        r"پایگاه خبری», 3 links like /news/<id>",
        lines[1],
    )
    assert lines[2:] == ["fardanews: FAILED: not on the IranSamaneh CMS"]


@pytest.mark.e2e
def test_a_site_whose_pages_give_nothing_fails_saying_why(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (site / "home.html").write_text(
        '<html><body><a href="/fa/news/5">پنج</a></body></html>', encoding="utf-8"
    )
    (site / "news" / "5.html").write_text(
        '<html><body><h1 class="title">عنوان</h1></body></html>', encoding="utf-8"
    )
    with SnapshotServer(site) as server:
        done = smoke("www.example.ir", "--base-url", server.base_url, *FAST)
    assert done.returncode == 1
    assert rows(done.stdout)["body"] == ["0/1"]
    assert done.stdout.splitlines()[-1] == (
        "www.example.ir: FAILED: no list on the home page; no section page linked from the home "
        "page; field coverage below the floor: body 0% < 80%, published_at 0% < 60%"
    )


@pytest.mark.e2e
def test_a_crawl_that_cannot_run_fails_its_site_before_any_request() -> None:
    with SnapshotServer(DEFAULT_ROOT) as server:
        done = smoke("iribnews", "--base-url", server.base_url, "-s", "NEWSBOT_RENDER_JS=bogus")
        requested = list(server.requests)
    assert done.returncode == 1
    assert requested == []
    assert rows(done.stdout)["CMS"] == ["unknown"]
    assert done.stdout.splitlines()[-1] == (
        "iribnews: FAILED: the crawl could not run: iribnews: render_js='bogus': expected none "
        "or a comma-separated subset of ('front', 'archive', 'article')"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["example"], "site='example' is neither a known site nor a host name"),
        (["tabnak", "tabnak.ir"], "site 'tabnak.ir' is given twice (as tabnak)"),
        (["tabnak", "yjc", "--base-url", "http://127.0.0.1:1"], "1 --base-url for 2 sites"),
        (["tabnak", "--base-url", "http://127.0.0.1:1/fa"], "invalid base_url"),
        (["tabnak", "-s", "DOWNLOAD_DELAY"], "-s 'DOWNLOAD_DELAY': expected NAME=VALUE"),
    ],
)
def test_usage_errors_fetch_nothing_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["smoke", *argv]) == 2
    assert message in capsys.readouterr().err
