"""Readable operation, as a user meets it: the log of a crawl (INFO by default, a progress line
every LOGSTATS_INTERVAL, Persian URLs readable, what the first Ctrl-C does) and
`scrapy crawl -h`."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsbot.crawl.arguments import argument_help
from newsbot.crawl.logformatter import readable_url
from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, crawl_command, crawl_snapshot
from snapshot.server import SnapshotServer

# Slow enough for progress lines and a Ctrl-C half-way: one request at a time, ~0.1 s apart.
SLOW = {**LOCAL_SETTINGS, "CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.1"}
# The snapshot's article whose slug is Persian and whose date the crawl reports unreadable.
SLUG = "/fa/news/3900011/آغاز-پیش‌فروش-بلیت-قطارهای-نوروزی"

# ------------------------------------------------------------------------------- the log


def test_the_default_log_is_info_with_progress_lines_and_readable_urls(tmp_path: Path) -> None:
    crawl = crawl_snapshot(tmp_path, settings={**SLOW, "LOGSTATS_INTERVAL": "0.5"})
    assert crawl.returncode == 0, crawl.log
    assert " DEBUG: " not in crawl.log
    progress = re.findall(r"\[newsbot\.crawl\.report\] INFO: Progress: (.*)", crawl.log)
    assert len(progress) >= 3, crawl.log
    assert progress[0] == "pages 0; articles new 0, revised 0; dropped nothing; queue 0"
    assert any(
        re.fullmatch(
            r"pages \d+ \(article \d+, (feed 1, )?front \d+\); articles new [1-9]\d*, "
            r"revised 0; dropped .+; queue \d+",
            line,
        )
        for line in progress
    ), progress
    # Persian URLs are read as Persian, never as percent-escapes.
    assert "Unreadable publication date on http://127.0.0.1:" in crawl.log
    assert f"{SLUG}: cannot read a Jalali date" in crawl.log
    assert "%D8" not in crawl.log and "%D9" not in crawl.log


def test_at_debug_each_page_and_record_is_one_readable_line(tmp_path: Path) -> None:
    crawl = crawl_snapshot(tmp_path, settings={**LOCAL_SETTINGS, "LOG_LEVEL": "DEBUG"})
    assert crawl.returncode == 0, crawl.log
    assert re.search(rf"DEBUG: Crawled \(200\) <GET http://127\.0\.0\.1:\d+{SLUG}>", crawl.log)
    assert re.search(
        r"DEBUG: Scraped article 3900001 from http://127\.0\.0\.1:\d+/fa/news/", crawl.log
    )
    assert re.search(r"DEBUG: Scraped listing most_viewed \(\w+, \d+ entries\) from", crawl.log)
    # No record dumped whole: no field names, no escaped ZWNJ.
    assert "'body':" not in crawl.log and "\\u200c" not in crawl.log


def test_the_first_ctrl_c_says_what_it_does_and_that_a_second_loses_the_resume(
    tmp_path: Path,
) -> None:
    jobdir = tmp_path / "job"
    with SnapshotServer() as server:
        command = crawl_command(server.base_url, tmp_path, settings={**SLOW, "JOBDIR": str(jobdir)})
        log_path = tmp_path / "crawl.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, cwd=PROJECT_DIR, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while sum(part.read_bytes().count(b"\n") for part in tmp_path.rglob("*.part")) < 3:
                assert time.monotonic() < deadline, "the crawl wrote no record in time"
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=60) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    log = log_path.read_text("utf-8")
    scrapys = log.index("Received SIGINT, shutting down gracefully. Send again to force")
    ours = re.search(
        r"WARNING: Stopping cleanly: the \d+ requests in flight finish first \(about \d+ s at the "
        r"current delay, up to DOWNLOAD_TIMEOUT=30 s more for a slow page\), then the feeds are "
        rf"closed and the crawl state saved; the next run with JOBDIR={re.escape(str(jobdir))} "
        r"goes on from here\. A second Ctrl-C stops at once: nothing emitted is lost, but the run "
        r"cannot be resumed\.",
        log,
    )
    assert ours is not None, log
    assert scrapys < ours.start()


def test_scrapy_crawl_help_lists_the_spider_arguments() -> None:
    # From the model the spiders validate their arguments with (newsbot.crawl.arguments).
    arguments = argument_help()
    assert list(arguments) == [
        "base_url", "provinces", "sources", "since", "until", "refresh_hours", "feeds",
        "render_js", "served_on", "comments", "ids", "desk", "ids_retry", "site",
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "-h"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    listing = done.stdout[done.stdout.index("Spider arguments (-a NAME=VALUE):") :]
    for name, help_text in arguments.items():
        first_words = " ".join(help_text.split()[:3])
        assert re.search(rf"^  {name} +{re.escape(first_words)}", listing, re.MULTILINE), name
    assert "  refresh_hours  fetch again articles first seen less than this many hours" in listing


@pytest.mark.parametrize(
    ("url", "readable"),
    [
        ("http://h/fa/news/1/%D8%A2%D8%BA%D8%A7%D8%B2", "http://h/fa/news/1/آغاز"),
        # ZWNJ joins Persian words: decoded; ASCII escapes stay, so does a bidi override.
        ("http://h/%D9%BE%DB%8C%D8%B4%E2%80%8C%D9%81%D8%B1%D9%88%D8%B4", "http://h/پیش\u200cفروش"),
        ("http://h/a%20b%2Fc%25d?q=%D8%A2%26", "http://h/a%20b%2Fc%25d?q=آ%26"),
        ("http://h/%E2%80%AEevil", "http://h/%E2%80%AEevil"),
        ("http://h/%D8%A2%0A", "http://h/آ%0A"),
        ("http://h/%FF%FE", "http://h/%FF%FE"),  # not UTF-8: left as fetched
    ],
)
def test_urls_are_logged_readable_but_unambiguous(url: str, readable: str) -> None:
    assert readable_url(url) == readable
