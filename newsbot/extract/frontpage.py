"""Home and section pages: HTML + URL → ranked list snapshots and the links a crawl follows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree
from parsel import Selector

from newsbot.extract.htmltext import SKIPPED_TAGS, number, text_of, unique
from newsbot.extract.selectors import html_selector
from newsbot.items import Listing, ListingEntry, ListKind
from newsbot.sites.profiles import ListBlock, SiteProfile, TabBlock, Theme, list_kind_from_heading
from newsbot.sites.urls import (
    absolute_url,
    canonical_url,
    desk_of,
    is_issue_url,
    is_section_url,
    news_id_from_url,
)
from newsbot.text.persian import latin_digits


@dataclass(frozen=True)
class FrontPage:
    """What a home or section page offers a crawl."""

    listings: list[Listing]
    section_urls: list[str]
    # Every link of the profile's menus; section_urls are those that lead to front pages.
    menu_urls: list[str]
    article_urls: list[str]


# «(۱۴ نظر)» at the end of a most-discussed entry: its comment count.
_COMMENT_COUNT_SUFFIX = re.compile(r"\(\s*([\d۰-۹٠-٩]+)\s*نظر\s*\)\s*$")


def parse_front_page(
    page: str, url: str, profile: SiteProfile, *, captured_at: str, served_on: date | None = None
) -> FrontPage:
    """Read a home or section page: its list snapshots, section links and article links,
    with the theme the site served on `served_on` (by default the day of `captured_at`)."""
    theme = profile.theme_on(served_on or datetime.fromisoformat(captured_at).date())
    root = html_selector(page)
    listings = [
        Listing(
            site=profile.name,
            desk=desk_of(url, profile),
            list=kind,
            block=block_name,
            page_url=url,
            captured_at=captured_at,
            entries=[
                entry
                | {
                    "desk": desk_of(entry["url"], profile),
                    "canonical_url": canonical_url(entry["url"], profile, page_url=url),
                }
                for entry in entries
            ],
        )
        for block_name, kind, entries in _list_blocks(root, url, theme)
    ]
    links = [absolute_url(url, href) for href in root.css("a::attr(href)").getall()]
    menu = [
        absolute_url(url, href) for href in root.css(theme.section_links).xpath("@href").getall()
    ]
    return FrontPage(
        listings=listings,
        section_urls=unique(u for u in menu if u and _is_front_page_url(u, profile)),
        menu_urls=unique(menu),
        article_urls=unique(u for u in links if u and news_id_from_url(u) is not None),
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


def _list_blocks(root: Selector, page_url: str, theme: Theme) -> list[_FoundList]:
    found: list[_FoundList] = []
    containers: list[etree._Element] = []
    for block in theme.list_blocks:
        for container in root.css(block.container):
            containers.append(container.root)
            kind = _block_kind(container, block)
            if kind:
                items = container.css(block.items)
                entries = _entries(items, page_url, link=block.link, count=block.comment_count)
                found.append((block.name, kind, entries))
    for tabs in theme.tab_blocks:
        for container in root.css(tabs.container):
            containers.append(container.root)
            found.extend(_tab_lists(container, tabs, page_url))
    found.extend(_lists_by_heading(root, page_url, containers))
    return _each_list_once(found)


def _each_list_once(found: list[_FoundList]) -> list[_FoundList]:
    """One snapshot per list, though a theme shows it twice (Tabnak copies its tabs' panes
    for mobile screens): of lists of one kind with the same entries, the first; and no empty
    copy of a list the page shows with entries elsewhere."""
    filled = {kind for _, kind, entries in found if entries}
    seen: set[tuple[ListKind, tuple[int | None, ...]]] = set()
    once: list[_FoundList] = []
    for block_name, kind, entries in found:
        key = (kind, tuple(entry["news_id"] for entry in entries))
        if key in seen or (not entries and kind in filled):
            continue
        seen.add(key)
        once.append((block_name, kind, entries))
    return once


def _block_kind(container: Selector, block: ListBlock) -> ListKind | None:
    if block.heading:
        heading = text_of(container.css(block.heading))
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
        kind = list_kind_from_heading(text_of(tab))
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
            if not isinstance(element.tag, str) or element.tag in SKIPPED_TAGS:
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
            title, comment_count = text_of(anchor), number(text_of(item.css(count)))
        else:
            title, comment_count = _without_comment_count(text_of(anchor))
            if comment_count is None:
                comment_count = _comment_count_after(anchor.root)
        entries.append(
            ListingEntry(
                rank=len(entries) + 1,
                news_id=news_id,
                url=url,
                canonical_url=None,  # set with the desk, from the page's URL
                title=title,
                comment_count=comment_count,
            )
        )
    return entries


# Inline elements that may follow a list entry's link with its comment count.
_INLINE_TAGS = frozenset({"span", "small", "em", "i", "b", "strong", "sup"})


def _comment_count_after(anchor: etree._Element) -> int | None:
    """The comment count a theme writes right after an entry's link rather than inside it,
    «&nbsp;<span>(۱۱۳ نظر)</span>»: the text up to the next link or block, when that text is
    nothing but the count."""
    after = [anchor.tail or ""]
    for sibling in anchor.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag not in _INLINE_TAGS:
            break
        after += [sibling.text_content(), sibling.tail or ""]
    match = _COMMENT_COUNT_SUFFIX.fullmatch("".join(after).strip())
    return int(latin_digits(match.group(1))) if match else None


def _without_comment_count(title: str) -> tuple[str, int | None]:
    """A list entry's title without its trailing «(۱۴ نظر)», and that count."""
    match = _COMMENT_COUNT_SUFFIX.search(title)
    if not match:
        return title, None
    return title[: match.start()].strip(), int(latin_digits(match.group(1)))
