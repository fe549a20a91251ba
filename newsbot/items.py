"""The record types newsbot emits, as Scrapy items: articles, listing snapshots, comments.

Field names and meanings are the product's public format: README.md documents them and
newsbot/schema/records.schema.json checks every emitted record against them.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal, NotRequired, TypedDict

from pyroaring import BitMap

# The largest id a roaring bitmap (pyroaring.BitMap) holds: 32 bits.
MAX_BITMAP_ID = 2**32 - 1
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


def _article_field(
    *, required: bool = False, coverage: int = 0, dated_from: str | None = None
) -> dict[str, Any]:
    """The metadata of a field the article page gives (`newsbot profile check` shows each).

    `required`: a record without it is dropped as `missing_<name>` (newsbot.extract.records).
    `coverage`: the crawl report measures the share of article pages that have it, and
    NEWSBOT_COVERAGE_FLOOR may name it; 1 for what an article cannot do without (listed first),
    2 for the rest. `dated_from`: the field the pipelines compute it from, which the parser
    read; without it, the parser reads the field itself (newsbot.extract.article).
    """
    return {"page": True, "required": required, "coverage": coverage, "read_as": dated_from}


# The metadata of a field the crawl fills, not the page.
_CRAWLS_OWN = {"page": False, "required": False, "coverage": 0, "read_as": None}
# The metadata of a field read from the page with the body (its blocks, the related news), not
# field by field: `newsbot profile check` does not show it, the report does not measure it.
_READ_WHOLE = _CRAWLS_OWN


@dataclass(kw_only=True)
class Article:
    """One news article as its page shows it; the pipelines normalise and date it.

    The order of the fields is the order of a record's keys in the feeds.
    """

    type: Literal["article"] = field(default="article", init=False, metadata=_CRAWLS_OWN)
    site: str = field(metadata=_CRAWLS_OWN)
    # The news room whose article it is (newsbot.sites.urls.desk_of): `www`, or a provincial
    # desk such as `yazd`.
    desk: str = field(default=MAIN_DESK, metadata=_CRAWLS_OWN)
    url: str = field(metadata=_CRAWLS_OWN)
    # The site's own https URL of the article, whatever mirror, port or form `url` has
    # (newsbot.sites.urls.canonical_url); None only without a news id, which validation refuses.
    canonical_url: str | None = field(metadata=_CRAWLS_OWN)
    # None only before validation, which refuses it by name
    news_id: int | None = field(metadata=_article_field(required=True, coverage=1))
    # 1 for the first version emitted; n + 1 when a refresh finds title, lead or body changed.
    revision: int = field(default=1, metadata=_CRAWLS_OWN)
    title: str = field(metadata=_article_field(required=True, coverage=1))
    kicker: str | None = field(metadata=_article_field(coverage=2))
    lead: str | None = field(metadata=_article_field(coverage=2))
    body: str = field(metadata=_article_field(required=True, coverage=1))
    # The body as typed blocks in page order (newsbot.extract.body); `body` stays its plain text.
    body_blocks: list[BodyBlock] = field(default_factory=list, metadata=_READ_WHOLE)
    section: list[str] = field(metadata=_article_field(coverage=2))
    tags: list[str] = field(metadata=_article_field(coverage=2))
    # The news ids of the page's «اخبار مرتبط» block.
    related: list[int] = field(default_factory=list, metadata=_READ_WHOLE)
    published_at_raw: str | None = field(metadata=_article_field())
    views: int | None = field(metadata=_article_field(coverage=2))
    comment_count: int | None = field(metadata=_article_field(coverage=2))
    images: list[Image] = field(metadata=_article_field(coverage=2))
    crawled_at: str = field(metadata=_CRAWLS_OWN)
    published_at: str | None = field(
        default=None, metadata=_article_field(coverage=1, dated_from="published_at_raw")
    )
    published_at_jalali: str | None = field(
        default=None, metadata=_article_field(dated_from="published_at_raw")
    )
    # published_at in UTC (…Z) for tools that want one time zone; None when only a day is known.
    published_at_utc: str | None = field(
        default=None, metadata=_article_field(dated_from="published_at_raw")
    )
    published_precision: Precision | None = field(
        default=None, metadata=_article_field(dated_from="published_at_raw")
    )


# The article fields by their metadata, for every part that lists them: every field of a record
# (the JSON Schema agrees: tests/test_items.py), those the page gives (`newsbot profile check`),
# those the parser reads, each from one level, and the fields computed from one of them, those a
# record cannot go without, and those the crawl report measures, first rank first.
ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
PAGE_FIELDS = tuple(f.name for f in fields(Article) if f.metadata["page"])
READ_FIELDS = tuple(
    f.name for f in fields(Article) if f.metadata["page"] and not f.metadata["read_as"]
)
READ_AS: dict[str, str] = {
    f.name: f.metadata["read_as"] for f in fields(Article) if f.metadata["read_as"]
}
REQUIRED_FIELDS = tuple(f.name for f in fields(Article) if f.metadata["required"])
COVERAGE_FIELDS = tuple(
    f.name
    for f in sorted(fields(Article), key=lambda f: f.metadata["coverage"])
    if f.metadata["coverage"]
)


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
