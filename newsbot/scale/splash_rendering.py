"""JavaScript rendering through Splash, for the pages a site fills by script.

Some themes build blocks in the browser (the home page's date, on some sites the most-viewed
lists): fetched over plain HTTP such a block is present but empty. A profile names the page
kinds that need a browser (`SiteProfile.render_js`, overridden per run by the spider argument
`render_js` or the setting `NEWSBOT_RENDER_JS`); when the setting `SPLASH_URL` names a Splash
server, those pages are requested through it with scrapy-splash, everything else stays plain
HTTP. Without `SPLASH_URL` nothing is rendered, and the crawl says so once.

`SplashRendering`, an add-on (settings.ADDONS), enables what scrapy-splash needs, and only when
`SPLASH_URL` is set. It follows scrapy-splash's README with these deliberate differences:

- No `SplashRequestFingerprinter` (nor the deprecated `SplashAwareDupeFilter`): a page kind is
  either always rendered or never in a crawl, always with the same arguments, so a page's own
  fingerprint (newsbot.crawl.fingerprint: one article per news id) stays the right identity, and a
  rendered page is the same page for the duplicate filter, JOBDIR and the HTTP cache. The
  request scrapy-splash sends to Splash is a POST whose body holds the page URL, so it has a
  fingerprint of its own.
- No `SplashCookiesMiddleware` (COOKIES_ENABLED is False; render.json has no session) and no
  `SplashDeduplicateArgsMiddleware` (newsbot sends no `cache_args`; on Scrapy 2.13 it would also
  warn about its deprecated `process_start_requests`).
- Its `SplashMiddleware` exempts the request *to Splash itself* from Scrapy's offsite filter,
  which otherwise drops it unless Splash happens to share a host with the site
  (scrapy-plugins/scrapy-splash#315). The page request is still checked against the site's
  `allowed_domains` and robots.txt before it is handed to Splash. It also sets the page's own
  download slot itself (scrapy-splash's does it through a method Scrapy 2.13 deprecates).
- Pages are rendered by render.json (html and history), not render.html, which answers 200
  even for a page the site answered 404: the middleware turns Splash's answer back into an
  HtmlResponse with the page's URL and status, so callbacks, HttpErrorMiddleware and the crawl
  report see a rendered page as they see a plain one.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import NotConfigured, ScrapyDeprecationWarning
from scrapy.http import HtmlResponse

from newsbot.crawl import config
from newsbot.crawl.kinds import PageKind

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# The page kinds a browser can render (feeds are XML), as `render_js` names them.
RENDERABLE_KINDS = tuple(kind.value for kind in PageKind if kind.renderable)
# Request meta: the request is one of rendered_request's.
_RENDERED = "newsbot_rendered"
# scrapy-splash 0.11.1 imports scrapy.utils.url.canonicalize_url, which Scrapy 2.13 deprecates
# and 2.14 removed (scrapy-plugins/scrapy-splash#332); only that warning is silenced.
_CANONICALIZE_URL_WARNING = r"The scrapy\.utils\.url\.canonicalize_url function is deprecated"


def parse_render_kinds(value: str) -> frozenset[str]:
    """`-a render_js=front,article`: the page kinds to render; `none` renders nothing."""
    names = {name.strip().lower() for name in value.split(",") if name.strip()}
    if names == {"none"}:
        return frozenset()
    unknown = sorted(names - set(RENDERABLE_KINDS))
    if unknown or not names:
        raise ValueError(
            f"render_js={value!r}: expected none or a comma-separated subset of {RENDERABLE_KINDS}"
        )
    return frozenset(names)


def splash_enabled(settings: BaseSettings) -> bool:
    return bool(config.SPLASH_URL.read(settings))


def check_rendering(spider: str, kinds: frozenset[str], settings: BaseSettings) -> None:
    """Say once, at the start, what is rendered, or that it cannot be."""
    if not kinds:
        return
    names = ",".join(sorted(kinds))
    if splash_enabled(settings):
        url = config.SPLASH_URL.read(settings)
        logger.info("%s: %s pages are rendered by Splash at %s", spider, names, url)
    else:
        logger.warning(
            "%s: %s pages need JavaScript, but SPLASH_URL is not set: they are fetched without "
            "it, and blocks that scripts fill will be empty",
            spider,
            names,
        )


def rendered_request(
    url: str,
    callback: Callable[[Response], Any],
    errback: Callable[..., Any],
    meta: dict[str, Any],
    settings: BaseSettings,
) -> scrapy.Request:
    """A request for `url` rendered by Splash: its callback gets the page's HTML after its
    scripts ran, as an HtmlResponse with the page's own URL and HTTP status (SplashMiddleware
    below). render.json rather than render.html, whose answer is 200 whatever the page's was."""
    splash_request = _scrapy_splash().SplashRequest
    request: scrapy.Request = splash_request(
        url,
        callback=callback,
        errback=errback,
        meta={**meta, _RENDERED: True},
        endpoint="render.json",
        # The page's download slot is set by newsbot's SplashMiddleware below.
        slot_policy="scrapy_default",
        args={
            "html": 1,
            # The main frame's requests and responses: the page's own status is the last.
            "history": 1,
            "wait": config.SPLASH_WAIT.read(settings),
            # The DOM is what is parsed; the site is spared the image downloads.
            "images": 0,
        },
    )
    return request


def page_url(request: scrapy.Request) -> str:
    """The page a request is for: its URL, or for a request sent to Splash, the page's."""
    url = request.meta.get("splash", {}).get("args", {}).get("url")
    return url if isinstance(url, str) else request.url


class SplashRendering:
    """The add-on: with SPLASH_URL set, Splash's downloader middleware (and HTTP decompression
    moved after it, as scrapy-splash's README asks); without it, nothing."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not splash_enabled(settings):
            raise NotConfigured
        # A priority the user gave either of them wins.
        middlewares = "DOWNLOADER_MIDDLEWARES"
        settings.setdefault_in_component_priority_dict(middlewares, SplashMiddleware, 725)
        settings.setdefault_in_component_priority_dict(middlewares, HttpCompressionMiddleware, 810)


class SplashMiddleware:
    """scrapy-splash's SplashMiddleware, except that the request it sends to Splash in place of
    the page's passes Scrapy's offsite filter (it goes to Splash, not off the site), and that a
    rendered page comes back as the page: an HtmlResponse with its URL and HTTP status."""

    def __init__(self, crawler: Crawler, splash: Any) -> None:
        self._crawler = crawler
        self._splash = splash

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, _scrapy_splash().SplashMiddleware.from_crawler(crawler))

    def process_request(self, request: scrapy.Request, spider: scrapy.Spider) -> Any:
        if "splash" in request.meta and "download_slot" not in request.meta:
            # The page's own download slot, so DOWNLOAD_DELAY and the per-site concurrency
            # hold for rendered pages too. (scrapy-splash's per_domain slot policy does the
            # same through a private Scrapy method that 2.13 deprecates.)
            assert self._crawler.engine is not None
            slot = self._crawler.engine.downloader.get_slot_key(request)
            request.meta["download_slot"] = slot
        to_splash = self._splash.process_request(request, spider)
        if isinstance(to_splash, scrapy.Request):
            to_splash.meta["allow_offsite"] = True
        return to_splash

    def process_response(
        self, request: scrapy.Request, response: Response, spider: scrapy.Spider
    ) -> Any:
        response = self._splash.process_response(request, response, spider)
        data = getattr(response, "data", None) if request.meta.get(_RENDERED) else None
        if not isinstance(data, dict) or not isinstance(data.get("html"), str):
            return response  # not ours, or an error from Splash (its status tells which)
        history = data.get("history") or [{}]
        status = history[-1].get("response", {}).get("status") or response.status
        return HtmlResponse(
            url=page_url(request),
            status=int(status),
            headers={"Content-Type": "text/html; charset=utf-8"},
            body=data["html"].encode("utf-8"),
            encoding="utf-8",
            request=request,
            flags=["splash"],
        )


def _scrapy_splash() -> Any:
    """scrapy_splash, imported only when Splash is used, without its one known warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=_CANONICALIZE_URL_WARNING, category=ScrapyDeprecationWarning
        )
        import scrapy_splash

    return scrapy_splash
