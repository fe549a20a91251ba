"""The record types newsbot emits, as Scrapy items: articles, listing snapshots, comments.

Field names and meanings are the product's public format: README.md documents them and
newsbot/schema/records.schema.json checks every emitted record against them.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, NotRequired, TypedDict

from pyroaring import BitMap

# The largest id a roaring bitmap (pyroaring.BitMap) holds: 32 bits.
MAX_BITMAP_ID = 2**32 - 1
ListKind = Literal["latest", "most_viewed", "most_discussed"]
# How exact published_at is: the page showed a day only, a time to the minute, or seconds too.
Precision = Literal["day", "minute", "second"]
# The desk (news room) of the main site, and of every site without provincial desks. A desk
# numbers its articles itself: an article is known by (desk, news id), never by its id alone.
MAIN_DESK = "www"
# The article fields whose share of article pages the crawl report measures (newsbot.crawl.report)
# and NEWSBOT_COVERAGE_FLOOR may name.
COVERAGE_FIELDS = (
    "news_id", "title", "body", "published_at", "kicker", "lead", "section", "tags", "views",
    "comment_count", "images",
)  # fmt: skip


def utc_now() -> str:
    """The time records are stamped with (crawled_at, captured_at): UTC, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Image(TypedDict):
    url: str
    alt: str | None


class Link(TypedDict):
    """A link inside a body block: its text, its URL, and the news id when it is an article of
    the site (newsbot.extract.body)."""

    text: str
    url: str
    news_id: int | None


# A paragraph of the body typed by its markup: an intertitle (`h2`-`h6`, or a paragraph wholly in
# bold) is a heading, a `blockquote`'s paragraph a quote, an `li` a list item.
TextKind = Literal["paragraph", "heading", "quote", "list_item"]


class TextBlock(TypedDict):
    type: TextKind
    text: str
    links: list[Link]


class ImageBlock(TypedDict):
    type: Literal["image"]
    src: str
    alt: str | None
    caption: str | None


class VideoBlock(TypedDict):
    type: Literal["video"]
    src: str | None


BodyBlock = TextBlock | ImageBlock | VideoBlock


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
    # The body as typed blocks in page order (newsbot.extract.body); `body` stays its plain text.
    body_blocks: list[BodyBlock] = field(default_factory=list)
    section: list[str]
    tags: list[str]
    # The news ids of the page's «اخبار مرتبط» block.
    related: list[int] = field(default_factory=list)
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
    """A set of articles by (desk, news id), held as a compressed bitmap of ids per desk: a
    desk's ids are dense integers, a few bits each in a roaring bitmap where a Python set
    spends tens of bytes on each (a crawl of millions of ids keeps several such sets). An id
    past 32 bits, which no site numbers yet, is kept in a plain set."""

    def __init__(self) -> None:
        self._ids: dict[str, BitMap] = {}
        self._large: set[tuple[str, int]] = set()

    def add(self, desk: str, news_id: int) -> None:
        if 0 <= news_id <= MAX_BITMAP_ID:
            self._ids.setdefault(desk, BitMap()).add(news_id)
        else:
            self._large.add((desk, news_id))

    def __contains__(self, key: tuple[str, int]) -> bool:
        desk, news_id = key
        if 0 <= news_id <= MAX_BITMAP_ID:
            ids = self._ids.get(desk)
            return ids is not None and news_id in ids
        return key in self._large


@dataclass(kw_only=True)
class Comment:
    """A reader's published comment under an article, as the page shows it; the pipelines
    normalise and date it."""

    type: Literal["comment"] = field(default="comment", init=False)
    site: str
    # The news room of the article (provincial desks number their articles separately).
    desk: str
    news_id: int | None  # the article's; None only before validation, which refuses it by name
    # The page the comment was read on: the article's, or the site's comment list for it.
    url: str
    # The page's own id of the comment (digits), else `fp-` and a digest of its author, time,
    # text and parent (newsbot.extract.comments).
    comment_id: str
    parent_id: str | None
    # 1 for the first comment on the page, in page order (replies after what they answer).
    position: int
    author: str | None
    text: str
    published_at_raw: str | None
    likes: int | None
    dislikes: int | None
    crawled_at: str
    published_at: str | None = None
    published_at_jalali: str | None = None
    published_at_utc: str | None = None
    published_precision: Precision | None = None
