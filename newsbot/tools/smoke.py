"""`newsbot smoke SITE...`: does newsbot read these sites as they are today?

For users who can reach the sites. Each site gets a crawl cut down to its home page, the first
section page the home page links and the five newest articles it links (the highest news ids:
ids grow with time), run through the real machinery: the family spider (the CMS check first),
Scrapy's downloader with robots.txt and the download delay of the settings, the parser, the
pipelines and the crawl report. Nothing is kept: no crawl state, and feeds and reports go to a
temporary folder. Then one table, a column per site (with the fields a fallback rather than
the profile read: an early sign of a redesign), and exit status 1 when a site failed:
not on the CMS, its home page not read, no list on it or no section linked, no article read,
or field coverage below NEWSBOT_COVERAGE_FLOOR.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Response
from scrapy.settings import Settings
from twisted.python.failure import Failure

from newsbot.crawl.family import FamilySpider
from newsbot.crawl.kinds import KIND, PageKind
from newsbot.items import COVERAGE_FIELDS, Listing
from newsbot.scale.splash_rendering import page_url
from newsbot.sites.catalog import family_profile, has_own_profile
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import news_id_from_url, validate_base_url

ARTICLES = 5
# Request meta: the section page, whose links are not followed.
_SECTION = "newsbot_smoke_section"
# Settings of every smoke run (-s still wins): nothing kept, coverage judged on a few pages,
# and the crawl's own log only for what went wrong.
_SMOKE_SETTINGS = {
    "NEWSBOT_STATE_ENABLED": False,
    "NEWSBOT_COVERAGE_MIN_ARTICLES": 1,
    "LOG_LEVEL": "WARNING",
}
# A smoke run never joins Redis workers, whatever the environment says.
_REDIS_ADDON = "newsbot.scale.redis_workers.RedisAddon"


class SmokeSpider(FamilySpider):
    """The family spider, limited to the home page, one section page and the five newest
    articles the home page links."""

    name = "smoke"
    section_url: str | None = None

    def parse_front(self, response: Response) -> Iterator[Listing | scrapy.Request]:
        outputs = list(super().parse_front(response))
        yield from (output for output in outputs if isinstance(output, Listing))
        if response.meta.get(_SECTION):
            return
        requests = [output for output in outputs if isinstance(output, scrapy.Request)]
        sections = [r for r in requests if r.meta.get(KIND) == PageKind.FRONT]
        if sections:
            self.section_url = page_url(sections[0])
            yield sections[0].replace(meta={**sections[0].meta, _SECTION: True})
        # One request per article (a page links one under several URLs), the newest first.
        articles: dict[int, scrapy.Request] = {}
        for request in requests:
            news_id = news_id_from_url(page_url(request))
            if request.meta.get(KIND) == PageKind.ARTICLE and news_id is not None:
                articles.setdefault(news_id, request)
        yield from (articles[news_id] for news_id in sorted(articles, reverse=True)[:ARTICLES])


@dataclass
class SiteSmoke:
    """One site's smoke run: what was asked, and what its crawl gave."""

    site: str
    profile: SiteProfile
    base_url: str | None
    crawler: Crawler
    listings: list[Listing] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    # Why the crawl could not run at all (a setting it cannot use, say).
    error: str | None = None

    @property
    def spider(self) -> SmokeSpider:
        spider = self.crawler.spider
        assert isinstance(spider, SmokeSpider)
        return spider

    def problems(self) -> list[str]:
        """Why the site failed; empty when it passed."""
        if self.error is not None:
            return [f"the crawl could not run: {self.error}"]
        cms = self.spider.cms
        if cms is None:
            return ["its home page was not read"]
        if not cms.on_cms:
            return ["not on the IranSamaneh CMS"]
        found = []
        if not self._lists(home=True):
            found.append("no list on the home page")
        if self.spider.section_url is None:
            found.append("no section page linked from the home page")
        coverage = self.report["coverage"]
        if not coverage["article_pages"]:
            found.append("no article page read")
        below = coverage["below_floor"]
        if below:
            shares = ", ".join(
                f"{name} {share:.0%} < {coverage['floor'][name]:.0%}"
                for name, share in below.items()
            )
            found.append(f"field coverage below the floor: {shares}")
        return found

    def column(self) -> dict[str, str]:
        """The site's cells of the table, by row."""
        cms = None if self.error is not None else self.spider.cms
        cells = {
            "CMS": "unknown" if cms is None else "yes" if cms.on_cms else "no",
            "theme": theme_label(self.profile),
        }
        if cms is None or not cms.on_cms:
            return cells
        section = self.spider.section_url
        coverage = self.report["coverage"]
        pages = coverage["article_pages"]
        cells |= {
            "home page lists": list_sizes(self._lists(home=True)),
            "section page": section_path(section) if section else "none linked",
            "section page lists": list_sizes(self._lists(home=False)) if section else "",
            "article pages": f"{pages} read, {self.report['articles']['emitted']} emitted",
        }
        for name in COVERAGE_FIELDS:
            share = coverage["fields"].get(name, 0.0)
            cells[name] = f"{round(share * pages)}/{pages}" if pages else ""
        cells["read by fallbacks"] = fallback_reads(coverage["read_by"], pages) if pages else ""
        return cells

    def failed(self, failure: Failure) -> None:
        self.error = failure.getErrorMessage()

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, Listing):
            self.listings.append(item)

    def _lists(self, *, home: bool) -> list[Listing]:
        home_url = self.spider.scope.home_url
        return [x for x in self.listings if (x.page_url == home_url) == home]


def theme_label(profile: SiteProfile) -> str:
    """Which markup the site is read with: its own profile's current theme, or the CMS's."""
    if not has_own_profile(profile):
        return "CMS defaults (no profile)"
    since = f" since {profile.earlier_themes[-1].valid_until}" if profile.earlier_themes else ""
    return f"{profile.name} profile, current theme{since}"


def list_sizes(listings: list[Listing]) -> str:
    """`latest 4+15, most_viewed 10`: each list's entries, per block, in page order."""
    sizes: dict[str, list[str]] = {}
    for listing in listings:
        sizes.setdefault(listing.list, []).append(str(len(listing.entries)))
    return ", ".join(f"{kind} {'+'.join(counts)}" for kind, counts in sizes.items()) or "none"


def fallback_reads(read_by: dict[str, dict[str, int]], pages: int) -> str:
    """`title: family 2/5; news_id: url 5/5`: per field, on how many of the article pages a
    level other than the profile read it (the crawl report's coverage.read_by); `none` when
    the profile read every field."""
    fields = []
    for name, levels in read_by.items():
        counts = [
            f"{level} {count}/{pages}"
            for level, count in levels.items()
            if level != "profile" and count
        ]
        if counts:
            fields.append(f"{name}: {', '.join(counts)}")
    return "; ".join(fields) or "none"


def section_path(url: str) -> str:
    """A section page's URL without its scheme and host, as its menu link shows it."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def smoke(sites: list[str], *, base_urls: list[str], settings: list[str]) -> int:
    """Run the smoke test of `sites` (names or hosts; the nth base URL, if given, serves the
    nth site) with Scrapy settings `NAME=VALUE`; print the table; return the exit status."""
    try:
        runs = _plan(sites, base_urls)
        overrides = dict(_setting(text) for text in settings)
    except ValueError as error:
        print(f"newsbot smoke: error: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="newsbot-smoke-") as data_dir:
        process = CrawlerProcess(_settings(Path(data_dir), overrides))
        smokes = []
        for site, profile, base_url in runs:
            crawler = process.create_crawler(SmokeSpider)
            run = SiteSmoke(site, profile, base_url, crawler)
            crawler.signals.connect(run.item_scraped, signal=signals.item_scraped)
            crawl = process.crawl(crawler, site=site, base_url=base_url, sources="front")
            crawl.addErrback(run.failed)
            smokes.append(run)
        process.start()
        for run in smokes:
            if run.error is None:
                [report] = (Path(data_dir) / run.profile.name / "reports").glob("*.json")
                run.report = json.loads(report.read_text(encoding="utf-8"))
    print(table(smokes))
    failed = False
    for run in smokes:
        cms = None if run.error is not None else run.spider.cms
        if cms is not None:
            print(cms.verdict(run.spider.site_label()))
        problems = run.problems()
        if problems:
            failed = True
            print(f"{run.site}: FAILED: {'; '.join(problems)}")
    return 1 if failed else 0


def table(smokes: list[SiteSmoke]) -> str:
    """The smoke table: a row per fact, a column per site."""
    columns = [{"site": run.site, **run.column(), "result": _result(run)} for run in smokes]
    rows = list(dict.fromkeys(label for column in columns for label in column))
    lines = [[label, *(column.get(label, "") for column in columns)] for label in rows]
    widths = [max(len(line[index]) for line in lines) for index in range(len(lines[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _result(run: SiteSmoke) -> str:
    return "FAILED" if run.problems() else "ok"


def _plan(sites: list[str], base_urls: list[str]) -> list[tuple[str, SiteProfile, str | None]]:
    if base_urls and len(base_urls) != len(sites):
        raise ValueError(
            f"{len(base_urls)} --base-url for {len(sites)} sites: give one per site, in order"
        )
    runs = []
    names: set[str] = set()
    for index, site in enumerate(sites):
        profile = family_profile(site)
        if profile.name in names:
            raise ValueError(f"site {site!r} is given twice (as {profile.name})")
        names.add(profile.name)
        base_url = validate_base_url(base_urls[index]) if base_urls else None
        runs.append((site, profile, base_url))
    return runs


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValueError(f"-s {text!r}: expected NAME=VALUE")
    return name.strip(), value


def _settings(data_dir: Path, overrides: dict[str, str]) -> Settings:
    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    for name, value in _SMOKE_SETTINGS.items():
        settings.set(name, value, priority="project")
    settings.set("NEWSBOT_DATA_DIR", str(data_dir), priority="project")
    settings.set("ADDONS", {**settings.getdict("ADDONS"), _REDIS_ADDON: None}, priority="project")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings
