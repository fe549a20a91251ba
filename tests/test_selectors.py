"""newsbot.extract.selectors answers article selectors from a class index instead of parsel's
XPath; it must pick exactly what parsel picks. Checked here for every article selector of
every theme of every profile (the current one and the earlier ones, found by walking the
profiles, so a new profile or theme is covered without touching this test), on every fixture
page, whole and inside every element a selector finds (as toolbar labels are looked up).

Menus, list blocks and archive markup are not answered from the index: the front-page and
archive parsers ask parsel itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from parsel import Selector

from newsbot.extract.selectors import IndexedPage, _chains, html_selector
from newsbot.sites.profiles import PROFILES, ArticleSelectors
from snapshot.crawl import PROJECT_DIR

FIXTURE_PAGES = sorted(
    path.relative_to(PROJECT_DIR)
    for folder in ("tests/sites", "snapshot/site")
    for path in (PROJECT_DIR / folder).rglob("*.html")
)


def article_selectors(value: object) -> Iterator[ArticleSelectors]:
    """Every ArticleSelectors inside a theme, a profile or a collection of them."""
    if isinstance(value, ArticleSelectors):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from article_selectors(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from article_selectors(item)


# Distinct sets of article selectors over every profile, current and earlier themes alike.
THEMES = list(dict.fromkeys(article_selectors(list(PROFILES.values()))))


def selectors_of(theme: ArticleSelectors) -> list[str]:
    return [getattr(theme, field.name) for field in dataclasses.fields(theme)]


def paths(elements: list[etree._Element]) -> list[str]:
    """Elements as their paths in their document: the two parses are different trees."""
    return [element.getroottree().getpath(element) for element in elements]


def test_the_walk_finds_the_themes_and_the_pages() -> None:
    assert ArticleSelectors() in THEMES  # the CMS's, which most profiles use
    assert len(FIXTURE_PAGES) > 100
    assert Path("tests/sites/themes/old.html") in FIXTURE_PAGES


def test_the_cms_selectors_are_answered_by_the_index_not_by_parsel() -> None:
    # Otherwise the comparison below would compare parsel with itself.
    assert all(_chains(selector) is not None for selector in selectors_of(ArticleSelectors()))


@pytest.mark.parametrize("page_path", FIXTURE_PAGES, ids=str)
def test_the_class_index_picks_what_parsel_picks(page_path: Path) -> None:
    page = (PROJECT_DIR / page_path).read_text(encoding="utf-8")
    parsel_root = html_selector(page)
    for theme in THEMES:
        indexed = IndexedPage(page, theme)
        selectors = selectors_of(theme)
        for selector in selectors:
            found = indexed.select(selector)
            expected = [picked.root for picked in parsel_root.css(selector)]
            assert paths(found) == paths(expected), (theme, selector)
            # Inside each element found, every selector of the theme (as `label` is used).
            for element, twin in zip(found, expected, strict=True):
                for inner in selectors:
                    within = indexed.select(inner, within=element)
                    expected_within = [picked.root for picked in Selector(root=twin).css(inner)]
                    assert paths(within) == paths(expected_within), (theme, selector, inner)
