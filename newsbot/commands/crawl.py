"""`scrapy crawl`, with an exit status that says whether the run did its job.

Scrapy's own command exits 0 whatever the crawl found. Cron and Scrapyd (whose runner runs
this same command with the project's settings) learn of trouble only from the status, so:

  0  the crawl ran; its report is in data/<site>/reports/
  1  the crawl could not start or failed (Scrapy's own status), e.g. another crawl of the
     same site holds its state
  2  a spider argument cannot be used (bad or reversed dates, unknown source, ...); nothing
     was fetched
  3  field coverage fell below NEWSBOT_COVERAGE_FLOOR: the site's layout has probably changed
  4  the crawl state could not be written; the crawl stopped
  5  the site is not on the IranSamaneh CMS: `scrapy crawl iransamaneh` checks its home page
     before anything else (newsbot.crawl.family); nothing else was fetched
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

from scrapy.commands import crawl
from scrapy.exceptions import UsageError
from twisted.python.failure import Failure

from newsbot.crawl.spider import SpiderArgumentError
from newsbot.state.store import StateLocked, StateStoreError

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

EXIT_BAD_ARGUMENT = 2


class Command(crawl.Command):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Scrapy 2.13's crawl command, keeping the crawler to read its verdict afterwards (Scrapy
        # has no hook for it); tests/test_scrapy_compat.py fails when Scrapy's own changes.
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        crawl_defer = self.crawler_process.crawl(args[0], **opts.spargs)
        crawlers: list[Crawler] = list(self.crawler_process.crawlers)
        failure = getattr(crawl_defer, "result", None)
        if isinstance(failure, Failure) and issubclass(cast(type, failure.type), Exception):
            crawl_defer.addErrback(lambda _: None)  # reported here, not as an unhandled error
            if isinstance(failure.value, SpiderArgumentError):
                print(f"scrapy crawl: error: {failure.value}", file=sys.stderr)
                self.exitcode = EXIT_BAD_ARGUMENT
            elif isinstance(failure.value, StateLocked | StateStoreError):
                print(f"scrapy crawl: error: {failure.value}", file=sys.stderr)
                self.exitcode = 1
            else:
                print(f"scrapy crawl: error: {failure.getTraceback()}", file=sys.stderr)
                self.exitcode = 1
            return
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or getattr(
            self.crawler_process, "has_exception", False
        ):
            self.exitcode = 1
        for crawler in crawlers:
            if crawler.stats is not None:
                status = crawler.stats.get_value("newsbot/exit_status", 0)
                self.exitcode = max(self.exitcode, int(status))
