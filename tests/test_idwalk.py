"""Id-range backfills (`-a ids=START-END`, newsbot.crawl.idwalk): every id of a desk's range
fetched, newest first, missing ids remembered as tried with their reason, and a walk killed
halfway resumed where it stood, over loopback against benchmarks.sitegen's site with gaps."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.sitegen import FIRST_ID, gap
from newsbot.crawl.idwalk import IdRange, parse_desk, parse_id_ranges
from newsbot.sites.profiles import IRIBNEWS, KAYHAN
from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, crawl_command

LOW, HIGH = FIRST_ID, FIRST_ID + 299
# What the site answers for the ids that are not articles, as the walk names the reasons.
REASONS = {"404": "http_404", "missing": "not_an_article", "home": "redirect_home"}


def test_id_ranges_are_read_either_way_round_and_comma_separated() -> None:
    assert parse_id_ranges("3900001-3900500, 20-10") == (
        IdRange(3900001, 3900500),
        IdRange(10, 20),
    )
    assert parse_id_ranges(None) == ()


@pytest.mark.parametrize("value", ["", "5", "a-b", "1-", "0-10", "1-2,x", "-5-10", "1-4294967296"])
def test_malformed_id_ranges_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="ids="):
        parse_id_ranges(value)


def test_a_desk_is_the_main_site_or_one_of_its_provincial_desks() -> None:
    assert parse_desk(None, IRIBNEWS) == "www"
    assert parse_desk("Yazd", IRIBNEWS) == "yazd"
    with pytest.raises(ValueError, match="not a provincial desk"):
        parse_desk("en", IRIBNEWS)
    with pytest.raises(ValueError, match="no provincial desks"):
        parse_desk("yazd", KAYHAN)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The generated site with gaps, answering each page 20 ms late, and its request log."""
    log = tmp_path / "requests.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.sitegen",
            "--articles",
            "1000",
            "--gaps",
            "--delay",
            "0.02",
            "--log",
            str(log),
        ],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    try:
        yield base_url, log
    finally:
        process.kill()
        process.wait()
        process.stdout.close()


def walk_command(base_url: str, data_dir: Path, ids: str) -> list[str]:
    settings = {
        **LOCAL_SETTINGS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
        "CONCURRENT_REQUESTS": "4",
        # The missing pages are no articles: field coverage is not this test's business.
        "NEWSBOT_COVERAGE_MIN_ARTICLES": "100000",
    }
    return crawl_command(base_url, data_dir, settings=settings, spider_args={"ids": ids})


def requested_ids(log: Path) -> list[int]:
    return [
        int(path.split("/")[3])
        for path in log.read_text(encoding="utf-8").splitlines()
        if path.startswith("/fa/news/")
    ]


def emitted_ids(data_dir: Path) -> list[int]:
    """The articles of every feed the crawls left: published, recovered or still `.part`."""
    found = []
    for feed in sorted((data_dir / "iribnews").glob("articles-*")):
        for line in feed.read_text(encoding="utf-8").splitlines():
            found.append(json.loads(line)["news_id"])
    return found


def tried(data_dir: Path) -> dict[int, str]:
    with sqlite3.connect(data_dir / "state" / "iribnews.sqlite3") as db:
        return {
            news_id: reason
            for desk, news_id, reason in db.execute("SELECT desk, news_id, reason FROM dropped")
            if desk == "www"
        }


@pytest.mark.e2e
def test_a_walk_killed_halfway_resumes_and_ends_with_every_id_settled_once(
    site: tuple[str, Path], tmp_path: Path
) -> None:
    base_url, log = site
    data = tmp_path / "data"
    command = walk_command(base_url, data, f"{LOW}-{HIGH}")
    first = subprocess.Popen(command, cwd=PROJECT_DIR, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(set(requested_ids(log))) < 150:
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    before_kill = requested_ids(log)
    assert 150 <= len(set(before_kill)) < 300, "the kill did not come halfway"
    # Newest first.
    assert before_kill[0] == HIGH

    second = subprocess.run(
        command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=180, check=False
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert f"Id range {LOW}-{HIGH} of desk www resumes at" in second.stderr

    articles = [i for i in range(LOW, HIGH + 1) if gap(i) is None]
    missing = {i: REASONS[kind] for i in range(LOW, HIGH + 1) if (kind := gap(i)) is not None}
    emitted = emitted_ids(data)
    assert sorted(emitted) == articles  # every article once, over both runs
    assert tried(data) == missing  # every missing id tried, with its reason

    # The resumed run went on where the walk stood: it fetched again only what the first
    # had in flight when killed (its 4 downloads, and the pages fetched but not yet parsed
    # on a busy machine), not the 150 and more it had settled.
    after_kill = requested_ids(log)[len(before_kill) :]
    again = set(after_kill) & set(before_kill)
    assert len(again) <= 30, sorted(again)
    assert set(before_kill) | set(after_kill) == set(range(LOW, HIGH + 1))
    # Each missing id fetched once, but for those in flight at the kill.
    fetched = Counter(requested_ids(log))
    assert [i for i in missing if fetched[i] > 1] == [i for i in missing if i in again]

    # A third run of the same range has nothing left to fetch.
    third = subprocess.run(
        command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False
    )
    assert third.returncode == 0, third.stderr[-3000:]
    assert requested_ids(log)[len(before_kill) + len(after_kill) :] == []
    assert "0 ids tried, 0 found" in third.stderr


@pytest.mark.e2e
def test_ids_retry_fetches_the_missing_ids_again(site: tuple[str, Path], tmp_path: Path) -> None:
    base_url, log = site
    data = tmp_path / "data"
    ids = f"{LOW}-{LOW + 19}"
    done = subprocess.run(
        walk_command(base_url, data, ids), cwd=PROJECT_DIR, capture_output=True, timeout=120
    )
    assert done.returncode == 0
    (report_file,) = (data / "iribnews" / "reports").glob("*.json")
    report = json.loads(report_file.read_text(encoding="utf-8"))["ids"]
    assert report.pop("per_second") > 0
    assert report == {
        "tried": 20,
        "found": 16,
        "missing/http_404": 2,
        "missing/not_an_article": 1,
        "missing/redirect_home": 1,
    }
    first = len(requested_ids(log))
    again = subprocess.run(
        [*walk_command(base_url, data, ids), "-a", "ids_retry=true"],
        cwd=PROJECT_DIR,
        capture_output=True,
        timeout=120,
    )
    assert again.returncode == 0
    # The articles are emitted: only the four missing ids are fetched again.
    retried = requested_ids(log)[first:]
    assert sorted(retried) == sorted(i for i in range(LOW, LOW + 20) if gap(i) is not None)
    assert len(emitted_ids(data)) == 16
