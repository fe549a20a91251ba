"""HTML to reading text: paragraphs, collapsed whitespace, numbers as shown.

Small pure functions on lxml elements, shared by every page parser in newsbot.extract.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from lxml import etree, html
from parsel import Selector

from newsbot.text.persian import latin_digits

# Elements that start a new paragraph when a body is turned into text.
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p",
        "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Elements whose text is never reading text.
SKIPPED_TAGS = frozenset(
    {
        "audio", "button", "canvas", "embed", "form", "iframe", "input", "noscript", "object",
        "script", "select", "style", "svg", "template", "textarea", "video",
    }
)  # fmt: skip
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_NUMBER = re.compile(r"\d+(?:[,٬]\d{3})*")


def text_of(selection: Selector | list[Selector]) -> str:
    """All text of the first element selected, HTML whitespace collapsed."""
    return element_text(first_element(selection))


def element_text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return collapse(" ".join(paragraphs(element)))


def number(text: str) -> int | None:
    match = _NUMBER.search(latin_digits(text))
    return int(re.sub(r"[,٬]", "", match.group())) if match else None


def element_body_text(element: etree._Element | None, observer: WalkObserver | None = None) -> str:
    """A body's text: its paragraphs joined by a blank line (`observer`: see `paragraphs`)."""
    if element is None:
        return ""
    return "\n\n".join(paragraphs(element, observer=observer))


def first_element(selection: Selector | list[Selector]) -> html.HtmlElement | None:
    if isinstance(selection, Selector):
        return selection.root
    return selection[0].root if selection else None


class WalkObserver(Protocol):
    """What a paragraph walk tells beside the paragraphs' text (newsbot.extract.body builds body
    blocks from it). `pieces` is the text of the paragraph in progress, as appended so far."""

    def enter(self, element: etree._Element, pieces: list[str]) -> None:
        """The walk enters an element it reads (inline or block), after ending the paragraph
        before a block."""

    def leave(self, element: etree._Element, pieces: list[str]) -> None:
        """The walk has read an element, and ended the paragraph inside a block; its tail
        comes next."""

    def passed(self, element: etree._Element, pieces: list[str]) -> None:
        """An element whose text is not read (SKIPPED_TAGS, or skipped by the caller)."""

    def paragraph_end(self, text: str | None, pieces: list[str]) -> None:
        """A paragraph ends: its text as `paragraphs` gives it, or None when it is empty."""


def paragraphs(
    element: etree._Element,
    skip: frozenset[etree._Element] | set[etree._Element] = frozenset(),
    observer: WalkObserver | None = None,
) -> list[str]:
    """The reading text of an element as paragraphs: block elements and <br> break lines,
    inline elements (strong, span, a) join into their paragraph, scripts and forms vanish.

    The one walk behind every text field and the body; an `observer` also hears where each
    paragraph starts and ends among the elements (body blocks), without changing the text."""
    if observer is None and not len(element):
        # No children (a link, a heading): its own text is the paragraph.
        text = collapse_html_space(element.text).strip(" ")
        return [text] if text.strip() else []
    paragraphs: list[str] = []
    current: list[str] = []

    def end_paragraph() -> None:
        if not current:
            if observer is not None:
                observer.paragraph_end(None, current)
            return
        text = "".join(current)
        # Only <br> put newlines in `current`; source line breaks were collapsed on the way in.
        if "\n" in text:
            text = "\n".join(line.strip(" ") for line in text.split("\n"))
        else:
            text = text.strip(" ")
        kept = text.strip("\n") if text.strip() else None
        if kept is not None:
            paragraphs.append(kept)
        if observer is not None:
            observer.paragraph_end(kept, current)
        current.clear()

    def walk(node: etree._Element) -> None:
        if text := node.text:
            current.append(collapse_html_space(text))
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED_TAGS or child in skip:
                if observer is not None and isinstance(tag, str):
                    observer.passed(child, current)
            elif tag == "br":
                current.append("\n")
            elif tag in BLOCK_TAGS:
                end_paragraph()
                if observer is not None:
                    observer.enter(child, current)
                walk(child)
                end_paragraph()
                if observer is not None:
                    observer.leave(child, current)
            elif observer is not None:
                observer.enter(child, current)
                walk(child)
                observer.leave(child, current)
            else:
                walk(child)
            if tail := child.tail:
                current.append(collapse_html_space(tail))

    walk(element)
    end_paragraph()
    return paragraphs


def collapse(text: str) -> str:
    return collapse_html_space(text).strip(" ")


def collapse_html_space(text: str | None) -> str:
    if not text:
        return ""
    # A few substring scans cost less than a substitution at every space of a long text.
    if "\n" in text or "  " in text or "\t" in text or "\r" in text or "\f" in text:
        return _HTML_WHITESPACE.sub(" ", text)
    return text


def unique(urls: Iterable[str | None]) -> list[str]:
    return [url for url in dict.fromkeys(urls) if url]
