"""The spider for any site of the IranSamaneh family: `scrapy crawl iransamaneh -a site=<host>`.

The site is a catalog name or a host (newsbot.sites.catalog): a site with a profile of its own is
crawled with it, any other with the CMS defaults on its hosts; the crawl is then the site
spiders' own (NewsSiteSpider), with all their arguments, and writes under the site's name
(`data/aftabnews/`, `aftabnews` in every record), so `-a site=tabnak.ir` is `scrapy crawl tabnak`.

Before anything else is requested, the home page is checked for the CMS's marks
(newsbot.extract.cms). A site that is not on the CMS ends the crawl at once, with exit status 5
(newsbot.commands.crawl), the report's status `not_on_cms`, and one line saying what its home page
shows instead: its pages would only give a run of empty records.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from newsbot.crawl.arguments import FamilyArguments, SpiderArgumentError
from newsbot.crawl.downloads import failure_reason, page_problem
from newsbot.crawl.kinds import PageKind
from newsbot.crawl.report import EXIT_NOT_ON_CMS, STATUS_NAMES
from newsbot.crawl.spider import NewsSiteSpider
from newsbot.extract.cms import CmsEvidence, detect_cms
from newsbot.extract.reasons import DropReason
from newsbot.items import Listing
from newsbot.scale.splash_rendering import page_url
from newsbot.sites.catalog import family_profile

logger = logging.getLogger(__name__)

NOT_ON_CMS = STATUS_NAMES[EXIT_NOT_ON_CMS]
# Request meta: the home page, fetched alone before anything else for the CMS check.
_CMS_CHECK = "newsbot_cms_check"


class FamilySpider(NewsSiteSpider):
    """Spider arguments: `site`, a catalog name (aftabnews) or a host (aftabnews.ir,
    www.aftabnews.ir), required; and every argument of the site spiders (NewsSiteSpider).
    The site is read first: it names the crawl, its messages included, and its profile gives
    the other arguments' defaults (newsbot.crawl.arguments.FamilyArguments)."""

    arguments_model = FamilyArguments

    def __init__(self, *args: Any, site: str | None = None, **kwargs: Any) -> None:
        if not site:
            raise SpiderArgumentError(
                f"{self.name}: the spider argument site is missing: -a site=<a host or a known "
                "site's name>, e.g. -a site=aftabnews.ir"
            )
        try:
            self.profile = family_profile(site)
        except ValueError as error:
            raise SpiderArgumentError(f"{self.name}: {error}") from error
        # Records, feeds, reports and the crawl state are the site's, as with its own spider.
        self.name = self.profile.name
        super().__init__(*args, site=site, **kwargs)
        # What the home page showed of the CMS, once it was read.
        self.cms: CmsEvidence | None = None

    async def start(self) -> AsyncIterator[scrapy.Request]:
        home = self._request(self.scope.home_url, self.parse_front, PageKind.FRONT)
        yield home.replace(callback=self.parse_home, meta={**home.meta, _CMS_CHECK: True})

    async def parse_home(self, response: Response) -> AsyncIterator[Listing | scrapy.Request]:
        """The home page, checked for the CMS: on it, the crawl goes on as the site spiders'
        (the page read as a front page when front pages are a source); not on it, it ends."""
        page = page_problem(response, whole=False)
        if isinstance(page, DropReason):
            self._skip(response.url, page, PageKind.FRONT)
            self._cannot_check(page)
            return
        self.cms = evidence = detect_cms(page.text, page.url)
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("newsbot/cms", evidence.as_record())
        line = evidence.verdict(self.site_label())
        if not evidence.on_cms:
            logger.error("%s. The crawl ends here.", line)
            exit_status = max(stats.get_value("newsbot/exit_status", 0), EXIT_NOT_ON_CMS)
            stats.set_value("newsbot/exit_status", exit_status)
            raise CloseSpider(NOT_ON_CMS)
        logger.log(logging.WARNING if evidence.by_links_alone else logging.INFO, line)
        if "front" in self.sources:
            for output in self.parse_front(response):
                yield output
        else:
            self._count("pages/cms_check")
        # Then what the site spiders start with, but the home page, already read.
        async for request in super().start():
            if page_url(request) != self.scope.home_url:
                yield request

    def page_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        yield from super().page_failed(failure)
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        if request.meta.get(_CMS_CHECK):
            self._cannot_check(failure_reason(failure))

    def _cannot_check(self, reason: str) -> None:
        logger.error(
            "Cannot tell whether %s is on the IranSamaneh CMS: its home page gave %s. "
            "Nothing else is fetched.",
            self.site_label(),
            reason,
        )

    def site_label(self) -> str:
        """The site's host, and the mirror's address when it is crawled from one."""
        host = urlsplit(self.profile.home_url).hostname or self.profile.name
        return f"{host} (at {self.scope.base_url})" if self.scope.base_url else host
