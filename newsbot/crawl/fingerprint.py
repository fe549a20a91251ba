"""Request fingerprints that identify an article by its host and news id, whatever its slug.

The CMS links one article under many URLs (slug or none, spaces, a trailing '-', www or not,
a host written with its trailing dot). Fingerprinting `/fa/news/<id>/...` by host (without
`www.`) and id makes Scrapy's duplicate filter, JOBDIR state and HTTP cache treat them as one
page, so each article is requested once per crawl. A provincial desk is a host of its own
(yazd.iribnews.ir), so its articles stay apart from the main desk's of the same id.
`ArticleIdDupeFilter` keeps the articles seen as bitmaps of ids, flat to millions of them.
"""

from __future__ import annotations

from hashlib import sha1
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from pyroaring import BitMap
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.request import RequestFingerprinter

from newsbot.items import MAX_BITMAP_ID
from newsbot.sites.urls import news_id_from_url, url_host

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class NewsIdRequestFingerprinter:
    def __init__(self, crawler: Crawler | None = None) -> None:
        self._default = RequestFingerprinter(crawler)
        self._cache: WeakKeyDictionary[Request, bytes] = WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NewsIdRequestFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        if request not in self._cache:
            self._cache[request] = self._compute(request)
        return self._cache[request]

    def _compute(self, request: Request) -> bytes:
        article = article_request(request)
        if article is None:
            return self._default.fingerprint(request)
        origin, news_id = article
        return sha1(f"article {origin} {news_id}".encode()).digest()


def article_request(request: Request) -> tuple[str, int] | None:
    """(origin, news id) of a request for an article, None for any other request: the origin
    is the host without `www.`, and the port, so a desk's articles stay apart."""
    news_id = news_id_from_url(request.url)
    if news_id is None or request.method != "GET":
        return None
    host = url_host(request.url).removeprefix("www.")
    return f"{host}:{urlsplit(request.url).port}", news_id


class ArticleIdDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, with the article requests seen kept as a compressed bitmap
    of news ids per origin (a few bits an article) instead of a set of 40-character
    fingerprints (about 0.2 KB each); other requests keep Scrapy's fingerprints. With JOBDIR,
    articles are written to `requests.seen` as `article <origin> <id>` lines."""

    _PREFIX = "article "

    def __init__(self, path: str | None = None, debug: bool = False, **kwargs: Any) -> None:
        self._articles: dict[str, BitMap] = {}
        super().__init__(path, debug, **kwargs)
        # Scrapy read every line of requests.seen as a fingerprint: move the articles'.
        for line in [line for line in self.fingerprints if line.startswith(self._PREFIX)]:
            self.fingerprints.discard(line)
            _, origin, news_id = line.split(" ")
            self._articles.setdefault(origin, BitMap()).add(int(news_id))

    def request_seen(self, request: Request) -> bool:
        article = article_request(request)
        if article is None or article[1] > MAX_BITMAP_ID:
            return bool(super().request_seen(request))
        origin, news_id = article
        seen = self._articles.setdefault(origin, BitMap())
        if news_id in seen:
            return True
        seen.add(news_id)
        if self.file:
            self.file.write(f"{self._PREFIX}{origin} {news_id}\n")
        return False
