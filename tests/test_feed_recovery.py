"""Recovering the `.part` feeds a dead crawl left (newsbot.crawl.feeds)."""

from pathlib import Path

from newsbot.crawl.feeds import find_part_files, read_part_file

A = b'{"type": "article", "news_id": 1}\n'
B = b'{"type": "article", "news_id": 2}\n'


def part(tmp_path: Path, content: bytes, name: str = "articles-T.jsonl.part") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_whole_lines_are_kept_and_a_cut_last_line_dropped(tmp_path: Path) -> None:
    found = read_part_file(part(tmp_path, A + B + b'{"type": "art'))
    assert [r["news_id"] for r in found.records] == [1, 2]
    assert (found.dropped_bytes, found.unreadable_lines) == (13, 0)
    assert found.publish() == tmp_path / "articles-T.recovered.jsonl"
    assert (tmp_path / "articles-T.recovered.jsonl").read_bytes() == A + B
    assert find_part_files(tmp_path) == []


def test_a_file_of_whole_lines_is_renamed_untouched(tmp_path: Path) -> None:
    found = read_part_file(part(tmp_path, A + B))
    assert found.dropped_bytes == 0
    found.publish()
    assert (tmp_path / "articles-T.recovered.jsonl").read_bytes() == A + B


def test_publishing_again_after_a_crash_half_way_gives_the_same_file(tmp_path: Path) -> None:
    path = part(tmp_path, A + B + b"{")
    first = read_part_file(path)
    # Crash after the cut line was cut off, before the rename: the next run finds this.
    path.write_bytes(A + B)
    again = read_part_file(path)
    assert again.records == first.records
    assert again.publish() == first.target
    assert first.target.read_bytes() == A + B


def test_a_part_file_without_a_whole_line_is_removed(tmp_path: Path) -> None:
    for content in (b"", b'{"type": "arti'):
        found = read_part_file(part(tmp_path, content))
        assert found.records == []
        assert found.publish() is None
        assert not found.part.exists()
    assert list(tmp_path.iterdir()) == []


def test_lines_that_are_not_records_are_counted_and_left_in_place(tmp_path: Path) -> None:
    found = read_part_file(part(tmp_path, A + b"not json\n" + b"[1, 2]\n" + B))
    assert [r["news_id"] for r in found.records] == [1, 2]
    assert found.unreadable_lines == 2
    found.publish()
    assert found.target.read_bytes() == A + b"not json\n[1, 2]\n" + B


def test_a_recovered_file_never_takes_an_existing_name(tmp_path: Path) -> None:
    (tmp_path / "articles-T.recovered.jsonl").write_bytes(A)
    found = read_part_file(part(tmp_path, B))
    assert found.target.name == "articles-T.recovered-2.jsonl"
    found.publish()
    assert (tmp_path / "articles-T.recovered.jsonl").read_bytes() == A


def test_only_feed_part_files_are_found_oldest_name_first(tmp_path: Path) -> None:
    for name in ("listings-2.jsonl.part", "articles-1.jsonl.part", "notes.part", "a.jsonl"):
        part(tmp_path, A, name)
    assert [p.name for p in find_part_files(tmp_path)] == [
        "articles-1.jsonl.part",
        "listings-2.jsonl.part",
    ]
    assert find_part_files(tmp_path / "missing") == []
