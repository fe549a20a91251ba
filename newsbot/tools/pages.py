"""One page → its records, exactly as a crawl makes them: the page parser (newsbot.extract),
then normalisation, dating and validation (newsbot.extract.records), without Scrapy.

Used by `newsbot extract` (saved pages and WARC files), `newsbot reparse` and
`newsbot.extract_page`.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Literal

from newsbot.extract.anypage import read_any_page
from newsbot.extract.article import ArticleReading, read_article
from newsbot.extract.comments import parse_comments
from newsbot.extract.frontpage import FrontPage, parse_front_page
from newsbot.extract.records import (
    checked_record,
    dated_article,
    dated_comment,
    normalized_article,
    normalized_comment,
    normalized_listing,
)
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import news_id_from_url
from newsbot.text.jalali import JalaliDateError

logger = logging.getLogger(__name__)

PageKind = Literal["front", "article"]


def kind_of_url(url: str) -> PageKind:
    """An article page for a URL with a news id (`/fa/news/<id>`), else a home or section page."""
    return "article" if news_id_from_url(url) is not None else "front"


def page_records(
    kind: PageKind | None,
    page: str,
    url: str,
    profile: SiteProfile,
    *,
    fetched_at: str,
    served_on: date | None = None,
) -> list[dict[str, Any]]:
    """The records a crawl emits for a page fetched at `fetched_at` (UTC, ISO 8601): an article
    page's article followed by its readers' comments, or a home or section page's listing
    snapshots (none when it has no list).
    `kind` None: told apart by markup and URL (newsbot.extract.anypage), as for a saved page.

    Raises NotAnArticle for an article page without article markup and RecordRejected for a
    record the crawl would drop (a missing title, ...). An unreadable publication date leaves
    the article undated, as in a crawl, and is logged; so does a comment's.
    """
    reading: ArticleReading | FrontPage
    if kind is None:
        reading = read_any_page(page, url, profile, now=fetched_at, served_on=served_on)
    elif kind == "front":
        reading = parse_front_page(page, url, profile, captured_at=fetched_at, served_on=served_on)
    else:
        reading = read_article(page, url, profile, crawled_at=fetched_at, served_on=served_on)
    if isinstance(reading, FrontPage):
        return [checked_record(normalized_listing(listing)) for listing in reading.listings]
    article = normalized_article(reading.article)
    try:
        article = dated_article(article)
    except JalaliDateError as error:
        logger.warning("%s: publication date left empty: %s", url, error)
    records = [checked_record(article)]
    found = parse_comments(
        page, url, profile, news_id=article.news_id, crawled_at=fetched_at, served_on=served_on
    )
    for comment in map(normalized_comment, found):
        try:
            comment = dated_comment(comment)
        except JalaliDateError as error:
            logger.warning("%s: time of comment %s left empty: %s", url, comment.position, error)
        records.append(checked_record(comment))
    return records
