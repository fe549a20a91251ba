"""Request fingerprints that identify an article by its host and news id, whatever its slug.

The CMS links one article under many URLs (slug or none, spaces, a trailing '-', www or not,
a host written with its trailing dot). Fingerprinting `/fa/news/<id>/...` by host (without
`www.`) and id makes Scrapy's duplicate filter, JOBDIR state and HTTP cache treat them as one
page, so each article is requested once per crawl. A provincial desk is a host of its own
(yazd.iribnews.ir), so its articles stay apart from the main desk's of the same id.
"""

from __future__ import annotations

from hashlib import sha1
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy.utils.request import RequestFingerprinter

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
        news_id = news_id_from_url(request.url)
        if news_id is None or request.method != "GET":
            return self._default.fingerprint(request)
        host = url_host(request.url).removeprefix("www.")
        return sha1(f"article {host}:{urlsplit(request.url).port} {news_id}".encode()).digest()
