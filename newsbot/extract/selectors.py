"""CSS selectors answered from one index of an article page (a faster engine than XPath
for the chains of class steps the profiles use, returning what parsel returns)."""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from functools import lru_cache

import cssselect
from lxml import etree
from parsel import Selector
from parsel.selector import create_root_node

from newsbot.sites.profiles import ArticleSelectors

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
def _index_keys(fields: ArticleSelectors, extra: tuple[str, ...]) -> _IndexKeys:
    """The index keys for a theme's article selectors and any `extra` selectors (the CMS
    family's alternatives): each chain's first class."""
    keys: set[str] = set()
    for selector in astuple(fields) + extra:
        keys.update(chain[0].classes[0] for chain in _chains(selector) or ())
    return _IndexKeys(frozenset(keys))


def _class_tokens(value: str) -> list[str]:
    """The tokens of a class attribute value, as CSS class selectors see them (some empty)."""
    if "\t" in value or "\n" in value or "\r" in value:
        value = _CLASS_SEPARATORS.sub(" ", value)
    return value.split(" ")


# A selector that is an element name alone, as parsel's HTML translator matches it.
_BARE_TAG = re.compile(r"[a-z][a-z0-9]*")

# Pages parsel reads as HTML without looking further: markup first, no XML declaration.
_MARKUP_FIRST = re.compile(r"[ \t\n\r]*<(?!\?xml\s)")


def page_selector(page: str) -> Selector:
    """The page read as HTML. A page that starts with markup, as every
    article page does, is parsed by parsel's own function, but into lxml's plain elements:
    the lxml.html elements parsel builds have their class looked up by a Python function
    each time Python visits an element, which added half the parse's time again over the
    index and the text walks."""
    if not _MARKUP_FIRST.match(page):
        return html_selector(page)  # an XML declaration or text first
    return Selector(root=create_root_node(page, etree.HTMLParser), type="html")


def html_selector(page: str) -> Selector:
    """The page read as HTML, whatever it starts with: left to guess, parsel reads text such
    as `{}` as JSON, on which every CSS query raises."""
    return Selector(text=page, type="html")


class NotIndexed(LookupError):
    """A selector starting from a class the page's index does not hold (a programming error:
    such a selector would silently find nothing)."""


class IndexedPage:
    """A page parsed once, whose article selectors are answered from an index of its
    elements by class token rather than a walk of the whole page per selector. The index
    holds the classes of the theme's selectors and of `extra` ones (the CMS family's
    alternatives): a selector of neither raises NotIndexed rather than find nothing."""

    def __init__(self, page: str, fields: ArticleSelectors, extra: tuple[str, ...] = ()) -> None:
        self.selector = selector = page_selector(page)
        self._by_class: dict[str, list[etree._Element]] | None = None
        self._order: dict[etree._Element, int] | None = None
        self._keys = index_keys = _index_keys(fields, extra)
        if selector.type != "html":
            return  # an XML or JSON document: parsel answers (or refuses) every selector
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
            if self._by_class is not None and _BARE_TAG.fullmatch(selector):
                # An element name alone (`article`, `h1`): lxml finds it without XPath.
                return list((self.selector.root if within is None else within).iter(selector))
            scope = self.selector if within is None else Selector(root=within)
            return [found.root for found in scope.css(selector)]
        results = [found for chain in chains if (found := self._select_chain(chain, within))]
        if len(results) < 2:
            return results[0] if results else []
        return self._union(results)

    def _select_chain(self, chain: _Chain, within: etree._Element | None) -> list[etree._Element]:
        assert self._by_class is not None
        first, *rest = chain
        found = self._by_class.get(first.classes[0])
        if found is None:
            if first.classes[0] not in self._keys.keys:
                raise NotIndexed(first.classes[0])
            return []
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
