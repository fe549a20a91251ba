"""The two record types newsbot emits, as Scrapy items.

Field names and meanings are the product's public format: README.md documents them and
newsbot/schema/records.schema.json checks every emitted record against them.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, NotRequired, TypedDict

ListKind = Literal["latest", "most_viewed", "most_discussed"]
# How exact published_at is: the page showed a day only, a time to the minute, or seconds too.
Precision = Literal["day", "minute", "second"]
# The desk (news room) of the main site, and of every site without provincial desks. A desk
# numbers its articles itself: an article is known by (desk, news id), never by its id alone.
MAIN_DESK = "www"


def utc_now() -> str:
    """The time records are stamped with (crawled_at, captured_at): UTC, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Image(TypedDict):
    url: str
    alt: str | None


class ListingEntry(TypedDict):
    rank: int
    # The desk of the entry's URL: set with the listing's (newsbot.extract.frontpage).
    desk: NotRequired[str]
    news_id: int | None  # None only before validation, which refuses it by name
    url: str
    # The site's own URL of the article (newsbot.sites.urls.canonical_url); None for a link to
    # another site.
    canonical_url: str | None
    title: str
    comment_count: int | None


@dataclass(kw_only=True)
class Article:
    """One news article as its page shows it; the pipelines normalise and date it."""

    type: Literal["article"] = field(default="article", init=False)
    site: str
    # The news room whose article it is (newsbot.sites.urls.desk_of): `www`, or a provincial
    # desk such as `yazd`.
    desk: str = MAIN_DESK
    url: str
    # The site's own https URL of the article, whatever mirror, port or form `url` has
    # (newsbot.sites.urls.canonical_url); None only without a news id, which validation refuses.
    canonical_url: str | None
    news_id: int | None  # None only before validation, which refuses it by name
    # 1 for the first version emitted; n + 1 when a refresh finds title, lead or body changed.
    revision: int = 1
    title: str
    kicker: str | None
    lead: str | None
    body: str
    section: list[str]
    tags: list[str]
    published_at_raw: str | None
    views: int | None
    comment_count: int | None
    images: list[Image]
    crawled_at: str
    published_at: str | None = None
    published_at_jalali: str | None = None
    # published_at in UTC (…Z) for tools that want one time zone; None when only a day is known.
    published_at_utc: str | None = None
    published_precision: Precision | None = None


@dataclass(kw_only=True)
class Listing:
    """A snapshot of one ranked list block (latest, most viewed, most discussed) on one page."""

    type: Literal["listing"] = field(default="listing", init=False)
    site: str
    # The desk whose page the list is on.
    desk: str = MAIN_DESK
    list: ListKind
    block: str
    page_url: str
    captured_at: str
    # builtins: the field `list` above shadows the type inside this class body.
    entries: builtins.list[ListingEntry]


class ArticleKeys:
    """A set of articles by (desk, news id), held as one set of ids per desk: a long crawl's
    sets hold an entry per article, and a set of (desk, id) tuples would take twice the
    memory of the ids alone."""

    def __init__(self) -> None:
        self._ids: dict[str, set[int]] = {}

    def add(self, desk: str, news_id: int) -> None:
        self._ids.setdefault(desk, set()).add(news_id)

    def __contains__(self, key: tuple[str, int]) -> bool:
        desk, news_id = key
        return news_id in self._ids.get(desk, ())
