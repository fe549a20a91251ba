"""Raw pages as WARC (newsbot.crawl.warc) and `newsbot reparse` / `newsbot extract` on them.

The done-when of issue 14: a reparse of the demo crawl's WARC file reproduces its feeds record
for record. What must differ, and only that: `crawled_at` and `captured_at`, which the crawl
reads from the clock when its callback parses the page, and the reparse from the archive's
capture time (WARC-Date, taken when the response arrived, a moment earlier): the reparse's
time is at most 2 s before the crawl's.
"""

import gzip
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbot.crawl.warc import WarcArchive
from newsbot.sites.profiles import PROFILES
from newsbot.tools.cli import main
from newsbot.tools.reparse import archived_pages, reparse
from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, SnapshotCrawl, crawl_snapshot
from snapshot.server import DEFAULT_ROOT

SITE = "iribnews"
WARC_ON = {**LOCAL_SETTINGS, "NEWSBOT_WARC_ENABLED": "True"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[SnapshotCrawl, Path]:
    data = tmp_path_factory.mktemp("data")
    crawl = crawl_snapshot(data, settings=WARC_ON)
    assert crawl.returncode == 0, crawl.log
    [warc] = (data / SITE / "warc").iterdir()
    return crawl, warc


def by_identity(records: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Records by what identifies them in one crawl: an article by its news id, a snapshot by
    its page, list and block."""
    keyed = {}
    for record in records:
        if record["type"] == "article":
            key: tuple[Any, ...] = ("article", record["news_id"])
        else:
            key = ("listing", record["page_url"], record["list"], record["block"])
        assert key not in keyed, key
        keyed[key] = record
    return keyed


@pytest.mark.e2e
def test_the_demo_archives_every_response_in_one_whole_warc_file(
    demo: tuple[SnapshotCrawl, Path],
) -> None:
    crawl, warc = demo
    assert warc.name.endswith(".warc.gz") and warc.name[:4].isdigit()
    assert not list(warc.parent.glob("*.part"))
    # Each record is its own gzip member; the responses are those the server answered.
    text = gzip.decompress(warc.read_bytes()).decode("utf-8", "replace")
    assert text.count("WARC-Type: response") == len(crawl.requests)
    assert text.count("WARC-Type: warcinfo") == 1 and "newsbot-site: iribnews" in text
    assert "Newsbot-Page-Kind: article" in text and "Newsbot-Page-Kind: front" in text


@pytest.mark.e2e
def test_reparse_reproduces_the_demo_feeds_record_for_record(
    demo: tuple[SnapshotCrawl, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crawl, warc = demo
    assert main(["reparse", str(warc), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    stem = warc.name.removesuffix(".warc.gz")
    rebuilt_feeds = sorted((tmp_path / SITE).iterdir())
    assert [feed.name for feed in rebuilt_feeds] == [
        f"articles-{stem}.jsonl",
        f"listings-{stem}.jsonl",
    ]
    rebuilt = [
        json.loads(line) for feed in rebuilt_feeds for line in feed.read_text("utf-8").splitlines()
    ]
    original = crawl.records("article") + crawl.records("listing")
    assert len(rebuilt) == len(original) == 36 + 31
    originals, rebuilds = by_identity(original), by_identity(rebuilt)
    assert originals.keys() == rebuilds.keys()
    for key, record in originals.items():
        again = dict(rebuilds[key])
        clock = "crawled_at" if record["type"] == "article" else "captured_at"
        lag = datetime.fromisoformat(record[clock]) - datetime.fromisoformat(again.pop(clock))
        assert 0 <= lag.total_seconds() <= 2, key
        assert {k: v for k, v in record.items() if k != clock} == again, key
    # The two article pages the crawl dropped are dropped again, for the same reasons.
    assert "dropped: missing_body 1, not_an_article 1" in out
    assert crawl.report()["dropped"].keys() >= {"missing_body", "not_an_article"}


@pytest.mark.e2e
def test_reparse_numbers_revisions_over_the_warc_files(
    demo: tuple[SnapshotCrawl, Path], tmp_path: Path
) -> None:
    _, warc = demo
    later = tmp_path / "archive" / "2099-01-01T00-00-00+00-00.warc.gz"
    later.parent.mkdir()
    later.write_bytes(warc.read_bytes())
    assert main(["reparse", str(later), str(warc), "-o", str(tmp_path / "out")]) == 0
    # The same pages twice: the later file's articles are unchanged, its snapshots new.
    assert not (tmp_path / "out" / SITE / "articles-2099-01-01T00-00-00+00-00.jsonl").exists()
    snapshots = tmp_path / "out" / SITE / "listings-2099-01-01T00-00-00+00-00.jsonl"
    assert len(snapshots.read_text("utf-8").splitlines()) == 31


@pytest.mark.e2e
def test_extract_prints_the_records_of_archived_pages(demo: tuple[SnapshotCrawl, Path]) -> None:
    crawl, warc = demo
    done = subprocess.run(
        [sys.executable, "-m", "newsbot.tools.cli", "extract", str(warc)],
        capture_output=True, text=True, cwd=PROJECT_DIR, check=False,
    )  # fmt: skip
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(r["news_id"] for r in records if r["type"] == "article") == sorted(
        r["news_id"] for r in crawl.records("article")
    )
    assert sum(r["type"] == "listing" for r in records) == len(crawl.records("listing"))
    assert done.returncode == 1  # two archived article pages gave no article
    assert "1 archived page(s) gave no record: missing_body" in done.stderr
    assert "not_an_article" in done.stderr


def test_an_archive_is_a_part_file_until_the_crawl_closes(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={"NEWSBOT_WARC_ENABLED": True, "NEWSBOT_DATA_DIR": str(tmp_path)}
    )
    archive = WarcArchive.from_crawler(crawler)
    spider = type("Spider", (), {"name": SITE, "profile": PROFILES[SITE]})()
    archive.spider_opened(spider)  # type: ignore[arg-type]
    request = Request("https://www.iribnews.ir/", meta={"newsbot_kind": "front"})
    response = HtmlResponse(request.url, body=b"<html><body></body></html>", request=request)
    assert archive.process_response(request, response, spider) is response  # type: ignore[arg-type]
    folder = tmp_path / SITE / "warc"
    [part] = folder.iterdir()
    assert part.name.endswith(".warc.gz.part")
    archive.spider_closed(spider)  # type: ignore[arg-type]
    assert [path.name for path in folder.iterdir()] == [part.name.removesuffix(".part")]


def test_a_gzip_encoded_response_is_archived_encoded_and_read_decoded(tmp_path: Path) -> None:
    page = (DEFAULT_ROOT / "news" / "3900001.html").read_bytes()
    warc = tmp_path / "2026-01-01T00-00-00+00-00.warc.gz"
    with warc.open("wb") as file:
        writer = WARCWriter(file, gzip=True, warc_version="1.1")
        info = {"newsbot-site": SITE, "newsbot-home": "https://www.iribnews.ir/"}
        writer.write_record(writer.create_warcinfo_record(warc.name, info))
        body = gzip.compress(page)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
             ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )  # fmt: skip
        writer.write_record(writer.create_warc_record(
            "http://127.0.0.1:8000/fa/news/3900001", "response", payload=io.BytesIO(body),
            length=len(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2023-06-08T08:00:00.5Z", "Newsbot-Page-Kind": "article"},
        ))  # fmt: skip
    [archived] = archived_pages(warc)
    [record] = archived.records
    assert record["title"] == "گشایش سه کتابخانه عمومی تازه در استان"
    assert record["crawled_at"] == "2023-06-08T08:00:00+00:00"
    assert record["url"] == "http://127.0.0.1:8000/fa/news/3900001"
    assert record["site"] == SITE  # the warcinfo's home page names the site of a mirror's pages


@pytest.mark.e2e
def test_a_part_file_a_killed_crawl_left_reads_up_to_the_cut(
    demo: tuple[SnapshotCrawl, Path], tmp_path: Path
) -> None:
    crawl, warc = demo
    part = tmp_path / f"{warc.name}.part"
    data = warc.read_bytes()
    part.write_bytes(data[: len(data) // 2])
    summary = reparse([part], tmp_path / "out")
    originals = by_identity(crawl.records("article"))
    stem = warc.name.removesuffix(".warc.gz")
    feed = tmp_path / "out" / SITE / f"articles-{stem}.jsonl"
    rebuilt = [json.loads(line) for line in feed.read_text("utf-8").splitlines()]
    assert 0 < len(rebuilt) < len(originals)
    for record in rebuilt:
        assert record["title"] == originals["article", record["news_id"]]["title"]
    # The page the cut went through is not read as a whole page.
    assert summary.dropped["truncated"] <= 1
