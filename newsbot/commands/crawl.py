"""`scrapy crawl`, with an exit status that says whether the run did its job.

Scrapy's own command exits 0 whatever the crawl found. Cron and Scrapyd (whose runner runs
this same command with the project's settings) learn of trouble only from the status, so:

  0  the crawl ran; its report is in data/<site>/reports/
  1  the crawl could not start or failed (Scrapy's own status), e.g. another crawl of the
     same site holds its state
  2  a spider argument, the spider's name or a setting cannot be used (bad or reversed dates,
     unknown source, malformed NEWSBOT_COVERAGE_FLOOR, a CSV feed, ...); nothing was fetched
  3  field coverage fell below NEWSBOT_COVERAGE_FLOOR: the site's layout has probably changed
  4  the crawl state could not be written; the crawl stopped
  5  the site is not on the IranSamaneh CMS: `scrapy crawl iransamaneh` checks its home page
     before anything else (newsbot.crawl.family); nothing else was fetched
  6  no page of the site could be fetched (unreachable, DNS, every page refused: 403, 5xx)
  7  a start page failed: the home page, a feed or the archive's first page gave no page, or
     not the page expected (a home page that is not a front page, a feed without articles)
  8  the crawl state was filled from another host (newsbot.state.store); nothing was fetched

A crawl that could not start says why in one line (no traceback), through Scrapy's logging,
so that a Scrapyd job's log has it too; one that ran ends its log with the crawl report's
summary and its status (newsbot.crawl.report). `scrapy crawl -h` lists the spider arguments.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import textwrap
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from scrapy.commands import ScrapyHelpFormatter, crawl
from scrapy.exceptions import UsageError
from scrapy.utils.job import job_dir
from twisted.python.failure import Failure

from newsbot.crawl.arguments import SpiderArgumentError, argument_help
from newsbot.crawl.config import SettingError
from newsbot.crawl.feeds import csv_feed_refusal
from newsbot.state.store import (
    EXIT_ANOTHER_HOST,
    EXIT_STATE_ERROR,
    StateLocked,
    StateNotWritable,
    StateOfAnotherHost,
    StateStoreError,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

EXIT_BAD_ARGUMENT = 2
# Why a crawl could not start, and its exit status; anything else is a bug, with its traceback.
_REFUSALS: tuple[tuple[type[Exception], int], ...] = (
    (SpiderArgumentError, EXIT_BAD_ARGUMENT),
    (SettingError, EXIT_BAD_ARGUMENT),
    (StateNotWritable, EXIT_STATE_ERROR),
    (StateOfAnotherHost, EXIT_ANOTHER_HOST),
    (StateLocked, 1),
    (StateStoreError, 1),
)


class Command(crawl.Command):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.epilog = spider_argument_help()
        parser.formatter_class = _KeepEpilogLines

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Scrapy 2.13's crawl command, keeping the crawler to read its verdict afterwards (Scrapy
        # has no hook for it); tests/test_scrapy_compat.py fails when Scrapy's own changes.
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        spiders = sorted(self.crawler_process.spider_loader.list())
        if args[0] not in spiders:
            self._refuse(
                EXIT_BAD_ARGUMENT, f"unknown spider {args[0]!r}; the spiders: {', '.join(spiders)}"
            )
            return
        assert self.settings is not None
        csv_refusal = csv_feed_refusal(self.settings.getdict("FEEDS"))
        if csv_refusal:
            self._refuse(EXIT_BAD_ARGUMENT, csv_refusal)
            return
        crawl_defer = self.crawler_process.crawl(args[0], **opts.spargs)
        crawlers: list[Crawler] = list(self.crawler_process.crawlers)
        failure = getattr(crawl_defer, "result", None)
        if isinstance(failure, Failure) and issubclass(cast(type, failure.type), Exception):
            crawl_defer.addErrback(lambda _: None)  # reported here, not as an unhandled error
            for error, status in _REFUSALS:
                if isinstance(failure.value, error):
                    self._refuse(status, str(failure.value))
                    return
            self._refuse(1, failure.getTraceback())
            return
        _explain_the_first_stop(crawlers)
        self.crawler_process.start()
        reported = 0
        for crawler in crawlers:
            if crawler.stats is not None:
                reported = max(reported, int(crawler.stats.get_value("newsbot/exit_status", 0)))
        failed = self.crawler_process.bootstrap_failed or getattr(
            self.crawler_process, "has_exception", False
        )
        self.exitcode = max(self.exitcode, reported, 1 if failed else 0)
        if self.exitcode != reported:
            logger.error(
                "scrapy crawl: error: the crawl failed (see the errors above) (exit status %s)",
                self.exitcode,
            )

    def _refuse(self, status: int, reason: str) -> None:
        """The crawl cannot start: one line in the log (a Scrapyd job's log too), and on
        stderr when the log goes elsewhere."""
        assert self.settings is not None
        logger.error("scrapy crawl: error: %s (exit status %s)", reason, status)
        if not _logs_to_stderr(self.settings):
            print(f"scrapy crawl: error: {reason} (exit status {status})", file=sys.stderr)
        self.exitcode = status


def spider_argument_help(width: int = 78) -> str:
    """The spider arguments and their help, from newsbot.crawl.arguments' model."""
    arguments = argument_help()
    column = max(map(len, arguments)) + 4
    lines = ["Spider arguments (-a NAME=VALUE):", ""]
    for name, help_text in arguments.items():
        lines += textwrap.wrap(
            help_text,
            width,
            initial_indent=f"  {name:<{column - 2}}",
            subsequent_indent=" " * column,
        )
    return "\n".join(lines)


class _KeepEpilogLines(ScrapyHelpFormatter):
    """Scrapy's help formatter, leaving the argument table's lines as they are."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "".join(indent + line for line in text.splitlines(keepends=True))


def _logs_to_stderr(settings: BaseSettings) -> bool:
    return settings.getbool("LOG_ENABLED") and not settings.get("LOG_FILE")


def _explain_the_first_stop(crawlers: list[Crawler]) -> None:
    """On the first Ctrl-C (or SIGTERM), after Scrapy's "Send again to force", say what
    stopping cleanly does and how long it takes, and that a second one loses the resume."""
    from twisted.internet import reactor

    def wrap_handlers() -> None:  # Scrapy installs its handlers once the reactor has started
        for signum in (signal.SIGINT, signal.SIGTERM):
            scrapys = signal.getsignal(signum)
            if callable(scrapys):
                signal.signal(signum, partial(_first_stop, scrapys, crawlers))

    reactor.callWhenRunning(reactor.callLater, 0, wrap_handlers)  # type: ignore[attr-defined]


def _first_stop(scrapys: Any, crawlers: list[Crawler], signum: int, frame: Any) -> None:
    scrapys(signum, frame)  # stops gracefully, and takes the next signal itself
    for crawler in crawlers:
        logger.warning("%s", stop_notice(crawler))


def stop_notice(crawler: Crawler) -> str:
    """What stopping cleanly does to this crawl, and about how long it will take."""
    settings = crawler.settings
    slots = crawler.engine.downloader.slots.values() if crawler.engine else ()
    in_flight = sum(len(slot.active) for slot in slots)
    # The requests handed to the downloader are all fetched, a slot with a delay sending one
    # every `delay` seconds whatever its concurrency; then the scraper, the feeds and the state
    # finish, in about a second.
    seconds = 1 + max((len(slot.queue) * slot.delay for slot in slots), default=0)
    jobdir = job_dir(settings)
    then = (
        f"the next run with JOBDIR={jobdir} goes on from here"
        if jobdir
        else "without JOBDIR the next run starts over and skips the articles already emitted"
    )
    return (
        f"Stopping cleanly: the {in_flight} requests in flight finish first (about "
        f"{seconds:.0f} s at the current delay, up to DOWNLOAD_TIMEOUT="
        f"{settings.getint('DOWNLOAD_TIMEOUT')} s more for a slow page), then the feeds are "
        f"closed and the crawl state saved; {then}. A second Ctrl-C stops at once: nothing "
        "emitted is lost, but the run cannot be resumed."
    )
