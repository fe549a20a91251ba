"""A page of any kind, as `newsbot extract` and `newsbot profile check` get it: an article page
or a home or section page, told apart by markup and URL."""

from __future__ import annotations

from datetime import date

from newsbot.extract.article import ArticleReading, NotAnArticle, read_article
from newsbot.extract.frontpage import FrontPage, parse_front_page
from newsbot.extract.reasons import DropReason
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import news_id_from_url


def read_any_page(
    page: str, url: str, profile: SiteProfile, *, now: str, served_on: date | None = None
) -> ArticleReading | FrontPage:
    """An article page's reading when the page has article markup, else, when its URL is not
    an article's (`/fa/news/<id>`), the page read as a home or section page. Both with the
    site's theme of `served_on` (default: the day of `now`, the time it was fetched).

    Raises NotAnArticle for an article URL without article markup, and for the print, send,
    save and report copies of an article.
    """
    try:
        return read_article(page, url, profile, crawled_at=now, served_on=served_on)
    except NotAnArticle as error:
        if error.reason != DropReason.NOT_AN_ARTICLE or news_id_from_url(url) is not None:
            raise
    return parse_front_page(page, url, profile, captured_at=now, served_on=served_on)
