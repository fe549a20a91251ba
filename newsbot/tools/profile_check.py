"""What a site's profile finds on given pages: the engine of `newsbot profile check`, and the
yardstick of the per-site fixture tests and of benchmarks/site_coverage.py.

A page is read exactly as a crawl reads it (parser, normalisation, dating) into *facts*: plain
JSON values. An article's facts are its record's fields; a front page's are its lists (block,
kind, entries), its menu links, the sections among them and the ids of the articles it links;
a site's page for an article it does not have gives only that reason (`not_article`).
Expected facts (tests/sites/**/*.json) have the same shape and may say less: a list entry may
give only its news_id, and a text ending in «…» gives only how the value starts.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

# The robots.txt parser of Scrapy's RobotsTxtMiddleware (a Scrapy dependency): the check reads
# robots.txt as a crawl does.
from protego import Protego
from w3lib.url import safe_url_string

from newsbot import __version__
from newsbot.extract.anypage import read_any_page
from newsbot.extract.article import FieldSource, NotAnArticle, canonical_url
from newsbot.extract.frontpage import FrontPage
from newsbot.extract.reasons import DropReason
from newsbot.extract.records import dated_article, normalized_article, normalized_listing
from newsbot.items import PAGE_FIELDS, READ_AS, REQUIRED_FIELDS, ListKind
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import article_copy_kind, news_id_from_url
from newsbot.text.jalali import JalaliDateError

# Every front page is expected to show all three lists (a present but empty list counts).
LIST_KINDS: tuple[ListKind, ...] = ("latest", "most_viewed", "most_discussed")
PREFIX_MARK = "…"
_SHORT = 60
USER_AGENT = f"newsbot/{__version__}"

Status = Literal["found", "absent", "MISSING"]


@dataclass(frozen=True)
class Check:
    """One line of a check: a field or list, whether the profile found it, and a short value."""

    name: str
    status: Status
    value: str = ""


@dataclass(frozen=True)
class PageReading:
    """What the profile found on one page."""

    kind: Literal["article", "front", "not an article"]
    url: str
    facts: dict[str, Any]
    checks: list[Check] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [check.name for check in self.checks if check.status == "MISSING"]

    def report(self) -> Iterator[str]:
        yield f"  {self.kind}  {self.url}"
        for check in self.checks:
            yield f"  {check.status:<8} {check.name:<20} {check.value}".rstrip()


def read_page(
    page: str, url: str, profile: SiteProfile, *, now: str, served_on: date | None = None
) -> PageReading:
    """Read a page as a crawl would. It is an article when its URL is an article's or when it
    has article markup; print, send, save and report pages are recognised and not read.
    Each field found says which level read it: the profile, a family fallback, the page's
    metadata or the URL (newsbot.sites.family)."""
    copy_kind = article_copy_kind(url)
    if copy_kind:
        note = Check("article copy", "found", f"{copy_kind} page: skipped, never emitted")
        return PageReading("not an article", url, {}, [note])
    try:
        reading = read_any_page(page, url, profile, now=now, served_on=served_on)
    except NotAnArticle as error:
        if error.reason == DropReason.MISSING_ARTICLE:
            note = Check("missing article", "found", "the site's page for an unknown article")
            return PageReading("not an article", url, {"not_article": error.reason}, [note])
        return PageReading("article", url, {}, [Check("article markup", "MISSING")])
    if isinstance(reading, FrontPage):
        return _read_front_page(reading, url)
    article = normalized_article(reading.article)
    date_problem = ""
    try:
        article = dated_article(article)
    except JalaliDateError as error:
        date_problem = str(error)
    facts = {name: getattr(article, name) for name in PAGE_FIELDS}
    checks = [
        _field_check(name, value, reading.sources.get(READ_AS.get(name, name)))
        for name, value in facts.items()
    ]
    if date_problem:
        checks.append(Check("date", "absent", date_problem))
    return PageReading("article", url, {"article": facts}, checks)


def _read_front_page(front: FrontPage, url: str) -> PageReading:
    listings = [normalized_listing(listing) for listing in front.listings]
    article_ids = list(dict.fromkeys(map(news_id_from_url, front.article_urls)))
    facts = {
        "lists": [
            {
                "block": listing.block,
                "list": listing.list,
                "entries": [
                    {key: entry[key] for key in ("news_id", "title", "comment_count")}
                    for entry in listing.entries
                ],
            }
            for listing in listings
        ],
        "menu_urls": front.menu_urls,
        "section_urls": front.section_urls,
        "article_ids": article_ids,
    }
    checks = [
        Check(
            "menu",
            "found" if front.section_urls else "MISSING",
            f"{len(front.menu_urls)} links, {len(front.section_urls)} to front pages",
        )
    ]
    for kind in LIST_KINDS:
        blocks = [f"{x.block}: {len(x.entries)}" for x in listings if x.list == kind]
        checks.append(Check(kind, "found" if blocks else "MISSING", ", ".join(blocks)))
    checks.append(Check("article links", "found", str(len(article_ids))))
    return PageReading("front", url, {"front": facts}, checks)


def _field_check(name: str, value: Any, source: FieldSource | None) -> Check:
    if value in (None, "", []):
        return Check(name, "MISSING" if name in REQUIRED_FIELDS else "absent")
    # Which level read the field: the profile, a family fallback, the page's metadata, the URL.
    read_by = ""
    if source is not None:
        read_by = f"  [{source.level}{'' if source.level == 'profile' else ': ' + source.via}]"
    if name == "body":
        paragraphs = value.split("\n\n")
        count = f"{len(paragraphs)} paragraph" + ("s" if len(paragraphs) > 1 else "")
        return Check(name, "found", f"{count}: {_short(paragraphs[0])}{read_by}")
    if name == "images":
        return Check(name, "found", f"{len(value)}: {_short(value[0]['url'])}{read_by}")
    if isinstance(value, list):
        return Check(name, "found", f"{len(value)}: {_short('، '.join(value))}{read_by}")
    return Check(name, "found", _short(str(value)) + read_by)


def _short(text: str) -> str:
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + PREFIX_MARK


class DisallowedByRobots(ValueError):
    """The site's robots.txt does not let newsbot fetch the page."""


def load_page(source: str, profile: SiteProfile, *, url: str | None = None) -> tuple[str, str]:
    """A page and its URL, from an http(s) URL fetched with a plain GET once the site's
    robots.txt allows it (DisallowedByRobots if not), or from a file read at `url`, else at its
    canonical URL, else at the site's home page."""
    if source.startswith(("http://", "https://")):
        # Percent-encoded as a browser would send it: slugs are Persian.
        page_url = safe_url_string(source)
        if not robots_allow(page_url):
            raise DisallowedByRobots(f"the site's robots.txt disallows {source}: not fetched")
        request = urllib.request.Request(page_url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=30) as response:
            charset = response.headers.get_content_charset() or "utf-8"
            return response.read().decode(charset, errors="replace"), response.geturl()
    page = Path(source).read_text(encoding="utf-8")
    return page, url or canonical_url(page) or profile.home_url


def robots_allow(url: str) -> bool:
    """Whether the robots.txt of `url`'s site lets newsbot fetch it. As in a crawl, a site
    without one (4xx) allows everything; one that cannot be read (5xx, no answer) raises
    OSError: the page is not fetched either."""
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    request = urllib.request.Request(robots_url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            rules = response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500:
            return True
        raise OSError(f"{robots_url} answered {error.code}: the page is not fetched") from error
    return bool(Protego.parse(rules).can_fetch(url, USER_AGENT))


@dataclass(frozen=True)
class FieldScore:
    """How one expected fact came out: `expected` is False for an expected absence (null,
    empty), `found` when the parser gave a value, `correct` when it gave the expected one."""

    name: str
    expected: bool
    found: bool
    correct: bool


def score(facts: dict[str, Any], expected: dict[str, Any]) -> list[FieldScore]:
    """Score a page's facts against its expected facts, one FieldScore per expected field
    (article) or per expected list, menu, section list and article-id list (front page), or
    the one reason a page is no article (`not_article`)."""
    if "not_article" in expected:
        return [_score("not_article", facts.get("not_article"), expected["not_article"])]
    if "article" in expected:
        found = facts.get("article", {})
        return [_score(name, found.get(name), value) for name, value in expected["article"].items()]
    found_front = facts.get("front", {})
    scores = [
        _score(name, found_front.get(name), value)
        for name, value in expected["front"].items()
        if name != "lists"
    ]
    found_lists = _lists_by_key(found_front.get("lists", []))
    expected_lists = _lists_by_key(expected["front"].get("lists", []))
    for key in {**expected_lists, **found_lists}:
        found_entries, expected_entries = found_lists.get(key, []), expected_lists.get(key, [])
        for index in range(max(len(found_entries), len(expected_entries))):
            found_here = index < len(found_entries)
            expected_here = index < len(expected_entries)
            scores.append(
                FieldScore(
                    name=_list_name(key, index),
                    expected=expected_here,
                    found=found_here,
                    correct=found_here
                    and expected_here
                    and matches(found_entries[index], expected_entries[index]),
                )
            )
    return scores


def _lists_by_key(lists: list[dict[str, Any]]) -> dict[tuple[str, str], list[Any]]:
    """Each (block, list) pair's entries, in page order: a page may show a pair twice."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    for x in lists:
        grouped.setdefault((x["block"], x["list"]), []).append(x["entries"])
    return grouped


def _list_name(key: tuple[str, str], index: int) -> str:
    return f"list {key[0]} {key[1]}" + (f" #{index + 1}" if index else "")


def _score(name: str, found: Any, expected: Any) -> FieldScore:
    return FieldScore(
        name,
        expected=expected not in (None, "", []),
        found=found not in (None, "", []),
        correct=matches(found, expected),
    )


def matches(found: Any, expected: Any) -> bool:
    """Whether a found value is the expected one; expected dicts may name fewer keys, and an
    expected text ending in «…» names only the value's start."""
    if isinstance(expected, dict):
        return isinstance(found, dict) and all(
            key in found and matches(found[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(found, list)
            and len(found) == len(expected)
            and all(map(matches, found, expected))
        )
    if isinstance(expected, str) and expected.endswith(PREFIX_MARK):
        return isinstance(found, str) and found.startswith(expected.removesuffix(PREFIX_MARK))
    return bool(found == expected)
