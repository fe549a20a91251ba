import json
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from newsbot.crawl.feeds import AtomicFileFeedStorage, uri_params


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
