"""`newsbot export`: a site's feeds as one table per record type, through DuckDB.

Every finished feed (`<kind>s-<time>.jsonl`) and recovered feed (`<kind>s-<time>.recovered*.jsonl`)
under `<data dir>/<site>/` is read; `.part` files, which a running or dead crawl is still
writing, never are. DuckDB reads the JSON Lines with a declared column schema, so a field that
older feeds lack (`desk`, `canonical_url`, `published_at_utc`, `published_precision`) comes out
as null, and it sorts, groups and writes Parquet or CSV out of core: memory stays within
`MEMORY_LIMIT` whatever the corpus size, spilling to a temporary folder beside the output.

The tables, one row each per:
- `articles`: article (site, desk, news id), its latest revision;
- `revisions`: revision of an article (site, desk, news id, revision);
- `listings`: entry of a listing snapshot;
- `rankings`: story in a list (site, desk, list, news id), over all its snapshots.

Their columns are `TABLES` below (README "Exporting a corpus" documents them).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import duckdb

if TYPE_CHECKING:
    import pandas

What = Literal["articles", "revisions", "listings", "rankings"]
Format = Literal["parquet", "csv", "jsonl"]
WHATS: tuple[What, ...] = ("articles", "revisions", "listings", "rankings")
FORMATS: tuple[Format, ...] = ("parquet", "csv", "jsonl")

# DuckDB's own memory (its buffer manager); what does not fit spills to disk. The process as a
# whole stays under about twice this (benchmarks/export.py measures it).
MEMORY_LIMIT = "400MB"
# A story at rank 1 in a snapshot counts as at rank 1 until the next snapshot of the same list on
# the same page, but for this long at most: a longer gap is a pause of the crawl, not evidence.
RANK_1_MAX_GAP_SECONDS = 3600
# Desk of the records that name none: older feeds, written before desks were recorded, hold
# the main site only.
MAIN_DESK = "www"

_IMAGES = "STRUCT(url VARCHAR, alt VARCHAR)[]"
# The fields read from the feeds, with their types. Fields not listed are not read.
_ARTICLE_FIELDS = {
    "type": "VARCHAR", "site": "VARCHAR", "desk": "VARCHAR", "news_id": "BIGINT",
    "revision": "INTEGER", "url": "VARCHAR", "canonical_url": "VARCHAR", "title": "VARCHAR",
    "kicker": "VARCHAR", "lead": "VARCHAR", "body": "VARCHAR", "section": "VARCHAR[]",
    "tags": "VARCHAR[]", "published_at": "VARCHAR", "published_at_utc": "TIMESTAMPTZ",
    "published_precision": "VARCHAR", "published_at_jalali": "VARCHAR",
    "published_at_raw": "VARCHAR", "views": "BIGINT", "comment_count": "BIGINT",
    "images": _IMAGES, "crawled_at": "TIMESTAMPTZ",
}  # fmt: skip
_ENTRY = (
    "STRUCT(rank INTEGER, news_id BIGINT, url VARCHAR, canonical_url VARCHAR, desk VARCHAR, "
    "title VARCHAR, comment_count BIGINT)[]"
)
_LISTING_FIELDS = {
    "type": "VARCHAR", "site": "VARCHAR", "desk": "VARCHAR", "list": "VARCHAR",
    "block": "VARCHAR", "page_url": "VARCHAR", "captured_at": "TIMESTAMPTZ", "entries": _ENTRY,
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB's type; TIMESTAMPTZ is a UTC timestamp in Parquet
    meaning: str


_ARTICLE_COLUMNS = (
    Column("site", "VARCHAR", "the site's spider name, `iribnews`"),
    Column("desk", "VARCHAR", "`www` for the main site, else the provincial desk (`yazd`)"),
    Column("news_id", "BIGINT", "the news code"),
    Column("revision", "INTEGER", "1, 2, ...: the version of the article"),
    Column("url", "VARCHAR", "the URL as fetched"),
    Column("canonical_url", "VARCHAR", "`https://<host>/fa/news/<id>`; null in older feeds"),
    Column("title", "VARCHAR", ""),
    Column("kicker", "VARCHAR", ""),
    Column("lead", "VARCHAR", ""),
    Column("body", "VARCHAR", ""),
    Column("section", "VARCHAR[]", "the breadcrumb"),
    Column("tags", "VARCHAR[]", ""),
    Column("published_at", "VARCHAR", "ISO 8601 with the Tehran offset, or a date alone"),
    Column("published_at_utc", "TIMESTAMPTZ", "null when only a date is known, or in older feeds"),
    Column("published_precision", "VARCHAR", "`minute`, `second` or `day`; null in older feeds"),
    Column("published_at_jalali", "VARCHAR", "`1402-03-09T12:27`"),
    Column("published_at_raw", "VARCHAR", "the date as the page shows it"),
    Column("views", "BIGINT", ""),
    Column("comment_count", "BIGINT", ""),
    Column("images", _IMAGES, ""),
    Column("crawled_at", "TIMESTAMPTZ", "when this revision was fetched"),
)
TABLES: dict[What, tuple[Column, ...]] = {
    "articles": _ARTICLE_COLUMNS,
    "revisions": _ARTICLE_COLUMNS,
    "listings": (
        Column("site", "VARCHAR", ""),
        Column("desk", "VARCHAR", "the desk of the entry's article (`www` in older feeds)"),
        Column("list", "VARCHAR", "`latest`, `most_viewed` or `most_discussed`"),
        Column("block", "VARCHAR", "which block of the page (`sidebar`, `tabs`, ...)"),
        Column("page_url", "VARCHAR", "the page the list was on"),
        Column("captured_at", "TIMESTAMPTZ", "when the page was read"),
        Column("rank", "INTEGER", "1 for the top of the list"),
        Column("news_id", "BIGINT", ""),
        Column("url", "VARCHAR", "the link as written on the page, made absolute"),
        Column("canonical_url", "VARCHAR", "null in older feeds"),
        Column("title", "VARCHAR", "as the list shows it"),
        Column("comment_count", "BIGINT", ""),
    ),
    "rankings": (
        Column("site", "VARCHAR", ""),
        Column("desk", "VARCHAR", "the desk of the story"),
        Column("list", "VARCHAR", ""),
        Column("news_id", "BIGINT", ""),
        Column("title", "VARCHAR", "as the list showed it last"),
        Column("canonical_url", "VARCHAR", "as the list gave it last; null in older feeds"),
        Column("first_seen", "TIMESTAMPTZ", "first snapshot of the list that had the story"),
        Column("last_seen", "TIMESTAMPTZ", "last such snapshot"),
        Column("snapshots", "BIGINT", "how many snapshots of the list had it (any page)"),
        Column("best_rank", "INTEGER", ""),
        Column("worst_rank", "INTEGER", ""),
        Column(
            "seconds_at_rank_1",
            "BIGINT",
            "time at rank 1 on any page: each snapshot with the story first counts until the "
            f"next snapshot of that list on that page, at most {RANK_1_MAX_GAP_SECONDS} s",
        ),
    ),
}


class ExportError(ValueError):
    """A corpus that cannot be exported: no such site folder, or a feed DuckDB cannot read."""


def feed_files(data_dir: Path, site: str, kind: Literal["article", "listing"]) -> list[Path]:
    """A site's finished and recovered feeds of one kind, oldest name first; never `.part`."""
    return sorted(path for path in (data_dir / site).glob(f"{kind}s-*.jsonl") if path.is_file())


def table_query(data_dir: Path, site: str, what: What) -> str:
    """The SQL that selects table `what` of a site's corpus, in the declared column types."""
    if not (data_dir / site).is_dir():
        raise ExportError(f"{data_dir / site} does not exist: no feeds of {site!r} there")
    if what in ("articles", "revisions"):
        body = _articles_query(data_dir, site, latest_only=what == "articles")
    elif what == "listings":
        body = _entries_query(data_dir, site)
    else:
        body = _rankings_query(data_dir, site)
    columns = ", ".join(f"CAST({c.name} AS {c.type}) AS {c.name}" for c in TABLES[what])
    return f"SELECT {columns} FROM ({body})"


def export(data_dir: Path, site: str, what: What, fmt: Format, output: Path) -> int:
    """Write table `what` of a site's corpus to `output`; return its number of rows.

    The file appears under its name only once complete (written as `<output>.part`, renamed).
    """
    query = table_query(data_dir, site, what)
    if fmt != "parquet":
        query = _flat_query(query, what, lists_as_json=fmt == "csv")
    options = {
        # Row groups of at most ~64 MB: with whole articles in a row, DuckDB's default of
        # 122,880 rows would fill the memory limit with one row group and thrash (5x slower).
        "parquet": "FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE_BYTES 64000000",
        "csv": "FORMAT csv, HEADER true",
        "jsonl": "FORMAT json",
    }[fmt]
    output.parent.mkdir(parents=True, exist_ok=True)
    part = output.with_name(output.name + ".part")
    with connection(spill_dir=output.parent) as con:
        try:
            written = con.execute(f"COPY ({query}) TO '{_sql_text(part)}' ({options})").fetchone()
        except duckdb.Error as error:
            part.unlink(missing_ok=True)
            raise ExportError(str(error)) from error
    part.replace(output)
    return int(written[0]) if written else 0


def read_table(data_dir: Path, site: str, what: What) -> pandas.DataFrame:
    """Table `what` of a site's corpus as a pandas DataFrame (timestamps in UTC)."""
    with connection() as con:
        try:
            return con.sql(table_query(data_dir, site, what)).df()
        except duckdb.Error as error:
            raise ExportError(str(error)) from error


@contextmanager
def connection(spill_dir: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB with bounded memory, spilling to a temporary folder, in UTC."""
    with tempfile.TemporaryDirectory(prefix="newsbot-export-", dir=spill_dir) as spill:
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": spill})
        try:
            con.execute("SET TimeZone = 'UTC'")
            # Rows come out in no particular order unless a query asks: no buffering to keep one.
            con.execute("SET preserve_insertion_order = false")
            # Every thread has buffers of its own: more than four add memory more than speed.
            con.execute(f"SET threads = {max(1, min(4, os.cpu_count() or 1))}")
            yield con
        finally:
            con.close()


def _read_feeds(data_dir: Path, site: str, kind: Literal["article", "listing"]) -> str:
    """SQL for every record of one kind in a site's feeds, with the fields of `kind` and the
    `filename` it came from."""
    fields = _ARTICLE_FIELDS if kind == "article" else _LISTING_FIELDS
    files = feed_files(data_dir, site, kind)
    if not files:
        nulls = ", ".join(f"CAST(NULL AS {type_}) AS {name}" for name, type_ in fields.items())
        return f"(SELECT {nulls}, CAST(NULL AS VARCHAR) AS filename LIMIT 0)"
    names = ", ".join(f"'{_sql_text(path)}'" for path in files)
    declared = ", ".join(f"'{name}': '{type_}'" for name, type_ in fields.items())
    return (
        f"(SELECT * FROM read_json([{names}], format = 'newline_delimited', "
        f"columns = {{{declared}}}, filename = true) WHERE type = '{kind}')"
    )


def _articles_query(data_dir: Path, site: str, *, latest_only: bool) -> str:
    """Every revision once, or each article's latest. A revision that appears twice (it cannot
    in a crawl, but a copied feed can) is kept once, its first capture; of an article's
    revisions, `articles` keeps the highest (the last captured, should it be there twice).

    In two passes over the feeds: the winners' keys first (narrow: DuckDB parses only those
    fields), then the whole records that match them. Choosing among whole records instead
    (a window over them) sorts the whole corpus, bodies and all: 3x the time and memory.
    """
    feeds = _read_feeds(data_dir, site, "article")
    desk = f"coalesce(desk, '{MAIN_DESK}')"
    order = "(revision, crawled_at, filename)" if latest_only else "(crawled_at, filename)"
    pick = "max_by" if latest_only else "min_by"
    group = f"site, {desk}, news_id" if latest_only else f"site, {desk}, news_id, revision"
    keys = ("site", "desk", "news_id", "revision", "crawled_at", "filename")
    chosen = ", ".join(
        f"{pick}({name}, {order}) AS {name}" for name in keys[3 if latest_only else 4 :]
    )
    same = " AND ".join(f"f.{name} IS NOT DISTINCT FROM w.{name}" for name in keys)
    return f"""
        WITH w AS (
            SELECT site, {desk} AS desk, news_id, {"" if latest_only else "revision, "}{chosen}
            FROM {feeds} GROUP BY {group}
        )
        SELECT f.* FROM (SELECT * REPLACE ({desk} AS desk) FROM {feeds}) AS f
        SEMI JOIN w ON {same}
    """


def _snapshots_query(data_dir: Path, site: str) -> str:
    return (
        "SELECT site, coalesce(desk, '" + MAIN_DESK + "') AS page_desk, list, block, page_url, "
        f"captured_at, entries FROM {_read_feeds(data_dir, site, 'listing')}"
    )


def _entries_query(data_dir: Path, site: str) -> str:
    return (
        "SELECT s.site, coalesce(e.desk, s.page_desk) AS desk, s.list, s.block, s.page_url, "
        "s.captured_at, e.rank, e.news_id, e.url, e.canonical_url, e.title, e.comment_count "
        f"FROM ({_snapshots_query(data_dir, site)}) AS s, unnest(s.entries) AS u(e)"
    )


def _rankings_query(data_dir: Path, site: str) -> str:
    snapshots = _snapshots_query(data_dir, site)
    entries = _entries_query(data_dir, site)
    story = "site, desk, list, news_id"
    return f"""
        WITH entries AS ({entries}),
        -- Every snapshot of a list on a page (empty ones too), with the time of the next one.
        series AS (
            SELECT site, list, block, page_url, captured_at,
                   lead(captured_at) OVER (
                       PARTITION BY site, list, block, page_url ORDER BY captured_at
                   ) AS next_at
            FROM (SELECT DISTINCT site, list, block, page_url, captured_at FROM ({snapshots}))
        ),
        -- Each time a story was seen at rank 1: until the page's next snapshot of the list.
        at_top AS (
            SELECT {story}, e.captured_at AS since,
                   least(s.next_at, e.captured_at + INTERVAL {RANK_1_MAX_GAP_SECONDS} SECOND)
                       AS until
            FROM entries AS e
            JOIN series AS s USING (site, list, block, page_url, captured_at)
            WHERE e.rank = 1 AND s.next_at IS NOT NULL
        ),
        -- Overlapping spans (the same story at rank 1 on several pages) are counted once.
        spans AS (
            SELECT *, since > coalesce(max(until) OVER (
                PARTITION BY {story} ORDER BY since, until
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ), since - INTERVAL 1 SECOND) AS starts_island
            FROM at_top
        ),
        islands AS (
            SELECT *, sum(starts_island::INTEGER) OVER (
                PARTITION BY {story} ORDER BY since, until ROWS UNBOUNDED PRECEDING
            ) AS island
            FROM spans
        ),
        top_time AS (
            SELECT {story}, sum(seconds) AS seconds_at_rank_1
            FROM (
                SELECT {story}, island,
                       epoch(max(until)) - epoch(min(since)) AS seconds
                FROM islands GROUP BY {story}, island
            )
            GROUP BY {story}
        ),
        stories AS (
            SELECT {story},
                   arg_max(title, captured_at) AS title,
                   arg_max(canonical_url, captured_at) AS canonical_url,
                   min(captured_at) AS first_seen,
                   max(captured_at) AS last_seen,
                   count(DISTINCT (block, page_url, captured_at)) AS snapshots,
                   min(rank) AS best_rank,
                   max(rank) AS worst_rank
            FROM entries GROUP BY {story}
        )
        SELECT stories.*, coalesce(top_time.seconds_at_rank_1, 0) AS seconds_at_rank_1
        FROM stories LEFT JOIN top_time USING ({story})
    """


def _flat_query(query: str, what: What, *, lists_as_json: bool) -> str:
    """Timestamps as ISO 8601 UTC text (`2023-05-30T08:57:00Z`); for CSV, lists as JSON text."""
    columns = []
    for column in TABLES[what]:
        if column.type == "TIMESTAMPTZ":
            columns.append(f"strftime({column.name}, '%Y-%m-%dT%H:%M:%SZ') AS {column.name}")
        elif column.type.endswith("[]") and lists_as_json:
            columns.append(f"CAST(to_json({column.name}) AS VARCHAR) AS {column.name}")
        else:
            columns.append(column.name)
    return f"SELECT {', '.join(columns)} FROM ({query})"


def _sql_text(path: Path) -> str:
    """A path as the inside of an SQL string literal."""
    return str(path).replace("'", "''")
