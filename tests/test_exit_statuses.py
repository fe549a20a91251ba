"""Every exit status of `scrapy crawl` in the README's table, produced over loopback: healthy
runs of every kind end 0, and each failure has its own status and its reason in one line, in
the log and in the crawl report, whose `status` agrees with the exit status.

(Status 1, another crawl holding the state, 2 for a bad spider argument and 3, coverage below
the floor, are also in tests/test_incremental.py; 5 is not this module's.)
"""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, SnapshotCrawl, crawl_command, crawl_snapshot
from snapshot.server import DEFAULT_ROOT, SnapshotServer
from tests.faultserver import FaultServer, Status
from tests.services import free_port

TRUTH: dict[str, Any] = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
# Failures are final at once: nothing to gain from retrying them here.
NO_RETRY = {**LOCAL_SETTINGS, "RETRY_TIMES": "0"}


def ended_with(crawl: SnapshotCrawl, status: int, name: str) -> dict[str, Any]:
    """The crawl's exit status, its report's, and the log's last line all say `status`."""
    assert crawl.returncode == status, crawl.log
    report = crawl.report()
    assert (report["exit_status"], report["status"]) == (status, name)
    assert (
        crawl.log.rstrip()
        .splitlines()[-1]
        .endswith(f"[newsbot.crawl.report] INFO: Crawl status: {name} (exit status {status})")
    )
    return report


def refused(crawl: SnapshotCrawl, status: int, reason: str) -> None:
    """The crawl could not start: one line, no traceback, nothing fetched or written."""
    assert crawl.returncode == status, crawl.log
    assert "Traceback" not in crawl.log
    [line] = [line for line in crawl.log.splitlines() if "scrapy crawl: error:" in line]
    assert reason in line
    assert line.endswith(f"(exit status {status})")
    assert crawl.requests == []
    assert crawl.reports == [] and crawl.feeds == []


# ------------------------------------------------------------------------------ 0: ok


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SnapshotCrawl]:
    data_dir = tmp_path_factory.mktemp("data")
    with SnapshotServer() as server:
        first = crawl_snapshot(data_dir, server=server)
        # An unchanged site: every article fetched again, none changed.
        refresh = crawl_snapshot(data_dir, server=server, spider_args={"refresh_hours": "6"})
        backfill = crawl_snapshot(
            tmp_path_factory.mktemp("backfill"),
            server=server,
            spider_args={"since": "1402-03-01", "sources": "front,rss"},
        )
    return {"first": first, "refresh": refresh, "backfill": backfill}


def test_a_healthy_first_run_ends_0(healthy: dict[str, SnapshotCrawl]) -> None:
    report = ended_with(healthy["first"], 0, "ok")
    assert report["problems"] == []
    assert report["articles"]["new"] == len(TRUTH["articles"])
    # The summary is the log's last lines, after Scrapy's "Spider closed".
    tail = healthy["first"].log.rstrip().splitlines()[-4:]
    assert "Spider closed (finished)" in tail[0]
    assert "Crawl report (finished): pages article 38, feed 1, front 8;" in tail[1]
    assert "Field coverage over 38 article pages: " in tail[2]


def test_a_healthy_refresh_run_ends_0(healthy: dict[str, SnapshotCrawl]) -> None:
    report = ended_with(healthy["refresh"], 0, "ok")
    assert report["articles"]["refetched"] == report["articles"]["unchanged"] == 36
    # Every article was dropped as unchanged: their dates count as the pipelines read them. The
    # two pages that gave no article in the first run are not fetched again (a day later only).
    assert report["articles"]["skipped_dropped"] == 2
    assert report["coverage"]["fields"]["published_at"] == round(35 / 36, 4)
    assert report["coverage"]["below_floor"] == {}


def test_a_healthy_backfill_from_front_pages_and_feeds_ends_0(
    healthy: dict[str, SnapshotCrawl],
) -> None:
    report = ended_with(healthy["backfill"], 0, "ok")
    # Most articles the front pages list are older than the range: read, dated, dropped.
    dates = [article["published_at_jalali"] for article in TRUTH["articles"].values()]
    older = sum(1 for date in dates if date and date[:10] < "1402-03-01")
    assert report["dropped"]["out_of_range"]["count"] == older == 20
    assert report["articles"]["new"] == len(dates) - older - dates.count(None) == 15
    assert report["coverage"]["fields"]["published_at"] == round(36 / 38, 4)
    assert report["coverage"]["below_floor"] == {}


# --------------------------------------------------------------- 2: cannot be used


def scrapy_crawl(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", *arguments],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_unknown_spider_is_one_line_and_status_2() -> None:
    done = scrapy_crawl("irbnews")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    [line] = [line for line in done.stderr.splitlines() if "error" in line]
    assert line.endswith(
        "scrapy crawl: error: unknown spider 'irbnews'; the spiders: asriran, bartarinha, "
        "basijnews, entekhab, fardanews, iransamaneh, iribnews, kayhan, tabnak, yjc (exit status 2)"
    )


@pytest.mark.parametrize(
    ("floor", "reason"),
    [
        ("0.8", "NEWSBOT_COVERAGE_FLOOR='0.8': expected a JSON object of shares"),
        ('{"body": 80}', "NEWSBOT_COVERAGE_FLOOR='{\"body\": 80}': expected a JSON object"),
    ],
)
def test_a_malformed_coverage_floor_is_one_line_and_status_2(
    tmp_path: Path, floor: str, reason: str
) -> None:
    crawl = crawl_snapshot(tmp_path, settings={**LOCAL_SETTINGS, "NEWSBOT_COVERAGE_FLOOR": floor})
    refused(crawl, 2, reason)


# ----------------------------------------------------------------- 4: not writable


def test_a_data_dir_that_cannot_be_written_is_one_line_and_status_4(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    data_dir = tmp_path / "a-file" / "data"  # as root, the one folder no permission stops
    with SnapshotServer() as server:
        done = subprocess.run(
            crawl_command(server.base_url, data_dir),
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    crawl = SnapshotCrawl(done.returncode, done.stderr, list(server.requests), [])
    refused(crawl, 4, f"cannot write to {data_dir}/iribnews (NEWSBOT_DATA_DIR): Not a directory")


# --------------------------------------------------------------- 6: nothing fetched


def test_an_unreachable_site_ends_6(tmp_path: Path) -> None:
    port = free_port()  # bound a moment ago, now nothing listens there
    with SnapshotServer() as unused:  # crawl_snapshot needs a server; the crawl goes elsewhere
        crawl = crawl_snapshot(
            tmp_path,
            server=unused,
            settings=NO_RETRY,
            spider_args={"base_url": f"http://127.0.0.1:{port}"},
        )
    report = ended_with(crawl, 6, "nothing_fetched")
    assert report["problems"][0] == (
        "no page of the site could be fetched: connection_refused 2 (is the site up, and does "
        "it answer this address and user agent?)"
    )
    assert report["problems"][1] == (
        f"start pages failed: front http://127.0.0.1:{port}/: connection_refused; "
        f"feed http://127.0.0.1:{port}/fa/rss/allnews: connection_refused"
    )
    assert "ERROR: No page of the site could be fetched: connection_refused 2" in crawl.log


def test_a_site_that_answers_403_everywhere_ends_6(tmp_path: Path) -> None:
    with FaultServer(default=[Status(403)]) as server:
        crawl = crawl_snapshot(tmp_path, server=server, settings=NO_RETRY)
    assert sorted(crawl.requests) == ["/", "/fa/rss/allnews", "/robots.txt"]
    report = ended_with(crawl, 6, "nothing_fetched")
    assert report["problems"][0].startswith("no page of the site could be fetched: http_403 2")
    assert report["http_status"] == {"403": 3}


# -------------------------------------------------------------- 7: start pages failed


def test_a_feed_path_that_404s_ends_7(tmp_path: Path) -> None:
    with FaultServer({"/fa/rss/allnews": [Status(404)]}) as server:
        crawl = crawl_snapshot(tmp_path, server=server)
    report = ended_with(crawl, 7, "start_pages_failed")
    assert report["problems"] == [
        f"start pages failed: feed {server.base_url}/fa/rss/allnews: http_404"
    ]
    # Everything else was crawled as usual.
    assert report["articles"]["new"] == len(TRUTH["articles"])


def test_a_home_page_that_is_not_a_front_page_ends_7(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DEFAULT_ROOT, site)
    (site / "home.html").write_text(
        '<!DOCTYPE html>\n<html lang="fa"><head><meta charset="utf-8"><title>فروشی</title>'
        "</head><body><p>این دامنه فروشی است.</p></body></html>\n",
        encoding="utf-8",
    )
    crawl = crawl_snapshot(tmp_path / "data", root=site)
    report = ended_with(crawl, 7, "start_pages_failed")
    [base] = {record["url"].split("/fa/")[0] for record in crawl.records("article")}
    assert report["problems"] == [f"start pages failed: front {base}/: not_a_front_page"]
    assert crawl.records("listing") == []


def test_splash_down_when_pages_need_it_ends_7(tmp_path: Path) -> None:
    crawl = crawl_snapshot(
        tmp_path,
        settings={**NO_RETRY, "SPLASH_URL": f"http://127.0.0.1:{free_port()}"},
        spider_args={"render_js": "front"},
    )
    report = ended_with(crawl, 7, "start_pages_failed")
    [problem] = report["problems"]
    assert problem.startswith("start pages failed: front http://127.0.0.1:")
    assert problem.endswith("/: splash_connection_refused")
    assert "/" not in crawl.requests  # the home page only ever went to Splash


# ------------------------------------------------------------- 8: another host's state


def test_a_state_filled_from_another_host_stops_the_crawl_with_status_8(tmp_path: Path) -> None:
    with SnapshotServer() as mirror, SnapshotServer() as other:
        first = crawl_snapshot(tmp_path, server=mirror)
        assert first.returncode == 0, first.log
        refused_crawl = crawl_snapshot(tmp_path, server=other)
        same_site = crawl_snapshot(
            tmp_path,
            server=other,
            settings={
                **LOCAL_SETTINGS,
                "NEWSBOT_SAME_SITE_HOSTS": ",".join(
                    server.base_url.removeprefix("http://") for server in (mirror, other)
                ),
            },
        )
    mirror_host, other_host = (s.base_url.removeprefix("http://") for s in (mirror, other))
    state = tmp_path / "state" / "iribnews.sqlite3"
    refused(
        refused_crawl,
        8,
        f"the crawl state {state} was filled from {mirror_host}, and this crawl fetches from "
        f"{other_host}: it would skip articles it never emitted. Give this crawl its own "
        f"NEWSBOT_DATA_DIR (or NEWSBOT_STATE_DIR), or, if both serve the same site, "
        f"-s NEWSBOT_SAME_SITE_HOSTS={mirror_host},{other_host}",
    )
    # Said to serve the same site, the other host goes on from the state.
    assert same_site.returncode == 0, same_site.log
    assert same_site.report()["articles"]["skipped_known"] == len(TRUTH["articles"])


def test_a_state_made_before_the_host_record_adopts_the_first_host(tmp_path: Path) -> None:
    state = tmp_path / "state" / "iribnews.sqlite3"
    state.parent.mkdir()
    with sqlite3.connect(state) as db:  # the schema before the host record
        db.execute(
            "CREATE TABLE articles (news_id INTEGER PRIMARY KEY, first_seen INTEGER NOT NULL, "
            "revision INTEGER NOT NULL, fingerprint BLOB NOT NULL)"
        )
        db.execute("INSERT INTO articles VALUES (3900001, 1685000000, 1, x'0011223344556677')")
    db.close()
    with SnapshotServer() as server:
        crawl = crawl_snapshot(tmp_path, server=server)
    ended_with(crawl, 0, "ok")
    assert crawl.report()["articles"]["skipped_known"] == 1
    with sqlite3.connect(state) as db:
        recorded = db.execute("SELECT value FROM state_info WHERE name = 'host'").fetchall()
    db.close()
    assert recorded == [(server.base_url.removeprefix("http://"),)]
