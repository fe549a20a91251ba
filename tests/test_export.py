"""`newsbot export`, `newsbot.read_corpus` and `newsbot.extract_page`: the corpus as tables.

Hand-written feeds (with the fields newer feeds carry, `desk`, `canonical_url`,
`published_at_utc`, `published_precision`, and an older record without them) check each table's
rules and formats; two crawls of the snapshot (the second after one article's title changed)
check the done-when of issue 14, rankings against an independent computation over the JSON Lines.
"""

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

import newsbot
from newsbot.tools.cli import main
from snapshot.crawl import PROJECT_DIR, crawl_snapshot
from snapshot.server import DEFAULT_ROOT, SnapshotServer

SITE = "iribnews"
HOST = "https://www.iribnews.ir"


def article(
    news_id: int, revision: int, crawled_at: str, title: str, **newer: Any
) -> dict[str, Any]:
    """An article record as feeds hold it; `newer` adds the fields newer feeds carry."""
    return {
        "type": "article", "site": SITE, "url": f"{HOST}/fa/news/{news_id}/نامک",
        "news_id": news_id, "revision": revision, "title": title, "kicker": None,
        "lead": "لید خبر", "body": "متن خبر", "section": ["اجتماعی", "جامعه و شهری"],
        "tags": ["کتابخانه"], "published_at": "2023-06-08T11:20:00+03:30",
        "published_at_jalali": "1402-03-18T11:20", "published_at_raw": "۱۸ خرداد ۱۴۰۲ - ۱۱:۲۰",
        "views": 12, "comment_count": None,
        "images": [{"url": f"{HOST}/files/{news_id}.jpg", "alt": "عکس"}],
        "crawled_at": crawled_at, **newer,
    }  # fmt: skip


def newer_fields(news_id: int, desk: str = "www") -> dict[str, Any]:
    return {
        "desk": desk,
        "canonical_url": f"https://{desk}.iribnews.ir/fa/news/{news_id}",
        "published_at_utc": "2023-06-08T07:50:00Z",
        "published_precision": "minute",
    }


def listing(
    captured_at: str, ids: list[int], *, page: str = "/", lst: str = "most_viewed"
) -> dict[str, Any]:
    return {
        "type": "listing", "site": SITE, "list": lst, "block": "sidebar",
        "page_url": f"{HOST}{page}", "captured_at": captured_at,
        "entries": [
            {
                "rank": rank, "news_id": news_id, "url": f"{HOST}/fa/news/{news_id}",
                "canonical_url": f"{HOST}/fa/news/{news_id}", "desk": "www",
                "title": f"خبر {news_id}", "comment_count": None,
            }
            for rank, news_id in enumerate(ids, start=1)
        ],
    }  # fmt: skip


def write_feed(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three runs' feeds: a finished one, a recovered one, and a `.part` one still open."""
    data = tmp_path / "data"
    folder = data / SITE
    write_feed(
        folder / "articles-2026-01-01T09-00-00+00-00.jsonl",
        [
            article(1, 1, "2026-01-01T09:00:00+00:00", "عنوان نخست"),  # an older record
            article(2, 1, "2026-01-01T09:00:01+00:00", "خبر یزد", **newer_fields(2, "yazd")),
            article(2, 1, "2026-01-01T09:00:02+00:00", "خبر تهران", **newer_fields(2)),
        ],
    )
    write_feed(
        folder / "articles-2026-01-01T09-15-00+00-00.recovered.jsonl",
        [article(1, 2, "2026-01-01T09:15:00+00:00", "عنوان تازه", **newer_fields(1))],
    )
    write_feed(
        folder / "articles-2026-01-01T09-30-00+00-00.jsonl.part",
        [article(1, 3, "2026-01-01T09:30:00+00:00", "نیمه‌کاره", **newer_fields(1))],
    )
    write_feed(
        folder / "listings-2026-01-01T09-00-00+00-00.jsonl",
        [
            listing("2026-01-01T09:00:00+00:00", [1, 2]),
            listing("2026-01-01T09:00:05+00:00", [2, 1], page="/fa/services/6"),
            listing("2026-01-01T09:00:00+00:00", [], lst="most_discussed"),
        ],
    )
    write_feed(
        folder / "listings-2026-01-01T09-15-00+00-00.jsonl",
        [
            listing("2026-01-01T09:15:00+00:00", [2, 1]),
            listing("2026-01-01T09:15:05+00:00", [2]),  # the same page, read again
            listing("2026-01-01T09:15:05+00:00", [2, 1], page="/fa/services/6"),
        ],
    )
    return data


def export(data: Path, what: str, fmt: str, output: Path, site: str = SITE) -> int:
    """`newsbot export` as a script calls it; its exit status."""
    return main(
        ["export", str(data), "--site", site, "--what", what, "--format", fmt, "-o", str(output)]
    )


def export_rows(data: Path, what: str, tmp_path: Path) -> list[dict[str, Any]]:
    output = tmp_path / f"{what}.parquet"
    assert export(data, what, "parquet", output) == 0
    relation = duckdb.sql(f"SELECT * FROM '{output}'")
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def test_articles_keep_each_articles_latest_revision_keyed_by_desk(
    corpus: Path, tmp_path: Path
) -> None:
    rows = {(r["desk"], r["news_id"]): r for r in export_rows(corpus, "articles", tmp_path)}
    assert set(rows) == {("www", 1), ("yazd", 2), ("www", 2)}
    # The recovered feed's revision 2 wins; the .part file's revision 3 is not read.
    assert (rows["www", 1]["revision"], rows["www", 1]["title"]) == (2, "عنوان تازه")
    assert rows["yazd", 2]["title"] == "خبر یزد"
    assert rows["yazd", 2]["canonical_url"] == "https://yazd.iribnews.ir/fa/news/2"
    assert rows["www", 2]["published_at_utc"] == datetime(2023, 6, 8, 7, 50, tzinfo=UTC)
    assert rows["www", 2]["published_precision"] == "minute"
    assert rows["www", 2]["section"] == ["اجتماعی", "جامعه و شهری"]
    assert rows["www", 2]["images"] == [{"url": f"{HOST}/files/2.jpg", "alt": "عکس"}]
    assert rows["www", 2]["crawled_at"] == datetime(2026, 1, 1, 9, 0, 2, tzinfo=UTC)


def test_revisions_keep_every_revision_and_older_records_get_nulls(
    corpus: Path, tmp_path: Path
) -> None:
    rows = export_rows(corpus, "revisions", tmp_path)
    assert sorted((r["desk"], r["news_id"], r["revision"]) for r in rows) == [
        ("www", 1, 1), ("www", 1, 2), ("www", 2, 1), ("yazd", 2, 1),
    ]  # fmt: skip
    [older] = [r for r in rows if r["news_id"] == 1 and r["revision"] == 1]
    assert older["desk"] == "www"  # no desk in older feeds: the main site
    assert (
        older["canonical_url"] is older["published_at_utc"] is older["published_precision"] is None
    )
    assert older["title"] == "عنوان نخست"


def test_parquet_states_its_schema(corpus: Path, tmp_path: Path) -> None:
    export_rows(corpus, "articles", tmp_path)
    schema = {
        name: (physical, logical, converted)
        for name, physical, logical, converted in duckdb.sql(
            "SELECT name, type, logical_type, converted_type "
            f"FROM parquet_schema('{tmp_path / 'articles.parquet'}')"
        ).fetchall()
    }
    assert schema["crawled_at"][0] == "INT64"
    assert "isAdjustedToUTC=1" in str(schema["crawled_at"][1])
    assert "isAdjustedToUTC=1" in str(schema["published_at_utc"][1])
    assert schema["news_id"][0] == "INT64"
    assert schema["revision"][0] == "INT32"
    assert schema["section"][2] == "LIST"
    assert schema["images"][2] == "LIST"
    assert schema["title"][2] == "UTF8"


def test_csv_is_flat_utf8_with_a_header(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "articles.csv"
    assert export(corpus, "articles", "csv", output) == 0
    with output.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    row = next(r for r in rows if r["desk"] == "yazd")
    assert json.loads(row["section"]) == ["اجتماعی", "جامعه و شهری"]
    assert json.loads(row["images"]) == [{"url": f"{HOST}/files/2.jpg", "alt": "عکس"}]
    assert row["crawled_at"] == "2026-01-01T09:00:01Z"
    assert row["published_at_utc"] == "2023-06-08T07:50:00Z"
    assert row["title"] == "خبر یزد"
    assert not list(tmp_path.glob("*.part"))


def test_jsonl_keeps_lists_as_lists(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "listings.jsonl"
    assert export(corpus, "listings", "jsonl", output) == 0
    rows = [json.loads(line) for line in output.read_text("utf-8").splitlines()]
    # One row per entry; the empty most_discussed snapshot has none.
    assert len(rows) == 2 + 2 + 2 + 1 + 2
    first = next(r for r in rows if r["captured_at"] == "2026-01-01T09:00:00Z" and r["rank"] == 1)
    assert first == {
        "site": SITE, "desk": "www", "list": "most_viewed", "block": "sidebar",
        "page_url": f"{HOST}/", "captured_at": "2026-01-01T09:00:00Z", "rank": 1, "news_id": 1,
        "url": f"{HOST}/fa/news/1", "canonical_url": f"{HOST}/fa/news/1", "title": "خبر 1",
        "comment_count": None,
    }  # fmt: skip


def test_rankings_worked_out_by_hand(corpus: Path, tmp_path: Path) -> None:
    rows = {r["news_id"]: r for r in export_rows(corpus, "rankings", tmp_path)}
    assert set(rows) == {1, 2}
    one, two = rows[1], rows[2]
    assert (one["first_seen"], one["last_seen"]) == (
        datetime(2026, 1, 1, 9, 0, tzinfo=UTC), datetime(2026, 1, 1, 9, 15, 5, tzinfo=UTC),
    )  # fmt: skip
    assert (one["snapshots"], one["best_rank"], one["worst_rank"]) == (4, 1, 2)
    assert (two["snapshots"], two["best_rank"], two["worst_rank"]) == (5, 1, 2)
    # Story 1 led the home page's list at 9:00 until its next snapshot at 9:15.
    assert one["seconds_at_rank_1"] == 15 * 60
    # Story 2 led the section page from 9:00:05 to 9:15:05 and the home page from 9:15:00 to
    # 9:15:05 (then nothing came after): overlapping, counted once.
    assert two["seconds_at_rank_1"] == 15 * 60
    assert two["title"] == "خبر 2" and two["list"] == "most_viewed"


def test_an_unknown_site_is_a_clear_error(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(corpus, "articles", "csv", tmp_path / "x.csv", site="kayhan") == 1
    assert "no feeds of 'kayhan'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_a_broken_line_stops_the_export_naming_the_file(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = corpus / SITE / "articles-2026-01-02T00-00-00+00-00.recovered.jsonl"
    broken.write_text('{"type": "article", "news_id": \n', "utf-8")
    assert export(corpus, "articles", "parquet", tmp_path / "a.parquet") == 1
    assert broken.name in capsys.readouterr().err
    assert not list(tmp_path.glob("a.parquet*"))


def test_read_corpus_gives_a_dataframe_in_utc(corpus: Path) -> None:
    frame = newsbot.read_corpus(corpus, SITE, what="rankings")
    assert sorted(frame["news_id"]) == [1, 2]
    assert str(frame["first_seen"].dt.tz) == "UTC"
    articles = newsbot.read_corpus(str(corpus), SITE)
    assert len(articles) == 3
    with pytest.raises(ValueError, match="what='pages'"):
        newsbot.read_corpus(corpus, SITE, what="pages")


def test_importing_newsbot_loads_no_heavy_library() -> None:
    code = "import sys, newsbot; print(sorted({'scrapy', 'pandas', 'duckdb', 'warcio'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_extract_page_gives_the_records_of_an_article_and_a_home_page() -> None:
    truth = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
    page = (DEFAULT_ROOT / "news" / "3900001.html").read_text("utf-8")
    [record] = newsbot.extract_page(page, f"{HOST}/fa/news/3900001")
    expected = truth["articles"]["3900001"]
    for name in ("title", "kicker", "lead", "body", "section", "tags", "published_at"):
        assert record[name] == expected[name], name
    assert record["type"] == "article" and record["news_id"] == 3900001
    home = newsbot.extract_page((DEFAULT_ROOT / "home.html").read_text("utf-8"), f"{HOST}/")
    home_lists = [entry for entry in truth["listings"] if entry["page"] == "/"]
    assert sorted((r["list"], r["block"]) for r in home) == sorted(
        (e["list"], e["block"]) for e in home_lists
    )
    with pytest.raises(ValueError, match="names no host"):
        newsbot.extract_page(page, "/fa/news/3900001")


# ------------------------------------------------------------- two crawls of the snapshot

OLD_TITLE = "<span>گشایش سه کتابخانه عمومی تازه در استان</span>"
NEW_TITLE = "گشایش چهار کتابخانه عمومی تازه در استان"


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The snapshot crawled twice; before the second crawl (a refresh), one title changed."""
    root = tmp_path_factory.mktemp("site") / "site"
    shutil.copytree(DEFAULT_ROOT, root)
    data = tmp_path_factory.mktemp("data")
    with SnapshotServer(root) as server:
        first = crawl_snapshot(data, server=server)
        page = root / "news" / "3900001.html"
        page.write_text(
            page.read_text("utf-8").replace(OLD_TITLE, f"<span>{NEW_TITLE}</span>"), "utf-8"
        )
        # Only the changed article was first seen less than an hour ago: the refresh fetches it
        # alone.
        with sqlite3.connect(data / "state" / f"{SITE}.sqlite3") as db:
            db.execute(
                "UPDATE articles SET first_seen = first_seen - 5 * 3600 WHERE news_id != 3900001"
            )
        second = crawl_snapshot(data, server=server, spider_args={"refresh_hours": "1"})
    assert first.returncode == second.returncode == 0, second.log
    return data


def feed_records(data: Path, kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for feed in sorted((data / SITE).glob(f"{kind}s-*.jsonl"))
        for line in feed.read_text("utf-8").splitlines()
    ]


@pytest.mark.e2e
def test_two_crawls_give_one_row_per_article_with_the_new_title(
    two_crawls: Path, tmp_path: Path
) -> None:
    truth = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
    rows = export_rows(two_crawls, "articles", tmp_path)
    assert sorted(r["news_id"] for r in rows) == sorted(map(int, truth["articles"]))
    [changed] = [r for r in rows if r["news_id"] == 3900001]
    assert (changed["revision"], changed["title"]) == (2, NEW_TITLE)
    assert {r["revision"] for r in rows if r["news_id"] != 3900001} == {1}


@pytest.mark.e2e
def test_two_crawls_give_both_revisions(two_crawls: Path, tmp_path: Path) -> None:
    rows = [r for r in export_rows(two_crawls, "revisions", tmp_path) if r["news_id"] == 3900001]
    assert sorted((r["revision"], r["title"]) for r in rows) == [
        (1, "گشایش سه کتابخانه عمومی تازه در استان"), (2, NEW_TITLE),
    ]  # fmt: skip
    assert len(export_rows(two_crawls, "revisions", tmp_path)) == len(
        feed_records(two_crawls, "article")
    )


def expected_rankings(snapshots: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """Rankings worked out from the listing records alone, in plain Python."""

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text)

    stories: dict[tuple[str, int], dict[str, Any]] = {}
    series: dict[tuple[str, str, str], set[datetime]] = defaultdict(set)
    for snapshot in snapshots:
        series[snapshot["list"], snapshot["block"], snapshot["page_url"]].add(
            at(snapshot["captured_at"])
        )
    spans: dict[tuple[str, int], list[tuple[datetime, datetime]]] = defaultdict(list)
    for snapshot in snapshots:
        when = at(snapshot["captured_at"])
        for entry in snapshot["entries"]:
            key = (snapshot["list"], entry["news_id"])
            story = stories.setdefault(key, {"seen": [], "ranks": [], "snapshots": set()})
            story["seen"].append(when)
            story["ranks"].append(entry["rank"])
            story["snapshots"].add((snapshot["block"], snapshot["page_url"], when))
            later = [
                t
                for t in series[snapshot["list"], snapshot["block"], snapshot["page_url"]]
                if t > when
            ]
            if entry["rank"] == 1 and later:
                spans[key].append((when, min(min(later), when + timedelta(hours=1))))
    result = {}
    for key, story in stories.items():
        covered, end = 0.0, None
        for start, stop in sorted(spans[key]):
            if end is None or start > end:
                covered += (stop - start).total_seconds()
                end = stop
            elif stop > end:
                covered += (stop - end).total_seconds()
                end = stop
        result[key] = {
            "first_seen": min(story["seen"]), "last_seen": max(story["seen"]),
            "snapshots": len(story["snapshots"]), "best_rank": min(story["ranks"]),
            "worst_rank": max(story["ranks"]), "seconds_at_rank_1": covered,
        }  # fmt: skip
    return result


@pytest.mark.e2e
def test_rankings_agree_with_the_listing_snapshots(two_crawls: Path, tmp_path: Path) -> None:
    expected = expected_rankings(feed_records(two_crawls, "listing"))
    rows = export_rows(two_crawls, "rankings", tmp_path)
    found = {
        (r["list"], r["news_id"]): {
            name: r[name]
            for name in (
                "first_seen",
                "last_seen",
                "snapshots",
                "best_rank",
                "worst_rank",
                "seconds_at_rank_1",
            )
        }
        for r in rows
    }
    assert found == expected
    # Both crawls saw the lists, and the first crawl's leaders led until the second's snapshot.
    assert any(r["seconds_at_rank_1"] > 0 for r in rows)
    assert {r["list"] for r in rows} >= {"latest", "most_viewed"}


def test_a_copied_feed_adds_no_row(corpus: Path, tmp_path: Path) -> None:
    feed = corpus / SITE / "articles-2026-01-01T09-00-00+00-00.jsonl"
    shutil.copy(feed, feed.with_name("articles-2026-01-01T09-00-00+00-00 copy.jsonl"))
    assert len(export_rows(corpus, "articles", tmp_path)) == 3
    assert len(export_rows(corpus, "revisions", tmp_path)) == 4
