"""Archive pages and RSS feeds: lists of articles, with the dates they show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lxml import etree
from parsel import Selector

from newsbot.extract.htmltext import collapse, text_of
from newsbot.extract.selectors import html_selector
from newsbot.sites.profiles import ArchiveMarkup, SiteProfile
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


@dataclass(frozen=True)
class ArchivePage:
    """What one page of a site's archive offers a backfill."""

    # The archive's entries in page order, each article once.
    entries: list[ListedArticle]
    # The page shows the archive's pager without a link to a next page: nothing comes after it.
    last_page: bool
    # When the theme served that day found no entries and an earlier theme's archive markup
    # did: that theme's valid_until (the site may still serve it; the profile should say so).
    read_with_theme_until: date | None = None


def parse_archive_page(
    page: str, url: str, profile: SiteProfile, *, served_on: date
) -> ArchivePage:
    """The entries and pager of an archive page, in the archive markup of the theme served on
    `served_on`; if that finds no entries, in the markup of the themes before it, newest
    first, since an archive page's markup is often the least known of a site's.

    Only the archive's own list counts, never the site-wide lists around it (Asr Iran's
    ticker above its archive, sidebars). An entry's date, when its block shows one, is its
    date element, else its link's `title` attribute (some builds write
    `title="13:35 - 1396/12/27"`); the spider decides what it can read of it.
    """
    root = html_selector(page)
    served = profile.theme_on(served_on).archive
    entries = _archive_entries(root, url, served)
    if entries:
        return ArchivePage(entries, _is_last_page(root, served))
    for dated in reversed(profile.earlier_themes):
        markup = dated.theme.archive
        if dated.valid_until <= served_on and markup != served:
            entries = _archive_entries(root, url, markup)
            if entries:
                return ArchivePage(entries, _is_last_page(root, markup), dated.valid_until)
    return ArchivePage([], _is_last_page(root, served))


def _archive_entries(root: Selector, url: str, markup: ArchiveMarkup) -> list[ListedArticle]:
    blocks = root.css(markup.items)
    # A block around other blocks (div.archive_content around Tabnak's div.linear_news) is
    # not one of its own: its entries are theirs.
    outer = {ancestor for block in blocks for ancestor in block.root.iterancestors()}
    found: dict[int, ListedArticle] = {}
    for block in blocks:
        if block.root in outer:
            continue
        links = block.css(markup.link)
        shown_date = text_of(block.css(markup.date)) if len(links) == 1 else ""
        for anchor in links:
            # root.get reads one attribute; .attrib would read them all, and a broken one raises.
            target = absolute_url(url, anchor.root.get("href", ""))
            news_id = news_id_from_url(target) if target else None
            if target and news_id is not None:
                shown = shown_date or collapse(anchor.root.get("title", ""))
                found.setdefault(
                    news_id, ListedArticle(target, news_id, text_of(anchor), shown or None)
                )
    return list(found.values())


def _is_last_page(root: Selector, markup: ArchiveMarkup) -> bool:
    pagers = root.css(markup.pager)
    return bool(pagers) and not any(
        link.root.get("href") for pager in pagers for link in pager.css(markup.next_page)
    )


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
