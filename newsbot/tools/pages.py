"""One page → its records, exactly as a crawl makes them: the page parser (newsbot.extract),
then normalisation, dating and validation (newsbot.extract.records), without Scrapy.

Used by `newsbot.extract_page`, by `newsbot extract` on WARC files and by `newsbot reparse`.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, Literal

from newsbot.extract.article import parse_article
from newsbot.extract.frontpage import parse_front_page
from newsbot.extract.records import (
    checked_record,
    dated_article,
    normalized_article,
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
    kind: PageKind,
    page: str,
    url: str,
    profile: SiteProfile,
    *,
    fetched_at: str,
    served_on: date | None = None,
) -> list[dict[str, Any]]:
    """The records a crawl emits for a page fetched at `fetched_at` (UTC, ISO 8601): an article
    page's article, or a home or section page's listing snapshots.

    Raises NotAnArticle for an article page without article markup and RecordRejected for a
    record the crawl would drop (a missing title, ...). An unreadable publication date leaves
    the article undated, as in a crawl, and is logged.
    """
    if kind == "front":
        front = parse_front_page(page, url, profile, captured_at=fetched_at, served_on=served_on)
        return [checked_record(normalized_listing(listing)) for listing in front.listings]
    article = normalized_article(
        parse_article(page, url, profile, crawled_at=fetched_at, served_on=served_on)
    )
    try:
        article = dated_article(article)
    except JalaliDateError as error:
        logger.warning("Unreadable publication date on %s: %s", url, error)
    return [checked_record(article)]
