"""The page parser: HTML + URL → fields, with no network and no Scrapy engine.

Two kinds of page matter: article pages (→ one Article) and front pages, meaning the home
page and section pages (→ ranked list snapshots plus the links a crawl follows). Everything
site-specific comes from a SiteProfile. Text comes out as the page shows it, with only HTML
whitespace tidied; newsbot.pipelines normalises and dates it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree, html
from parsel import Selector

from newsbot.items import Article, Image, Listing, ListingEntry, ListKind
from newsbot.persian import latin_digits
from newsbot.profiles import ListBlock, SiteProfile, TabBlock, list_kind_from_heading
from newsbot.urls import absolute_url, is_section_url, news_id_from_url


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


def parse_article(page: str, url: str, profile: SiteProfile, *, crawled_at: str) -> Article:
    """Read an article page. Raises NotAnArticle when the page has no article markup at all.

    Required fields that are missing come back empty (news_id None, title or body "") so that
    validation can name what is missing; the parser does not decide what is publishable.
    """
    fields = profile.article
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
        section_urls=_unique(u for u in menu if u and is_section_url(u)),
        article_urls=_unique(u for u in links if u and news_id_from_url(u) is not None),
    )


def _list_blocks(
    root: Selector, page_url: str, profile: SiteProfile
) -> list[tuple[str, ListKind, list[ListingEntry]]]:
    found: list[tuple[str, ListKind, list[ListingEntry]]] = []
    for block in profile.list_blocks:
        for container in root.css(block.container):
            kind = _block_kind(container, block)
            if kind:
                found.append((block.name, kind, _entries(container.css(block.items), page_url)))
    for tabs in profile.tab_blocks:
        found.extend(_tab_lists(root, tabs, page_url))
    return found


def _block_kind(container: Selector, block: ListBlock) -> ListKind | None:
    if block.heading:
        heading = _text(container.css(block.heading))
        if heading:
            return list_kind_from_heading(heading)
    return block.kind


def _tab_lists(
    root: Selector, tabs: TabBlock, page_url: str
) -> list[tuple[str, ListKind, list[ListingEntry]]]:
    found: list[tuple[str, ListKind, list[ListingEntry]]] = []
    for container in root.css(tabs.container):
        for tab in container.css(tabs.tab_links):
            kind = list_kind_from_heading(_text(tab))
            pane_id = (tab.attrib.get("href") or "").strip().removeprefix("#")
            if not kind or not pane_id:
                continue
            pane = container.xpath(".//*[@id=$pane_id]", pane_id=pane_id)
            found.append((tabs.name, kind, _entries(pane.css(tabs.items), page_url)))
    return found


def _entries(links: list[Selector], page_url: str) -> list[ListingEntry]:
    entries: list[ListingEntry] = []
    for link in links:
        url = absolute_url(page_url, link.attrib.get("href", ""))
        news_id = news_id_from_url(url) if url else None
        if url is None or news_id is None:
            continue
        title = _text(link)
        count_match = _COMMENT_COUNT_SUFFIX.search(title)
        comment_count = int(latin_digits(count_match.group(1))) if count_match else None
        if count_match:
            title = title[: count_match.start()].strip()
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
