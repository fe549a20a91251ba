import json
import subprocess
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from newsbot.crawl.feeds import AtomicFileFeedStorage, csv_feed_refusal, uri_params
from snapshot.crawl import PROJECT_DIR, crawl_command
from snapshot.server import SnapshotServer


def records(path: Path) -> list[dict[str, int]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write(storage: AtomicFileFeedStorage, *lines: str) -> None:
    file = storage.open(Spider("s"))
    for line in lines:
        file.write(line.encode())
    storage.store(file)


def test_records_appear_under_the_feed_name_only_when_the_feed_is_closed(tmp_path: Path) -> None:
    final = tmp_path / "site" / "articles.jsonl"
    storage = AtomicFileFeedStorage(str(final), feed_options={"overwrite": True})
    file = storage.open(Spider("s"))
    file.write(b'{"n": 1}\n')
    file.write(b'{"n": 2}\n')
    # Mid-crawl, each record is already on disk in the .part file, whole.
    assert not final.exists()
    assert records(final.with_name("articles.jsonl.part")) == [{"n": 1}, {"n": 2}]
    storage.store(file)
    assert records(final) == [{"n": 1}, {"n": 2}]
    assert not final.with_name("articles.jsonl.part").exists()


def test_overwrite_replaces_and_append_adds(tmp_path: Path) -> None:
    final = tmp_path / "feed.jsonl"
    write(AtomicFileFeedStorage(str(final), feed_options={"overwrite": True}), '{"n": 1}\n')
    write(AtomicFileFeedStorage(str(final), feed_options={"overwrite": False}), '{"n": 2}\n')
    assert records(final) == [{"n": 1}, {"n": 2}]
    write(AtomicFileFeedStorage(str(final), feed_options={"overwrite": True}), '{"n": 3}\n')
    assert records(final) == [{"n": 3}]


def test_file_uris_work_like_paths(tmp_path: Path) -> None:
    final = tmp_path / "feed.jsonl"
    write(AtomicFileFeedStorage(final.as_uri(), feed_options={"overwrite": True}), '{"n": 1}\n')
    assert records(final) == [{"n": 1}]


def test_uri_params_add_the_data_dir_setting() -> None:
    spider = Spider("iribnews")
    spider.crawler = get_crawler(settings_dict={"NEWSBOT_DATA_DIR": "/srv/corpus"})
    params = uri_params({"name": "iribnews", "time": "t"}, spider)
    assert params == {"name": "iribnews", "time": "t", "data_dir": "/srv/corpus"}


def test_a_csv_feed_is_refused_in_one_line_before_anything_is_fetched(tmp_path: Path) -> None:
    """`-o out.csv` wrote every article as an empty row (its columns were the first item's, a
    listing's): the crawl refuses it, pointing to what works."""
    with SnapshotServer() as server:
        command = crawl_command(server.base_url, tmp_path / "data")
        done = subprocess.run(
            [*command, "-o", str(tmp_path / "out.csv")],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    [line] = [line for line in done.stderr.splitlines() if "scrapy crawl: error:" in line]
    assert line.endswith(
        "out.csv: newsbot writes no CSV feed (articles and listings have different fields, and "
        "nested ones); write JSON Lines (-o out.jsonl, or the default feeds in data/<site>/) and "
        "convert them to CSV with `newsbot export` (exit status 2)"
    )
    assert server.requests == []
    assert not (tmp_path / "out.csv").exists()


def test_only_csv_feeds_are_refused() -> None:
    assert (
        csv_feed_refusal({"out.jsonl": {"format": "jsonlines"}, "x.json": {"format": "json"}})
        is None
    )
    assert csv_feed_refusal({Path("out.csv"): {"format": "CSV"}}) is not None
