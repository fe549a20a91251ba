"""Every site of the family on its fixture pages (tests/sites/<folder>/, see its README).

A folder holds one site's pages in one theme: `<site>/` in the theme its profile described
before the evidence of today's sites (each page's JSON says the day it was served, which picks
that theme), `<site>-<year>/` in the theme the site serves today. Each page is read with its
site's profile and must give exactly the facts of the JSON beside it; then
`scrapy crawl <site> -a base_url=...` (with `-a served_on=...` for a folder of an earlier theme)
runs against each folder's pages served over real HTTP on 127.0.0.1, and its records must be
those facts.
"""

import json
import subprocess
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from newsbot.crawl.spider import SpiderArgumentError
from newsbot.schema import validate_record
from newsbot.sites.profiles import PROFILES
from newsbot.spiders.kayhan import KayhanSpider
from newsbot.tools.profile_check import read_page, score
from snapshot.crawl import PROJECT_DIR, SnapshotCrawl, crawl_command
from snapshot.server import SnapshotServer

SITES = Path(__file__).parent / "sites"
NOW = "2026-11-26T10:00:00+00:00"
TODAY = date.fromisoformat(NOW[:10])
# Sites that left the CMS (../shared/evidence/live-themes.md): no folder of today's theme.
LEFT_THE_CMS = {"fardanews", "bartarinha"}


def site_of(folder: str) -> str:
    return folder.split("-")[0]


# Every folder of a site with a profile (not `themes/`, nor `family-2025/`, whose pages are in
# no site's theme).
FOLDERS = sorted(
    path.name for path in SITES.iterdir() if path.is_dir() and site_of(path.name) in PROFILES
)


def expected_pages(folder: str) -> list[Path]:
    return sorted((SITES / folder).rglob("*.json"))


def load(expected_path: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(expected_path.read_text(encoding="utf-8"))
    return expected


def served_on(expected: dict[str, Any]) -> date | None:
    """The day a page was served, which picks the theme it is read with (None: today)."""
    return date.fromisoformat(expected["served_on"]) if "served_on" in expected else None


def folder_served_on(folder: str) -> date | None:
    """The day a folder's pages were served: one for all, since a crawl reads them all."""
    [day] = {served_on(load(path)) for path in expected_pages(folder)}
    return day


def page_path(folder: str, expected_path: Path) -> str:
    """The path the fixture server answers a page at (home.html → /, pages/fa/x.html → /fa/x,
    news/<id>.html → /fa/news/<id>)."""
    relative = expected_path.relative_to(SITES / folder).with_suffix("").as_posix()
    if relative == "home":
        return "/"
    if relative.startswith("news/"):
        return "/fa/" + relative
    return relative.removeprefix("pages")


FIXTURES = [(folder, path) for folder in FOLDERS for path in expected_pages(folder)]


def page_id(path: Path) -> str:
    return str(path.relative_to(SITES).with_suffix(""))


def test_every_theme_of_every_site_reads_a_folder_of_fixture_pages() -> None:
    for name, profile in PROFILES.items():
        folders = [folder for folder in FOLDERS if site_of(folder) == name]
        themes = [profile.theme_on(folder_served_on(folder) or TODAY) for folder in folders]
        assert all(
            any(theme is dated.theme for theme in themes) for dated in profile.earlier_themes
        ), name
        assert any(theme is profile.theme for theme in themes), name
        # Only the sites still on the CMS have a folder of the theme they serve today.
        assert any(folder != name for folder in folders) == (name not in LEFT_THE_CMS), name


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_folder_has_a_home_page_and_articles(folder: str) -> None:
    site = site_of(folder)
    assert (SITES / folder / "home.json").is_file()
    assert (SITES / folder / "robots.txt").is_file()
    assert list((SITES / folder / "news").glob("*.json"))
    for expected_path in expected_pages(folder):
        assert expected_path.with_suffix(".html").is_file()
        facts = load(expected_path)
        assert len({"article", "front", "not_article"} & set(facts)) == 1, expected_path
        assert facts["url"].startswith(PROFILES[site].home_url.rstrip("/")), expected_path
    # A folder named after a year is in the theme the site serves now.
    today = PROFILES[site].theme_on(TODAY)
    read_with = PROFILES[site].theme_on(folder_served_on(folder) or TODAY)
    assert (read_with is today) == (folder != site or not PROFILES[site].earlier_themes)


@pytest.mark.parametrize(
    ("folder", "expected_path"),
    [
        pytest.param(
            folder,
            path,
            id=page_id(path),
        )
        for folder, path in FIXTURES
    ],
)
def test_fixture_page_gives_its_expected_facts(folder: str, expected_path: Path) -> None:
    expected = load(expected_path)
    page = expected_path.with_suffix(".html").read_text(encoding="utf-8")
    profile = PROFILES[site_of(folder)]
    reading = read_page(page, expected["url"], profile, now=NOW, served_on=served_on(expected))
    kinds = {"article": "article", "front": "front", "not_article": "not an article"}
    assert [reading.kind] == [kinds[key] for key in kinds if key in expected]
    assert reading.problems == []
    wrong = [field.name for field in score(reading.facts, expected) if not field.correct]
    assert wrong == [], json.dumps(reading.facts, ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SnapshotCrawl]:
    """`scrapy crawl <site>` for every folder at once, each against its own fixture server,
    with its own data and state dir."""
    with ExitStack() as stack:
        running = {}
        for folder in FOLDERS:
            server = stack.enter_context(SnapshotServer(root=SITES / folder))
            data_dir = tmp_path_factory.mktemp(folder)
            # The fixture sites have no feeds; a folder of an earlier theme says its day.
            day = folder_served_on(folder)
            arguments = {"sources": "front", **({"served_on": day.isoformat()} if day else {})}
            command = crawl_command(
                server.base_url, data_dir, spider=site_of(folder), spider_args=arguments
            )
            log = (data_dir / "crawl.log").open("w", encoding="utf-8")
            stack.callback(log.close)
            process = subprocess.Popen(command, cwd=PROJECT_DIR, stderr=log)
            stack.callback(stop, process)
            running[folder] = (server, data_dir, process)
        done = {}
        for folder, (server, data_dir, process) in running.items():
            process.wait(timeout=300)
            done[folder] = SnapshotCrawl(
                process.returncode,
                (data_dir / "crawl.log").read_text(encoding="utf-8"),
                list(server.requests),
                sorted(data_dir.rglob("*.jsonl")),
                sorted(data_dir.rglob("reports/*.json")),
            )
    return done


def stop(process: subprocess.Popen[bytes]) -> None:
    """Reap a crawl; one still running when the fixture fails is killed first."""
    if process.poll() is None:
        process.kill()
    process.wait()


@pytest.mark.e2e
@pytest.mark.parametrize("folder", FOLDERS)
def test_crawl_emits_every_fixture_article_with_its_facts(
    crawls: dict[str, SnapshotCrawl], folder: str
) -> None:
    crawl = crawls[folder]
    assert crawl.returncode == 0, crawl.log
    articles = {article["news_id"]: article for article in crawl.records("article")}
    expected = {
        facts["article"]["news_id"]: facts["article"]
        for facts in map(load, expected_pages(folder))
        if "article" in facts
    }
    assert sorted(articles) == sorted(expected)
    assert len(crawl.records("article")) == len(articles)
    for news_id, article in articles.items():
        validate_record(article)
        assert article["site"] == site_of(folder)
        assert urlsplit(article["url"]).path.startswith(f"/fa/news/{news_id}")
        # Image URLs keep the host they were written with, which for relative ones is the
        # fixture server's: compare their paths.
        found = {**article, "images": [image_path(image) for image in article["images"]]}
        want = {**expected[news_id], "images": list(map(image_path, expected[news_id]["images"]))}
        assert {name: found[name] for name in want} == want


@pytest.mark.e2e
@pytest.mark.parametrize("folder", FOLDERS)
def test_crawl_drops_every_page_that_is_no_article_with_its_reason(
    crawls: dict[str, SnapshotCrawl], folder: str
) -> None:
    dropped = crawls[folder].report()["dropped"]
    expected: dict[str, list[str]] = {}
    for path in expected_pages(folder):
        if "not_article" in (facts := load(path)):
            expected.setdefault(facts["not_article"], []).append(page_path(folder, path))
    found = {
        reason: sorted(path_of_article(urlsplit(url).path) for url in dropped[reason]["examples"])
        for reason in expected
        if reason in dropped
    }
    assert found == {reason: sorted(paths) for reason, paths in expected.items()}
    # No other article page was dropped.
    articles_dropped = {
        path_of_article(urlsplit(url).path)
        for reason in dropped
        for url in dropped[reason]["examples"]
        if urlsplit(url).path.startswith("/fa/news/")
    }
    assert articles_dropped == {path for paths in expected.values() for path in paths}


def image_path(image: dict[str, Any]) -> tuple[str, str | None]:
    return urlsplit(image["url"]).path, image["alt"]


@pytest.mark.e2e
@pytest.mark.parametrize("folder", FOLDERS)
def test_crawl_snapshots_the_lists_of_every_front_page(
    crawls: dict[str, SnapshotCrawl], folder: str
) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    for listing in crawls[folder].records("listing"):
        validate_record(listing)
        assert [entry["rank"] for entry in listing["entries"]] == list(
            range(1, len(listing["entries"]) + 1)
        )
        found.setdefault(unquote(urlsplit(listing["page_url"]).path), []).append(
            {
                "block": listing["block"],
                "list": listing["list"],
                "entries": [
                    {key: entry[key] for key in ("news_id", "title", "comment_count")}
                    for entry in listing["entries"]
                ],
            }
        )
    expected = {
        page_path(folder, path): facts["front"]["lists"]
        for path in expected_pages(folder)
        if "front" in (facts := load(path))
    }
    assert found == expected


@pytest.mark.e2e
@pytest.mark.parametrize("folder", FOLDERS)
def test_crawl_visits_every_page_and_each_article_once_but_never_an_article_copy(
    crawls: dict[str, SnapshotCrawl], folder: str
) -> None:
    requested = [unquote(urlsplit(path).path) for path in crawls[folder].requests]
    assert requested[0] == "/robots.txt"
    pages = {page_path(folder, path) for path in expected_pages(folder)}
    fetched = {
        path if not path.startswith("/fa/news/") else path_of_article(path) for path in requested
    }
    assert pages <= fetched
    article_paths = [path for path in requested if path.startswith("/fa/news/")]
    assert len(article_paths) == len({path_of_article(path) for path in article_paths})
    assert not [p for p in requested if p.split("/")[2:3] in (["print"], ["send"], ["save"])]


def path_of_article(path: str) -> str:
    """/fa/news/<id>, whatever slug the article was linked with."""
    return "/".join(path.split("/")[:4])


@pytest.mark.e2e
def test_kayhan_crawl_follows_the_print_issue_page_by_page(
    crawls: dict[str, SnapshotCrawl],
) -> None:
    requested = {unquote(urlsplit(path).path) for path in crawls["kayhan"].requests}
    assert {"/fa/issue/1300/1", "/fa/issue/1300/2", "/fa/issue/1300/3"} <= requested
    # The print copy of an article exists on the server but is never fetched.
    assert (SITES / "kayhan" / "pages" / "fa" / "print" / "130003.html").is_file()
    assert "/fa/print/130003" not in requested


def test_served_on_picks_the_theme_of_a_saved_copy_or_is_refused() -> None:
    assert KayhanSpider().served_on is None
    assert KayhanSpider(served_on="2018-03-17").served_on == date(2018, 3, 17)
    for bad in ("1396-12-26x", "17 March 2018", "2018-02-30", "2999-01-01", ""):
        with pytest.raises(SpiderArgumentError, match=r"^kayhan: served_on="):
            KayhanSpider(served_on=bad)
