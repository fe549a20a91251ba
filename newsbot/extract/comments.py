"""Readers' published comments under an article: HTML + URL + profile → Comment records, with no
network and no Scrapy engine.

The family's markup (newsbot.sites.profiles.CommentSelectors, from the evidence) has comment
items and replies, each with an author, a time and a text. How they nest is not in the
evidence, so the reading does not depend on it: every element of the item or reply classes
that has text of its own is a comment, in page order; one without (a wrapper around a reply
line) is not. A comment answers the nearest comment it sits in; a reply that sits in none
answers the last comment item before it.

A comment's id is the page's own when the profile names the attribute holding it; otherwise a
fingerprint of what a reader sees (author, time, text, the comment it answers), so that a
refresh recognises the comments it already emitted. An edited comment gets a new fingerprint.
Text comes out as the page shows it, with only HTML whitespace tidied; newsbot.extract.records
normalises and dates it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date, datetime

from lxml import etree
from parsel import Selector

from newsbot.extract.htmltext import element_text, number, paragraphs
from newsbot.extract.selectors import page_selector
from newsbot.items import Comment
from newsbot.sites.profiles import CommentSelectors, SiteProfile
from newsbot.sites.urls import desk_of
from newsbot.text.persian import latin_digits, normalize

FINGERPRINT_PREFIX = "fp-"
_CLASS_TOKEN = re.compile(r"\.([-\w]+)")
_DIGITS = re.compile(r"\d+")


def parse_comments(
    page: str,
    url: str,
    profile: SiteProfile,
    *,
    news_id: int | None,
    crawled_at: str,
    served_on: date | None = None,
) -> list[Comment]:
    """The published comments on a page (an article, or the site's comment list for it), in
    page order; [] when it shows none. The selectors are those of the theme the site served on
    `served_on`, by default the day of `crawled_at`."""
    day = served_on or datetime.fromisoformat(crawled_at).date()
    selectors = profile.theme_on(day).comments
    if not _may_hold_comments(page, selectors):
        return []
    reading = _Reading(page_selector(page), selectors)
    comments: list[Comment] = []
    for found in reading.comments():
        comments.append(
            Comment(
                site=profile.name,
                desk=desk_of(url, profile),
                news_id=news_id,
                url=url,
                comment_id=found.comment_id,
                parent_id=found.parent_id,
                position=len(comments) + 1,
                author=found.author,
                text=found.text,
                published_at_raw=found.time,
                likes=found.likes,
                dislikes=found.dislikes,
                crawled_at=crawled_at,
            )
        )
    return comments


class _Found:
    """One comment as read, before it becomes a record."""

    def __init__(
        self,
        element: etree._Element,
        *,
        author: str | None,
        time: str | None,
        text: str,
        likes: int | None,
        dislikes: int | None,
    ) -> None:
        self.element = element
        self.author = author
        self.time = time
        self.text = text
        self.likes = likes
        self.dislikes = dislikes
        self.comment_id = ""
        self.parent_id: str | None = None


class _Reading:
    def __init__(self, root: Selector, selectors: CommentSelectors) -> None:
        self.root = root
        self.selectors = selectors
        self.items = {found.root for found in root.css(selectors.items)}
        every = root.css(f"{selectors.items}, {selectors.replies}")
        self.elements = [found.root for found in every]
        self.members = set(self.elements)

    def comments(self) -> list[_Found]:
        found: list[_Found] = []
        by_element: dict[etree._Element, _Found] = {}
        seen: Counter[str] = Counter()
        last_item: _Found | None = None
        for element in self.elements:
            comment = self._read(element)
            if comment is None:
                continue  # a wrapper: its replies answer the comment above it
            parent = self._enclosing(element, by_element)
            if parent is None and element not in self.items:
                parent = last_item
            comment.parent_id = parent.comment_id if parent is not None else None
            comment.comment_id = self._own_id(element) or _fingerprint(comment, seen)
            by_element[element] = comment
            if element in self.items:
                last_item = comment
            found.append(comment)
        return found

    def _read(self, element: etree._Element) -> _Found | None:
        nested = {e for e in element.iterdescendants() if e in self.members}
        author = self._own(element, self.selectors.author, nested)
        time = self._own(element, self.selectors.time, nested)
        likes = self._own(element, self.selectors.likes, nested)
        dislikes = self._own(element, self.selectors.dislikes, nested)
        texts = self._own_all(element, self.selectors.text, nested)
        if texts:
            parts = [p for text in texts for p in paragraphs(text, skip=nested)]
        else:
            # What is left beside author and time may be separators between them («|»).
            shown = {e for e in (author, time, likes, dislikes) if e is not None}
            parts = [p for p in paragraphs(element, skip=nested | shown) if _has_words(p)]
        if not parts:
            return None
        return _Found(
            element,
            author=element_text(author) or None,
            time=element_text(time) or None,
            text="\n\n".join(parts),
            likes=number(element_text(likes)) if likes is not None else None,
            dislikes=number(element_text(dislikes)) if dislikes is not None else None,
        )

    def _own(
        self, element: etree._Element, selector: str | None, nested: set[etree._Element]
    ) -> etree._Element | None:
        found = self._own_all(element, selector, nested)
        return found[0] if found else None

    def _own_all(
        self, element: etree._Element, selector: str | None, nested: set[etree._Element]
    ) -> list[etree._Element]:
        """The elements a selector picks inside a comment but outside the comments in it."""
        if not selector:
            return []
        return [
            found.root
            for found in Selector(root=element).css(selector)
            if found.root is not element and not _inside(found.root, nested, element)
        ]

    def _enclosing(
        self, element: etree._Element, comments: dict[etree._Element, _Found]
    ) -> _Found | None:
        """The comment an element sits in, the nearest first."""
        for ancestor in element.iterancestors():
            if ancestor in comments:
                return comments[ancestor]
        return None

    def _own_id(self, element: etree._Element) -> str | None:
        attribute = self.selectors.id_attribute
        match = _DIGITS.search(latin_digits(element.get(attribute) or "")) if attribute else None
        return str(int(match.group())) if match else None


def _inside(element: etree._Element, nested: set[etree._Element], comment: etree._Element) -> bool:
    """Whether an element lies in one of the comments nested in `comment`."""
    for ancestor in element.iterancestors():
        if ancestor is comment:
            return False
        if ancestor in nested:
            return True
    return False


def _has_words(text: str) -> bool:
    return any(character.isalnum() for character in text)


def _fingerprint(comment: _Found, seen: Counter[str]) -> str:
    """A stable id for a comment the page gives none: its author, time, text and the comment it
    answers as a reader sees them (spacing and letter forms aside), and which of identical
    comments under the same parent it is."""
    key = "\x1f".join(
        " ".join(normalize(part or "").split())
        for part in (comment.author, comment.time, comment.text, comment.parent_id)
    )
    seen[key] += 1
    digest = hashlib.blake2b(f"{key}\x1e{seen[key]}".encode(), digest_size=8).hexdigest()
    return FINGERPRINT_PREFIX + digest


def _may_hold_comments(page: str, selectors: CommentSelectors) -> bool:
    """False when no class the comment selectors need appears in the page at all: most pages
    have no comments, and so need no second parse."""
    chains = f"{selectors.items},{selectors.replies}".split(",")
    tokens = [_CLASS_TOKEN.search(chain) for chain in chains]
    return any(token is None or token.group(1) in page for token in tokens)
