"""Crawl state: which articles of a site have been emitted, kept across runs, each known by its
desk and news id (provincial desks number their articles separately; newsbot.items.MAIN_DESK),
and which of their readers' comments.

A scheduled crawl reads the site's front pages, feeds and archive every run, and asks the state
which of the articles it finds are new (fetch), known (skip) or recent enough to re-check
(`refresh_hours`). The pipelines ask it which revision a fetched article is. Both see it only
through the small `StateStore` interface; `SQLiteStateStore` is the implementation, one SQLite
file per site under `NEWSBOT_STATE_DIR` (default `<NEWSBOT_DATA_DIR>/state`). Another store
(say, Redis for workers on several machines) is a class named by `NEWSBOT_STATE_STORE`.

Crash safety. The feed is the truth: an article counts as emitted once its line is in the
feed. `CrawlState` marks an id when newsbot.crawl.feeds reports the line written (never before), and
commits to SQLite in batches. After a crash, uncommitted marks are rebuilt from the `.part`
feeds the crawl left, which the next run recovers before anything else. Before each commit
the feed files holding the batch are fsynced, so even after a power cut the state never knows
an id whose line the disk lost. When a feed is closed (`part_synced`), the state commits before
the file leaves its `.part` name.

Resume. With `JOBDIR`, a run paused cleanly (one Ctrl-C or SIGTERM, a CLOSESPIDER_* limit)
leaves Scrapy's request queue and seen-requests file for the next run to go on from, as
Scrapy does. Any other JOBDIR content is not trusted: a killed run leaves a seen-requests file
that was appended as requests were *scheduled* and a queue whose bookkeeping was never saved,
so resuming from them silently loses requests (Scrapy #4479, #5312); a finished run leaves a
seen-requests file that would filter the next scheduled run's pages. `CrawlState` keeps a
marker of how the last run in the JOBDIR ended and starts a new job in the JOBDIR unless it was
paused. Nothing is lost: a new job reads the front pages, feeds and archive again, and the
state skips what was emitted.

Pages that never become articles. A page of an article id that gave no article (not an article,
no body, a site's "no such article" page, 404: `NO_ARTICLE`) would be fetched again on every
run forever. The state remembers such drops with their reason, and the spider does not fetch the
id again until NEWSBOT_DROPPED_RETRY_HOURS have passed (`CrawlState.worth_fetching`); an id
that becomes an article is forgotten as a drop. An id-range walk (newsbot.crawl.idwalk) reads
the same record as the id *tried*, and does not fetch it again unless asked.

One site, one host. A state also records the host it was filled from (the live site, a mirror,
the bundled snapshot): its ids are that host's articles. A crawl of another host with it would
skip articles it never emitted (the snapshot's invented articles have real IRIB news ids), so it
stops before anything is fetched (exit status 8), unless `NEWSBOT_SAME_SITE_HOSTS` names both
hosts as serving the same site. A state made before the record adopts the first host it is
used with.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir
from scrapy.utils.misc import load_object

from newsbot.crawl import config, feeds
from newsbot.crawl.kinds import PageKind
from newsbot.crawl.signals import page_dropped
from newsbot.extract.reasons import DropReason
from newsbot.items import MAIN_DESK, Article
from newsbot.sites.urls import CrawlScope, article_key

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# In a JOBDIR: a run is going on (or was killed); the last run was paused, and can go on.
RUNNING_MARKER = "newsbot.running"
PAUSED_MARKER = "newsbot.paused"
# What Scrapy keeps in a JOBDIR (its file names are not a documented interface:
# tests/test_scrapy_compat.py).
_JOB_FILES = ("requests.queue", "requests.seen", "spider.state")
# Exit statuses of `scrapy crawl` (newsbot.commands.crawl) that the state decides.
EXIT_STATE_ERROR = 4
EXIT_ANOTHER_HOST = 8
# Why a page of an article id gave no article, where fetching it again soon would give the same:
# remembered, and the id left alone for NEWSBOT_DROPPED_RETRY_HOURS (by an id-range walk, until
# it is asked to try again). Not network errors, 5xx, robots.txt or pages cut short: the next run
# may well get the article. The redirects are an id-range walk's (newsbot.crawl.downloads).
NO_ARTICLE = frozenset(
    {
        DropReason.HTTP.key("404"),
        DropReason.HTTP.key("410"),
        DropReason.MISSING_ARTICLE,
        DropReason.REDIRECT_HOME,
        DropReason.REDIRECT_OFF_ARTICLE,
        DropReason.NOT_AN_ARTICLE,
        DropReason.MISSING.key("news_id"),
        DropReason.MISSING.key("title"),
        DropReason.MISSING.key("body"),
        DropReason.INVALID_RECORD,
    }
)


def content_fingerprint(title: str, lead: str | None, body: str) -> bytes:
    """What decides whether an article changed: its title, lead and body, as emitted."""
    text = "\x1f".join((title, lead or "", body))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


def record_fingerprint(record: dict[str, Any]) -> bytes:
    return content_fingerprint(record["title"], record.get("lead"), record["body"])


@dataclass(frozen=True)
class Known:
    """What the state knows of an emitted article."""

    desk: str
    news_id: int
    first_seen: datetime  # UTC: crawled_at of its first revision
    revision: int
    fingerprint: bytes


@dataclass(frozen=True)
class Dropped:
    """What the state remembers of a page of an article id that gave no article."""

    desk: str
    news_id: int
    reason: str  # one of NO_ARTICLE
    dropped_at: datetime  # UTC: when it last gave none


class StateLocked(RuntimeError):
    """Another crawl of the same site holds the state."""


class StateStoreError(RuntimeError):
    """A store that is not a file (newsbot.scale.redis_workers's Redis one) cannot be read or
    written; the crawl stops as for an SQLite error."""


class StateNotWritable(RuntimeError):
    """The data dir or the state dir cannot be written; raised before anything is fetched."""


class StateOfAnotherHost(RuntimeError):
    """The state was filled from another host than the one this crawl fetches from."""


class StateStore(Protocol):
    """The emitted articles of one site. Lookups see marks at once, committed or not."""

    location: str

    def get(self, desk: str, news_id: int) -> Known | None: ...

    def mark(
        self, desk: str, news_id: int, revision: int, fingerprint: bytes, first_seen: datetime
    ) -> None:
        """Record an emitted revision. Repeating a mark changes nothing; an older revision
        never replaces a newer one."""

    def drop(self, desk: str, news_id: int, reason: str, dropped_at: datetime) -> None:
        """Record (or renew) a page of this id that gave no article; a mark forgets it."""

    def dropped(self, desk: str, news_id: int) -> Dropped | None: ...

    def comment_known(self, desk: str, news_id: int, comment_id: str) -> bool: ...

    def comment_ids(self, desk: str, news_id: int) -> set[str]:
        """The ids of the comments of an article emitted so far."""

    def mark_comment(self, desk: str, news_id: int, comment_id: str) -> None:
        """Record an emitted comment. Repeating a mark changes nothing."""

    def commit(self) -> None: ...

    def close(self) -> None: ...

    def __len__(self) -> int: ...

    def source_host(self, host: str) -> str:
        """The host the state was filled from; a state with none recorded adopts `host`."""

    # Where each id-range walk (newsbot.crawl.idwalk) stands: one row per walk.

    def walk_cursor(self, walk: str) -> int | None:
        """The next id a walk (an id range of a desk) considers; None before its first run."""

    def set_walk_cursor(self, walk: str, next_id: int) -> None: ...


class StoreFactory(Protocol):
    def from_settings(self, settings: BaseSettings, site: str) -> StateStore: ...


def state_dir(settings: BaseSettings) -> Path:
    configured = config.STATE_DIR.read(settings)
    if configured:
        return Path(configured)
    return Path(config.DATA_DIR.read(settings)) / "state"


class SQLiteStateStore:
    """One SQLite file per site, `<dir>/<site>.sqlite3`, held by one crawl at a time.

    A row per (desk, news id), the table's primary key (a clustered index: one B-tree lookup),
    so memory stays flat whatever the corpus size; SQLite's page cache is the only cache. WAL
    journal with synchronous=NORMAL: a commit is a write to the WAL, durable against a crash
    of the process; CrawlState orders it after the feed's fsync for durability against power
    loss. A file written before desks (a row per news id) is migrated when a crawl opens it,
    its rows becoming the main desk's. Pages that gave no article are in a table of their own,
    `dropped`, made when a crawl opens a file written before it.
    """

    _TABLE = """
        CREATE TABLE IF NOT EXISTS {name} (
            desk TEXT NOT NULL,
            news_id INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            fingerprint BLOB NOT NULL,
            PRIMARY KEY (desk, news_id)
        ) WITHOUT ROWID
    """
    _INFO = """
        CREATE TABLE IF NOT EXISTS state_info (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
    """
    _DROPPED = """
        CREATE TABLE IF NOT EXISTS dropped (
            desk TEXT NOT NULL,
            news_id INTEGER NOT NULL,
            reason TEXT NOT NULL,
            dropped_at INTEGER NOT NULL,
            PRIMARY KEY (desk, news_id)
        ) WITHOUT ROWID
    """
    # Each id-range walk's cursor: a row per walk.
    _WALKS = "CREATE TABLE IF NOT EXISTS id_walks (walk TEXT PRIMARY KEY, next_id INTEGER NOT NULL)"
    _GET = "SELECT first_seen, revision, fingerprint FROM articles WHERE desk = ? AND news_id = ?"
    # A file written before desks, opened read-only (not migrated): its rows are the main desk's.
    _GET_BEFORE_DESKS = (
        "SELECT first_seen, revision, fingerprint FROM articles WHERE ? = ? AND news_id = ?"
    )
    # The comments emitted, by article: a table of their own, kept apart from the articles'.
    _COMMENTS_TABLE = """
        CREATE TABLE IF NOT EXISTS comments (
            desk TEXT NOT NULL,
            news_id INTEGER NOT NULL,
            comment_id TEXT NOT NULL,
            PRIMARY KEY (desk, news_id, comment_id)
        ) WITHOUT ROWID
    """

    def __init__(self, path: Path, *, exclusive: bool = True) -> None:
        """Open (creating it if need be) and lock the store; `exclusive=False` opens an
        existing store read-only, without the lock, to look at it while a crawl runs."""
        self.path = Path(path)
        self.location = str(self.path)
        self._lock_file: int | None = None
        self._writer = exclusive
        self._unmigrated = False
        if not exclusive:
            self._db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True)
            self._unmigrated = self._before_desks()
            self._has_dropped = self._has_table("dropped")
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._db = sqlite3.connect(self.path, isolation_level="DEFERRED")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            if self._before_desks():
                self._migrate_to_desks()
            self._db.execute(self._TABLE.format(name="articles"))
            self._db.execute(self._DROPPED)
            self._db.execute(self._INFO)
            self._db.execute(self._COMMENTS_TABLE)
            self._has_dropped = True
            if self._has_table("tried_ids"):
                self._adopt_tried_ids()
            self._db.execute(self._WALKS)
        except BaseException:
            self._unlock()
            raise

    @classmethod
    def from_settings(cls, settings: BaseSettings, site: str) -> SQLiteStateStore:
        return cls(state_dir(settings) / f"{site}.sqlite3")

    def get(self, desk: str, news_id: int) -> Known | None:
        if self._unmigrated:
            row = self._db.execute(self._GET_BEFORE_DESKS, (desk, MAIN_DESK, news_id)).fetchone()
        else:
            row = self._db.execute(self._GET, (desk, news_id)).fetchone()
        if row is None:
            return None
        first_seen, revision, fingerprint = row
        return Known(desk, news_id, datetime.fromtimestamp(first_seen, UTC), revision, fingerprint)

    def mark(
        self, desk: str, news_id: int, revision: int, fingerprint: bytes, first_seen: datetime
    ) -> None:
        self._db.execute(
            """
            INSERT INTO articles (desk, news_id, first_seen, revision, fingerprint)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (desk, news_id) DO UPDATE SET
                first_seen = min(first_seen, excluded.first_seen),
                fingerprint = iif(excluded.revision > revision, excluded.fingerprint, fingerprint),
                revision = max(revision, excluded.revision)
            """,
            (desk, news_id, int(first_seen.timestamp()), revision, fingerprint),
        )
        self._db.execute("DELETE FROM dropped WHERE desk = ? AND news_id = ?", (desk, news_id))

    def drop(self, desk: str, news_id: int, reason: str, dropped_at: datetime) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO dropped (desk, news_id, reason, dropped_at) "
            "VALUES (?, ?, ?, ?)",
            (desk, news_id, reason, int(dropped_at.timestamp())),
        )

    def dropped(self, desk: str, news_id: int) -> Dropped | None:
        if not self._has_dropped:  # a file written before the table, opened read-only
            return None
        row = self._db.execute(
            "SELECT reason, dropped_at FROM dropped WHERE desk = ? AND news_id = ?",
            (desk, news_id),
        ).fetchone()
        if row is None:
            return None
        reason, dropped_at = row
        return Dropped(desk, news_id, reason, datetime.fromtimestamp(dropped_at, UTC))

    def comment_known(self, desk: str, news_id: int, comment_id: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM comments WHERE desk = ? AND news_id = ? AND comment_id = ?",
            (desk, news_id, comment_id),
        ).fetchone()
        return row is not None

    def comment_ids(self, desk: str, news_id: int) -> set[str]:
        rows = self._db.execute(
            "SELECT comment_id FROM comments WHERE desk = ? AND news_id = ?", (desk, news_id)
        )
        return {comment_id for (comment_id,) in rows}

    def mark_comment(self, desk: str, news_id: int, comment_id: str) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO comments (desk, news_id, comment_id) VALUES (?, ?, ?)",
            (desk, news_id, comment_id),
        )

    def commit(self) -> None:
        self._db.commit()

    def close(self) -> None:
        try:
            if self._writer:
                self._db.commit()
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
        finally:
            self._unlock()

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        return count

    def source_host(self, host: str) -> str:
        self._db.execute("INSERT OR IGNORE INTO state_info VALUES ('host', ?)", (host,))
        self._db.commit()
        recorded: str = self._db.execute(
            "SELECT value FROM state_info WHERE name = 'host'"
        ).fetchone()[0]
        return recorded

    def _has_table(self, name: str) -> bool:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self._db.execute(query, (name,)).fetchone() is not None

    def _adopt_tried_ids(self) -> None:
        """A file from before id-range walks shared `dropped` kept their missing ids in a table
        of their own, `tried_ids` (desk, news_id, reason, tried_at): its rows become drops."""
        with self._db:
            self._db.execute(
                "INSERT OR IGNORE INTO dropped (desk, news_id, reason, dropped_at) "
                "SELECT desk, news_id, reason, tried_at FROM tried_ids"
            )
            self._db.execute("DROP TABLE tried_ids")

    def walk_cursor(self, walk: str) -> int | None:
        row = self._db.execute("SELECT next_id FROM id_walks WHERE walk = ?", (walk,)).fetchone()
        return None if row is None else int(row[0])

    def set_walk_cursor(self, walk: str, next_id: int) -> None:
        self._db.execute("INSERT OR REPLACE INTO id_walks VALUES (?, ?)", (walk, next_id))

    def _before_desks(self) -> bool:
        """Whether the file was written before desks: a row per news id, no desk column."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
        return bool(columns) and "desk" not in columns

    def _migrate_to_desks(self) -> None:
        """Key a state written before desks by (desk, news id), its rows the main desk's, in
        one transaction: a crash leaves the file as it was, to be migrated next time."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(self._TABLE.format(name="articles_by_desk"))
            count = self._db.execute(
                "INSERT INTO articles_by_desk (desk, news_id, first_seen, revision, fingerprint) "
                "SELECT ?, news_id, first_seen, revision, fingerprint FROM articles",
                (MAIN_DESK,),
            ).rowcount
            self._db.execute("DROP TABLE articles")
            self._db.execute("ALTER TABLE articles_by_desk RENAME TO articles")
            self._db.commit()
        except BaseException:
            self._db.rollback()
            raise
        logger.warning(
            "Crawl state %s was written before desks: its %s news ids are now keyed as the "
            "main desk's (%s)",
            self.path,
            count,
            MAIN_DESK,
        )

    def _lock(self) -> None:
        self._lock_file = lock(self.path.with_suffix(".lock"))

    def _unlock(self) -> None:
        if self._lock_file is not None:
            os.close(self._lock_file)  # closing the descriptor releases the flock
            self._lock_file = None


def lock(path: Path) -> int:
    """Hold an exclusive lock on `path` (made if need be) until the returned descriptor is
    closed, or the process ends, however it ends. StateLocked if another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 64).decode("ascii", "replace").strip() or "?"
        os.close(fd)
        raise StateLocked(
            f"another crawl (pid {holder}) holds {path}; two crawls of one site must not run "
            "at once (see the README's cron recipe)"
        ) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


class CrawlState:
    """The Scrapy extension that holds a site's StateStore for one crawl.

    From start to end: take the store (a lock: one crawl per site), recover the `.part` feeds
    a dead crawl left and count their articles as emitted, discard a JOBDIR queue a killed run
    left; then mark each article once its line is in the feed; commit and release at the end.
    """

    def __init__(
        self,
        crawler: Crawler,
        store: StateStore,
        *,
        feed_folder: Path,
        jobdir: str | None,
        commit_every: int,
        commit_seconds: float,
        retry_dropped_after: timedelta = timedelta(days=1),
    ) -> None:
        self.crawler = crawler
        self.store = store
        self.feed_folder = feed_folder
        self.jobdir = Path(jobdir) if jobdir else None
        self.commit_every = commit_every
        self.commit_seconds = commit_seconds
        self.retry_dropped_after = retry_dropped_after
        self.recovered: list[feeds.RecoveredFeed] = []
        self.known_at_start = 0
        self._pending = 0
        self._last_commit = time.monotonic()
        self._dirty: set[Path] = set()
        self._closed = False
        self._spider_closed = False
        self._feeds_closed = False
        self._finish_reason = "finished"
        self.folder_lock: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not config.STATE_ENABLED.read(settings) or os.environ.get("SCRAPY_CHECK"):
            raise NotConfigured
        # The spider's own name: the family spider takes the name of the site it crawls.
        site = crawler.spider.name if crawler.spider is not None else crawler.spidercls.name
        factory: StoreFactory = load_object(config.STATE_STORE.read(settings))
        feed_folder = Path(config.DATA_DIR.read(settings)) / site
        try:
            feed_folder.mkdir(parents=True, exist_ok=True)
            # The site's feed folder is one crawl's too: recovery must never take the .part
            # files of a crawl that is running (with another state directory, say).
            folder_lock = lock(feed_folder / ".lock")
        except OSError as error:
            raise StateNotWritable(
                f"cannot write to {feed_folder} (NEWSBOT_DATA_DIR): {error.strerror or error}"
            ) from error
        try:
            store = factory.from_settings(settings, site)
        except (OSError, sqlite3.Error) as error:
            os.close(folder_lock)
            raise StateNotWritable(
                f"cannot write the crawl state in {state_dir(settings)} (NEWSBOT_STATE_DIR): "
                f"{getattr(error, 'strerror', None) or error}"
            ) from error
        except BaseException:
            os.close(folder_lock)
            raise
        try:
            check_host(store, crawler, config.SAME_SITE_HOSTS.read(settings))
            state = cls(
                crawler,
                store,
                feed_folder=feed_folder,
                jobdir=job_dir(settings),
                commit_every=config.STATE_COMMIT_EVERY.read(settings),
                commit_seconds=config.STATE_COMMIT_SECONDS.read(settings),
                retry_dropped_after=timedelta(hours=config.DROPPED_RETRY_HOURS.read(settings)),
            )
            state.folder_lock = folder_lock
            state.recover_feeds()
            state.check_jobdir()
        except BaseException:
            store.close()
            os.close(folder_lock)
            raise
        state.known_at_start = len(store)
        logger.info("Crawl state: %s ids known in %s", state.known_at_start, store.location)
        crawler.signals.connect(state.record_written, signal=feeds.record_written)
        crawler.signals.connect(state.part_synced, signal=feeds.part_synced)
        crawler.signals.connect(state.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(state.feeds_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(state.page_dropped, signal=page_dropped)
        crawler.signals.connect(state.item_dropped, signal=signals.item_dropped)
        return state

    # --- start of a run ----------------------------------------------------------------------

    def recover_feeds(self) -> None:
        """Publish the `.part` feeds a dead crawl left, their articles counted as emitted.

        Marks are committed before a file leaves its `.part` name, so a crash in between only
        means doing it again.
        """
        for part in feeds.find_part_files(self.feed_folder):
            found = feeds.read_part_file(part)
            for record in found.records:
                if record.get("type") == "article":
                    self._mark(record)
                elif record.get("type") == "comment":
                    self._mark_comment(record)
            self.store.commit()
            target = found.publish()
            self.recovered.append(found)
            self._count("state/recovered_feeds")
            self._count("state/recovered_records", len(found.records))
            logger.warning(
                "Recovered %s records a dead crawl left in %s → %s (%s bytes of a cut line "
                "dropped, %s unreadable lines)",
                len(found.records),
                part,
                target,
                found.dropped_bytes,
                found.unreadable_lines,
            )

    def check_jobdir(self) -> None:
        """Go on from a JOBDIR only where a paused run left it; else start a new job there."""
        if self.jobdir is None:
            return
        self.jobdir.mkdir(parents=True, exist_ok=True)
        running, paused = self.jobdir / RUNNING_MARKER, self.jobdir / PAUSED_MARKER
        if running.exists():
            self._count("state/jobdir_discarded")
            logger.warning(
                "JOBDIR %s: the last run there did not end cleanly (killed?), so its saved "
                "requests are unreliable and are discarded; this run reads the site again and "
                "skips the articles already emitted",
                self.jobdir,
            )
            self._new_job()
        elif paused.exists():
            logger.info("JOBDIR %s: going on with the run paused there", self.jobdir)
        else:
            self._new_job()
        paused.unlink(missing_ok=True)
        running.write_text(f"{os.getpid()}\n", encoding="ascii")

    def _new_job(self) -> None:
        assert self.jobdir is not None
        for name in _JOB_FILES:
            path = self.jobdir / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    # --- during the run ------------------------------------------------------------------------

    def record_written(self, line: bytes, path: Path) -> None:
        try:
            record = json.loads(line)
        except ValueError:
            return
        if not isinstance(record, dict) or record.get("type") not in ("article", "comment"):
            return
        try:
            if record["type"] == "comment":
                self._mark_comment(record)
            else:
                self._mark(record)
            self._dirty.add(path)
            self._pending += 1
            if (
                self._pending >= self.commit_every
                or time.monotonic() - self._last_commit >= self.commit_seconds
            ):
                self.commit()
        except (sqlite3.Error, OSError, StateStoreError) as error:
            self._fail(error)

    def part_synced(self, path: Path) -> None:
        """A feed is about to leave its `.part` name: what it holds must be committed."""
        self._dirty.discard(path)  # fsynced by the feed storage
        try:
            self.commit()
        except (sqlite3.Error, OSError, StateStoreError) as error:
            self._fail(error)

    def page_dropped(self, url: str, reason: str, kind: str, **_: Any) -> None:
        """An article page the spider dropped (not an article, 404, ...)."""
        profile = getattr(self.crawler.spider, "profile", None)
        if kind == PageKind.ARTICLE and reason in NO_ARTICLE and profile is not None:
            key = article_key(url, profile)
            if key is not None:
                self._drop(*key, reason)

    def item_dropped(self, item: Any, response: Any, exception: BaseException, **_: Any) -> None:
        """An article the pipelines refused (no body, ...): its page gave no article."""
        reason = getattr(exception, "reason", None)
        if isinstance(item, Article) and item.news_id and reason in NO_ARTICLE:
            self._drop(item.desk, item.news_id, str(reason))

    def worth_fetching(self, desk: str, news_id: int) -> bool:
        """False while a page of this article id gave no article less than
        NEWSBOT_DROPPED_RETRY_HOURS ago: fetching it again would give the same."""
        dropped = self.store.dropped(desk, news_id)
        return dropped is None or datetime.now(UTC) - dropped.dropped_at >= self.retry_dropped_after

    def commit(self) -> None:
        """Make the marks durable, after the feed lines they stand for."""
        for path in sorted(self._dirty):
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        self._dirty.clear()
        self.store.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._spider_closed = True
        self._finish_reason = reason
        if self._feeds_closed or not feeds.feed_exporter_runs(self.crawler):
            self.close()

    def feeds_closed(self) -> None:
        self._feeds_closed = True
        if self._spider_closed:
            self.close()

    def close(self) -> None:
        """The end of the run: the last marks committed, the store released."""
        if self._closed:
            return
        self._closed = True
        try:
            self.commit()
            self._set("state/known_ids", len(self.store))
            self._check_marks()
        finally:
            self.store.close()
            if self.folder_lock is not None:
                os.close(self.folder_lock)
                self.folder_lock = None
            if self.jobdir is not None:
                # Scrapy saved the queue before spider_closed: the markers come last.
                if self._finish_reason != "finished":
                    (self.jobdir / PAUSED_MARKER).write_text(
                        f"{self._finish_reason}\n", encoding="ascii"
                    )
                (self.jobdir / RUNNING_MARKER).unlink(missing_ok=True)

    # -----------------------------------------------------------------------------------------

    def _mark(self, record: dict[str, Any]) -> None:
        self.store.mark(
            # Feeds written before desks have articles of the main desk only.
            str(record.get("desk") or MAIN_DESK),
            int(record["news_id"]),
            int(record.get("revision") or 1),
            record_fingerprint(record),
            datetime.fromisoformat(record["crawled_at"]),
        )
        self._count("state/marked")

    def _drop(self, desk: str, news_id: int, reason: str) -> None:
        try:
            self.store.drop(desk, news_id, reason, datetime.now(UTC))
        except (sqlite3.Error, StateStoreError) as error:
            self._fail(error)
            return
        self._count("state/dropped_remembered")

    def _mark_comment(self, record: dict[str, Any]) -> None:
        self.store.mark_comment(record["desk"], int(record["news_id"]), record["comment_id"])
        self._count("state/comments_marked")

    def _check_marks(self) -> None:
        """Every article and comment emitted must have been marked; if not, the feeds bypass
        newsbot.crawl.feeds (another storage or format) and the next run would emit them again."""
        stats = self.crawler.stats
        assert stats is not None
        for kind, emitted_stat, marked_stat in (
            ("article", "newsbot/articles", "newsbot/state/marked"),
            ("comment", "newsbot/comments", "newsbot/state/comments_marked"),
        ):
            emitted = stats.get_value(emitted_stat, 0)
            marked = stats.get_value(marked_stat, 0) - sum(
                sum(r.get("type") == kind for r in found.records) for found in self.recovered
            )
            if emitted > marked:
                logger.error(
                    "%s %ss were emitted but only %s reached the crawl state: the %s feed must be "
                    "JSON Lines written by newsbot.crawl.feeds.AtomicFileFeedStorage (FEEDS)",
                    emitted,
                    kind,
                    marked,
                    kind,
                )

    def _fail(self, error: BaseException) -> None:
        """The state cannot follow the feed: stop, rather than emit articles it won't know."""
        logger.error("Crawl state %s failed, stopping the crawl: %s", self.store.location, error)
        self._set("exit_status", EXIT_STATE_ERROR)
        assert self.crawler.engine is not None
        if self.crawler.spider is not None:
            self.crawler.engine.close_spider(self.crawler.spider, "state_error")

    def _count(self, key: str, count: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newsbot/{key}", count)

    def _set(self, key: str, value: Any) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(f"newsbot/{key}", value)


def check_host(store: StateStore, crawler: Crawler, same_site: list[str]) -> None:
    """Refuse a state filled from another host than the crawl's (StateOfAnotherHost), unless
    both are among `same_site` (NEWSBOT_SAME_SITE_HOSTS)."""
    scope = getattr(crawler.spider, "scope", None)
    if not isinstance(scope, CrawlScope):
        return
    # Through a proxy (provinces with base_url), the pages come from the proxy's host.
    host = urlsplit(scope.proxy or scope.home_url).netloc.lower()
    recorded = store.source_host(host)
    same = {name.strip().lower() for name in same_site}
    if recorded == host or {recorded, host} <= same:
        return
    raise StateOfAnotherHost(
        f"the crawl state {store.location} was filled from {recorded}, and this crawl fetches "
        f"from {host}: it would skip articles it never emitted. Give this crawl its own "
        f"NEWSBOT_DATA_DIR (or NEWSBOT_STATE_DIR), or, if both serve the same site, "
        f"-s NEWSBOT_SAME_SITE_HOSTS={recorded},{host}"
    )


def crawl_state(crawler: Crawler) -> CrawlState | None:
    """The crawl's CrawlState, or None when the state is switched off (or not built yet)."""
    if crawler.extensions is None:
        return None
    return crawler.get_extension(CrawlState)
