"""What a page says about its own article in metadata: `<meta>` (Open Graph, description),
microdata (`itemprop`) and JSON-LD. The article parser's last fallback level, read once per
page and only when a field needs it (newsbot.sites.family.METADATA_KEYS names the keys).
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from newsbot.extract.htmltext import collapse, element_body_text

# Microdata may sit on any element: a walk testing every element's attributes costs more than
# the rest of the metadata, so it runs only on pages whose text names microdata at all.
_MICRODATA = etree.XPath("//*[@itemprop or @itemtype]")


class PageMetadata:
    """A page's metadata by key: `meta:<property or name>`, `itemprop:<name>`, `ld:<key>`."""

    def __init__(self, root: etree._Element, page: str) -> None:
        self._values: dict[str, list[str]] = {}
        self._declares_article = False
        self._article_object: dict[str, Any] | None = None
        for element in root.iter("meta", "script"):
            self._add(element)
        if "itemprop" in page or "itemtype" in page:
            for element in _MICRODATA(root):
                if element.tag != "meta":  # a microdata <meta> was read above
                    self._add(element)
        if self._article_object is not None:
            self._declares_article = True
            for key, value in self._article_object.items():
                self._values[f"ld:{key}"] = _json_texts(value)

    def values(self, key: str) -> list[str]:
        """The key's values in page order, whitespace as the page has it; [] when absent."""
        return self._values.get(key, [])

    @property
    def declares_article(self) -> bool:
        """Whether the page says it is an article: `og:type` article, a microdata item or a
        JSON-LD object of an Article type (NewsArticle, ReportageNewsArticle, ...)."""
        return self._declares_article

    def _add(self, element: etree._Element) -> None:
        tag = element.tag
        if tag == "script":
            kind = (element.get("type") or "").strip().lower()
            if kind == "application/ld+json" and self._article_object is None:
                self._article_object = _json_ld_article(element.text or "")
            return
        item_type = element.get("itemtype")
        if item_type and _is_article_type(item_type.rstrip("/").rsplit("/", 1)[-1]):
            self._declares_article = True
        content = element.get("content")
        if tag == "meta" and content is not None:
            for name in dict.fromkeys((element.get("property"), element.get("name"))):
                if name:
                    key = name.strip().lower()
                    self._values.setdefault(f"meta:{key}", []).append(content)
                    if key == "og:type" and content.strip().lower() == "article":
                        self._declares_article = True
        properties = (element.get("itemprop") or "").split()
        if properties:
            value = content or element.get("datetime") or element_body_text(element)
            for name in properties:
                self._values.setdefault(f"itemprop:{name}", []).append(value)


def _json_ld_article(text: str) -> dict[str, Any] | None:
    """The first object of an Article type in a JSON-LD script (top level, in a list or in
    an @graph); None when there is none or the script is not JSON."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    candidates = document if isinstance(document, list) else [document]
    for candidate in candidates:
        if not isinstance(candidate, dict):
            continue
        graph = candidate.get("@graph")
        for node in [candidate, *(graph if isinstance(graph, list) else [])]:
            if isinstance(node, dict) and _is_article_type(node.get("@type")):
                return node
    return None


def _is_article_type(value: Any) -> bool:
    types = value if isinstance(value, list) else [value]
    return any(isinstance(name, str) and name.endswith("Article") for name in types)


def _json_texts(value: Any) -> list[str]:
    """A JSON-LD value's texts: a string or number, or a list of them (objects such as an
    author or an image are not texts)."""
    values = value if isinstance(value, list) else [value]
    return [
        str(item) for item in values if isinstance(item, str | int | float) and collapse(str(item))
    ]
