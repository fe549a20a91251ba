"""Distributed crawling on a real Redis (newsbot.scale.redis_workers): several `scrapy crawl` workers,
each with its own data dir, share one scrapy-redis queue, seen-set and crawl state. Every crawl
is a subprocess against the bundled snapshot site, as in test_incremental; the Redis server is
Debian's redis-server on a free loopback port (tests/services.py), one database per test."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import scrapy
from redis import Redis
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from scrapy_redis.dupefilter import RFPDupeFilter

from benchmarks.sitegen import FIRST_ID, gap
from newsbot import settings as project_settings
from newsbot.crawl.config import STATE_STORE
from newsbot.scale.redis_workers import RedisAddon, RedisDupeFilter, RedisStateStore
from newsbot.spiders.iribnews import IribnewsSpider
from newsbot.state.store import Dropped
from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, crawl_command, crawl_snapshot
from snapshot.server import SnapshotServer
from tests.services import redis_server

TRUTH: dict[str, Any] = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
ARTICLES = {int(news_id) for news_id in TRUTH["articles"]}
# Fast heartbeats, so that a dead worker is noticed within seconds; a small delay, so that the
# crawl lasts long enough for every worker to take part.
WORKER = {
    **LOCAL_SETTINGS,
    "DOWNLOAD_DELAY": "0.1",
    "NEWSBOT_REDIS_HEARTBEAT": "0.2",
    "NEWSBOT_REDIS_WORKER_TIMEOUT": "2",
}


@pytest.fixture(scope="module")
def redis_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server's URL without its database: redis://127.0.0.1:PORT."""
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url.rsplit("/", 1)[0]


@dataclass
class Finished:
    returncode: int
    data_dir: Path
    log: str
    seconds: float
    max_rss_kib: int

    def records(self, kind: str, *, parts: bool = False) -> list[dict[str, Any]]:
        """The records of one kind in every feed of this worker's data dir; with `parts`,
        also the whole lines of the `.part` feeds a killed worker left."""
        pattern = f"{kind}s-*.jsonl" + ("*" if parts else "")
        records = []
        for feed in sorted(self.data_dir.rglob(pattern)):
            data = feed.read_bytes()
            whole = data[: data.rfind(b"\n") + 1]
            records += [json.loads(line) for line in whole.decode("utf-8").splitlines()]
        return records


def start_worker(
    server: SnapshotServer, data_dir: Path, url: str, settings: dict[str, str] = WORKER
) -> subprocess.Popen[bytes]:
    """`scrapy crawl iribnews` as a worker: REDIS_URL from the environment, as the README says."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "worker.log").open("ab") as log:
        return subprocess.Popen(
            crawl_command(server.base_url, data_dir, settings=settings),
            cwd=PROJECT_DIR,
            stderr=log,
            env={**os.environ, "REDIS_URL": url},
        )


def finish(process: subprocess.Popen[bytes], data_dir: Path, started: float) -> Finished:
    """Wait for a worker; its exit status, wall time and peak memory (os.wait4)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    log = (data_dir / "worker.log").read_text("utf-8")
    seconds = time.monotonic() - started
    return Finished(process.returncode, data_dir, log, seconds, usage.ru_maxrss)


def run_workers(server: SnapshotServer, data_dirs: list[Path], url: str) -> list[Finished]:
    started = time.monotonic()
    processes = [start_worker(server, data_dir, url) for data_dir in data_dirs]
    return [finish(p, d, started) for p, d in zip(processes, data_dirs, strict=True)]


def news_ids(paths: list[str]) -> list[int]:
    return [int(path.split("/")[3]) for path in paths if path.startswith("/fa/news/")]


def page_key(path: str) -> str:
    """A requested path, with an article's slug left out."""
    return "/".join(path.split("/")[:4]) if path.startswith("/fa/news/") else path


def ids(*workers: Finished, parts: bool = False) -> Counter[int]:
    return Counter(r["news_id"] for w in workers for r in w.records("article", parts=parts))


# ------------------------------------------------------------------- workers and runs


@pytest.fixture(scope="module")
def two_runs(redis_base: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A single-process crawl without Redis; then, on Redis, a run of two workers and the next
    run, of three workers."""
    url = f"{redis_base}/1"
    single_dir = tmp_path_factory.mktemp("single")
    first_dirs = [tmp_path_factory.mktemp(f"worker{n}") for n in (1, 2)]
    second_dirs = [tmp_path_factory.mktemp(f"again{n}") for n in (1, 2, 3)]
    with SnapshotServer() as server:
        single = crawl_snapshot(single_dir, server=server, settings=WORKER)
        single_requests = list(server.requests)
        first = run_workers(server, first_dirs, url)
        first_requests = list(server.requests[len(single_requests) :])
        client = Redis.from_url(url)
        keys_between = sorted(key.decode() for key in client.keys("*"))
        state_between = client.hlen("newsbot:iribnews:state")
        client.close()
        seen_before = len(server.requests)
        second = run_workers(server, second_dirs, url)
        second_requests = list(server.requests[seen_before:])
    assert single.returncode == 0, single.log
    for worker in [*first, *second]:
        assert worker.returncode == 0, worker.log
    return {
        "single": single,
        "single_requests": single_requests,
        "first": first,
        "first_requests": first_requests,
        "keys_between": keys_between,
        "state_between": state_between,
        "second": second,
        "second_requests": second_requests,
    }


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_two_workers_emit_what_one_process_does_each_article_once(
    two_runs: dict[str, Any],
) -> None:
    single, first = two_runs["single"], two_runs["first"]
    single_ids = Counter(r["news_id"] for r in single.records("article"))
    assert single_ids == Counter(dict.fromkeys(ARTICLES, 1))
    assert ids(*first) == single_ids
    assert all(worker.records("article") for worker in first), "a worker did nothing"
    # Each front page read once in the run: one set of listing snapshots between the workers.
    listings = [r for worker in first for r in worker.records("listing")]
    assert len(listings) == len(single.records("listing")) == len(TRUTH["listings"])
    # Every page fetched once across both workers, article slugs included, as by one process.
    requested = news_ids(two_runs["first_requests"])
    assert Counter(requested) == Counter(dict.fromkeys(set(requested), 1))
    assert set(requested) == set(news_ids(two_runs["single_requests"]))
    # robots.txt is every worker's own; every other page once, as in the single crawl. An
    # article linked under several slugs is requested under whichever link was read first,
    # which depends on how the workers shared the pages: articles compare by news id.
    assert sorted(page_key(p) for p in two_runs["first_requests"] if p != "/robots.txt") == sorted(
        page_key(p) for p in two_runs["single_requests"] if p != "/robots.txt"
    )
    one, two = (json.loads(next(w.data_dir.rglob("reports/*.json")).read_text()) for w in first)
    assert one["articles"]["new"] + two["articles"]["new"] == len(ARTICLES)


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_a_finished_run_leaves_only_the_crawl_state_in_redis(two_runs: dict[str, Any]) -> None:
    # The state: its ids, the pages that gave no article, and the host it was filled from.
    assert two_runs["keys_between"] == [
        "newsbot:iribnews:state",
        "newsbot:iribnews:state:dropped",
        "newsbot:iribnews:state:host",
    ]
    assert two_runs["state_between"] == len(ARTICLES)
    assert sum("ended: its queue and seen-set are deleted" in w.log for w in two_runs["first"]) == 1


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_the_next_run_reads_the_front_pages_again_and_skips_known_articles(
    two_runs: dict[str, Any],
) -> None:
    second, requests = two_runs["second"], two_runs["second_requests"]
    assert ids(*second) == Counter()
    assert requests.count("/") == 1
    assert sum(len(w.records("listing")) for w in second) == len(TRUTH["listings"])
    # Nor the pages that gave no article: every worker sees them in the state.
    assert news_ids(requests) == []


# ---------------------------------------------------------------------- a killed worker


def part_lines(data_dir: Path) -> int:
    return sum(part.read_bytes().count(b"\n") for part in data_dir.rglob("articles-*.part"))


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_a_worker_killed_mid_way_loses_nothing(redis_base: str, tmp_path: Path) -> None:
    url = f"{redis_base}/2"
    dirs = [tmp_path / "a", tmp_path / "b"]
    slow = {**WORKER, "DOWNLOAD_DELAY": "0.15"}
    with SnapshotServer() as server:
        started = time.monotonic()
        processes = [start_worker(server, data_dir, url, slow) for data_dir in dirs]
        try:
            deadline = time.monotonic() + 60
            while not any(part_lines(d) >= 3 for d in dirs):
                assert time.monotonic() < deadline, "no worker wrote articles"
                time.sleep(0.02)
            victim = 0 if part_lines(dirs[0]) >= 3 else 1
            os.kill(processes[victim].pid, signal.SIGKILL)
        finally:
            for process in processes:
                if process.poll() is None and process is not processes[1 - victim]:
                    process.kill()
        killed = finish(processes[victim], dirs[victim], started)
        survivor = finish(processes[1 - victim], dirs[1 - victim], started)
        assert killed.returncode == -signal.SIGKILL
        assert survivor.returncode == 0, survivor.log
        # What the killed worker held in hand went back to the queue, and the survivor did it.
        assert "requests of dead or stopped workers back in the queue" in survivor.log
        written = ids(killed, parts=True)
        assert 3 <= sum(written.values()) < len(ARTICLES)
        last_written = killed.records("article", parts=True)[-1]["news_id"]
        assert_each_once_but_the_last_written(written + ids(survivor), last_written)

        # Restarted in its data dir, the killed worker publishes its .part feed and, in a new
        # run, emits nothing: every article is known.
        restarted = run_workers(server, [dirs[victim]], url)[0]
    assert restarted.returncode == 0, restarted.log
    assert "Recovered" in restarted.log
    assert not list(dirs[victim].rglob("*.part"))
    assert ids(killed) == written  # now under .recovered.jsonl
    assert_each_once_but_the_last_written(ids(killed) + ids(survivor), last_written)


def assert_each_once_but_the_last_written(emitted: Counter[int], last_written: int) -> None:
    """Every article is emitted, and once, except that the killed worker's last line may be
    emitted again by the worker that re-fetched its page: the kill can fall between the
    line's fsync and its mark in Redis (README, Redis "Limits"), and a kill timed right after
    a line is written, as here, often does."""
    assert set(emitted) == ARTICLES
    assert {news_id for news_id, times in emitted.items() if times > 1} <= {last_written}
    assert max(emitted.values()) <= 2


# ------------------------------------------------------------------------- components


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_one_article_under_two_slugs_is_one_request(redis_base: str) -> None:
    crawler = get_crawler(
        IribnewsSpider,
        {"REQUEST_FINGERPRINTER_CLASS": project_settings.REQUEST_FINGERPRINTER_CLASS},
    )
    server = Redis.from_url(f"{redis_base}/3")
    try:
        server.delete("seen", "seen-plain")
        ours = RedisDupeFilter(server, "seen", crawler=crawler)
        theirs = RFPDupeFilter(server, "seen-plain")  # scrapy-redis's, for comparison
        slugs = [
            scrapy.Request("https://www.iribnews.ir/fa/news/3900001/گشایش-کتابخانه"),
            scrapy.Request("https://www.iribnews.ir/fa/news/3900001"),
        ]
        assert [ours.request_seen(r) for r in slugs] == [False, True]
        assert [theirs.request_seen(r) for r in slugs] == [False, False]
        ours.close()  # the run's seen-set outlives a worker
        # Articles as a bitmap of ids per origin, listed for the run's end to delete.
        assert server.smembers("seen:articles") == {b"seen:articles:iribnews.ir:None"}
        assert server.getbit("seen:articles:iribnews.ir:None", 3900001) == 1
        assert server.bitcount("seen:articles:iribnews.ir:None") == 1
    finally:
        server.close()


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_the_redis_state_store_keeps_the_newest_revision(redis_base: str) -> None:
    server = Redis.from_url(f"{redis_base}/4")
    server.delete("newsbot:site:state")
    early, late = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)
    store = RedisStateStore(server, "newsbot:site:state")
    store.mark("www", 7, 2, b"\x02" * 8, late)
    assert store.get("www", 7) is not None  # seen before the commit
    assert len(store) == 1
    store.commit()
    other = RedisStateStore(Redis.from_url(f"{redis_base}/4"), "newsbot:site:state")
    other.mark("www", 7, 1, b"\x01" * 8, early)  # an older revision, first seen earlier
    other.commit()
    known = store.get("www", 7)
    assert known is not None
    assert (known.revision, known.fingerprint, known.first_seen) == (2, b"\x02" * 8, early)
    assert store.get("www", 8) is None
    assert len(other) == 1
    store.close()
    other.close()


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_the_redis_state_keeps_desks_apart_and_reads_a_state_from_before_desks(
    redis_base: str,
) -> None:
    server = Redis.from_url(f"{redis_base}/5")
    key = "newsbot:iribnews:state"
    server.delete(key)
    early, late = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)
    # As a state written before desks holds the main desk's 60536: its field is the bare id.
    server.hset(key, "60536", f"{int(early.timestamp())}:2:{'01' * 8}")
    store = RedisStateStore(server, key)
    known = store.get("www", 60536)
    assert known is not None and (known.desk, known.revision) == ("www", 2)
    assert store.get("yazd", 60536) is None
    store.mark("yazd", 60536, 1, b"\x07" * 8, late)
    store.mark("www", 60536, 3, b"\x03" * 8, late)
    assert len(store) == 2
    store.commit()
    # Marked again, the main desk's article moves to its own field, its history kept.
    assert sorted(server.hkeys(key)) == [b"www:60536", b"yazd:60536"]
    other = RedisStateStore(Redis.from_url(f"{redis_base}/5"), key)
    www, yazd = other.get("www", 60536), other.get("yazd", 60536)
    assert www is not None and yazd is not None
    assert (www.revision, www.fingerprint, www.first_seen) == (3, b"\x03" * 8, early)
    assert (yazd.revision, yazd.fingerprint, yazd.first_seen) == (1, b"\x07" * 8, late)
    assert len(other) == 2
    store.close()
    other.close()


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_the_redis_state_remembers_pages_that_gave_no_article(redis_base: str) -> None:
    server = Redis.from_url(f"{redis_base}/5")
    key = "newsbot:iribnews:state"
    server.delete(key, f"{key}:dropped")
    when = datetime(2024, 1, 1, tzinfo=UTC)
    store = RedisStateStore(server, key)
    store.drop("www", 7, "not_an_article", when)
    store.drop("yazd", 7, "http_404", when)
    other = RedisStateStore(Redis.from_url(f"{redis_base}/5"), key)  # another worker
    dropped = other.dropped("www", 7)
    assert dropped is not None and (dropped.reason, dropped.dropped_at) == ("not_an_article", when)
    assert other.dropped("www", 8) is None
    # An id that becomes an article is forgotten as a drop; the desk's stays.
    store.mark("www", 7, 1, b"\x01" * 8, when)
    store.commit()
    assert other.dropped("www", 7) is None and other.dropped("yazd", 7) is not None
    assert len(other) == 1
    store.close()
    other.close()


def test_redis_url_switches_scheduler_dupefilter_and_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    plain = Settings()
    plain.setmodule(project_settings, priority="project")
    RedisAddon().update_settings(plain)
    assert plain.get("SCHEDULER") == Settings().get("SCHEDULER")
    assert STATE_STORE.read(plain) == "newsbot.state.store.SQLiteStateStore"

    monkeypatch.setenv("REDIS_URL", "redis://:secret@10.0.0.5:6379/0")
    switched = Settings()
    switched.setmodule(project_settings, priority="project")
    switched.set("NEWSBOT_STATE_COMMIT_EVERY", 5, priority="cmdline")
    RedisAddon().update_settings(switched)
    assert switched.get("REDIS_URL") == "redis://:secret@10.0.0.5:6379/0"
    assert switched.get("SCHEDULER") == "newsbot.scale.redis_workers.RedisScheduler"
    assert switched.get("DUPEFILTER_CLASS") == "newsbot.scale.redis_workers.RedisDupeFilter"
    assert switched.get("NEWSBOT_STATE_STORE") == "newsbot.scale.redis_workers.RedisStateStore"
    assert switched.getint("NEWSBOT_STATE_COMMIT_EVERY") == 5  # the command line wins


@pytest.mark.e2e
def test_an_unreachable_redis_stops_the_crawl_with_one_clear_line(tmp_path: Path) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "iribnews", "-a", "base_url=http://127.0.0.1:9",
         "-s", "REDIS_URL=redis://127.0.0.1:1/0", "-s", f"NEWSBOT_DATA_DIR={tmp_path}"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "scrapy crawl: error: crawl state redis://127.0.0.1:1/0" in done.stderr
    assert "Connection refused" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_three_workers_share_one_id_range_walk_no_id_fetched_twice(
    redis_base: str, tmp_path: Path
) -> None:
    low, high = FIRST_ID, FIRST_ID + 199
    log = tmp_path / "requests.log"
    site = subprocess.Popen(
        [
            *(sys.executable, "-m", "benchmarks.sitegen", "--articles", "1000", "--gaps"),
            *("--delay", "0.05", "--log", str(log)),
        ],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert site.stdout is not None
    base_url = site.stdout.readline().strip()
    url = f"{redis_base}/6"
    Redis.from_url(url).flushdb()
    settings = {**WORKER, "DOWNLOAD_DELAY": "0", "NEWSBOT_COVERAGE_MIN_ARTICLES": "100000"}
    try:
        started = time.monotonic()
        processes = []
        for n in range(3):
            data_dir = tmp_path / f"worker{n}"
            data_dir.mkdir()
            with (data_dir / "worker.log").open("ab") as worker_log:
                command = crawl_command(
                    base_url, data_dir, settings=settings, spider_args={"ids": f"{low}-{high}"}
                )
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=PROJECT_DIR,
                        stderr=worker_log,
                        env={**os.environ, "REDIS_URL": url},
                    )
                )
        workers = [finish(p, tmp_path / f"worker{n}", started) for n, p in enumerate(processes)]
    finally:
        site.kill()
        site.wait()
        site.stdout.close()
    assert [w.returncode for w in workers] == [0, 0, 0], workers[0].log[-3000:]
    fetched = Counter(
        int(path.split("/")[3])
        for path in log.read_text(encoding="utf-8").splitlines()
        if path.startswith("/fa/news/")
    )
    assert set(fetched) == set(range(low, high + 1))
    assert [i for i, n in fetched.items() if n > 1] == []
    # Each worker fetched a share; together they emitted every article once.
    assert all(re.search(r"\): [1-9][0-9]* ids tried", w.log) for w in workers)
    assert sorted(ids(*workers).elements()) == [i for i in range(low, high + 1) if gap(i) is None]
    server = Redis.from_url(url)
    try:
        missing = server.hgetall("newsbot:iribnews:state:dropped")
        assert {int(k.split(b":")[1]) for k in missing} == {
            i for i in range(low, high + 1) if gap(i) is not None
        }
        # The run's bitmaps went with its other keys.
        assert not server.keys("newsbot:iribnews:run:*")
    finally:
        server.close()


@pytest.mark.e2e
@pytest.mark.requires_redis
def test_an_id_walks_own_hash_of_missing_ids_becomes_drops(redis_base: str) -> None:
    server = Redis.from_url(f"{redis_base}/5")
    key = "newsbot:iribnews:state"
    server.delete(key, f"{key}:dropped", f"{key}:tried")
    # As id-range walks kept their missing ids before they shared the drops' hash.
    server.hset(f"{key}:tried", mapping={"www:7": "redirect_home", "www:9": "http_404"})
    server.hset(f"{key}:dropped", "www:9", "1704067200:not_an_article")
    before = datetime.now(UTC).replace(microsecond=0)
    store = RedisStateStore(server, key)
    dropped = store.dropped("www", 7)
    assert dropped is not None and dropped.reason == "redirect_home"
    assert before <= dropped.dropped_at <= datetime.now(UTC)
    # A drop the state had already recorded stays as it was.
    kept = Dropped("www", 9, "not_an_article", datetime(2024, 1, 1, tzinfo=UTC))
    assert store.dropped("www", 9) == kept
    assert not server.exists(f"{key}:tried")
    store.close()
