"""Backfills on archives as real sites serve them (issue 10, item 9): entries without dates,
100 a page, filtered by the server from the query's Jalali from_date/to_date, under a pager.
One loopback backfill per archive markup of the evidence (tests/archives/, pages written for
newsbot): each requests every article its range lists once, and stops at the range's end."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from snapshot.crawl import SnapshotCrawl, crawl_snapshot

pytestmark = pytest.mark.e2e  # every test here runs `scrapy crawl` in a subprocess

ARCHIVES = Path(__file__).parent / "archives"
KHORDAD_1402 = {"since": "1402-03-01", "until": "1402-03-31"}


@dataclass(frozen=True)
class Walk:
    spider: str
    # Expected, by hand from the fixture pages and their articles' own dates:
    pages: list[int]  # archive pages requested, in order
    requested: set[int]  # articles requested, each once
    emitted: set[int]  # articles emitted: published in the range
    end: str  # why the walk ended
    # (article, page): the article whose own date decided that the walk goes on to the page.
    decided_by: list[tuple[int, int]]


WALKS = {
    # The server kept to the range: two pages, the pager's last without a next link.
    "tabnak-2014": Walk(
        "tabnak",
        [1, 2],
        {1101, 1102, 1103, 1104, 1105, 1106},
        {1101, 1102, 1103, 1104, 1105, 1106},
        "Archive walk ends at page 2: the pager shows no next page",
        [(1101, 2)],
    ),
    # The server ignored the range: the walk stops when the newest article of page 3 turns out
    # older than it; 2204 is missing (404), so 2205 decides page 2; the ticker is not read.
    "asriran-2014": Walk(
        "asriran",
        [1, 2, 3],
        {2201, 2202, 2203, 2204, 2205, 2206, 2207},
        {2203, 2205, 2206},
        "Archive walk ends at page 3: its newest article fetched (",
        [(2201, 2), (2205, 3)],
    ),
    "tabnak-2025": Walk(
        "tabnak",
        [1, 2, 3],
        {3301, 3302, 3303, 3304, 3305, 3306, 3307},
        {3301, 3302, 3303, 3304, 3305, 3306, 3307},
        "Archive walk ends at page 3: the pager shows no next page",
        [(3301, 2), (3304, 3)],
    ),
    # No pager: the empty page after the range, and two pages that are not there.
    "entekhab": Walk(
        "entekhab",
        [1, 2, 3, 4, 5],
        {4401, 4402, 4403, 4404, 4405, 4406, 4407, 4408},
        {4401, 4402, 4403, 4404, 4405, 4406, 4407, 4408},
        "Archive walk ends at page 5: 3 pages in a row gave no articles",
        [(4401, 2), (4406, 3)],
    ),
}


def site(tmp_path: Path, markup: str) -> Path:
    """A site serving one markup's archive pages and the articles they list."""
    root = tmp_path / "site"
    (root / "pages" / "fa").mkdir(parents=True)
    (root / "robots.txt").write_bytes((ARCHIVES / "robots.txt").read_bytes())
    (root / "news").symlink_to(ARCHIVES / "news")
    (root / "pages" / "fa" / "archive").symlink_to(ARCHIVES / markup)
    return root


def archive_requests(crawl: SnapshotCrawl) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(p).query) for p in crawl.requests if p.startswith("/fa/archive")]


def article_requests(crawl: SnapshotCrawl) -> Counter[int]:
    return Counter(int(p.split("/")[3]) for p in crawl.requests if p.startswith("/fa/news/"))


@pytest.fixture(scope="module", params=sorted(WALKS))
def walk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Walk, SnapshotCrawl]:
    markup: str = request.param
    tmp_path = tmp_path_factory.mktemp(markup)
    expected = WALKS[markup]
    crawl = crawl_snapshot(
        tmp_path / "data",
        spider=expected.spider,
        spider_args=KHORDAD_1402,
        root=site(tmp_path, markup),
    )
    assert crawl.returncode == 0, crawl.log
    return expected, crawl


def test_every_listed_article_of_the_range_is_requested_once(
    walk: tuple[Walk, SnapshotCrawl],
) -> None:
    expected, crawl = walk
    assert article_requests(crawl) == Counter(dict.fromkeys(expected.requested, 1))
    assert {r["news_id"] for r in crawl.records("article")} == expected.emitted
    assert len(crawl.records("article")) == len(expected.emitted)


def test_the_walk_pages_with_the_archive_forms_query_and_stops_at_the_end_of_the_range(
    walk: tuple[Walk, SnapshotCrawl],
) -> None:
    expected, crawl = walk
    queries = archive_requests(crawl)
    assert [int(query["p"][0]) for query in queries] == expected.pages
    for query in queries:
        assert {name: values for name, values in query.items() if name != "p"} == {
            "service_id": ["-1"],
            "sec_id": ["-1"],
            "cat_id": ["-1"],
            "rpp": ["100"],
            "from_date": ["1402/03/01"],
            "to_date": ["1402/03/31"],
        }
    assert expected.end in crawl.log
    assert crawl.report()["status"] == "ok"


def test_an_undated_page_waits_for_its_newest_article(walk: tuple[Walk, SnapshotCrawl]) -> None:
    """Where entries show no date and the pager goes on, the next page is requested only once
    the page's first article (or, if it gives no date, the next) has been read."""
    expected, crawl = walk

    def first(wanted: str) -> int:
        return next(n for n, path in enumerate(crawl.requests) if wanted in path)

    for news_id, page in expected.decided_by:
        assert first(f"/fa/news/{news_id}/") < first(f"&p={page}")


def test_asr_irans_older_archive_is_read_by_its_earlier_theme_and_said_once(tmp_path: Path) -> None:
    crawl = crawl_snapshot(
        tmp_path / "data",
        spider="asriran",
        spider_args=KHORDAD_1402,
        root=site(tmp_path, "asriran-2014"),
    )
    assert crawl.returncode == 0, crawl.log
    assert crawl.log.count("were read with that of the theme valid until 2019-01-01") == 1
    report = crawl.report()
    assert report["dropped"]["out_of_range"]["count"] == 3  # 2201 and 2202 newer, 2207 older
    assert report["dropped"]["http_404"]["count"] == 1  # 2204
    assert not any(2290 <= news_id < 2300 for news_id in article_requests(crawl))  # the ticker
    assert "published on 1402-02-31, before the range" in crawl.log
