"""What can go wrong fetching a page, and what the crawl makes of it.

- `failure_reason`: the short reason the crawl report gives a request that gave no page
  (`http_503`, `timeout`, `connection_lost`, `data_loss`, `too_large`, `offsite_redirect`, ...);
  `splash_<reason>` when the request went to Splash and Splash itself could not be reached.
- `page_problem`: why a page that did answer cannot be read whole (`empty_page`, `data_loss`,
  `truncated`, `bad_encoding`, `not_html`), and the page decoded right when it can.
- `RedirectMiddleware`, `MetaRefreshMiddleware`: Scrapy's, but a redirect leaves the crawl's
  scope (another host, another port of the mirror's host, a cloud metadata address) only as a
  dropped page with its reason, never as a request; a redirect loop is named as one; and a
  redirect to the same article's canonical URL is followed (Scrapy's duplicate filter, which
  knows an article by its news id, would otherwise drop it silently).
- `ProxyMiddleware`: with provinces=true and a base_url, every page of the site, robots.txt
  included, is asked of base_url as an HTTP proxy (newsbot.sites.urls.CrawlScope.proxy).
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares import redirect
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as net
from twisted.web import http
from twisted.web.client import ResponseFailed

from newsbot.crawl.idwalk import META_KEY as WALK_META_KEY
from newsbot.extract.reasons import DropReason
from newsbot.sites.urls import CrawlScope, article_key, news_id_from_url

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.http import Response
    from twisted.python.failure import Failure

OFFSITE_REDIRECT = "offsite redirect"
# An id-range walk's request redirected to a page that is no article: the site's answer for an
# id it does not have (newsbot.crawl.idwalk). Not followed: the home page, say, would be
# dropped as a duplicate request from the second such id on, and the id never settled.
REDIRECT_HOME = "redirect to the home page"
REDIRECT_OFF_ARTICLE = "redirect off the article"
REDIRECT_LOOP = "redirect loop"
# A page cut short ends before the end of its HTML; the CMS always closes both.
_PAGE_END = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)
_REPLACEMENT = "\ufffd"
# Failures of the connection itself: for a request sent to Splash, Splash's (a page Splash
# could not fetch comes back as an HTTP error).
_NETWORK = frozenset(
    {
        DropReason.TIMEOUT,
        DropReason.DATA_LOSS,
        DropReason.CONNECTION_LOST,
        DropReason.CONNECTION_REFUSED,
        DropReason.DNS_ERROR,
        DropReason.DOWNLOAD_ERROR,
    }
)


def failure_reason(failure: Failure) -> str:
    """The report's reason for a request that gave no page."""
    assert failure.value is not None
    reason = _reason(failure.value)
    request = getattr(failure, "request", None)
    if reason in _NETWORK and request is not None and "splash" in request.meta:
        return DropReason.SPLASH.key(reason)
    return reason


def _reason(error: BaseException) -> str:  # a DropReason, or a key of the HTTP family
    if isinstance(error, HttpError):
        return DropReason.HTTP.key(str(error.response.status))
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "robots.txt" in message:
            return DropReason.ROBOTS_TXT
        if message.startswith(OFFSITE_REDIRECT):
            return DropReason.OFFSITE_REDIRECT
        if message.startswith(REDIRECT_LOOP) or "max redirections" in message:
            return DropReason.REDIRECT_LOOP
        if message.startswith(REDIRECT_HOME):
            return DropReason.REDIRECT_HOME
        if message.startswith(REDIRECT_OFF_ARTICLE):
            return DropReason.REDIRECT_OFF_ARTICLE
        return DropReason.IGNORED
    if isinstance(error, (net.TimeoutError, defer.TimeoutError, net.TCPTimedOutError)):
        return DropReason.TIMEOUT
    # Scrapy cancels a download only when it exceeds DOWNLOAD_MAXSIZE (a timeout is a
    # TimeoutError): announced by Content-Length, or counted as it arrives.
    if isinstance(error, defer.CancelledError):
        return DropReason.TOO_LARGE
    # Twisted names no public error for a body shorter than its Content-Length; Scrapy's own
    # HTTP handler checks for this private one too (tests/test_scrapy_compat.py).
    if isinstance(error, ResponseFailed) and any(
        isinstance(reason.value, http._DataLoss) for reason in error.reasons
    ):
        return DropReason.DATA_LOSS
    if isinstance(
        error,
        (net.ConnectionLost, net.ConnectionDone, net.ConnectionAborted, ResponseFailed),
    ):
        return DropReason.CONNECTION_LOST
    if isinstance(error, net.ConnectionRefusedError):
        return DropReason.CONNECTION_REFUSED
    if isinstance(error, net.DNSLookupError):
        return DropReason.DNS_ERROR
    return DropReason.DOWNLOAD_ERROR


def page_problem(response: Response, *, whole: bool = True) -> DropReason | TextResponse:
    """The page as text, decoded right, or why it cannot be read as a whole page.

    A body that is valid UTF-8 is read as UTF-8 whatever charset the page declares (a
    Persian page in a single-byte charset is never valid UTF-8), so a wrong declaration does
    not turn into mojibake; a page whose bytes its charset cannot decode is `bad_encoding`.
    With `whole`, a page whose HTML stops before `</body>`/`</html>` is `truncated`.
    """
    if not response.body.strip():
        return DropReason.EMPTY_PAGE
    if "dataloss" in response.flags:  # only with DOWNLOAD_FAIL_ON_DATALOSS = False
        return DropReason.DATA_LOSS
    if not isinstance(response, TextResponse):
        return DropReason.NOT_HTML
    if whole and _PAGE_END.search(response.body) is None:
        return DropReason.TRUNCATED
    if not response.body.isascii() and codecs.lookup(response.encoding).name != "utf-8":
        try:
            response.body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            response = response.replace(encoding="utf-8")
    if response.text.count(_REPLACEMENT) > response.body.count(_REPLACEMENT.encode()):
        return DropReason.BAD_ENCODING
    return response


class _InScope(redirect.BaseRedirectMiddleware):
    # Scrapy 2.13's private `_redirect`, the one step both redirect middlewares go through
    # with the request to follow (2.14 drops its `spider` parameter: one reason for the
    # version pin; tests/test_scrapy_compat.py). Scrapy has no public hook before it: checking
    # the request `process_response` returns would log an offsite redirect as followed, and
    # report one past REDIRECT_MAX_TIMES as a loop.
    def _redirect(
        self, redirected: Request, request: Request, spider: Spider, reason: Any
    ) -> Request:
        scope = getattr(spider, "scope", None)
        if isinstance(scope, CrawlScope):
            target = scope.to_fetch(redirected.url)
            if target is None:
                raise IgnoreRequest(f"{OFFSITE_REDIRECT} to {redirected.url}")
            if target != redirected.url:  # a canonical host, mapped onto the mirror
                redirected = redirected.replace(url=target)
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if WALK_META_KEY in request.meta and news_id_from_url(redirected.url) is None:
            away = REDIRECT_HOME if urlsplit(redirected.url).path in ("", "/") else None
            raise IgnoreRequest(f"{away or REDIRECT_OFF_ARTICLE}: {chain[0]} → {redirected.url}")
        if redirected.url in chain:
            raise IgnoreRequest(f"{REDIRECT_LOOP}: {' → '.join([*chain, redirected.url])}")
        followed = super()._redirect(redirected, request, spider, reason)
        if isinstance(scope, CrawlScope):
            key = article_key(chain[0], scope.profile)
            if key is not None and article_key(followed.url, scope.profile) == key:
                followed.dont_filter = True
        return followed


class RedirectMiddleware(_InScope, redirect.RedirectMiddleware):
    """Scrapy's RedirectMiddleware, kept to the crawl's scope."""


class MetaRefreshMiddleware(_InScope, redirect.MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, kept to the crawl's scope."""


class ProxyMiddleware:
    """Sends the site's requests to the crawl's proxy, when it has one, by Scrapy's own
    HttpProxyMiddleware (which comes after this one): pages, and robots.txt, which Scrapy
    requests itself. Nothing else, Splash's requests included, goes through it."""

    def process_request(self, request: Request, spider: Spider) -> None:
        scope = getattr(spider, "scope", None)
        if (
            isinstance(scope, CrawlScope)
            and scope.proxy
            and "proxy" not in request.meta
            and scope.to_fetch(request.url) == request.url
        ):
            request.meta["proxy"] = scope.proxy
