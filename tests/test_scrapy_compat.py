"""Every Scrapy, Twisted and scrapy-redis internal newsbot relies on, with a check each.

newsbot is pinned to Scrapy 2.13.x (pyproject.toml says why). Where Scrapy offers no public
hook, newsbot uses an internal, and each such use is listed here, naming the code that makes
it: run this module against a new release first, and it says what breaks and where. (Where a
public name does the same job, newsbot uses it: `twisted.web.client.ResponseFailed`, and
scrapy-redis's queue serializer with Scrapy's `request_from_dict` rather than the queue's
private `_decode_request`.)
"""

from __future__ import annotations

import hashlib
import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.commands import crawl
from scrapy.core.downloader.handlers import http11
from scrapy.downloadermiddlewares import redirect
from scrapy.dupefilters import RFPDupeFilter
from scrapy.extensions.spiderstate import SpiderState
from scrapy.http import HtmlResponse, Response
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler
from scrapy_redis.queue import PriorityQueue
from twisted.web import http

from newsbot.crawl import downloads
from newsbot.state.store import _JOB_FILES

# --- newsbot.crawl.downloads: the redirect middlewares' private `_redirect` --------------------


def test_redirect_keeps_the_signature_newsbot_overrides() -> None:
    # Scrapy 2.14 drops `spider`: newsbot's override would then fail on every redirect.
    expected = ["self", "redirected", "request", "spider", "reason"]
    assert list(inspect.signature(redirect.BaseRedirectMiddleware._redirect).parameters) == (
        expected
    )
    assert list(inspect.signature(downloads._InScope._redirect).parameters) == expected


@pytest.mark.parametrize(
    ("middleware", "response", "reason"),
    [
        (
            redirect.RedirectMiddleware,
            Response("http://a.example/1", status=301, headers={"Location": "/2"}),
            301,
        ),
        (
            redirect.MetaRefreshMiddleware,
            HtmlResponse(
                "http://a.example/1",
                body=b'<html><head><meta http-equiv="refresh" content="0;url=/2"></head></html>',
            ),
            "meta refresh",
        ),
    ],
)
def test_both_redirect_middlewares_hand_the_request_to_follow_to_redirect(
    middleware: type[redirect.BaseRedirectMiddleware], response: Response, reason: object
) -> None:
    calls: list[tuple[str, str, object]] = []

    class Recording(middleware):  # type: ignore[valid-type,misc]
        def _redirect(
            self, redirected: Request, request: Request, spider: Spider, reason: Any
        ) -> Request:
            calls.append((redirected.url, request.url, reason))
            return redirected

    crawler = get_crawler(Spider)
    spider = Spider("compat")
    followed = Recording.from_crawler(crawler).process_response(
        Request(response.url), response, spider
    )
    assert calls == [("http://a.example/2", "http://a.example/1", reason)]
    assert isinstance(followed, Request)


# --- newsbot.crawl.downloads: Twisted's private `_DataLoss` -------------------------------------


def test_data_loss_is_still_twisted_s_private_error_that_scrapy_checks_for() -> None:
    # A body shorter than its Content-Length fails with ResponseFailed([_DataLoss]); Twisted
    # has no public name for it, and Scrapy's HTTP/1.1 handler tests for the same class.
    assert issubclass(http._DataLoss, Exception)
    assert http11._DataLoss is http._DataLoss  # type: ignore[attr-defined]


# --- newsbot.scale.redis_workers: ScraperSlot.finish_response and ExecutionEngine._slot --------


def _probe() -> None:
    """Crawl one data: URL (no network) and print, as JSON, what the scraper and engine
    internals did: run as a script by `probed` below, since a Twisted reactor runs once per
    process."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    seen: dict[str, Any] = {"events": []}

    class Probe(Spider):
        name = "probe"

        @classmethod
        def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Probe:
            spider: Probe = super().from_crawler(crawler, *args, **kwargs)
            crawler.signals.connect(spider.opened, signal=signals.spider_opened)
            crawler.signals.connect(spider.scraped, signal=signals.item_scraped)
            return spider

        async def start(self) -> Any:
            yield Request("data:,page")

        def opened(self) -> None:
            # As RedisScheduler.watch_scraper does.
            engine: Any = self.crawler.engine
            slot = engine.scraper.slot
            finish = slot.finish_response
            seen["finish_response"] = list(inspect.signature(finish).parameters)

            def finish_response(result: Any, request: Request) -> None:
                finish(result, request)
                seen["events"].append(["finish_response", request.url])

            slot.finish_response = finish_response

        def scraped(self, item: dict[str, str]) -> None:
            seen["events"].append(["item_scraped", item["url"]])

        def parse(self, response: Response) -> Any:
            # As RedisScheduler.poll does.
            engine: Any = self.crawler.engine
            engine._slot.nextcall.schedule()
            seen["engine_slot"] = type(engine._slot).__name__
            yield {"url": response.url}

    process = CrawlerProcess(settings={"LOG_LEVEL": "ERROR"})
    process.crawl(Probe)
    process.start()
    print(json.dumps(seen))


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__],
        cwd=tmp_path_factory.mktemp("probe"),  # no project: Scrapy's own defaults
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_scraper_slot_finishes_a_response_after_its_items(probed: dict[str, Any]) -> None:
    # RedisScheduler.watch_scraper wraps finish_response(result, request) to learn when a
    # request is done with: callback run, every item through the pipelines.
    assert probed["finish_response"] == ["result", "request"]
    assert probed["events"] == [["item_scraped", "data:,page"], ["finish_response", "data:,page"]]


def test_the_engine_slot_has_a_next_call_to_schedule(probed: dict[str, Any]) -> None:
    # RedisScheduler.poll wakes the engine through engine._slot.nextcall.schedule().
    assert probed["engine_slot"] == "_Slot"


# --- newsbot.commands.crawl: a copy of Scrapy's crawl command ----------------------------------

# sha256 of Scrapy 2.13.4's `scrapy.commands.crawl.Command.run` source, which
# newsbot.commands.crawl.Command.run copies and extends. When Scrapy's changes, compare the two
# and carry the change over before updating this digest.
SCRAPY_CRAWL_RUN_SHA256 = "a80340f1dba3ea85742799f22cc945508807da295cfd9ac5b0d055af1e8be628"


def test_scrapy_s_crawl_command_is_the_one_newsbot_copied() -> None:
    source = inspect.getsource(crawl.Command.run)
    assert hashlib.sha256(source.encode()).hexdigest() == SCRAPY_CRAWL_RUN_SHA256, source


# --- newsbot.state.store: the files Scrapy keeps in a JOBDIR -----------------------------------


def test_scrapy_keeps_its_job_in_the_files_newsbot_discards(tmp_path: Path) -> None:
    # CrawlState discards these after a killed run (the names are not a documented interface).
    from scrapy.core.scheduler import Scheduler

    scheduler = Scheduler.from_crawler(get_crawler(Spider, {"JOBDIR": str(tmp_path)}))
    dupefilter = scheduler.df
    assert isinstance(dupefilter, RFPDupeFilter)
    assert dupefilter.file is not None
    dupefilter.close("finished")
    paths = [str(scheduler.dqdir), dupefilter.file.name, SpiderState(str(tmp_path)).statefn]
    assert tuple(Path(path).relative_to(tmp_path).as_posix() for path in paths) == _JOB_FILES


# --- newsbot.scale.redis_workers: requests as scrapy-redis's queue encodes them ----------------


def test_scrapy_redis_encodes_requests_with_its_queue_serializer() -> None:
    # RedisScheduler pops requests with a Lua script and decodes them itself, with the queue's
    # serializer and Scrapy's request_from_dict: what scrapy-redis's queue writes must decode so.
    spider = Spider("compat")
    queue = PriorityQueue(server=None, spider=spider, key="compat:requests", serializer=None)
    request = Request("http://a.example/1", meta={"k": "v"}, priority=3, dont_filter=True)
    encoded = queue._encode_request(request)  # what push() stores in Redis
    decoded = request_from_dict(queue.serializer.loads(encoded), spider=spider)
    assert decoded.to_dict(spider=spider) == request.to_dict(spider=spider)


if __name__ == "__main__":
    _probe()
