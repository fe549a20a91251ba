"""Any site of the family: the catalog, the CMS check on home pages, `scrapy crawl iransamaneh
-a site=...` over real HTTP on 127.0.0.1 (a site without a profile, a site that left the CMS),
and `newsbot extract` / `newsbot profile check` on hosts without a profile."""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from newsbot.crawl.arguments import SpiderArgumentError
from newsbot.crawl.family import FamilySpider
from newsbot.extract.cms import CmsEvidence, detect_cms
from newsbot.schema import validate_record
from newsbot.sites.catalog import (
    CATALOG,
    SITES,
    family_profile,
    family_profile_for_url,
    has_own_profile,
)
from newsbot.sites.profiles import IRIBNEWS, PROFILES, Theme
from newsbot.tools.cli import main
from snapshot.crawl import PROJECT_DIR, SnapshotCrawl, crawl_snapshot
from snapshot.server import SnapshotServer

SITES_DIR = Path(__file__).parent / "sites"
NOT_ON_CMS = SITES_DIR / "not-on-cms"
TRUTH: dict[str, Any] = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
# A fixture site in the CMS's default markup, crawled under a host no catalog entry names.
UNLISTED_HOST = "news.example-site.ir"
UNLISTED_SITE = SITES_DIR / "basijnews"


class Family(FamilySpider):
    name = "family"


# --- the catalog ---------------------------------------------------------------------------


def test_catalog_names_follow_the_rule_of_site_names() -> None:
    assert len(SITES) == len(CATALOG)
    for site in CATALOG:
        # Named by the first label of the domain, as the sites with profiles are, and fit
        # for the records' `site` field.
        assert site.name == site.hosts[0].removeprefix("www.").split(".")[0]
        assert re.fullmatch(r"[a-z0-9]+", site.name)
        assert site.home_url == f"https://{site.hosts[0]}/"
        assert site.persian_name is None or not re.search(r"[A-Za-z]", site.persian_name)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_site_with_a_profile_is_in_the_catalog_and_gets_its_profile(name: str) -> None:
    profile = PROFILES[name]
    assert set(SITES[name].hosts) == set(profile.hosts)
    assert family_profile(name) is profile
    for host in profile.hosts:
        assert family_profile(host) is profile
        assert family_profile(host.upper() + ".") is profile
    assert has_own_profile(profile)


def test_the_sites_the_evidence_lists_are_in_the_catalog() -> None:
    hosts = {host for site in CATALOG for host in site.hosts}
    # live-themes.md, "The CMS family as a whole", and site-notes.md.
    listed = [
        "aftabnews.ir", "seratnews.com", "iqna.ir", "ana.press", "tabnak.ir", "snn.ir", "yjc.ir",
        "asriran.com", "bultannews.com", "boursenews.ir", "fararu.com", "parsine.com",
        "iribnews.ir", "mizanonline.ir", "kayhan.ir", "basijnews.ir", "shahraranews.ir",
        "rasanews.ir", "didarnews.ir", "javanonline.ir", "jamejamonline.ir", "borna.news",
        "defapress.ir", "598.ir", "8sobh.ir", "tabnakbato.ir", "khabaredagh.ir", "nesfejahan.net",
        "shohadayeiran.com", "bartarinha.ir", "fardanews.com", "entekhab.ir", "shafaf.ir",
        "titrnews.ir", "sobhanehonline.com",
    ]  # fmt: skip
    assert set(listed) <= hosts
    assert len(CATALOG) == len(listed)


@pytest.mark.parametrize(
    "given", ["aftabnews", "aftabnews.ir", "www.aftabnews.ir", "AftabNews.IR."]
)
def test_a_catalog_site_without_a_profile_gets_the_cms_defaults_on_its_hosts(given: str) -> None:
    profile = family_profile(given)
    assert profile.name == "aftabnews"
    assert profile.home_url == "https://aftabnews.ir/"
    assert profile.hosts == ("aftabnews.ir", "www.aftabnews.ir")
    assert profile.theme == Theme()
    assert profile.earlier_themes == ()
    assert not has_own_profile(profile)
    assert SITES["aftabnews"].persian_name == "آفتاب نیوز"


@pytest.mark.parametrize(
    ("host", "name", "hosts"),
    [
        (UNLISTED_HOST, "newsexamplesiteir", (UNLISTED_HOST, f"www.{UNLISTED_HOST}")),
        ("www.example.com", "examplecom", ("www.example.com", "example.com")),
    ],
)
def test_any_other_host_is_crawled_under_a_name_made_of_all_its_labels(
    host: str, name: str, hosts: tuple[str, ...]
) -> None:
    profile = family_profile(host)
    assert (profile.name, profile.hosts, profile.home_url) == (name, hosts, f"https://{host}/")
    assert profile.theme == Theme()
    assert family_profile_for_url(f"http://{host}/fa/news/1") == profile


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "is neither a known site nor a host name; known sites: 598, 8sobh, aftabnews, ana, "),
        ("example", "is neither a known site nor a host name"),
        ("127.0.0.1", "is neither a known site nor a host name"),
        ("-aftab.ir", "is neither a known site nor a host name"),
        ("aftab news.ir", "is neither a known site nor a host name"),
        ("https://www.aftabnews.ir/", "give the site's name or host (site=www.aftabnews.ir)"),
        ("aftabnews.ir:8080", "a mirror or a local copy is base_url=http://host:port"),
    ],
)
def test_what_is_neither_a_name_nor_a_host_is_refused_saying_why(given: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        family_profile(given)


def test_pages_of_any_url_get_a_profile() -> None:
    assert family_profile_for_url("https://yazd.iribnews.ir/fa/news/60536") is IRIBNEWS
    assert family_profile_for_url("https://www.aftabnews.ir/fa/news/1").name == "aftabnews"
    with pytest.raises(ValueError, match="names no host"):
        family_profile_for_url("/fa/news/1")


# --- the CMS check -------------------------------------------------------------------------


def test_real_home_pages_of_2018_were_on_the_cms(real_pages: Path) -> None:
    # Script names and /fa/news/<id> counts read from the files with grep:
    # grep -o 'lib.iransamaneh_[0-9]*.js' FILE; grep -o '/fa/news/[0-9]*' FILE | sort -u | wc -l
    expected = {
        "iribnews_home_1396-12-27.html": ("lib.iransamaneh_45985.js", 93),
        "fardanews_home_1396-12-28.html": ("lib.iransamaneh_46107.js", 187),
        "kayhan_home.html": ("lib.iransamaneh_39322.js", 15),
    }
    for name, (script, article_links) in expected.items():
        evidence = detect_cms((real_pages / name).read_text(encoding="utf-8"), "http://x.ir/")
        assert evidence.theme_scripts == (script,)
        assert evidence.credit
        assert evidence.article_links == article_links
        assert evidence.on_cms and not evidence.by_links_alone


def test_a_home_page_without_the_cms_marks_is_not_on_it_and_says_what_it_shows() -> None:
    page = (NOT_ON_CMS / "home.html").read_text(encoding="utf-8")
    evidence = detect_cms(page, "https://www.fardanews.com/")
    assert evidence == CmsEvidence(
        theme_scripts=(),
        credit=False,
        article_links=0,
        generator=None,
        title="فردا | پایگاه خبری",
        numbered_links=("/news/<id>", 3),
    )
    assert not evidence.on_cms
    assert evidence.verdict("www.fardanews.com") == (
        "www.fardanews.com is not on the IranSamaneh CMS: no lib.iransamaneh script, no "
        "credit, 0 /fa/news/<id> links; found title «فردا | پایگاه خبری», 3 links like /news/<id>"
    )


def test_each_mark_of_the_cms_is_read_alone() -> None:
    script = detect_cms(
        '<html><head><script src="/client/themes/fa/main/js/lib.iransamaneh_1.js?v=2">'
        "</script></head><body></body></html>",
        "https://x.ir/",
    )
    assert script.theme_scripts == ("lib.iransamaneh_1.js",) and script.on_cms
    credit = detect_cms(
        '<div class="iransamaneh">طراحی و تولید: <a href="http://www.iransamaneh.com">'
        "ایران سامانه</a></div>",
        "https://x.ir/",
    )
    assert credit.credit and credit.on_cms and not credit.by_links_alone
    links = detect_cms('<a href="/fa/news/12/x">a</a><a href="/fa/news/12">b</a>', "https://x.ir/")
    assert links.article_links == 1 and links.on_cms and links.by_links_alone
    assert links.verdict("x.ir") == (
        "x.ir is on the IranSamaneh CMS: no lib.iransamaneh script, no credit, "
        "1 /fa/news/<id> links (by its article URLs alone: a site that left the CMS may keep them)"
    )


def test_what_else_a_page_shows_is_reported() -> None:
    evidence = detect_cms(
        '<html><head><meta name="Generator" content="OtherCMS 4.2"><title></title></head>'
        '<body><a href="/">home</a><a href="https://www.iransamaneh.org/">x</a></body></html>',
        "https://x.ir/",
    )
    assert not evidence.on_cms
    assert evidence.other() == "generator «OtherCMS 4.2»"
    assert (
        detect_cms("<html></html>", "https://x.ir/")
        .verdict("x.ir")
        .endswith("; found nothing else that identifies it")
    )


# --- the spider ----------------------------------------------------------------------------


def test_the_site_argument_picks_the_profile_the_name_and_the_mirror_mapping() -> None:
    spider = Family(site="www.aftabnews.ir", base_url="http://127.0.0.1:8000")
    assert spider.name == "aftabnews"
    assert spider.profile.hosts == ("aftabnews.ir", "www.aftabnews.ir")
    assert spider.scope.home_url == "http://127.0.0.1:8000/"
    for host in spider.profile.hosts:
        assert spider.scope.to_fetch(f"https://{host}/fa/news/7/x") == (
            "http://127.0.0.1:8000/fa/news/7/x"
        )
    assert spider.scope.to_fetch("https://www.tabnak.ir/fa/news/7") is None
    assert Family(site="tabnak.ir").profile is PROFILES["tabnak"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "family: the spider argument site is missing"),
        ({"site": "example"}, "family: site='example' is neither a known site nor a host name"),
        ({"site": "aftabnews.ir", "since": "1402-13-01"}, "aftabnews: "),
        ({"site": "aftabnews.ir", "name": "x"}, "aftabnews: unknown spider argument 'name'"),
    ],
)
def test_spider_arguments_are_checked_before_any_request(
    arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(SpiderArgumentError, match=re.escape(message)):
        Family(**arguments)


@pytest.mark.e2e
def test_a_crawl_without_a_site_ends_with_status_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "iransamaneh",
            "-s",
            f"NEWSBOT_DATA_DIR={tmp_path}",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "scrapy crawl: error: iransamaneh: the spider argument site is missing" in done.stderr


@pytest.fixture(scope="module")
def unlisted(tmp_path_factory: pytest.TempPathFactory) -> SnapshotCrawl:
    return crawl_snapshot(
        tmp_path_factory.mktemp("data"),
        spider="iransamaneh",
        # The fixture sites have no RSS feed, and a missing feed is exit status 7.
        spider_args={"site": UNLISTED_HOST, "sources": "front"},
        root=UNLISTED_SITE,
    )


@pytest.mark.e2e
def test_a_site_without_a_profile_is_crawled_with_the_cms_defaults(
    unlisted: SnapshotCrawl,
) -> None:
    assert unlisted.returncode == 0, unlisted.log
    expected = {
        facts["article"]["news_id"]: facts["article"]
        for path in sorted((UNLISTED_SITE / "news").glob("*.json"))
        if (facts := json.loads(path.read_text(encoding="utf-8")))
    }
    articles = {article["news_id"]: article for article in unlisted.records("article")}
    assert sorted(articles) == sorted(expected)
    for news_id, article in articles.items():
        validate_record(article)
        assert article["site"] == "newsexamplesiteir"
        assert {name: article[name] for name in expected[news_id]} == expected[news_id]
    lists = {
        (unquote(urlsplit(x["page_url"]).path), x["block"], x["list"]): len(x["entries"])
        for x in unlisted.records("listing")
    }
    # tests/sites/basijnews/home.json and pages/fa/services/3.json
    assert lists == {
        ("/", "ticker", "latest"): 1,
        ("/", "sidebar", "latest"): 1,
        ("/", "tabs", "most_viewed"): 1,
        ("/", "tabs", "most_discussed"): 0,
        ("/fa/services/3", "sidebar", "latest"): 1,
        ("/fa/services/3", "tabs", "most_viewed"): 1,
        ("/fa/services/3", "tabs", "most_discussed"): 0,
    }


@pytest.mark.e2e
def test_the_site_is_checked_first_and_everything_is_written_under_its_name(
    unlisted: SnapshotCrawl,
) -> None:
    assert unlisted.requests[:2] == ["/robots.txt", "/"]
    assert unlisted.requests.count("/") == 1
    assert {feed.parent.name for feed in unlisted.feeds} == {"newsexamplesiteir"}
    [report_path] = unlisted.reports
    assert report_path.parent.parent.name == "newsexamplesiteir"
    assert (report_path.parents[2] / "state" / "newsexamplesiteir.sqlite3").is_file()
    report = unlisted.report()
    assert report["site"] == "newsexamplesiteir"
    assert report["status"] == "ok"
    assert report["cms"] == {
        "on_cms": True,
        "theme_scripts": [],
        "credit": False,
        "article_links": 2,
        "generator": None,
        "title": "خبرگزاری بسیج",
        "numbered_links": ["/fa/news/<id>", 2],
    }
    assert (
        "WARNING: news.example-site.ir (at http://127.0.0.1:" in unlisted.log
        and ") is on the IranSamaneh CMS: no lib.iransamaneh script, no credit, 2 /fa/news/<id> "
        "links (by its article URLs alone"
        in unlisted.log
    )


FAMILY_2025 = SITES_DIR / "family-2025"


@pytest.fixture(scope="module")
def family_2025(tmp_path_factory: pytest.TempPathFactory) -> SnapshotCrawl:
    return crawl_snapshot(
        tmp_path_factory.mktemp("data"),
        spider="iransamaneh",
        spider_args={"site": "www.aftabnews.ir", "sources": "front"},
        root=FAMILY_2025,
    )


def expected_facts(site: Path, kind: str) -> dict[str, Any]:
    """The expected facts of a fixture site's pages of one kind, by the path they are served at."""
    found = {}
    for path in sorted(site.rglob("*.json")):
        facts = json.loads(path.read_text(encoding="utf-8"))
        if kind in facts:
            found[unquote(urlsplit(facts["url"]).path)] = facts[kind]
    return found


@pytest.mark.e2e
def test_a_catalog_site_without_a_profile_in_todays_theme_is_checked_and_crawled(
    family_2025: SnapshotCrawl,
) -> None:
    assert family_2025.returncode == 0, family_2025.log
    assert family_2025.report()["cms"] == {
        "on_cms": True,
        "theme_scripts": ["lib.iransamaneh_49990.js"],
        "credit": True,
        # grep -o 'href="[^"]*"' tests/sites/family-2025/home.html | grep -o '/fa/news/[0-9]*'
        "article_links": 7,
        "generator": None,
        "title": "آفتاب",
        "numbered_links": ["/fa/news/<id>", 7],
    }
    lists: dict[str, list[dict[str, Any]]] = {}
    for listing in family_2025.records("listing"):
        assert listing["site"] == "aftabnews"
        lists.setdefault(unquote(urlsplit(listing["page_url"]).path), []).append(
            {
                "block": listing["block"],
                "list": listing["list"],
                "entries": [
                    {key: entry[key] for key in ("news_id", "title", "comment_count")}
                    for entry in listing["entries"]
                ],
            }
        )
    assert lists == {
        path: front["lists"] for path, front in expected_facts(FAMILY_2025, "front").items()
    }
    articles = [
        "/".join(path.split("/")[:4])
        for path in map(unquote, family_2025.requests)
        if path.startswith("/fa/news/")
    ]
    assert sorted(articles) == sorted(expected_facts(FAMILY_2025, "article"))


def image_path(image: dict[str, Any]) -> tuple[str, str | None]:
    """An image as a crawl of a mirror emits it: at the mirror's host, so compared by path."""
    return urlsplit(image["url"]).path, image["alt"]


@pytest.mark.e2e
def test_a_catalog_site_without_a_profile_in_todays_theme_gives_every_article(
    family_2025: SnapshotCrawl,
) -> None:
    articles = {
        f"/fa/news/{article['news_id']}": article for article in family_2025.records("article")
    }
    expected = expected_facts(FAMILY_2025, "article")
    assert sorted(articles) == sorted(expected)
    for path, article in articles.items():
        assert article["site"] == "aftabnews"
        found = {name: article[name] for name in expected[path]}
        found["images"] = list(map(image_path, found["images"]))
        want = {**expected[path], "images": list(map(image_path, expected[path]["images"]))}
        assert found == want


@pytest.mark.e2e
def test_a_site_with_a_profile_uses_it_and_the_feed_alone_still_needs_the_home_page(
    tmp_path: Path,
) -> None:
    crawl = crawl_snapshot(
        tmp_path, spider="iransamaneh", spider_args={"site": "iribnews.ir", "sources": "rss"}
    )
    assert crawl.returncode == 0, crawl.log
    assert crawl.requests[:3] == ["/robots.txt", "/", "/fa/rss/allnews"]
    assert crawl.records("listing") == []
    emitted = sorted(article["news_id"] for article in crawl.records("article"))
    # snapshot/truth.json: the feed's articles but 3900090, which robots.txt disallows.
    assert emitted == sorted(set(TRUTH["feeds"]["/fa/rss/allnews"]) - {3900090})
    assert {article["site"] for article in crawl.records("article")} == {"iribnews"}
    report = crawl.report()
    assert report["pages"]["cms_check"] == 1 and "front" not in report["pages"]
    assert report["cms"]["theme_scripts"] == ["lib.iransamaneh_46001.js"]
    assert "INFO: www.iribnews.ir (at http://127.0.0.1:" in crawl.log


@pytest.mark.e2e
def test_a_site_that_left_the_cms_ends_the_crawl_at_once_with_status_5(tmp_path: Path) -> None:
    crawl = crawl_snapshot(
        tmp_path, spider="iransamaneh", spider_args={"site": "www.fardanews.com"}, root=NOT_ON_CMS
    )
    assert crawl.returncode == 5, crawl.log
    # Nothing after the home page: not the feed, not the article it links.
    assert crawl.requests == ["/robots.txt", "/"]
    [line] = [line for line in crawl.log.splitlines() if "IranSamaneh CMS" in line]
    assert re.fullmatch(
        r"\S+ \S+ \[newsbot\.crawl\.family\] ERROR: www\.fardanews\.com "
        r"\(at http://127\.0\.0\.1:\d+\) is not on the IranSamaneh CMS: no lib\.iransamaneh "
        r"script, no credit, 0 /fa/news/<id> links; found title «فردا \| پایگاه خبری», "
        r"3 links like /news/<id>\. The crawl ends here\.",
        line,
    )
    assert crawl.feeds == []
    report = crawl.report()
    assert (report["site"], report["status"], report["finish_reason"]) == (
        "fardanews",
        "not_on_cms",
        "not_on_cms",
    )
    assert report["cms"]["on_cms"] is False
    assert report["pages"] == {}


@pytest.mark.e2e
def test_a_home_page_that_cannot_be_read_stops_the_crawl_before_anything_else(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    crawl = crawl_snapshot(
        tmp_path / "data",
        spider="iransamaneh",
        spider_args={"site": "aftabnews.ir", "sources": "front"},
        root=site,
    )
    assert crawl.requests == ["/robots.txt", "/"]
    assert re.search(
        r"ERROR: Cannot tell whether aftabnews\.ir \(at http://127\.0\.0\.1:\d+\) is on the "
        r"IranSamaneh CMS: its home page gave http_404\. Nothing else is fetched\.",
        crawl.log,
    )
    assert crawl.report()["cms"] is None


# --- the tools -----------------------------------------------------------------------------


def test_extract_reads_a_page_of_a_host_without_a_profile(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = UNLISTED_SITE / "news" / "9800001.html"
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["article"]
    url = f"https://{UNLISTED_HOST}/fa/news/9800001"
    assert main(["extract", str(page), "--url", url]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["site"], record["url"]) == ("newsexamplesiteir", url)
    assert {name: record[name] for name in expected} == expected


def test_profile_check_takes_any_host(capsys: pytest.CaptureFixture[str]) -> None:
    page = UNLISTED_SITE / "news" / "9800002.html"
    url = "https://www.aftabnews.ir/fa/news/9800002"
    assert main(["profile", "check", "www.aftabnews.ir", str(page), "--url", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"aftabnews {page}\n  article  {url}\n")
    assert "  found    published_at         2021-07-20T11:05:00+04:30" in out
    with SnapshotServer(root=NOT_ON_CMS) as server:
        assert main(["profile", "check", UNLISTED_HOST, f"{server.base_url}/"]) == 1
    assert "  missing: menu, latest, most_viewed, most_discussed" in capsys.readouterr().out
