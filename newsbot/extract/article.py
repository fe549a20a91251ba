"""Article pages: HTML + URL → one Article, with no network and no Scrapy engine.

Everything site-specific comes from a SiteProfile. Text comes out as the page shows it, with
only HTML whitespace tidied; newsbot.extract.records normalises and dates it.
"""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from newsbot.extract.htmltext import (
    collapse,
    element_body_text,
    element_text,
    number,
    paragraphs,
)
from newsbot.extract.selectors import IndexedPage, html_selector
from newsbot.items import Article, Image
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import absolute_url, article_copy_kind, desk_of, news_id_from_url


class NotAnArticle(ValueError):
    """The page has no article markup; `reason` is a short stable key for stats and logs."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.reason = reason
        self.url = url


def parse_article(
    page: str, url: str, profile: SiteProfile, *, crawled_at: str, served_on: date | None = None
) -> Article:
    """Read an article page. Raises NotAnArticle when the page has no article markup at all,
    for the print, send, save and report copies of an article (`/fa/print/<id>`, ...), and
    for a site's "no such article" page served as an ordinary page (`missing_article`).

    Required fields that are missing come back empty (news_id None, title or body "") so that
    validation can name what is missing; the parser does not decide what is publishable.
    The selectors are those of the theme the site served on `served_on`, by default the day of
    `crawled_at`: a saved page is read with the theme of the day it was fetched.
    """
    copy_kind = article_copy_kind(url)
    if copy_kind:
        raise NotAnArticle(f"{copy_kind}_page", url)
    theme = profile.theme_on(served_on or datetime.fromisoformat(crawled_at).date())
    fields = theme.article
    root = IndexedPage(page, fields)
    if theme.missing_page and root.selector.css(theme.missing_page):
        raise NotAnArticle("missing_article", url)
    title = element_text(root.first(fields.title))
    news_id_text = _element_field_text(root, root.first(fields.news_id), fields.label)
    if not title and not news_id_text:
        raise NotAnArticle("not_an_article", url)
    news_id = number(news_id_text) or news_id_from_url(url)
    published = root.first(fields.published)
    return Article(
        site=profile.name,
        desk=desk_of(url, profile),
        url=url,
        news_id=news_id,
        title=title,
        kicker=element_text(root.first(fields.kicker)) or None,
        lead=element_text(root.first(fields.lead)) or None,
        body=element_body_text(root.first(fields.body)),
        section=[
            t
            for e in root.select(fields.section)
            if (t := _element_field_text(root, e, fields.label))
        ],
        tags=[t for t in map(element_text, root.select(fields.tags)) if t],
        published_at_raw=_element_date_text(root, published, fields.label) or None,
        views=number(_element_field_text(root, root.first(fields.views), fields.label)),
        comment_count=number(_element_field_text(root, root.first(fields.comments), fields.label)),
        images=_element_images(root.select(fields.images), url),
        crawled_at=crawled_at,
    )


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


def _element_images(elements: list[etree._Element], page_url: str) -> list[Image]:
    images: list[Image] = []
    for img in elements:
        # All attributes are read, as parsel's Selector.attrib did.
        attributes = dict(img.attrib)
        src = absolute_url(page_url, attributes.get("src", ""))
        if src:
            images.append(Image(url=src, alt=collapse(attributes.get("alt", "")) or None))
    return images
