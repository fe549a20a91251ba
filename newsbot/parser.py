"""The page parser: HTML + URL → fields, with no network and no Scrapy engine.

Two kinds of page matter: article pages (→ one Article) and front pages, meaning the home
page and section pages (→ ranked list snapshots plus the links a crawl follows). Everything
site-specific comes from a SiteProfile. Text comes out as the page shows it, with only HTML
whitespace tidied; newsbot.pipelines normalises and dates it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass
from datetime import date, datetime
from functools import lru_cache

import cssselect
from lxml import etree, html
from parsel import Selector
from parsel.selector import create_root_node

from newsbot.items import Article, Image, Listing, ListingEntry, ListKind
from newsbot.persian import latin_digits
from newsbot.profiles import (
    ArticleSelectors,
    ListBlock,
    SiteProfile,
    TabBlock,
    list_kind_from_heading,
)
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
    root = _IndexedPage(page, fields)
    title = _element_text(root.first(fields.title))
    news_id_text = _element_field_text(root, root.first(fields.news_id), fields.label)
    if not title and not news_id_text:
        raise NotAnArticle("not_an_article", url)
    news_id = _number(news_id_text) or news_id_from_url(url)
    published = root.first(fields.published)
    return Article(
        site=profile.name,
        url=url,
        news_id=news_id,
        title=title,
        kicker=_element_text(root.first(fields.kicker)) or None,
        lead=_element_text(root.first(fields.lead)) or None,
        body=_element_body_text(root.first(fields.body)),
        section=[t for t in map(_element_text, root.select(fields.section)) if t],
        tags=[t for t in map(_element_text, root.select(fields.tags)) if t],
        published_at_raw=_element_date_text(root, published, fields.label) or None,
        views=_number(_element_field_text(root, root.first(fields.views), fields.label)),
        comment_count=_number(_element_field_text(root, root.first(fields.comments), fields.label)),
        images=_element_images(root.select(fields.images), url),
        crawled_at=crawled_at,
    )


# --- Article pages: each field's selector answered from one index of the page ---------------
#
# Evaluating a selector as XPath walks the whole page and builds a string per element with a
# class (`concat(' ', normalize-space(@class), ' ')`); an article's dozen selectors cost ~7x the
# parse itself. An article page is therefore walked once, indexing the elements by the class
# tokens its theme's selectors start from, and each selector that is a chain of
# `tag.class.class` steps joined by spaces is answered from that index. Any other selector (ids,
# attributes, `>`, pseudo-classes), and any page parsel does not read as HTML, still runs as
# XPath through parsel, so the results are the same elements in the same order either way.

# The characters XPath's normalize-space() and so CSS class matching split a class list on.
_CLASS_SEPARATORS = re.compile(r"[\t\n\r]")


@dataclass(frozen=True)
class _Step:
    """One compound selector: an element name (None for any) and the class tokens it needs."""

    tag: str | None
    classes: tuple[str, ...]


# Steps joined by the descendant combinator (`.news_path a`).
_Chain = tuple[_Step, ...]


@lru_cache(maxsize=512)
def _chains(selector: str) -> tuple[_Chain, ...] | None:
    """A selector group as chains the class index can answer, or None when any part of it
    needs XPath. The first step of each chain names a class, which the index is keyed by."""
    try:
        groups = cssselect.parse(selector)
    except cssselect.SelectorError:
        return None  # parsel raises the error itself
    chains: list[_Chain] = []
    for group in groups:
        chain = _chain(group.parsed_tree) if group.pseudo_element is None else None
        if not chain or not chain[0].classes:
            return None
        chains.append(chain)
    return tuple(chains)


def _chain(tree: object) -> _Chain | None:
    if isinstance(tree, cssselect.parser.CombinedSelector):
        if tree.combinator != " ":
            return None
        left, right = _chain(tree.selector), _step(tree.subselector)
        return None if left is None or right is None else (*left, right)
    step = _step(tree)
    return None if step is None else (step,)


def _step(tree: object) -> _Step | None:
    classes: list[str] = []
    while isinstance(tree, cssselect.parser.Class):
        # cssselect turns a class holding whitespace into a condition that never holds.
        if not _is_class_token(tree.class_name):
            return None
        classes.append(tree.class_name)
        tree = tree.selector
    if not isinstance(tree, cssselect.parser.Element) or tree.namespace is not None:
        return None
    # parsel's HTML translator lower-cases element names, never class names.
    return _Step(tree.element.lower() if tree.element else None, tuple(reversed(classes)))


def _is_class_token(name: str) -> bool:
    return bool(name) and not any(space in name for space in " \t\r\n\f")


class _IndexKeys:
    """The class tokens an article page is indexed by for one theme's selectors, and the
    tokens among them of each class attribute value seen so far: a theme repeats a few
    hundred values on all its pages, so each value is split once."""

    # Values remembered at most (pages with generated class names would grow it forever).
    MAX_VALUES = 4096

    def __init__(self, keys: frozenset[str]) -> None:
        self.keys = keys
        self.of_value: dict[str, tuple[str, ...]] = {}

    def of(self, value: str) -> tuple[str, ...]:
        """The index keys among a class attribute value's tokens, each once."""
        if len(self.of_value) >= self.MAX_VALUES:
            self.of_value.clear()
        found = tuple(dict.fromkeys(t for t in _class_tokens(value) if t in self.keys))
        self.of_value[value] = found
        return found


@lru_cache(maxsize=64)
def _index_keys(fields: ArticleSelectors) -> _IndexKeys:
    """The index keys for a theme's article selectors: each chain's first class."""
    keys: set[str] = set()
    for selector in astuple(fields):
        keys.update(chain[0].classes[0] for chain in _chains(selector) or ())
    return _IndexKeys(frozenset(keys))


def _class_tokens(value: str) -> list[str]:
    """The tokens of a class attribute value, as CSS class selectors see them (some empty)."""
    if "\t" in value or "\n" in value or "\r" in value:
        value = _CLASS_SEPARATORS.sub(" ", value)
    return value.split(" ")


# Pages parsel reads as HTML without looking further: markup first, no XML declaration.
_MARKUP_FIRST = re.compile(r"[ \t\n\r]*<(?!\?xml\s)")


def _page_selector(page: str) -> Selector:
    """The page read as HTML. A page that starts with markup, as every
    article page does, is parsed by parsel's own function, but into lxml's plain elements:
    the lxml.html elements parsel builds have their class looked up by a Python function
    each time Python visits an element, which added half the parse's time again over the
    index and the text walks."""
    if not _MARKUP_FIRST.match(page):
        return _html_selector(page)  # an XML declaration or text first
    return Selector(root=create_root_node(page, etree.HTMLParser), type="html")


def _html_selector(page: str) -> Selector:
    """The page read as HTML, whatever it starts with: left to guess, parsel reads text such
    as `{}` as JSON, on which every CSS query raises."""
    return Selector(text=page, type="html")


class _IndexedPage:
    """A page parsed once, whose article selectors are answered from an index of its
    elements by class token rather than a walk of the whole page per selector."""

    def __init__(self, page: str, fields: ArticleSelectors) -> None:
        self.selector = selector = _page_selector(page)
        self._by_class: dict[str, list[etree._Element]] | None = None
        self._order: dict[etree._Element, int] | None = None
        if selector.type != "html":
            return  # an XML or JSON document: parsel answers (or refuses) every selector
        index_keys = _index_keys(fields)
        keys_of = index_keys.of_value
        by_class: dict[str, list[etree._Element]] = {}
        for element in selector.root.iter(etree.Element):
            value = element.get("class")
            if value is not None:
                keys = keys_of.get(value)
                for key in index_keys.of(value) if keys is None else keys:
                    by_class.setdefault(key, []).append(element)
        self._by_class = by_class

    def first(self, selector: str) -> etree._Element | None:
        found = self.select(selector)
        return found[0] if found else None

    def select(self, selector: str, within: etree._Element | None = None) -> list[etree._Element]:
        """The elements a CSS selector picks in the page (or in `within` and below), in page
        order, each once: what `Selector.css()` picks."""
        chains = _chains(selector) if self._by_class is not None else None
        if chains is None:
            scope = self.selector if within is None else Selector(root=within)
            return [found.root for found in scope.css(selector)]
        results = [found for chain in chains if (found := self._select_chain(chain, within))]
        if len(results) < 2:
            return results[0] if results else []
        return self._union(results)

    def _select_chain(self, chain: _Chain, within: etree._Element | None) -> list[etree._Element]:
        assert self._by_class is not None
        first, *rest = chain
        found = self._by_class.get(first.classes[0], [])
        # The index already checked the first class: only a tag or more classes are left.
        if first.tag is not None or len(first.classes) > 1:
            found = [element for element in found if _matches(element, first)]
        if within is not None and found:
            # What XPath would walk too: `within` and its descendants, in page order.
            candidates = set(found)
            found = [element for element in within.iter() if element in candidates]
        for step in rest:
            found = _descendants(found, step)
        return found

    def _union(self, results: list[list[etree._Element]]) -> list[etree._Element]:
        """Several chains' elements merged in page order, each once (XPath's `|`)."""
        merged = results[0]
        for found in results[1:]:
            if set(found) <= set(merged):
                continue
            if not set(merged) <= set(found):
                if self._order is None:
                    self._order = {e: n for n, e in enumerate(self.selector.root.iter())}
                merged = sorted({*merged, *found}, key=self._order.__getitem__)
            else:
                merged = found
        return merged


def _matches(element: etree._Element, step: _Step) -> bool:
    if step.tag is not None and element.tag != step.tag:
        return False
    return not step.classes or set(step.classes) <= set(_class_tokens(element.get("class") or ""))


def _descendants(elements: list[etree._Element], step: _Step) -> list[etree._Element]:
    """The elements below any of `elements` that match a step, in page order, each once.

    `elements` are in page order, so each one either lies inside an earlier one (and adds
    nothing new) or follows all of its descendants.
    """
    found: list[etree._Element] = []
    seen: set[etree._Element] = set()
    for element in elements:
        for candidate in element.iterdescendants(step.tag or etree.Element):
            if candidate not in seen and _matches(candidate, step):
                seen.add(candidate)
                found.append(candidate)
    return found


def canonical_url(page: str) -> str | None:
    """The URL a page says it lives at (`<link rel="canonical">`, else `og:url`)."""
    root = _html_selector(page)
    found = root.css("link[rel='canonical']::attr(href), meta[property='og:url']::attr(content)")
    return found.get("").strip() or None


def parse_front_page(page: str, url: str, profile: SiteProfile, *, captured_at: str) -> FrontPage:
    """Read a home or section page: its list snapshots, section links and article links."""
    root = _html_selector(page)
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
    return _element_text(_first_element(selection))


def _element_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return _collapse(" ".join(_paragraphs(element)))


def _element_field_text(page: _IndexedPage, element: etree._Element | None, label: str) -> str:
    """A toolbar field's text without its label span («کد خبر:», «بازدید:»)."""
    if element is None:
        return ""
    labels = set(page.select(label, within=element))
    return _collapse(" ".join(_paragraphs(element, skip=labels)))


def _element_date_text(page: _IndexedPage, element: etree._Element | None, label: str) -> str:
    """The publication time as shown: the element's own text, without the label span and
    without the Gregorian date some theme builds add in an inner span."""
    if element is None:
        return ""
    own_text = _collapse(" ".join([element.text or "", *(child.tail or "" for child in element)]))
    return own_text or _element_field_text(page, element, label)


def _number(text: str) -> int | None:
    match = _NUMBER.search(latin_digits(text))
    return int(re.sub(r"[,٬]", "", match.group())) if match else None


def _element_body_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return "\n\n".join(_paragraphs(element))


def _element_images(elements: list[etree._Element], page_url: str) -> list[Image]:
    images: list[Image] = []
    for img in elements:
        # All attributes are read, as parsel's Selector.attrib did.
        attributes = dict(img.attrib)
        src = absolute_url(page_url, attributes.get("src", ""))
        if src:
            images.append(Image(url=src, alt=_collapse(attributes.get("alt", "")) or None))
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
    if not len(element):  # no children (a link, a heading): its own text is the paragraph
        text = _collapse_html_space(element.text).strip(" ")
        return [text] if text.strip() else []
    paragraphs: list[str] = []
    current: list[str] = []

    def end_paragraph() -> None:
        if not current:
            return
        text = "".join(current)
        current.clear()
        # Only <br> put newlines in `current`; source line breaks were collapsed on the way in.
        if "\n" in text:
            text = "\n".join(line.strip(" ") for line in text.split("\n"))
        else:
            text = text.strip(" ")
        if text.strip():
            paragraphs.append(text.strip("\n"))

    def walk(node: etree._Element) -> None:
        if text := node.text:
            current.append(_collapse_html_space(text))
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED_TAGS or child in skip:
                pass
            elif tag == "br":
                current.append("\n")
            elif tag in _BLOCK_TAGS:
                end_paragraph()
                walk(child)
                end_paragraph()
            else:
                walk(child)
            if tail := child.tail:
                current.append(_collapse_html_space(tail))

    walk(element)
    end_paragraph()
    return paragraphs


def _collapse(text: str) -> str:
    return _collapse_html_space(text).strip(" ")


def _collapse_html_space(text: str | None) -> str:
    if not text:
        return ""
    # A few substring scans cost less than a substitution at every space of a long text.
    if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:
        return _HTML_WHITESPACE.sub(" ", text)
    return text


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
    for item in _html_selector(page).css(profile.archive_items):
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
