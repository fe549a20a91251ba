"""The body as typed blocks, and the «اخبار مرتبط» block, with no network and no Scrapy engine.

`body_blocks` keeps what `body` flattens: intertitles (`h2`-`h6`, or a paragraph wholly in bold),
quotes, list items, images with their captions and videos, in page order, and the links inside
the text with the news id of those that are articles of the site. One paragraph walk
(newsbot.extract.htmltext.paragraphs) gives both: each text block is one of the body's
paragraphs, typed by the elements it sits in, so `body` is what it was before blocks existed.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from newsbot.extract.htmltext import collapse, element_body_text, element_text
from newsbot.items import BodyBlock, ImageBlock, Link, TextBlock, TextKind, VideoBlock
from newsbot.sites.profiles import RELATED_HEADINGS, SiteProfile, is_related_heading
from newsbot.sites.urls import absolute_url, desk_of, is_desk_host, news_id_from_url, url_host

# Elements whose paragraphs take a type of their own; the innermost decides.
_TYPED_BY_TAG: dict[str, TextKind] = {
    "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
    "li": "list_item", "blockquote": "quote",
}  # fmt: skip
_BOLD_TAGS = frozenset({"strong", "b"})
# A heading's block is the nearest element above it that holds article links, this many
# levels up at most: further up is the page's column, not the block.
_RELATED_LEVELS = 4


@dataclass(frozen=True)
class Body:
    text: str
    blocks: list[BodyBlock]


def read_body(element: etree._Element | None, page_url: str, profile: SiteProfile) -> Body:
    """The body's text (paragraphs joined by a blank line, as `body` has always been) and its
    blocks, from one walk of the body element."""
    blocks = _BlockCollector(_SiteLinks(page_url, profile))
    return Body(element_body_text(element, observer=blocks), blocks.blocks)


def related_news(
    page: str, selector: Selector, page_url: str, profile: SiteProfile, own_id: int | None
) -> list[int]:
    """The news ids linked from the page's «اخبار مرتبط» block, in page order, each once; []
    when the page has no such block."""
    site_links = _SiteLinks(page_url, profile)
    found: list[int] = []
    for heading in _related_headings(page, selector):
        for news_id in _listed_after(heading, site_links):
            if news_id != own_id and news_id not in found:
                found.append(news_id)
    return found


class _SiteLinks:
    """Which links are articles of the page's own news room, by news id.

    A link is the site's when it is on the page's host, one of the site's hosts (a mirror's
    pages write links to them) or one of its provincial desks; and its news id is the page's
    numbering only on the page's desk (newsbot.sites.urls.desk_of): a desk's link to the main
    site, or the main site's to a desk, gets none.
    """

    def __init__(self, page_url: str, profile: SiteProfile) -> None:
        self.page_url = page_url
        self.profile = profile
        self.page_host = url_host(page_url)
        self.desk = desk_of(page_url, profile)

    def news_id(self, url: str | None) -> int | None:
        if url is None:
            return None
        host = url_host(url)
        on_site = (
            host == self.page_host or host in self.profile.hosts or is_desk_host(host, self.profile)
        )
        if not on_site or desk_of(url, self.profile) != self.desk:
            return None
        return news_id_from_url(url)


class _BlockCollector:
    """Hears the paragraph walk of a body and builds its blocks (a htmltext.WalkObserver)."""

    def __init__(self, site_links: _SiteLinks) -> None:
        self.site_links = site_links
        self.blocks: list[BodyBlock] = []
        self._types: list[TextKind] = []  # the types of the typed elements open, innermost last
        self._bold = 0  # how many bold elements are open
        self._looked_at = 0  # pieces of the paragraph in progress already looked at
        self._plain = False  # whether the paragraph in progress has text outside bold
        self._links: list[etree._Element] = []  # links met since the last paragraph
        self._after: list[BodyBlock] = []  # images and videos met inside the paragraph
        self._figures: list[etree._Element] = []
        self._caption: etree._Element | None = None  # an image's figcaption being read

    # --- the walk ------------------------------------------------------------------------------

    def enter(self, element: etree._Element, pieces: list[str]) -> None:
        self._look(pieces)
        tag = element.tag
        if tag in _TYPED_BY_TAG:
            self._types.append(_TYPED_BY_TAG[str(tag)])
        elif tag in _BOLD_TAGS:
            self._bold += 1
        elif tag == "a":
            if element.get("href"):
                self._links.append(element)
        elif tag == "img":
            image = self._image(element)
            if image is not None:
                self._media(image, pieces)
        elif tag == "figure":
            self._figures.append(element)
        elif tag == "figcaption" and self._caption is None and self._figure_image() is not None:
            self._caption = element

    def leave(self, element: etree._Element, pieces: list[str]) -> None:
        self._look(pieces)
        tag = element.tag
        if tag in _TYPED_BY_TAG:
            self._types.pop()
        elif tag in _BOLD_TAGS:
            self._bold -= 1
        elif tag == "figure":
            self._figures.pop()
        elif element is self._caption:
            self._caption = None

    def passed(self, element: etree._Element, pieces: list[str]) -> None:
        self._look(pieces)
        if element.tag == "video":
            self._media(self._video(element), pieces)

    def paragraph_end(self, text: str | None, pieces: list[str]) -> None:
        self._look(pieces)
        if text is not None and self._caption is not None:
            self._links.clear()  # the paragraph is an image's caption, which is the image's
        elif text is not None:
            kind: TextKind = "paragraph" if self._plain else "heading"
            if self._types:
                kind = self._types[-1]
            self.blocks.append(TextBlock(type=kind, text=text, links=self._read_links()))
        self.blocks.extend(self._after)
        self._after.clear()
        self._plain = False
        self._looked_at = 0

    # -----------------------------------------------------------------------------------------

    def _look(self, pieces: list[str]) -> None:
        """Note whether the text appended since the last event lies outside bold."""
        if not self._bold and not self._plain:
            self._plain = _has_text(pieces[self._looked_at :])
        self._looked_at = len(pieces)

    def _media(self, block: BodyBlock, pieces: list[str]) -> None:
        """An image or video goes before the paragraph in progress if it has no text yet, else
        after it."""
        if _has_text(pieces):
            self._after.append(block)
        else:
            self.blocks.append(block)

    def _image(self, img: etree._Element) -> ImageBlock | None:
        src = absolute_url(self.site_links.page_url, img.get("src", ""))
        if src is None:
            return None
        figure = self._figure_image()
        caption = None
        if figure is not None:
            captions = figure.xpath(".//figcaption")
            caption = element_text(captions[0]) or None if captions else None
        return ImageBlock(
            type="image", src=src, alt=collapse(img.get("alt", "")) or None, caption=caption
        )

    def _video(self, video: etree._Element) -> VideoBlock:
        src = video.get("src") or next(
            (s.get("src") for s in video.iter("source") if s.get("src")), ""
        )
        return VideoBlock(type="video", src=absolute_url(self.site_links.page_url, src or ""))

    def _figure_image(self) -> etree._Element | None:
        """The innermost open figure, when it holds an image (whose caption it has)."""
        if self._figures and next(self._figures[-1].iter("img"), None) is not None:
            return self._figures[-1]
        return None

    def _read_links(self) -> list[Link]:
        links: list[Link] = []
        for element in self._links:
            text = element_text(element)
            url = absolute_url(self.site_links.page_url, element.get("href", ""))
            if text and url:
                links.append(Link(text=text, url=url, news_id=self.site_links.news_id(url)))
        self._links.clear()
        return links


def _related_headings(page: str, selector: Selector) -> list[etree._Element]:
    """The elements whose whole text is a related-news heading."""
    headings: list[etree._Element] = []
    for word in {heading.split()[-1] for heading in RELATED_HEADINGS}:
        if word not in page:
            continue
        for found in selector.xpath("//text()[contains(., $word)]/..", word=word):
            element = found.root
            if isinstance(element, etree._Element) and is_related_heading(element_text(element)):
                headings.append(element)
    return headings


def _listed_after(heading: etree._Element, site_links: _SiteLinks) -> list[int]:
    """The news ids of the site's articles linked after a heading in the nearest element above
    it that has any."""
    block = heading.getparent()
    for _ in range(_RELATED_LEVELS):
        if block is None:
            break
        found: list[int] = []
        after = False
        for element in block.iter(etree.Element):
            if element is heading:
                after = True
            elif after and element.tag == "a":
                url = absolute_url(site_links.page_url, element.get("href", ""))
                news_id = site_links.news_id(url)
                if news_id is not None:
                    found.append(news_id)
        if found:
            return found
        block = block.getparent()
    return []


def _has_text(pieces: list[str]) -> bool:
    return any(piece and not piece.isspace() for piece in pieces)
