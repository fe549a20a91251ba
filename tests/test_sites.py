"""Every site of the family on its fixture pages (tests/sites/<site>/, see its README).

Each page is read with its site's profile and must give exactly the facts of the JSON beside it;
then `scrapy crawl <site> -a base_url=...` runs against each site's pages served over real HTTP
on 127.0.0.1, and its records must be those facts.
"""

import json
import subprocess
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from newsbot.schema import validate_record
from newsbot.sites.profiles import PROFILES
from newsbot.tools.profile_check import read_page, score
from snapshot.crawl import PROJECT_DIR, SnapshotCrawl, crawl_command
from snapshot.server import SnapshotServer

SITES = Path(__file__).parent / "sites"
NOW = "2026-11-26T10:00:00+00:00"


def expected_pages(site: str) -> list[Path]:
    return sorted((SITES / site).rglob("*.json"))


def load(expected_path: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(expected_path.read_text(encoding="utf-8"))
    return expected


def page_path(site: str, expected_path: Path) -> str:
    """The path the fixture server answers a page at (home.html → /, pages/fa/x.html → /fa/x,
    news/<id>.html → /fa/news/<id>)."""
    relative = expected_path.relative_to(SITES / site).with_suffix("").as_posix()
    if relative == "home":
        return "/"
    if relative.startswith("news/"):
        return "/fa/" + relative
    return relative.removeprefix("pages")


FIXTURES = [(site, path) for site in PROFILES for path in expected_pages(site)]


@pytest.mark.parametrize("site", sorted(PROFILES))
def test_every_site_has_a_home_page_and_articles(site: str) -> None:
    assert (SITES / site / "home.json").is_file()
    assert (SITES / site / "robots.txt").is_file()
    assert list((SITES / site / "news").glob("*.json"))
    for expected_path in expected_pages(site):
        assert expected_path.with_suffix(".html").is_file()
        facts = load(expected_path)
        assert ("article" in facts) != ("front" in facts), expected_path
        assert facts["url"].startswith(PROFILES[site].home_url.rstrip("/")), expected_path


@pytest.mark.parametrize(
    ("site", "expected_path"),
    FIXTURES,
    ids=[str(path.relative_to(SITES).with_suffix("")) for _, path in FIXTURES],
)
def test_fixture_page_gives_its_expected_facts(site: str, expected_path: Path) -> None:
    expected = load(expected_path)
    page = expected_path.with_suffix(".html").read_text(encoding="utf-8")
    reading = read_page(page, expected["url"], PROFILES[site], now=NOW)
    assert reading.kind == ("article" if "article" in expected else "front")
    assert reading.problems == []
    wrong = [field.name for field in score(reading.facts, expected) if not field.correct]
    assert wrong == [], json.dumps(reading.facts, ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SnapshotCrawl]:
    """`scrapy crawl <site>` for every site at once, each against its own fixture server."""
    with ExitStack() as stack:
        running = {}
        for site in PROFILES:
            server = stack.enter_context(SnapshotServer(root=SITES / site))
            data_dir = tmp_path_factory.mktemp(site)
            # The fixture sites have no feeds.
            command = crawl_command(
                server.base_url, data_dir, spider=site, spider_args={"sources": "front"}
            )
            log = (data_dir / "crawl.log").open("w", encoding="utf-8")
            stack.callback(log.close)
            process = subprocess.Popen(command, cwd=PROJECT_DIR, stderr=log)
            stack.callback(stop, process)
            running[site] = (server, data_dir, process)
        done = {}
        for site, (server, data_dir, process) in running.items():
            process.wait(timeout=300)
            done[site] = SnapshotCrawl(
                process.returncode,
                (data_dir / "crawl.log").read_text(encoding="utf-8"),
                list(server.requests),
                sorted(data_dir.rglob("*.jsonl")),
            )
    return done


def stop(process: subprocess.Popen[bytes]) -> None:
    """Reap a crawl; one still running when the fixture fails is killed first."""
    if process.poll() is None:
        process.kill()
    process.wait()


@pytest.mark.e2e
@pytest.mark.parametrize("site", sorted(PROFILES))
def test_crawl_emits_every_fixture_article_with_its_facts(
    crawls: dict[str, SnapshotCrawl], site: str
) -> None:
    crawl = crawls[site]
    assert crawl.returncode == 0, crawl.log
    articles = {article["news_id"]: article for article in crawl.records("article")}
    expected = {
        facts["article"]["news_id"]: facts["article"]
        for facts in map(load, expected_pages(site))
        if "article" in facts
    }
    assert sorted(articles) == sorted(expected)
    assert len(crawl.records("article")) == len(articles)
    for news_id, article in articles.items():
        validate_record(article)
        assert article["site"] == site
        assert urlsplit(article["url"]).path.startswith(f"/fa/news/{news_id}")
        # Image URLs keep the host they were written with, which for relative ones is the
        # fixture server's: compare their paths.
        found = {**article, "images": [image_path(image) for image in article["images"]]}
        want = {**expected[news_id], "images": list(map(image_path, expected[news_id]["images"]))}
        assert {name: found[name] for name in want} == want


def image_path(image: dict[str, Any]) -> tuple[str, str | None]:
    return urlsplit(image["url"]).path, image["alt"]


@pytest.mark.e2e
@pytest.mark.parametrize("site", sorted(PROFILES))
def test_crawl_snapshots_the_lists_of_every_front_page(
    crawls: dict[str, SnapshotCrawl], site: str
) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    for listing in crawls[site].records("listing"):
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
        page_path(site, path): facts["front"]["lists"]
        for path in expected_pages(site)
        if "front" in (facts := load(path))
    }
    assert found == expected


@pytest.mark.e2e
@pytest.mark.parametrize("site", sorted(PROFILES))
def test_crawl_visits_every_page_and_each_article_once_but_never_an_article_copy(
    crawls: dict[str, SnapshotCrawl], site: str
) -> None:
    requested = [unquote(urlsplit(path).path) for path in crawls[site].requests]
    assert requested[0] == "/robots.txt"
    pages = {page_path(site, path) for path in expected_pages(site)}
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
