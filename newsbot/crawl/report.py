"""The crawl report: what a run did, as a log summary and as `<data>/<site>/reports/<time>.json`,
and whether the site's pages still parse.

Field coverage is the share of article pages read whose record has a field (a kicker, a lead,
tags, views, ...), over every article page that answered, including those the parser or the
validation rejected: a redesign that breaks the body selector shows as body coverage falling,
not as a crawl that quietly emits nothing. An article dropped by the pipelines (a duplicate,
unchanged since emitted, out of a backfill's range) counts as the pipelines had read it, dated,
not as the spider's raw item. Below the floor (`NEWSBOT_COVERAGE_FLOOR`, once at least
`NEWSBOT_COVERAGE_MIN_ARTICLES` pages were read) the run is marked failed: `scrapy crawl` then
exits with status 3 (newsbot.commands.crawl).

A crawl that fetched nothing fails too, and so does one whose start pages (the home page, a
feed, the archive's first page) gave no page or not the page expected: statuses 6 and 7. The
report's `status` names the run's exit status, `problems` says why in one line each, and the
log ends with the report's summary, after Scrapy's own closing lines.

While the crawl runs, `CrawlProgress` (in place of Scrapy's LogStats, settings.EXTENSIONS) logs
a line every LOGSTATS_INTERVAL seconds (30 in newsbot's settings): pages read by kind, new and
revised articles, what was dropped and why, and the requests waiting in the queue.

Before coverage falls, a redesign shows as fields read by the fallbacks rather than the
profile: `coverage.read_by` counts, per field, the article pages whose value was read by the
profile, a CMS family alternative, the page's metadata or (news ids) the URL; the log names
each field and fallback once per run.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.logstats import LogStats

from newsbot.crawl import config
from newsbot.crawl import signals as newsbot_signals
from newsbot.crawl.arguments import SpiderArguments
from newsbot.crawl.feeds import feed_exporter_runs
from newsbot.crawl.kinds import PageKind
from newsbot.crawl.logformatter import readable
from newsbot.extract.article import FieldSource
from newsbot.extract.reasons import DropReason
from newsbot.items import COVERAGE_FIELDS, READ_FIELDS, Article, Listing
from newsbot.sites.family import LEVELS
from newsbot.state.store import EXIT_STATE_ERROR, crawl_state

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.extensions.feedexport import FeedSlot
    from scrapy.http import Response

logger = logging.getLogger(__name__)

EXIT_COVERAGE_BELOW_FLOOR = 3
# The family spider's check found a home page that is not on the CMS (newsbot.crawl.family).
EXIT_NOT_ON_CMS = 5
EXIT_NOTHING_FETCHED = 6
EXIT_START_PAGES_FAILED = 7
# The report's `status` for each exit status a crawl that ran can end with: set by the report,
# or during the crawl by another part (the crawl state, when it cannot be written).
STATUS_NAMES = {
    0: "ok",
    EXIT_COVERAGE_BELOW_FLOOR: "coverage_below_floor",
    EXIT_STATE_ERROR: "state_error",
    EXIT_NOT_ON_CMS: "not_on_cms",
    EXIT_NOTHING_FETCHED: "nothing_fetched",
    EXIT_START_PAGES_FAILED: "start_pages_failed",
}
EXAMPLES_PER_REASON = 5
_LEVEL_NAMES = {
    "family": "the CMS family's alternative",
    "metadata": "the page's metadata",
    "url": "the URL",
}


class FieldCoverage:
    """How many of the article pages read had each field."""

    def __init__(self) -> None:
        self.pages = 0
        self.present: Counter[str] = Counter()

    def add(self, article: Article | None) -> None:
        """One article page read; None for a page that gave no article at all."""
        self.pages += 1
        if article is None:
            return
        for name in COVERAGE_FIELDS:
            value = getattr(article, name)
            if value is not None and value != "" and value != []:
                self.present[name] += 1

    def shares(self) -> dict[str, float]:
        if not self.pages:
            return {}
        return {name: round(self.present[name] / self.pages, 4) for name in COVERAGE_FIELDS}


class FieldSources:
    """How many article pages had each field read by each level: the profile, a family
    fallback, the page's metadata, the URL (newsbot.sites.family). A redesign shows here as
    a shift from the profile to the fallbacks before coverage falls."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {name: Counter() for name in READ_FIELDS}

    def add(self, sources: dict[str, FieldSource]) -> list[tuple[str, FieldSource]]:
        """Count one page; return its fields read by a fallback level not seen before."""
        first_seen = []
        for name, source in sources.items():
            counts = self.counts[name]
            if source.level != "profile" and not counts[source.level]:
                first_seen.append((name, source))
            counts[source.level] += 1
        return first_seen

    def table(self) -> dict[str, dict[str, int]]:
        return {
            name: {level: counts[level] for level in LEVELS} for name, counts in self.counts.items()
        }

    def by_fallbacks(self) -> dict[str, int]:
        """`<field> <level>` → pages, for every field some page had read by a fallback."""
        return {
            f"{name} {level}": count
            for name, counts in self.counts.items()
            for level, count in counts.items()
            if level != "profile" and count
        }


def below_floor(shares: dict[str, float], floor: dict[str, float]) -> dict[str, float]:
    return {
        name: shares.get(name, 0.0)
        for name, least in floor.items()
        if shares.get(name, 0.0) < least
    }


class CrawlReport:
    def __init__(self, crawler: Crawler, floor: dict[str, float], min_articles: int) -> None:
        self.crawler = crawler
        self.floor = floor
        self.min_articles = min_articles
        self.coverage = FieldCoverage()
        self.sources = FieldSources()
        self.dropped: dict[str, list[str]] = {}
        self.dropped_counts: Counter[str] = Counter()
        self.missing_comments: dict[str, list[str]] = {}
        self.missing_comments_counts: Counter[str] = Counter()
        self.feeds: list[str] = []
        self.feeds_stored = False
        self.finished = False
        self.closed_as: tuple[Spider, str] | None = None
        # Start pages that gave no page, or not the page expected: (kind, url, reason).
        self.start_failures: list[tuple[str, str, str]] = []
        self.written: tuple[dict[str, Any], Path] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not config.REPORT_ENABLED.read(settings) or os.environ.get("SCRAPY_CHECK"):
            raise NotConfigured
        floor = config.COVERAGE_FLOOR.read(settings)
        report = cls(crawler, floor, config.COVERAGE_MIN_ARTICLES.read(settings))
        crawler.signals.connect(report.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(report.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(report.page_dropped, signal=newsbot_signals.page_dropped)
        crawler.signals.connect(report.article_read, signal=newsbot_signals.article_read)
        crawler.signals.connect(report.comments_missing, signal=newsbot_signals.comments_missing)
        crawler.signals.connect(report.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(report.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(report.feeds_closed, signal=signals.feed_exporter_closed)
        crawler.signals.connect(report.engine_stopped, signal=signals.engine_stopped)
        return report

    # --- what happened -------------------------------------------------------------------------

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if isinstance(item, Article):
            self.coverage.add(item)

    def item_dropped(
        self, item: Any, response: Response | None, exception: BaseException, spider: Spider
    ) -> None:
        reason = str(getattr(exception, "reason", type(exception).__name__))
        if isinstance(item, Article):
            url = item.url
            read = getattr(exception, "record", None)  # as the pipelines had read it
            if _counted(reason):
                self.coverage.add(read if isinstance(read, Article) else item)
        elif isinstance(item, Listing):
            url = item.page_url
        else:
            url = response.url if response is not None else ""
        self._drop(reason, url)

    def page_dropped(self, url: str, reason: str, kind: str, start: bool = False) -> None:
        reason = str(reason)
        if kind == PageKind.ARTICLE and _counted(reason):
            self.coverage.add(None)
        if start:
            self.start_failures.append((kind, url, reason))
        self._drop(reason, url)

    def article_read(self, url: str, sources: dict[str, FieldSource], spider: Spider) -> None:
        """Count where an article page's fields were read; say it once per run when a
        fallback reads a field, since the site's theme has then probably changed."""
        for name, source in self.sources.add(sources):
            logger.warning(
                "%s: %s read by %s (%s), not by the profile, first on %s; the site's theme may "
                "have changed. Further pages are counted in the crawl report (coverage.read_by).",
                spider.name,
                name,
                _LEVEL_NAMES[source.level],
                source.via,
                url,
            )

    def comments_missing(self, url: str, reason: str) -> None:
        self.missing_comments_counts[reason] += 1
        _add_example(self.missing_comments.setdefault(reason, []), url)

    def feed_slot_closed(self, slot: FeedSlot) -> None:
        self.feeds.append(str(slot.uri))

    # --- the report ----------------------------------------------------------------------------

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.closed_as = (spider, reason)
        if self.feeds_stored or not feed_exporter_runs(self.crawler):
            self.finish(spider, reason)

    def feeds_closed(self) -> None:
        """The feeds are stored (and the crawl state closed): time for the report."""
        self.feeds_stored = True
        if self.closed_as is not None:
            self.finish(*self.closed_as)

    def finish(self, spider: Spider, reason: str) -> None:
        if self.finished:
            return
        self.finished = True
        report = self.build(spider, reason)
        path = self._path(spider)
        write_json(path, report)
        self.written = (report, path)
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("newsbot/exit_status", report["exit_status"])

    def engine_stopped(self) -> None:
        """Scrapy's closing lines (stats, "Spider closed") are logged: the summary comes last."""
        if self.written is not None:
            self._log(*self.written)

    def build(self, spider: Spider, reason: str) -> dict[str, Any]:
        stats = self.crawler.stats
        assert stats is not None
        values = stats.get_stats()
        shares = self.coverage.shares()
        applied = self.coverage.pages >= self.min_articles
        failing = below_floor(shares, self.floor) if applied else {}
        problems = self._problems(values, reason, failing)
        # A status set during the crawl (the state could not be written) is the run's.
        exit_status = values.get("newsbot/exit_status", 0) or (problems[0][0] if problems else 0)
        state = crawl_state(self.crawler)
        start = values.get("start_time")
        return {
            "site": spider.name,
            "started_at": _iso(start),
            "finished_at": _iso(datetime.now(UTC)),
            "finish_reason": reason,
            "status": STATUS_NAMES.get(exit_status, f"exit_status_{exit_status}"),
            "exit_status": exit_status,
            "problems": [text for _, text in problems],
            "arguments": _arguments(spider),
            "pages": _under(values, "newsbot/pages/"),
            "articles": {
                "emitted": values.get("newsbot/articles", 0),
                "new": values.get("newsbot/articles/new", 0),
                "revised": values.get("newsbot/articles/revised", 0),
                "unchanged": values.get("newsbot/dropped/unchanged", 0),
                "skipped_known": values.get("newsbot/articles/skipped_known", 0),
                "refetched": values.get("newsbot/articles/refetched", 0),
                # Ids whose page gave no article recently (newsbot.state.store.NO_ARTICLE).
                "skipped_dropped": values.get("newsbot/articles/skipped_dropped", 0),
            },
            "listings": values.get("newsbot/listings", 0),
            # What the family spider found of the CMS on the home page (newsbot.extract.cms).
            "cms": values.get("newsbot/cms"),
            "comments": {
                "emitted": values.get("newsbot/comments", 0),
                "known": values.get("newsbot/comments/known", 0),
                "removed": values.get("newsbot/comments/removed", 0),
                "dates_unreadable": values.get("newsbot/comments/dates_unreadable", 0),
                "dates_missing": values.get("newsbot/comments/dates_missing", 0),
                "missing": {
                    reason: {"count": self.missing_comments_counts[reason], "examples": examples}
                    for reason, examples in sorted(self.missing_comments.items())
                },
            },
            "coverage": {
                "article_pages": self.coverage.pages,
                "fields": shares,
                "floor": self.floor,
                "floor_applied": applied,
                "min_article_pages": self.min_articles,
                "below_floor": failing,
                "read_by": self.sources.table(),
            },
            "dropped": {
                reason: {"count": self.dropped_counts[reason], "examples": examples}
                for reason, examples in sorted(self.dropped.items())
            },
            "dates": _under(values, "newsbot/dates/"),
            # An id-range backfill's ids: tried, found, missing by reason, the rate (idwalk).
            "ids": _under(values, "newsbot/ids/"),
            "http_status": _under(values, "downloader/response_status_count/"),
            "feeds": self.feeds,
            "recovered_feeds": [
                {
                    "part": str(found.part),
                    "published_as": str(found.target),
                    "records": len(found.records),
                    "dropped_bytes": found.dropped_bytes,
                }
                for found in (state.recovered if state else [])
            ],
            "state": {
                "location": state.store.location if state else None,
                "known_at_start": state.known_at_start if state else None,
                "known_at_end": values.get("newsbot/state/known_ids"),
            },
        }

    def _problems(
        self, values: dict[str, Any], reason: str, failing: dict[str, float]
    ) -> list[tuple[int, str]]:
        """What went wrong, as (exit status, one line), the status of the run first."""
        problems = []
        failed = {r: n for r, n in sorted(self.dropped_counts.items()) if _no_page(r)}
        pages = sum(_under(values, "newsbot/pages/").values())
        if not pages and failed and reason != "shutdown":  # a Ctrl-C is not a failure
            problems.append(
                (
                    EXIT_NOTHING_FETCHED,
                    f"no page of the site could be fetched: {_pairs(failed)} "
                    "(is the site up, and does it answer this address and user agent?)",
                )
            )
        if self.start_failures:
            problems.append(
                (
                    EXIT_START_PAGES_FAILED,
                    "start pages failed: "
                    + "; ".join(f"{kind} {url}: {why}" for kind, url, why in self.start_failures),
                )
            )
        if failing:
            problems.append(
                (
                    EXIT_COVERAGE_BELOW_FLOOR,
                    f"field coverage below the floor over {self.coverage.pages} article pages: "
                    + ", ".join(
                        f"{name} {share:.0%} < {self.floor[name]:.0%}"
                        for name, share in failing.items()
                    )
                    + ". The site's layout has probably changed.",
                )
            )
        return problems

    def _drop(self, reason: str, url: str) -> None:
        self.dropped_counts[reason] += 1
        _add_example(self.dropped.setdefault(reason, []), url)

    def _path(self, spider: Spider) -> Path:
        stats = self.crawler.stats
        assert stats is not None
        start: datetime = stats.get_value("start_time") or datetime.now(UTC)
        stamp = start.replace(microsecond=0).isoformat().replace(":", "-")
        data_dir = Path(config.DATA_DIR.read(self.crawler.settings))
        return data_dir / spider.name / "reports" / f"{stamp}.json"

    def _log(self, report: dict[str, Any], path: Path) -> None:
        articles = report["articles"]
        coverage = report["coverage"]
        logger.info(
            "Crawl report (%s): pages %s; articles new %s, revised %s, unchanged %s, skipped "
            "as known %s; listing snapshots %s; comments %s; dropped %s; written to %s",
            report["finish_reason"],
            _pairs(report["pages"]) or "none",
            articles["new"],
            articles["revised"],
            articles["unchanged"],
            articles["skipped_known"],
            report["listings"],
            _comments_summary(report),
            _pairs({r: d["count"] for r, d in report["dropped"].items()}) or "nothing",
            path,
        )
        if coverage["article_pages"]:
            logger.info(
                "Field coverage over %s article pages: %s",
                coverage["article_pages"],
                ", ".join(f"{name} {share:.0%}" for name, share in coverage["fields"].items()),
            )
        if fallbacks := self.sources.by_fallbacks():
            logger.warning(
                "Fields read by fallbacks, not by the profile (pages): %s", _pairs(fallbacks)
            )
        for problem in report["problems"]:
            logger.error("%s", readable(problem[:1].upper() + problem[1:]))
        logger.info("Crawl status: %s (exit status %s)", report["status"], report["exit_status"])


class CrawlProgress(LogStats):
    """Scrapy's LogStats (its interval, its per-minute rates in the final stats), with
    newsbot's line."""

    def log(self, spider: Spider) -> None:
        logger.info("Progress: %s", progress_line(self.stats.get_stats()))


def progress_line(values: dict[str, Any]) -> str:
    """`pages 46 (article 37, feed 1, front 8); articles new 30, revised 0; dropped
    robots_txt 1, unchanged 2; queue 12`, from a crawl's stats."""
    pages = _under(values, "newsbot/pages/")
    queued = values.get("scheduler/enqueued", 0) - values.get("scheduler/dequeued", 0)
    return (
        f"pages {sum(pages.values())}"
        + (f" ({_pairs(pages)})" if pages else "")
        + f"; articles new {values.get('newsbot/articles/new', 0)}, "
        f"revised {values.get('newsbot/articles/revised', 0)}; "
        f"dropped {_pairs(_under(values, 'newsbot/dropped/')) or 'nothing'}; queue {queued}"
    )


def _add_example(examples: list[str], url: str) -> None:
    if len(examples) < EXAMPLES_PER_REASON and url not in examples:
        examples.append(url)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write whole or not at all: a temporary file, fsynced, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False, indent=2)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)


def _arguments(spider: Spider) -> dict[str, Any]:
    """Every spider argument as the crawl used it (newsbot.crawl.arguments)."""
    arguments = getattr(spider, "arguments", None)
    return arguments.for_the_record() if isinstance(arguments, SpiderArguments) else {}


def _counted(reason: str) -> bool:
    """Whether a page dropped for `reason` counts in the field coverage (newsbot.extract.reasons);
    one for a reason newsbot does not give (another pipeline's DropItem) does."""
    known = DropReason.of(reason)
    return known is None or known.counted


def _no_page(reason: str) -> bool:
    known = DropReason.of(reason)
    return known is not None and known.no_page


def _under(values: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {
        key.removeprefix(prefix): value
        for key, value in sorted(values.items())
        if key.startswith(prefix)
    }


def _comments_summary(report: dict[str, Any]) -> str:
    comments = report["comments"]
    if not report["arguments"].get("comments", True):  # a spider without newsbot's arguments
        return "off"
    missing = _pairs({r: d["count"] for r, d in comments["missing"].items()})
    return (
        f"emitted {comments['emitted']}, emitted before {comments['known']}, gone from their "
        f"pages {comments['removed']}, times unreadable {comments['dates_unreadable']}"
        + (f", counted but not read: {missing}" if missing else "")
    )


def _pairs(counts: dict[str, Any]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None
