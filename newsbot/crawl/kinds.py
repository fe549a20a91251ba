"""The kinds of page a crawl requests, named once.

A request carries its kind in its meta (`newsbot_kind`, set by NewsSiteSpider._request): it
decides which pages Splash renders (`render_js`), which pages the crawl state may skip
(newsbot.crawl.known) and how the crawl report counts a dropped page; the stats count pages read
by kind (`newsbot/pages/<kind>`). Renaming a callback changes none of these.
"""

from __future__ import annotations

from enum import StrEnum

# Request meta: the kind of page requested.
KIND = "newsbot_kind"


class PageKind(StrEnum):
    FRONT = "front"  # the home page and section pages, whose lists are snapshotted
    FEED = "feed"  # an RSS feed
    ARCHIVE = "archive"  # a page of the dated archive, for a backfill
    ARTICLE = "article"  # an article page, a leaf of the crawl
    COMMENTS = "comments"  # the site's own comment list of an article

    @property
    def renderable(self) -> bool:
        """Whether `render_js` may name it (Splash renders it): not feeds, which are XML, nor
        comment lists, read as fetched."""
        return self not in (PageKind.FEED, PageKind.COMMENTS)
