"""Distributed crawling on scrapy-redis: several `scrapy crawl` workers, one queue, one seen-set.

Setting `REDIS_URL` (scrapy-redis's name; as a setting, or in the environment so a password
stays out of `ps`) makes the `RedisAddon` switch a crawl to Redis:

- the scheduler is scrapy-redis's, with its priority queue and serializer (`RedisScheduler`,
  a subclass adding what scrapy-redis lacks, below);
- the duplicate filter is scrapy-redis's, fingerprinting with the crawler's
  REQUEST_FINGERPRINTER (`RedisDupeFilter`): scrapy-redis 0.9.1 hashes the canonical URL, which
  would fetch one article under two slugs twice;
- the crawl state is `RedisStateStore`, one Redis hash per site shared by every worker, so no
  article is emitted twice across workers and runs (the SQLite store is one machine's).

Runs. The queue and seen-set belong to a *run*, named by `NEWSBOT_RUN` (the same on every
worker of a run; by default a digest of the spider and its arguments, so a full crawl and an
RSS fast path of the same site are separate runs). A worker started while a run of its name
goes on joins it; its own start requests (home page, feeds) are then duplicates and only the
first worker's are crawled, so the front pages are read and snapshotted once per run. The run
ends when its queue is empty and no live worker has a request in hand: the last worker to
leave deletes its queue and seen-set, so the next scheduled run reads the front pages anew.
A worker whose queue is momentarily empty waits (`spider_idle`) while another live worker
still has requests in hand, which may yet give it work. (scrapy-redis's own
SCHEDULER_PERSIST=False would let the first worker to finish flush the queue under the
others, and its SCHEDULER_IDLE_BEFORE_CLOSE blocks the reactor in BRPOP on FIFO queues and
is ignored by the priority queue; neither is used.)

Killed workers. scrapy-redis pops a request from Redis; a worker that dies before it has
dealt with it would lose it. `RedisScheduler` pops atomically into a per-worker in-flight hash
and removes the entry only when the response (or failure) has been through the callback and
every item through the pipelines and into the feed, or when the request is replaced by a
retry or redirect. Every worker beats a heartbeat into the run; a worker silent for
`NEWSBOT_REDIS_WORKER_TIMEOUT` seconds is dead, and the first live worker to notice puts its
in-flight requests back in the queue. An article it had already written is known to the
state by then (marked in Redis right after its line is fsynced) and is dropped as unchanged
when fetched again; its line is in the dead worker's `.part` feed, recovered by the next run
in that worker's data dir. A worker that stops cleanly with work left (Ctrl-C) puts its
requests back too, and the queue stays for workers that join later: with Redis, pausing a
run is stopping its workers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from redis import Redis
from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis import connection
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from newsbot.crawl import config
from newsbot.crawl.arguments import SpiderArguments
from newsbot.crawl.fingerprint import article_request
from newsbot.items import MAIN_DESK, MAX_BITMAP_ID
from newsbot.state.store import Dropped, Known, StateStoreError

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings, Settings
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

REDIS_STORE = "newsbot.scale.redis_workers.RedisStateStore"
_INFLIGHT = "newsbot_inflight"  # request meta: the token of the popped request in flight


def redis_url(settings: BaseSettings) -> str:
    """REDIS_URL, from the settings or else the environment; empty: no Redis."""
    return config.REDIS_URL.read(settings) or os.environ.get("REDIS_URL") or ""


class RedisAddon:
    """With REDIS_URL, the crawl's scheduler, duplicate filter and state go to Redis.

    Settings given on the command line (`-s`) still win, as for any add-on.
    """

    def update_settings(self, settings: Settings) -> None:
        url = redis_url(settings)
        if not url:
            return
        _set_over_project(settings, "REDIS_URL", url)
        settings.set("SCHEDULER", "newsbot.scale.redis_workers.RedisScheduler", priority="addon")
        # settings.py names newsbot's own filter (article ids as bitmaps), at project priority.
        _set_over_project(
            settings, "DUPEFILTER_CLASS", "newsbot.scale.redis_workers.RedisDupeFilter"
        )
        if config.STATE_STORE.read(settings) == config.STATE_STORE.default:
            _set_over_project(settings, "NEWSBOT_STATE_STORE", REDIS_STORE)
        # Each article marked in Redis once its line is fsynced, not in batches: another worker
        # must know it at once (a killed worker's requests are fetched again by the others).
        _set_over_project(settings, "NEWSBOT_STATE_COMMIT_EVERY", 1)


def _set_over_project(settings: Settings, name: str, value: object) -> None:
    """Replace a value settings.py gives (project priority, above an add-on's), never one
    given on the command line."""
    if (settings.getpriority(name) or 0) <= SETTINGS_PRIORITIES["project"]:
        settings.set(name, value, priority="project")


def run_name(spider: Spider) -> str:
    """NEWSBOT_RUN, or a digest of the spider and its arguments (the same on every worker)."""
    configured = config.RUN.read(spider.settings)
    if configured:
        return configured
    arguments = getattr(spider, "arguments", None)
    given = arguments.for_the_record() if isinstance(arguments, SpiderArguments) else {}
    given.pop("_job", None)  # Scrapyd's, one per worker
    named = [spider.name, sorted(given.items())]
    return "args-" + hashlib.sha1(repr(named).encode()).hexdigest()[:12]


class RedisDupeFilter(RFPDupeFilter):  # type: ignore[misc]  # scrapy-redis is untyped
    """scrapy-redis's duplicate filter, fingerprinting as the crawler does (by news id). The
    run's article requests are Redis bitmaps of news ids, one per origin (`<key>:articles:
    <origin>`, listed in the set `<key>:articles`): a bit an id where the fingerprint set
    spends about 100 bytes, and SETBIT tests and sets in one step, so workers sharing an
    id-range walk never fetch an id twice. Other requests keep scrapy-redis's fingerprints."""

    def __init__(
        self, server: Redis, key: str, debug: bool = False, *, crawler: Crawler | None = None
    ) -> None:
        super().__init__(server, key, debug)
        self.crawler = crawler

    def request_seen(self, request: Request) -> bool:
        article = article_request(request)
        if article is None or article[1] > MAX_BITMAP_ID:
            return bool(super().request_seen(request))
        origin, news_id = article
        bitmap = f"{self.key}:articles:{origin}"
        with self.server.pipeline(transaction=False) as pipe:
            pipe.sadd(f"{self.key}:articles", bitmap)
            pipe.setbit(bitmap, news_id, 1)
            _, was_set = pipe.execute()
        return bool(was_set)

    def request_fingerprint(self, request: Request) -> str:
        if self.crawler is None or self.crawler.request_fingerprinter is None:
            return str(super().request_fingerprint(request))
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def close(self, reason: str = "") -> None:
        """Kept: the run's seen-set is shared; the scheduler deletes it when the run ends."""


# The run's keys, from its prefix ARGV[1]: requests (zset, scrapy-redis's priority queue),
# dupefilter (set; and the bitmaps of article ids listed in dupefilter:articles), workers
# (hash: worker -> last heartbeat, Redis time), inflight:<worker>
# (hash: token -> "score|request"), seq (token counter).
_LUA_COMMON = """
local prefix = ARGV[1]
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local function requeue(worker)
  local inflight = prefix .. ':inflight:' .. worker
  local entries = redis.call('HVALS', inflight)
  for _, v in ipairs(entries) do
    local sep = string.find(v, '|', 1, true)
    redis.call('ZADD', prefix .. ':requests', string.sub(v, 1, sep - 1), string.sub(v, sep + 1))
  end
  redis.call('DEL', inflight)
  return #entries
end
local function reap(timeout, self)
  local n = 0
  local t = now()
  local w = redis.call('HGETALL', prefix .. ':workers')
  for i = 1, #w, 2 do
    if w[i] ~= self and t - tonumber(w[i + 1]) > timeout then
      n = n + requeue(w[i])
      redis.call('HDEL', prefix .. ':workers', w[i])
    end
  end
  return n
end
local function article_keys()
  local keys = redis.call('SMEMBERS', prefix .. ':dupefilter:articles')
  table.insert(keys, prefix .. ':dupefilter:articles')
  return keys
end
local function forget_seen()
  for _, key in ipairs(article_keys()) do
    redis.call('DEL', key)
  end
  redis.call('DEL', prefix .. ':dupefilter')
end
"""
# ARGV: prefix, timeout, worker. Returns {requests put back, whether a new run starts}.
_LUA_JOIN = (
    _LUA_COMMON
    + """
local requeued = reap(tonumber(ARGV[2]), ARGV[3])
local fresh = 0
if redis.call('HLEN', prefix .. ':workers') == 0
    and redis.call('ZCARD', prefix .. ':requests') == 0 then
  forget_seen()
  redis.call('DEL', prefix .. ':seq')
  fresh = 1
end
redis.call('HSET', prefix .. ':workers', ARGV[3], now())
return {requeued, fresh}
"""
)
# ARGV: prefix, timeout, worker, ttl. Returns {requests put back, 1 if this worker had been
# taken for dead}.
_LUA_HEARTBEAT = (
    _LUA_COMMON
    + """
local revived = redis.call('HSET', prefix .. ':workers', ARGV[3], now())
local requeued = reap(tonumber(ARGV[2]), ARGV[3])
for _, key in ipairs({'requests', 'dupefilter', 'workers', 'seq', 'inflight:' .. ARGV[3]}) do
  redis.call('EXPIRE', prefix .. ':' .. key, tonumber(ARGV[4]))
end
for _, key in ipairs(article_keys()) do
  redis.call('EXPIRE', key, tonumber(ARGV[4]))
end
return {requeued, revived}
"""
)
# ARGV: prefix, worker. Returns {token, request} or nil.
_LUA_POP = """
local prefix = ARGV[1]
local popped = redis.call('ZRANGE', prefix .. ':requests', 0, 0, 'WITHSCORES')
if #popped == 0 then
  return nil
end
redis.call('ZREM', prefix .. ':requests', popped[1])
local token = redis.call('INCR', prefix .. ':seq')
redis.call('HSET', prefix .. ':inflight:' .. ARGV[2], token, popped[2] .. '|' .. popped[1])
return {tostring(token), popped[1]}
"""
# ARGV: prefix, timeout, worker. Returns 1 while the run has work: queued, or in the hands of
# another live worker.
_LUA_BUSY = (
    _LUA_COMMON
    + """
reap(tonumber(ARGV[2]), ARGV[3])
if redis.call('ZCARD', prefix .. ':requests') > 0 then
  return 1
end
local w = redis.call('HKEYS', prefix .. ':workers')
for _, worker in ipairs(w) do
  if worker ~= ARGV[3] and redis.call('HLEN', prefix .. ':inflight:' .. worker) > 0 then
    return 1
  end
end
return 0
"""
)
# ARGV: prefix, timeout, worker. Returns {requests put back, 1 if the run ended and was
# cleared}.
_LUA_LEAVE = (
    _LUA_COMMON
    + """
local requeued = requeue(ARGV[3]) + reap(tonumber(ARGV[2]), ARGV[3])
redis.call('HDEL', prefix .. ':workers', ARGV[3])
if redis.call('HLEN', prefix .. ':workers') == 0
    and redis.call('ZCARD', prefix .. ':requests') == 0 then
  forget_seen()
  redis.call('DEL', prefix .. ':seq', prefix .. ':workers')
  return {requeued, 1}
end
return {requeued, 0}
"""
)


class RedisScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler, with runs, in-flight requests and worker heartbeats.

    Settings: NEWSBOT_RUN (the run's name), NEWSBOT_REDIS_PREFIX (`newsbot`; keys are
    `<prefix>:<site>:run:<run>:...`), NEWSBOT_REDIS_HEARTBEAT (seconds between heartbeats, 5),
    NEWSBOT_REDIS_WORKER_TIMEOUT (a worker silent this long is dead, 30), NEWSBOT_REDIS_RUN_TTL
    (the keys of a run no worker touches any more expire after this many seconds, 7 days).
    """

    crawler: Crawler
    server: Redis

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler: Self = super().from_crawler(crawler)
        scheduler.crawler = crawler
        settings = crawler.settings
        scheduler.heartbeat_every = config.REDIS_HEARTBEAT.read(settings)
        scheduler.worker_timeout = config.REDIS_WORKER_TIMEOUT.read(settings)
        scheduler.run_ttl = config.REDIS_RUN_TTL.read(settings)
        scheduler.key_prefix = config.REDIS_PREFIX.read(settings)
        scheduler.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.watch_scraper, signal=signals.spider_opened)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.run = run_name(spider)
        self.prefix = f"{self.key_prefix}:{spider.name}:run:{self.run}"
        self.queue_key = f"{self.prefix}:requests"
        self.queue = load_object(self.queue_cls)(  # its key is a %-format (scrapy-redis)
            server=self.server,
            spider=spider,
            key=self.queue_key.replace("%", "%%"),
            serializer=self.serializer,
        )
        self.df = RedisDupeFilter(
            self.server,
            f"{self.prefix}:dupefilter",
            spider.settings.getbool("DUPEFILTER_DEBUG"),
            crawler=self.crawler,
        )
        self._join = self.server.register_script(_LUA_JOIN)
        self._heartbeat = self.server.register_script(_LUA_HEARTBEAT)
        self._pop = self.server.register_script(_LUA_POP)
        self._busy = self.server.register_script(_LUA_BUSY)
        self._leave = self.server.register_script(_LUA_LEAVE)
        requeued, fresh = self._join(args=[self.prefix, self.worker_timeout, self.worker])
        self._requeued(requeued)
        logger.info(
            "Redis run %r (%s): worker %s %s, %s requests queued",
            self.run,
            self.prefix,
            self.worker,
            "starts it" if fresh else "joins it",
            len(self.queue),
        )
        self._inc("newsbot/redis/runs_started" if fresh else "newsbot/redis/runs_joined")
        self._beat = LoopingCall(self.heartbeat)
        self._beat.start(self.heartbeat_every, now=False)
        self._poll = LoopingCall(self.poll)
        self._poll.start(min(self.heartbeat_every, 0.5), now=False)

    def close(self, reason: str) -> None:
        for loop in (getattr(self, "_beat", None), getattr(self, "_poll", None)):
            if loop is not None and loop.running:
                loop.stop()
        if not hasattr(self, "_leave"):
            return  # never opened
        requeued, ended = self._leave(args=[self.prefix, self.worker_timeout, self.worker])
        self._requeued(requeued)
        if ended:
            logger.info("Redis run %r ended: its queue and seen-set are deleted", self.run)
        else:
            logger.info("Redis run %r goes on without worker %s", self.run, self.worker)

    def flush(self) -> None:
        """Never: the run's queue and seen-set are shared, and deleted when the run ends."""

    # --- requests ----------------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        # A retry or redirect of a request in flight replaces it: queued, then let go.
        replaced = request.meta.pop(_INFLIGHT, None)
        try:
            return bool(super().enqueue_request(request))
        finally:
            if replaced is not None:
                self.done(replaced)

    def next_request(self) -> Request | None:
        popped = self._pop(args=[self.prefix, self.worker])
        if not popped:
            return None
        token, data = popped
        # Decoded as scrapy-redis's queue encodes it (with its serializer), through public names.
        request = request_from_dict(self.queue.serializer.loads(data), spider=self.spider)
        request.meta[_INFLIGHT] = token.decode() if isinstance(token, bytes) else str(token)
        self._inc("scheduler/dequeued/redis")
        return request

    def done(self, token: str) -> None:
        """A request popped from the run is dealt with: it leaves this worker's hands."""
        self.server.hdel(f"{self.prefix}:inflight:{self.worker}", token)

    # --- liveness ----------------------------------------------------------------------------

    def heartbeat(self) -> None:
        try:
            requeued, revived = self._heartbeat(
                args=[self.prefix, self.worker_timeout, self.worker, self.run_ttl]
            )
        except RedisError as error:
            logger.warning("Redis heartbeat failed: %s", error)
            return
        if revived:
            logger.warning(
                "Worker %s was silent for over %s s and taken for dead; its requests were "
                "given to others",
                self.worker,
                self.worker_timeout,
            )
        self._requeued(requeued)

    def poll(self) -> None:
        """Pick up requests other workers queued, or see that the run ended, within half a
        second rather than at the engine's own beat (5 s). Scrapy has no public way to wake
        the engine: this schedules its private slot's next call (tests/test_scrapy_compat.py)."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None) if engine is not None else None
        if slot is not None:
            slot.nextcall.schedule()

    def spider_idle(self, spider: Spider) -> None:
        """Nothing queued and nothing in hand here: wait while another worker may yet give
        the run work; close when the whole run is done."""
        if self._busy(args=[self.prefix, self.worker_timeout, self.worker]):
            raise DontCloseSpider

    # -----------------------------------------------------------------------------------------

    def watch_scraper(self) -> None:
        """Hear when the scraper is done with a response: callback, items, feed.

        Scrapy has no signal for it; ScraperSlot.finish_response is that moment (Scrapy 2.13,
        pinned in pyproject.toml; tests/test_scrapy_compat.py and tests/test_redis.py fail if
        it moves).
        """
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        if engine is None or slot is None or not hasattr(slot, "finish_response"):
            logger.error(
                "newsbot.scale.redis_workers needs Scrapy 2.13's ScraperSlot.finish_response"
            )
            if engine is not None:
                engine.close_spider(self.spider, "redis_unsupported_scrapy")
            return
        finish = slot.finish_response

        def finish_response(result: Response | Failure, request: Request) -> None:
            finish(result, request)
            token = request.meta.pop(_INFLIGHT, None)
            if token is not None:
                self.done(token)

        slot.finish_response = finish_response  # type: ignore[method-assign]

    def _requeued(self, count: int) -> None:
        if count:
            logger.warning("Put %s requests of dead or stopped workers back in the queue", count)
            self._inc("newsbot/redis/requeued", count)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)


class RedisStateStore:
    """The crawl state of a site in one Redis hash shared by every worker: field
    `<desk>:<news id>` (`www:3900001`, `yazd:60536`), value `first_seen:revision:fingerprint`.
    Marks go to Redis at `commit`, which CrawlState calls after fsyncing the feed (with Redis,
    after every article: NEWSBOT_STATE_COMMIT_EVERY is 1); lookups see them at once. No lock:
    several crawls share it by design.

    A state written before desks has fields `<news id>`: they are read as the main desk's,
    and an article marked again moves to its `www:<news id>` field. Pages that gave no article
    are in the hash `<key>:dropped`, field `<desk>:<news id>`, value `dropped_at:reason`,
    written at once; a mark removes its field there. (Id-range walks once kept theirs apart, in
    `<key>:tried`, value the reason: the first worker to start moves them into `<key>:dropped`.)

    The comments emitted are a set per article beside it, `<key>:comments:<desk>:<news id>`."""

    # KEYS[1]: the hash; ARGV: field, first_seen, revision, fingerprint, and the field the
    # article had before desks ("" for a provincial desk's).
    _MARK = """
local first, rev, fp = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
for _, field in ipairs({ARGV[1], ARGV[5]}) do
  local old = field ~= '' and redis.call('HGET', KEYS[1], field)
  if old then
    local f, r, p = string.match(old, '^(%d+):(%d+):(%x*)$')
    if tonumber(f) < first then first = tonumber(f) end
    if tonumber(r) >= rev then rev = tonumber(r); fp = p end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%d:%d:%s', first, rev, fp))
if ARGV[5] ~= '' then
  redis.call('HDEL', KEYS[1], ARGV[5])
end
"""

    # KEYS[1]: `<key>:tried`, KEYS[2]: `<key>:dropped`; ARGV[1]: the time to give its entries.
    _ADOPT_TRIED = """
local tried = redis.call('HGETALL', KEYS[1])
for i = 1, #tried, 2 do
  redis.call('HSETNX', KEYS[2], tried[i], ARGV[1] .. ':' .. tried[i + 1])
end
redis.call('DEL', KEYS[1])
"""

    def __init__(self, server: Redis, key: str) -> None:
        self.server = server
        self.key = key
        self.dropped_key = f"{key}:dropped"
        kwargs = server.connection_pool.connection_kwargs
        self.location = (
            f"redis://{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db')} {key}"
        )
        self._mark = server.register_script(self._MARK)
        self._pending: dict[tuple[str, int], Known] = {}
        self._pending_comments: dict[str, set[str]] = {}
        try:
            server.ping()
            server.eval(
                self._ADOPT_TRIED,
                2,
                f"{key}:tried",
                self.dropped_key,
                int(datetime.now(UTC).timestamp()),
            )
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error

    @classmethod
    def from_settings(cls, settings: BaseSettings, site: str) -> RedisStateStore:
        server = connection.get_redis_from_settings(settings)
        prefix = config.REDIS_PREFIX.read(settings)
        return cls(server, f"{prefix}:{site}:state")

    def get(self, desk: str, news_id: int) -> Known | None:
        if (desk, news_id) in self._pending:
            return self._pending[desk, news_id]
        try:
            values = self.server.hmget(self.key, _fields(desk, news_id))
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error
        value = next((value for value in values if value is not None), None)
        if value is None:
            return None
        text = value.decode() if isinstance(value, bytes) else str(value)
        first_seen, revision, fingerprint = text.split(":")
        return Known(
            desk,
            news_id,
            datetime.fromtimestamp(int(first_seen), UTC),
            int(revision),
            bytes.fromhex(fingerprint),
        )

    def mark(
        self, desk: str, news_id: int, revision: int, fingerprint: bytes, first_seen: datetime
    ) -> None:
        known = self._pending.get((desk, news_id))
        if known is not None:
            first_seen = min(first_seen, known.first_seen)
            if known.revision >= revision:
                revision, fingerprint = known.revision, known.fingerprint
        self._pending[desk, news_id] = Known(desk, news_id, first_seen, revision, fingerprint)

    def comment_known(self, desk: str, news_id: int, comment_id: str) -> bool:
        key = self._comments_key(desk, news_id)
        if comment_id in self._pending_comments.get(key, ()):
            return True
        try:
            return bool(self.server.sismember(key, comment_id))
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error

    def comment_ids(self, desk: str, news_id: int) -> set[str]:
        key = self._comments_key(desk, news_id)
        try:
            members = self.server.smembers(key)
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error
        ids = {m.decode() if isinstance(m, bytes) else str(m) for m in members}
        return ids | self._pending_comments.get(key, set())

    def mark_comment(self, desk: str, news_id: int, comment_id: str) -> None:
        self._pending_comments.setdefault(self._comments_key(desk, news_id), set()).add(comment_id)

    def _comments_key(self, desk: str, news_id: int) -> str:
        return f"{self.key}:comments:{desk}:{news_id}"

    def commit(self) -> None:
        if not self._pending and not self._pending_comments:
            return
        try:
            with self.server.pipeline(transaction=False) as pipe:
                for key, comment_ids in self._pending_comments.items():
                    pipe.sadd(key, *comment_ids)
                for known in self._pending.values():
                    self._mark(
                        keys=[self.key],
                        args=[
                            f"{known.desk}:{known.news_id}",
                            int(known.first_seen.timestamp()),
                            known.revision,
                            known.fingerprint.hex(),
                            _field_before_desks(known.desk, known.news_id) or "",
                        ],
                        client=pipe,
                    )
                    pipe.hdel(self.dropped_key, f"{known.desk}:{known.news_id}")
                pipe.execute()
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error
        self._pending.clear()
        self._pending_comments.clear()

    def drop(self, desk: str, news_id: int, reason: str, dropped_at: datetime) -> None:
        value = f"{int(dropped_at.timestamp())}:{reason}"
        try:
            self.server.hset(self.dropped_key, f"{desk}:{news_id}", value)
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error

    def dropped(self, desk: str, news_id: int) -> Dropped | None:
        try:
            value = self.server.hget(self.dropped_key, f"{desk}:{news_id}")
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error
        if value is None:
            return None
        text = value.decode() if isinstance(value, bytes) else str(value)
        dropped_at, reason = text.split(":", 1)
        return Dropped(desk, news_id, reason, datetime.fromtimestamp(int(dropped_at), UTC))

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.server.close()

    def __len__(self) -> int:
        try:
            return int(self.server.hlen(self.key)) + sum(
                1 for key in self._pending if not any(self.server.hmget(self.key, _fields(*key)))
            )
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error

    def source_host(self, host: str) -> str:
        """The host the state was filled from, in `<key>:host`; the first worker records it."""
        try:
            self.server.set(f"{self.key}:host", host, nx=True)
            recorded = self.server.get(f"{self.key}:host")
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error
        return recorded.decode() if isinstance(recorded, bytes) else str(recorded)

    # Each id-range walk's cursor (newsbot.crawl.idwalk), shared by the workers: the hash
    # `<key>:walks`, a field per walk.

    def walk_cursor(self, walk: str) -> int | None:
        value = self._call(self.server.hget, f"{self.key}:walks", walk)
        return None if value is None else int(_text(value))

    def set_walk_cursor(self, walk: str, next_id: int) -> None:
        self._call(self.server.hset, f"{self.key}:walks", walk, next_id)

    def _call(self, command: Callable[..., Any], *args: Any) -> Any:
        try:
            return command(*args)
        except RedisError as error:
            raise StateStoreError(f"crawl state {self.location}: {error}") from error


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _fields(desk: str, news_id: int) -> list[str]:
    """The fields an article may have in the state hash: its own, then the one it had in a
    state written before desks."""
    before_desks = _field_before_desks(desk, news_id)
    return [f"{desk}:{news_id}", *([before_desks] if before_desks else [])]


def _field_before_desks(desk: str, news_id: int) -> str | None:
    return str(news_id) if desk == MAIN_DESK else None


__all__ = [
    "RedisAddon",
    "RedisDupeFilter",
    "RedisScheduler",
    "RedisStateStore",
    "redis_url",
    "run_name",
]
