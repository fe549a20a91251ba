"""The page parser: HTML + URL → fields, with no network and no Scrapy engine.

Two kinds of page matter: article pages (→ one Article) and front pages, meaning the home
page and section pages (→ ranked list snapshots plus the links a crawl follows). Everything
site-specific comes from a SiteProfile. Text comes out as the page shows it, with only HTML
whitespace tidied; newsbot.pipelines normalises and dates it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree, html
from parsel import Selector

from newsbot.items import Article, Image, Listing, ListingEntry, ListKind
from newsbot.persian import latin_digits
from newsbot.profiles import ListBlock, SiteProfile, TabBlock, list_kind_from_heading
from newsbot.urls import (
    absolute_url,
    article_copy_kind,
    is_issue_url,
    is_section_url,
    news_id_from_url,
)


class NotAnArticle(ValueError):
    """The page has no article markup; `reason` is a short stable key for stats and logs."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.reason = reason
        self.url = url


@dataclass(frozen=True)
class FrontPage:
    """What a home or section page offers a crawl."""

    listings: list[Listing]
    section_urls: list[str]
    # Every link of the profile's menus; section_urls are those that lead to front pages.
    menu_urls: list[str]
    article_urls: list[str]


# Elements that start a new paragraph when a body is turned into text.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p",
        "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Elements whose text is never reading text.
_SKIPPED_TAGS = frozenset(
    {
        "audio", "button", "canvas", "embed", "form", "iframe", "input", "noscript", "object",
        "script", "select", "style", "svg", "template", "textarea", "video",
    }
)  # fmt: skip
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_NUMBER = re.compile(r"\d+(?:[,٬]\d{3})*")
# «(۱۴ نظر)» at the end of a most-discussed entry: its comment count.
_COMMENT_COUNT_SUFFIX = re.compile(r"\(\s*([\d۰-۹٠-٩]+)\s*نظر\s*\)\s*$")


def parse_article(
    page: str, url: str, profile: SiteProfile, *, crawled_at: str, served_on: date | None = None
) -> Article:
    """Read an article page. Raises NotAnArticle when the page has no article markup at all,
    and for the print, send, save and report copies of an article (`/fa/print/<id>`, ...).

    Required fields that are missing come back empty (news_id None, title or body "") so that
    validation can name what is missing; the parser does not decide what is publishable.
    The selectors are those of the theme the site served on `served_on`, by default the day of
    `crawled_at`: a saved page is read with the theme of the day it was fetched.
    """
    copy_kind = article_copy_kind(url)
    if copy_kind:
        raise NotAnArticle(f"{copy_kind}_page", url)
    fields = profile.article_selectors(served_on or datetime.fromisoformat(crawled_at).date())
    root = Selector(text=page)
    title = _text(root.css(fields.title))
    news_id_text = _field_text(root.css(fields.news_id), fields.label)
    if not title and not news_id_text:
        raise NotAnArticle("not_an_article", url)
    news_id = _number(news_id_text) or news_id_from_url(url)
    return Article(
        site=profile.name,
        url=url,
        news_id=news_id,
        title=title,
        kicker=_text(root.css(fields.kicker)) or None,
        lead=_text(root.css(fields.lead)) or None,
        body=_body_text(root.css(fields.body)),
        section=[t for t in (_text(a) for a in root.css(fields.section)) if t],
        tags=[t for t in (_text(a) for a in root.css(fields.tags)) if t],
        published_at_raw=_date_text(root.css(fields.published), fields.label) or None,
        views=_number(_field_text(root.css(fields.views), fields.label)),
        comment_count=_number(_field_text(root.css(fields.comments), fields.label)),
        images=_images(root.css(fields.images), url),
        crawled_at=crawled_at,
    )


def canonical_url(page: str) -> str | None:
    """The URL a page says it lives at (`<link rel="canonical">`, else `og:url`)."""
    root = Selector(text=page)
    found = root.css("link[rel='canonical']::attr(href), meta[property='og:url']::attr(content)")
    return found.get("").strip() or None


def parse_front_page(page: str, url: str, profile: SiteProfile, *, captured_at: str) -> FrontPage:
    """Read a home or section page: its list snapshots, section links and article links."""
    root = Selector(text=page)
    listings = [
        Listing(
            site=profile.name,
            list=kind,
            block=block_name,
            page_url=url,
            captured_at=captured_at,
            entries=entries,
        )
        for block_name, kind, entries in _list_blocks(root, url, profile)
    ]
    links = [absolute_url(url, href) for href in root.css("a::attr(href)").getall()]
    menu = [
        absolute_url(url, href) for href in root.css(profile.section_links).xpath("@href").getall()
    ]
    return FrontPage(
        listings=listings,
        section_urls=_unique(u for u in menu if u and _is_front_page_url(u, profile)),
        menu_urls=_unique(menu),
        article_urls=_unique(u for u in links if u and news_id_from_url(u) is not None),
    )


def _is_front_page_url(url: str, profile: SiteProfile) -> bool:
    return is_section_url(url) or (profile.issue_pages and is_issue_url(url))


# Lists found by their heading alone, in a box no block of the profile describes (a new theme
# build renamed its classes); the block name says so in the records and in `profile check`.
HEADING_BLOCK = "by_heading"
# A heading sits in its box's title bar: a box further out would take in other boxes' links.
_HEADING_BOX_DEPTH = 3
# A heading is a few words; longer texts are not looked up at all.
_HEADING_MAX_CHARS = 40

_FoundList = tuple[str, ListKind, list[ListingEntry]]


def _list_blocks(root: Selector, page_url: str, profile: SiteProfile) -> list[_FoundList]:
    found: list[_FoundList] = []
    containers: list[etree._Element] = []
    for block in profile.list_blocks:
        for container in root.css(block.container):
            containers.append(container.root)
            kind = _block_kind(container, block)
            if kind:
                items = container.css(block.items)
                entries = _entries(items, page_url, link=block.link, count=block.comment_count)
                found.append((block.name, kind, entries))
    for tabs in profile.tab_blocks:
        for container in root.css(tabs.container):
            containers.append(container.root)
            found.extend(_tab_lists(container, tabs, page_url))
    found.extend(_lists_by_heading(root, page_url, containers))
    return found


def _block_kind(container: Selector, block: ListBlock) -> ListKind | None:
    if block.heading:
        heading = _text(container.css(block.heading))
        if heading:
            return list_kind_from_heading(heading)
    return block.kind


def _tab_lists(container: Selector, tabs: TabBlock, page_url: str) -> list[_FoundList]:
    labels = container.css(tabs.tab_links)
    panes: Iterable[tuple[Selector, etree._Element | None]]
    if tabs.panes:
        # A label without a pane (or a pane without a label) gives no list.
        panes = zip(labels, (pane.root for pane in container.css(tabs.panes)), strict=False)
    else:
        panes = (
            (tab, _element_with_id(container.root, _pane_id(tab)))
            for tab in labels
            if _pane_id(tab)
        )
    found: list[_FoundList] = []
    for tab, pane in panes:
        kind = list_kind_from_heading(_text(tab))
        if kind:
            items = Selector(root=pane).css(tabs.items) if pane is not None else []
            found.append((tabs.name, kind, _entries(items, page_url)))
    return found


def _pane_id(tab: Selector) -> str:
    return (tab.root.get("href") or "").strip().removeprefix("#")


def _element_with_id(root: etree._Element, element_id: str) -> etree._Element | None:
    """The first element under root with that id, compared here rather than in an XPath
    expression, which refuses an id holding control characters."""
    return next(
        (e for e in root.iter() if isinstance(e.tag, str) and e.get("id") == element_id), None
    )


def _lists_by_heading(
    root: Selector, page_url: str, containers: list[etree._Element]
) -> list[_FoundList]:
    """Lists whose heading names them, outside every block the profile describes."""
    found: list[_FoundList] = []
    taken = list(containers)
    for heading, kind in _list_headings(root):
        if _overlaps(heading, taken):
            continue
        box = _heading_box(heading, page_url)
        if box is None or _overlaps(box, taken):
            continue
        taken.append(box)
        found.append((HEADING_BLOCK, kind, _entries(Selector(root=box).css("a"), page_url)))
    return found


def _list_headings(root: Selector) -> Iterator[tuple[etree._Element, ListKind]]:
    """The innermost elements of the body whose whole text is a list heading, in page order."""
    for body in root.xpath("//body"):
        for element in body.root.iterdescendants():
            if not isinstance(element.tag, str) or element.tag in _SKIPPED_TAGS:
                continue
            text = element.text_content()
            kind = list_kind_from_heading(text) if len(text) <= _HEADING_MAX_CHARS else None
            if kind and not any(
                isinstance(child.tag, str) and list_kind_from_heading(child.text_content())
                for child in element
            ):
                yield element, kind


def _heading_box(heading: etree._Element, page_url: str) -> etree._Element | None:
    """The element holding the list a heading names: the pane a tab label links to, else the
    nearest element around the heading that holds article links."""
    nearby = [heading, *heading.iterancestors()][: _HEADING_BOX_DEPTH + 1]
    for element in nearby:
        pane_id = (element.get("href") or "").strip() if element.tag == "a" else ""
        if pane_id.startswith("#") and len(pane_id) > 1:
            return _element_with_id(heading.getroottree().getroot(), pane_id[1:])
    for element in nearby[1:]:
        if element.tag in ("body", "html"):
            return None
        if any(
            news_id_from_url(absolute_url(page_url, link.get("href", "")) or "")
            for link in element.iter("a")
        ):
            return element
    return None


def _overlaps(element: etree._Element, others: list[etree._Element]) -> bool:
    """Whether an element is one of others, or inside or around one of them."""
    lineage = {element, *element.iterancestors()}
    return any(other in lineage or element in other.iterancestors() for other in others)


def _entries(
    items: Iterable[Selector],
    page_url: str,
    *,
    link: str | None = None,
    count: str | None = None,
) -> list[ListingEntry]:
    """Entries from items in page order: each item is a link, or holds one at `link`; the
    comment count is in the item at `count`, or else at the end of the link text."""
    entries: list[ListingEntry] = []
    for item in items:
        anchor = item if link is None else next(iter(item.css(link)), None)
        # root.get reads one attribute; .attrib would read them all, and a broken one raises.
        url = absolute_url(page_url, anchor.root.get("href", "")) if anchor is not None else None
        news_id = news_id_from_url(url) if url else None
        if anchor is None or url is None or news_id is None:
            continue
        if count:
            title, comment_count = _text(anchor), _number(_text(item.css(count)))
        else:
            title, comment_count = _without_comment_count(_text(anchor))
        entries.append(
            ListingEntry(
                rank=len(entries) + 1,
                news_id=news_id,
                url=url,
                title=title,
                comment_count=comment_count,
            )
        )
    return entries


def _without_comment_count(title: str) -> tuple[str, int | None]:
    """A list entry's title without its trailing «(۱۴ نظر)», and that count."""
    match = _COMMENT_COUNT_SUFFIX.search(title)
    if not match:
        return title, None
    return title[: match.start()].strip(), int(latin_digits(match.group(1)))


def _text(selection: Selector | list[Selector]) -> str:
    """All text of the first element selected, HTML whitespace collapsed."""
    element = _first_element(selection)
    if element is None:
        return ""
    return _collapse(" ".join(_paragraphs(element)))


def _field_text(selection: list[Selector], label: str) -> str:
    """A toolbar field's text without its label span («کد خبر:», «بازدید:»)."""
    element = _first_element(selection)
    if element is None:
        return ""
    labels = {node.root for node in Selector(root=element).css(label)}
    return _collapse(" ".join(_paragraphs(element, skip=labels)))


def _date_text(selection: list[Selector], label: str) -> str:
    """The publication time as shown: the element's own text, without the label span and
    without the Gregorian date some theme builds add in an inner span."""
    element = _first_element(selection)
    if element is None:
        return ""
    own_text = _collapse(" ".join([element.text or "", *(child.tail or "" for child in element)]))
    return own_text or _field_text(selection, label)


def _number(text: str) -> int | None:
    match = _NUMBER.search(latin_digits(text))
    return int(re.sub(r"[,٬]", "", match.group())) if match else None


def _body_text(selection: list[Selector]) -> str:
    element = _first_element(selection)
    if element is None:
        return ""
    return "\n\n".join(_paragraphs(element))


def _images(selection: list[Selector], page_url: str) -> list[Image]:
    images: list[Image] = []
    for img in selection:
        src = absolute_url(page_url, img.attrib.get("src", ""))
        if src:
            images.append(Image(url=src, alt=_collapse(img.attrib.get("alt", "")) or None))
    return images


def _first_element(selection: Selector | list[Selector]) -> html.HtmlElement | None:
    if isinstance(selection, Selector):
        return selection.root
    return selection[0].root if selection else None


def _paragraphs(
    element: etree._Element, skip: frozenset[etree._Element] | set[etree._Element] = frozenset()
) -> list[str]:
    """The reading text of an element as paragraphs: block elements and <br> break lines,
    inline elements (strong, span, a) join into their paragraph, scripts and forms vanish."""
    paragraphs: list[str] = []
    current: list[str] = []

    def end_paragraph() -> None:
        # Only <br> put newlines in `current`; source line breaks were collapsed on the way in.
        text = "\n".join(line.strip(" ") for line in "".join(current).split("\n"))
        if text.strip():
            paragraphs.append(text.strip("\n"))
        current.clear()

    def walk(node: etree._Element) -> None:
        current.append(_collapse_html_space(node.text))
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is None or tag in _SKIPPED_TAGS or child in skip:
                pass
            elif tag == "br":
                current.append("\n")
            elif tag in _BLOCK_TAGS:
                end_paragraph()
                walk(child)
                end_paragraph()
            else:
                walk(child)
            current.append(_collapse_html_space(child.tail))

    walk(element)
    end_paragraph()
    return paragraphs


def _collapse(text: str) -> str:
    return _HTML_WHITESPACE.sub(" ", text).strip(" ")


def _collapse_html_space(text: str | None) -> str:
    return _HTML_WHITESPACE.sub(" ", text) if text else ""


def _unique(urls: Iterable[str | None]) -> list[str]:
    return [url for url in dict.fromkeys(urls) if url]


# --- Archive pages and RSS feeds: lists of articles, with the dates they show ----------------


@dataclass(frozen=True)
class ListedArticle:
    """An article as an archive page or a feed lists it."""

    url: str
    news_id: int
    title: str
    # The publication date as shown: Jalali text on archive pages, RFC 822 in RSS; None if
    # the list shows none.
    published: str | None


def parse_archive_page(page: str, url: str, profile: SiteProfile) -> list[ListedArticle]:
    """The entries of an archive listing page, in page order, each article once.

    Only the archive's own list counts (profile.archive_items), never the site-wide lists
    around it. An entry's date is its date element, else its link's `title` attribute (some
    builds write `title="13:35 - 1396/12/27"`); the spider decides what it can read of it.
    """
    found: dict[int, ListedArticle] = {}
    for item in Selector(text=page).css(profile.archive_items):
        for anchor in [*item.css(profile.archive_link), *item.css("a[href]")]:
            target = absolute_url(url, anchor.attrib.get("href", ""))
            news_id = news_id_from_url(target) if target else None
            if target and news_id is not None:
                shown = _text(item.css(profile.archive_date)) or _collapse(
                    anchor.attrib.get("title", "")
                )
                found.setdefault(
                    news_id, ListedArticle(target, news_id, _text(anchor), shown or None)
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
        link = _collapse(item.findtext("link") or "") or _collapse(item.findtext("guid") or "")
        target = absolute_url(url, link) if link else None
        news_id = news_id_from_url(target) if target else None
        if target and news_id is not None:
            title = _collapse(item.findtext("title") or "")
            shown = _collapse(item.findtext("pubDate") or "") or None
            found.setdefault(news_id, ListedArticle(target, news_id, title, shown))
    return list(found.values())
