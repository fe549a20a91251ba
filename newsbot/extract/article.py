"""Article pages: HTML + URL → one Article, with no network and no Scrapy engine.

Everything site-specific comes from a SiteProfile. Text comes out as the page shows it, with
only HTML whitespace tidied; newsbot.extract.records normalises and dates it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from lxml import etree

from newsbot.extract.body import Body, read_body, related_news
from newsbot.extract.htmltext import (
    collapse,
    element_text,
    number,
    paragraphs,
)
from newsbot.extract.metadata import PageMetadata
from newsbot.extract.reasons import DropReason
from newsbot.extract.selectors import IndexedPage, html_selector
from newsbot.items import Article, BodyBlock, Image
from newsbot.sites.family import (
    FAMILY_ALTERNATIVES,
    FAMILY_WRAPPERS,
    METADATA_KEYS,
    Level,
    family_selectors,
)
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import (
    absolute_url,
    article_copy_kind,
    desk_of,
    news_id_from_url,
    on_canonical_host,
)

# The site's own URL of an article; canonical_url below is the one a page names in its HTML.
from newsbot.sites.urls import canonical_url as site_url_of

_FAMILY_SELECTORS = family_selectors()
# A title or body read by the profile, or by a family class only articles have, shows the page
# is an article; one read under a class as generic as `.title` does not (box titles have it
# too), nor does metadata that does not say so.
_ARTICLE_MARKS = frozenset(
    (name, alternative.selector)
    for name in ("title", "body")
    for alternative in FAMILY_ALTERNATIVES[name]
    if not alternative.in_wrapper
)
_KEYWORD_SEPARATORS = re.compile(r"[,،]")

Value = TypeVar("Value")


class NotAnArticle(ValueError):
    """The page has no article markup; `reason` is a short stable key for stats and logs."""

    def __init__(self, reason: DropReason | str, url: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.reason = reason
        self.url = url


@dataclass(frozen=True)
class FieldSource:
    """Where a field's value was read: its level and the selector or metadata key (`via`)."""

    level: Level
    via: str


@dataclass(frozen=True)
class ArticleReading:
    """An article, and where each of its fields that has a value was read (items.READ_FIELDS
    names; a field the page lacks has no source). The sources stay out of the record."""

    article: Article
    sources: dict[str, FieldSource]


def parse_article(
    page: str, url: str, profile: SiteProfile, *, crawled_at: str, served_on: date | None = None
) -> Article:
    """Read an article page (read_article), without the sources of its fields."""
    return read_article(page, url, profile, crawled_at=crawled_at, served_on=served_on).article


def read_article(
    page: str,
    url: str,
    profile: SiteProfile,
    *,
    crawled_at: str,
    served_on: date | None = None,
    fallbacks: bool = True,
) -> ArticleReading:
    """Read an article page. Raises NotAnArticle when the page has no article markup at all,
    for the print, send, save and report copies of an article (`/fa/print/<id>`, ...), and
    for a site's "no such article" page served as an ordinary page (`missing_article`).

    Required fields that are missing come back empty (news_id None, title or body "") so that
    validation can name what is missing; the parser does not decide what is publishable.
    The selectors are those of the theme the site served on `served_on`, by default the day of
    `crawled_at`: a saved page is read with the theme of the day it was fetched.

    A field the theme's selector finds no element for is looked for, with `fallbacks`, under
    the CMS family's alternative classes, then in the page's metadata
    (newsbot.sites.family); a news id, last, in the URL. An element the profile finds stays
    its answer even when empty: an empty kicker slot means the article has no kicker.
    """
    copy_kind = article_copy_kind(url)
    if copy_kind:
        raise NotAnArticle(DropReason.ARTICLE_COPY.key(copy_kind), url)
    theme = profile.theme_on(served_on or datetime.fromisoformat(crawled_at).date())
    fields = theme.article
    root = IndexedPage(page, fields, _FAMILY_SELECTORS if fallbacks else ())
    if theme.missing_page and root.selector.css(theme.missing_page):
        raise NotAnArticle(DropReason.MISSING_ARTICLE, url)
    read = _FieldReader(root, page, fields.label, url, fallbacks=fallbacks)
    title = read.text("title", fields.title)
    body = read.body(fields.body, profile)
    news_id_text = _element_field_text(root, root.first(fields.news_id), fields.label)
    if not (
        news_id_text
        or any(
            source.level == "profile" or (name, source.via) in _ARTICLE_MARKS
            for name in ("title", "body")
            if (source := read.sources.get(name))
        )
        or (fallbacks and read.metadata().declares_article)
    ):
        raise NotAnArticle(DropReason.NOT_AN_ARTICLE, url)
    news_id = number(news_id_text)
    if news_id is not None:
        read.sources["news_id"] = FieldSource("profile", fields.news_id)
    elif (news_id := news_id_from_url(url)) is not None:
        read.sources["news_id"] = FieldSource("url", "/fa/news/<id>")
    return ArticleReading(
        Article(
            site=profile.name,
            desk=desk_of(url, profile),
            url=url,
            canonical_url=site_url_of(url, profile, news_id=news_id),
            news_id=news_id,
            title=title,
            kicker=read.text("kicker", fields.kicker) or None,
            lead=read.text("lead", fields.lead) or None,
            body=body,
            body_blocks=read.body_blocks(),
            section=read.labelled_texts("section", fields.section),
            tags=read.texts("tags", fields.tags, split=_KEYWORD_SEPARATORS),
            related=related_news(page, root.selector, url, profile, news_id),
            published_at_raw=read.date(fields.published) or None,
            views=read.number("views", fields.views),
            comment_count=read.number("comment_count", fields.comments),
            images=_on_canonical_host(read.images(fields.images), url, profile),
            crawled_at=crawled_at,
        ),
        read.sources,
    )


class _FieldReader:
    """One page's fields, each from the first level that gives it a value: the profile's
    selector, the family's alternatives, the page's metadata. `sources` says which."""

    def __init__(
        self, root: IndexedPage, page: str, label: str, url: str, *, fallbacks: bool
    ) -> None:
        self.root = root
        self.page = page
        self.label = label
        self.url = url
        self.fallbacks = fallbacks
        self.sources: dict[str, FieldSource] = {}
        self._wrapper: list[etree._Element | None] = []
        self._metadata: PageMetadata | None = None
        self._body: Body | None = None

    def text(self, name: str, selector: str) -> str:
        return self.first(name, selector, element_text, lambda values: collapse(values[0]), "")

    def body(self, selector: str, profile: SiteProfile) -> str:
        """The body's text; its blocks, from the same walk of the element, are body_blocks()."""

        def walk(element: etree._Element) -> str:
            self._body = read_body(element, self.url, profile)
            return self._body.text

        return self.first("body", selector, walk, _metadata_paragraphs, "")

    def body_blocks(self) -> list[BodyBlock]:
        """The blocks of the body element read: the last one walked, since a field is read from
        the first element that gives it text. A body from metadata has none."""
        source = self.sources.get("body")
        if self._body is None or source is None or source.level == "metadata":
            return []
        return self._body.blocks

    def date(self, selector: str) -> str:
        return self.first(
            "published_at_raw",
            selector,
            lambda element: _element_date_text(self.root, element, self.label),
            lambda values: collapse(values[0]),
            "",
        )

    def texts(
        self,
        name: str,
        selector: str,
        *,
        text_of: Callable[[etree._Element], str] = element_text,
        split: re.Pattern[str] | None = None,
    ) -> list[str]:
        def from_metadata(values: list[str]) -> list[str]:
            parts = [p for v in values for p in (split.split(v) if split else [v])]
            return [text for text in map(collapse, parts) if text]

        return self.read(
            name,
            selector,
            lambda elements: [t for t in map(text_of, elements) if t],
            from_metadata,
            default=[],
        )

    def labelled_texts(self, name: str, selector: str) -> list[str]:
        """Texts without their label spans (Kayhan's section «سرویس:»)."""
        return self.texts(
            name, selector, text_of=lambda e: _element_field_text(self.root, e, self.label)
        )

    def number(self, name: str, selector: str) -> int | None:
        return self.first(
            name,
            selector,
            lambda element: number(_element_field_text(self.root, element, self.label)),
            lambda values: number(values[0]),
            default=None,
        )

    def images(self, selector: str) -> list[Image]:
        return self.read(
            "images", selector, lambda elements: _element_images(elements, self.url), None, []
        )

    def first(
        self,
        name: str,
        selector: str,
        from_element: Callable[[etree._Element], Value],
        from_metadata: Callable[[list[str]], Value] | None,
        default: Value,
    ) -> Value:
        """A field read from the first element found."""
        return self.read(
            name, selector, lambda elements: from_element(elements[0]), from_metadata, default
        )

    def read(
        self,
        name: str,
        selector: str,
        from_elements: Callable[[list[etree._Element]], Value],
        from_metadata: Callable[[list[str]], Value] | None,
        default: Value,
    ) -> Value:
        found = self.root.select(selector)
        if found:
            value = from_elements(found)
            if _has(value):
                self.sources[name] = FieldSource("profile", selector)
            return value
        if not self.fallbacks:
            return default
        for alternative in FAMILY_ALTERNATIVES.get(name, ()):
            scope = self.wrapper() if alternative.in_wrapper else None
            if alternative.in_wrapper and scope is None:
                continue
            found = self.root.select(alternative.selector, within=scope)
            if found and _has(value := from_elements(found)):
                self.sources[name] = FieldSource("family", alternative.selector)
                return value
        if from_metadata is not None:
            for key in METADATA_KEYS.get(name, ()):
                values = self.metadata().values(key)
                if values and _has(value := from_metadata(values)):
                    self.sources[name] = FieldSource("metadata", key)
                    return value
        return default

    def wrapper(self) -> etree._Element | None:
        """The article's wrapper: the first element of the first FAMILY_WRAPPERS the page has."""
        if not self._wrapper:
            found = (self.root.first(selector) for selector in FAMILY_WRAPPERS)
            self._wrapper.append(next((element for element in found if element is not None), None))
        return self._wrapper[0]

    def metadata(self) -> PageMetadata:
        if self._metadata is None:
            self._metadata = PageMetadata(self.root.selector.root, self.page)
        return self._metadata


def _has(value: object) -> bool:
    return value is not None and value != "" and value != []


def _metadata_paragraphs(values: list[str]) -> str:
    """A body given as metadata text: its lines are its paragraphs."""
    return "\n\n".join(line for line in map(collapse, values[0].splitlines()) if line)


def canonical_url(page: str) -> str | None:
    """The URL a page says it lives at (`<link rel="canonical">`, else `og:url`)."""
    root = html_selector(page)
    found = root.css("link[rel='canonical']::attr(href), meta[property='og:url']::attr(content)")
    return found.get("").strip() or None


def _element_field_text(page: IndexedPage, element: etree._Element | None, label: str) -> str:
    """A toolbar field's text without its label span («کد خبر:», «بازدید:»)."""
    if element is None:
        return ""
    labels = set(page.select(label, within=element))
    return collapse(" ".join(paragraphs(element, skip=labels)))


def _element_date_text(page: IndexedPage, element: etree._Element | None, label: str) -> str:
    """The publication time as shown: the element's own text, without the label span and
    without the Gregorian date some theme builds add in an inner span."""
    if element is None:
        return ""
    own_text = collapse(" ".join([element.text or "", *(child.tail or "" for child in element)]))
    return own_text or _element_field_text(page, element, label)


def _on_canonical_host(images: list[Image], page_url: str, profile: SiteProfile) -> list[Image]:
    """The images of a page fetched from a mirror, on the site's canonical host
    (newsbot.sites.urls.on_canonical_host)."""
    return [
        image | {"url": on_canonical_host(image["url"], profile, page_url=page_url)}
        for image in images
    ]


def _element_images(elements: list[etree._Element], page_url: str) -> list[Image]:
    images: list[Image] = []
    for img in elements:
        # get() reads one attribute; dict(img.attrib) would read them all, and one whose name
        # holds a control character raises.
        src = absolute_url(page_url, img.get("src", ""))
        if src:
            images.append(Image(url=src, alt=collapse(img.get("alt", "")) or None))
    return images
