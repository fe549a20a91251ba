"""Archive pages and RSS feeds: lists of articles, with the dates they show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree

from newsbot.extract.htmltext import collapse, text_of
from newsbot.extract.selectors import html_selector
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import absolute_url, news_id_from_url


@dataclass(frozen=True)
class ListedArticle:
    """An article as an archive page or a feed lists it."""

    url: str
    news_id: int
    title: str
    # The publication date as shown: Jalali text on archive pages, RFC 822 in RSS; None if
    # the list shows none.
    published: str | None


def parse_archive_page(
    page: str, url: str, profile: SiteProfile, *, served_on: date
) -> list[ListedArticle]:
    """The entries of an archive listing page, in page order, each article once.

    Only the archive's own list counts (in the archive markup of the theme served on
    `served_on`), never the site-wide lists around it. An entry's date is its date element,
    else its link's `title` attribute (some builds write `title="13:35 - 1396/12/27"`); the
    spider decides what it can read of it.
    """
    archive = profile.theme_on(served_on).archive
    found: dict[int, ListedArticle] = {}
    for item in html_selector(page).css(archive.items):
        links = [item] if archive.link is None else [*item.css(archive.link), *item.css("a[href]")]
        for anchor in links:
            target = absolute_url(url, anchor.attrib.get("href", ""))
            news_id = news_id_from_url(target) if target else None
            if target and news_id is not None:
                own_date = text_of(item.css(archive.date)) if archive.date else ""
                shown = own_date or collapse(anchor.attrib.get("title", ""))
                found.setdefault(
                    news_id, ListedArticle(target, news_id, text_of(anchor), shown or None)
                )
                break
    return list(found.values())


# Feeds are data from the network: no entities expanded, nothing fetched, broken XML read as
# far as it goes.
_FEED_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)


def parse_feed(document: bytes, url: str) -> list[ListedArticle]:
    """The articles of an RSS 2.0 feed (`<item>`: `<link>`, else `<guid>`), in feed order."""
    try:
        root = etree.fromstring(document, parser=_FEED_PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    found: dict[int, ListedArticle] = {}
    for item in root.iter("item"):
        link = collapse(item.findtext("link") or "") or collapse(item.findtext("guid") or "")
        target = absolute_url(url, link) if link else None
        news_id = news_id_from_url(target) if target else None
        if target and news_id is not None:
            title = collapse(item.findtext("title") or "")
            shown = collapse(item.findtext("pubDate") or "") or None
            found.setdefault(news_id, ListedArticle(target, news_id, title, shown))
    return list(found.values())
