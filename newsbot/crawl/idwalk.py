"""An id-range backfill (`-a ids=START-END`): `/fa/news/<id>` for every id of a desk's range.

News ids are consecutive per desk, so walking them is the most complete backfill there is,
and needs no listing page. The walk goes newest first, range after range as given, and
generates its requests lazily: memory does not depend on the range's size.

Each id ends in one of three ways. Its article is emitted (or was before: the crawl state
knows it). It gives no article for good: a 404 or 410, the site's missing-article page, a
redirect to the home page, a page that is not an article, or a record the pipelines refuse
(newsbot.state.store.NO_ARTICLE); the crawl state records it as dropped, with the reason, as it
does for any crawl's page that gave no article, and the walk does not fetch an id so recorded
again unless it is asked to (`ids_retry=true`). Or it failed for a reason that may pass (a
timeout, a 5xx, ...): it stays open, to be fetched again by the next run.

Resume. Each range's cursor, the newest id not yet settled (everything newer is emitted,
tried or skipped), is written to the state with the marks and committed after the feed's lines
(newsbot.state.store), so a run resumed after a kill starts where the range stands: from the
cursor, skipping the ids after it that the state already knows, never re-fetching them.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyroaring import BitMap
from scrapy import signals

from newsbot.extract.reasons import DropReason
from newsbot.items import MAIN_DESK, MAX_BITMAP_ID, Article
from newsbot.sites.urls import is_desk_host
from newsbot.state.store import NO_ARTICLE

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from newsbot.sites.profiles import SiteProfile
    from newsbot.state.store import StateStore

logger = logging.getLogger(__name__)

# Ids whose article went on but was not emitted for a reason that settles them all the same.
SETTLED_DROPS = frozenset(
    {DropReason.DUPLICATE, DropReason.UNCHANGED, DropReason.OUT_OF_RANGE, DropReason.DATE_UNKNOWN}
)
# The request meta key naming the (desk, news id) a request of the walk is for.
META_KEY = "newsbot_walk_id"


@dataclass(frozen=True)
class IdRange:
    """Ids `low` to `high`, both included, walked from `high` down."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


def parse_id_ranges(value: str | None) -> tuple[IdRange, ...]:
    """`-a ids=3900001-3900500,3800000-3800100`: ranges of news ids, each walked newest first,
    in the order given. Either end may come first."""
    if value is None:
        return ()
    ranges = []
    for part in value.split(","):
        if not part.strip():
            continue
        start, dash, end = part.strip().partition("-")
        if not (dash and start.strip().isdigit() and end.strip().isdigit()):
            raise ValueError(f"ids={value!r}: expected ranges of news ids, 3900001-3900500,...")
        low, high = sorted((int(start), int(end)))
        if low < 1 or high > MAX_BITMAP_ID:
            raise ValueError(f"ids={value!r}: news ids are 1 to {MAX_BITMAP_ID}")
        ranges.append(IdRange(low, high))
    if not ranges:
        raise ValueError(f"ids={value!r}: expected ranges of news ids, 3900001-3900500,...")
    return tuple(ranges)


def parse_desk(value: str | None, profile: SiteProfile) -> str:
    """`-a desk=yazd`: the desk whose ids a walk fetches; `www` (the default) is the main site."""
    desk = (value or MAIN_DESK).strip().lower()
    if desk == MAIN_DESK:
        return desk
    if not profile.regional_domain:
        raise ValueError(f"desk={value!r}: {profile.name} has no provincial desks")
    if not is_desk_host(f"{desk}.{profile.regional_domain}", profile):
        raise ValueError(f"desk={value!r}: not a provincial desk of {profile.regional_domain}")
    return desk


class IdWalk:
    """The walk of one desk's id ranges in one crawl: which ids to request, and where each
    range stands. `state` is the crawl state's store (None without a state: every id is
    fetched, nothing is remembered)."""

    def __init__(
        self,
        crawler: Crawler,
        desk: str,
        ranges: tuple[IdRange, ...],
        state: StateStore | None,
        *,
        on_tried: Callable[[], None] | None = None,
        retry: bool = False,
    ) -> None:
        self.crawler = crawler
        self.desk = desk
        self.ranges = ranges
        self.state = state
        self.retry = retry
        # Commits the state, after the crawl state recorded the drop (its signal handlers run
        # first: connected when the crawler was made, before the spider made the walk): a tried
        # id has no feed line to be recovered from after a kill.
        self.on_tried = on_tried
        # Per range: the ids requested and not settled yet (a few hundred at most: the
        # requests in the scheduler and the downloader), and the next id to generate.
        self._open = [BitMap() for _ in ranges]
        self._next: list[int | None] = [None] * len(ranges)
        self.missing: Counter[str] = Counter()
        self.found = 0
        self.tried = 0
        self._started = time.monotonic()
        crawler.signals.connect(self._item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    def walk_name(self, index: int) -> str:
        return f"{self.desk}:{self.ranges[index]}"

    def ids(self) -> Iterator[tuple[str, int]]:
        """(desk, news id) to request, newest first, lazily; known and tried ids are skipped."""
        for index, ids in enumerate(self.ranges):
            start = ids.high
            cursor = (
                None
                if self.state is None or self.retry
                else self.state.walk_cursor(self.walk_name(index))
            )
            if cursor is not None:
                start = min(start, cursor)
                if start < ids.high:
                    logger.info("Id range %s of desk %s resumes at %s", ids, self.desk, start)
            for news_id in range(start, ids.low - 1, -1):
                self._next[index] = news_id - 1
                if self._known(news_id):
                    self._moved(index)
                    continue
                self._open[index].add(news_id)
                yield self.desk, news_id
            self._moved(index)

    def missed(self, meta: dict[str, Any], reason: str) -> None:
        """A request of the walk gave no article: tried for good, or left open."""
        key = meta.get(META_KEY)
        if key is None:
            return
        if reason in NO_ARTICLE:
            self._tried(key[1], reason)

    # --- signals -----------------------------------------------------------------------------

    def _item_scraped(self, item: Any, spider: Spider) -> None:
        # Connected after the feed exporter's handler: the article's line is written.
        if isinstance(item, Article) and item.desk == self.desk and item.news_id is not None:
            self.found += 1
            self._settled_one()
            self._count("ids/found")
            self._settle(item.news_id)

    def _item_dropped(self, item: Any, exception: BaseException, spider: Spider) -> None:
        if not isinstance(item, Article) or item.desk != self.desk or item.news_id is None:
            return
        reason = getattr(exception, "reason", "dropped")
        if reason in NO_ARTICLE:
            self._tried(item.news_id, reason)
        elif reason in SETTLED_DROPS:
            self._settled_one()
            self._settle(item.news_id)

    def _spider_closed(self, spider: Spider) -> None:
        rate = self._rate()
        logger.info(
            "Id walk of desk %s (%s): %s ids tried, %s found, missing: %s; %.1f ids/s",
            self.desk,
            ",".join(map(str, self.ranges)),
            self.tried,
            self.found,
            ", ".join(f"{r} {n}" for r, n in sorted(self.missing.items())) or "none",
            rate,
        )

    # -----------------------------------------------------------------------------------------

    def _rate(self) -> float:
        return self.tried / max(time.monotonic() - self._started, 1e-9)

    def _settled_one(self) -> None:
        """One more id tried; the stats the crawl report shows (newsbot.crawl.report)."""
        self.tried += 1
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newsbot/ids/tried", self.tried)
        self.crawler.stats.set_value("newsbot/ids/per_second", round(self._rate(), 2))

    def _known(self, news_id: int) -> bool:
        if self.state is None:
            return False
        if self.state.get(self.desk, news_id) is not None:
            self._count("ids/skipped_known")
            return True
        if not self.retry and self.state.dropped(self.desk, news_id) is not None:
            self._count("ids/skipped_tried")
            return True
        return False

    def _tried(self, news_id: int, reason: str) -> None:
        self._settled_one()
        self.missing[reason] += 1
        self._count(f"ids/missing/{reason}")
        self._settle(news_id)
        if self.on_tried is not None:
            self.on_tried()

    def _settle(self, news_id: int) -> None:
        for index, ids in enumerate(self.ranges):
            if ids.low <= news_id <= ids.high and news_id in self._open[index]:
                self._open[index].discard(news_id)
                self._moved(index)
                return

    def _moved(self, index: int) -> None:
        """Write where range `index` stands: its newest open id, else the next to generate."""
        if self.state is None or self._next[index] is None:
            return
        open_ids = self._open[index]
        cursor = open_ids.max() if open_ids else self._next[index]
        assert cursor is not None
        self.state.set_walk_cursor(self.walk_name(index), cursor)

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newsbot/{key}")
