"""Site URLs: what kind of page a URL points to, its desk and news id, and what a crawl may
fetch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import SplitResult, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

from newsbot.items import MAIN_DESK

if TYPE_CHECKING:  # profiles.py reads hosts with url_host below
    from newsbot.sites.profiles import SiteProfile

_ARTICLE_PATH = re.compile(r"^/fa/news/(\d+)(?:/|$)")
_ARTICLE_COPY_PATH = re.compile(r"^/fa/(print|send|save|report)/\d+(?:/|$)", re.IGNORECASE)
_ISSUE_PATH = re.compile(r"^/fa/issue/\d+/\d+/?$")
# The four forms section links take on the CMS: /fa/<slug>, /fa/<slug>/<cat>,
# /fa/services/<service>, /fa/services/<service>/<cat>.
_SECTION_PATH = re.compile(
    r"^/fa/(?:services/\d+(?:/\d+)?|(?P<slug>[a-z][a-z0-9_-]*)(?:/\d+)?)/?$", re.IGNORECASE
)
# First path segments under /fa/ that are site utilities, not sections. print/send/save/report
# pages repeat an article and must never be fetched.
_NOT_SECTIONS = frozenset(
    {
        "news", "archive", "rss", "tag", "print", "send", "save", "report", "search",
        "newsletter", "contact", "about", "live", "comments", "sitemap", "page", "issue",
        "services", "contacts", "links",
    }
)  # fmt: skip
# What a host may look like once encoded (IDNA for non-ASCII names); "http:// x.ir" is no link.
_HOST = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9])?|\[[0-9a-f:.]+\]")
# Browsers strip ASCII whitespace around an href; the CMS writes slugs with stray spaces.
_HREF_WHITESPACE = " \t\n\r\f"


def absolute_url(page_url: str, href: str) -> str | None:
    """The absolute http(s) URL an href points to, without its #fragment, percent-encoded as it
    would be requested (so a slug with spaces, or an attribute broken by a stray quote, still
    gives a well-formed URL); None for other links."""
    href = href.strip(_HREF_WHITESPACE)
    if not href or href.startswith("#"):
        return None
    try:
        parts = urlsplit(urljoin(page_url, href))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        url = safe_url_string(urlunsplit(parts._replace(fragment="")))
        return url if _HOST.fullmatch(url_host(url)) else None
    except ValueError:  # an unparsable host or port ("http://[", "http://x:<")
        return None


def url_host(url: str) -> str:
    """A URL's host as hosts are compared: lower case, without the trailing dot of a fully
    qualified name (`www.iribnews.ir.` is `www.iribnews.ir`); "" when it has none."""
    return (urlsplit(url).hostname or "").removesuffix(".")


def news_id_from_url(url: str) -> int | None:
    """The news id (کد خبر) of an article URL `/fa/news/<id>[/<slug>]`; None for other URLs."""
    match = _ARTICLE_PATH.match(urlsplit(url).path)
    return int(match.group(1)) if match else None


def desk_of(url: str, profile: SiteProfile) -> str:
    """The news room a URL belongs to: a provincial desk's name, the first label of its host
    (`yazd` for yazd.iribnews.ir), else `www`: the main site under any of its hosts
    (iribnews.ir, www.iribnews.ir.), a mirror of it, and every site without desks.

    Desks number their articles separately (yazd.iribnews.ir/fa/news/60536 is not
    www.iribnews.ir/fa/news/60536), so an article is known by its desk and news id.
    """
    host = url_host(url)
    return host.split(".", 1)[0] if is_desk_host(host, profile) else MAIN_DESK


def article_key(url: str, profile: SiteProfile) -> tuple[str, int] | None:
    """(desk, news id) of an article URL; None for other URLs."""
    news_id = news_id_from_url(url)
    return None if news_id is None else (desk_of(url, profile), news_id)


def canonical_url(
    url: str, profile: SiteProfile, *, page_url: str | None = None, news_id: int | None = None
) -> str | None:
    """The site's own URL of an article: `https://`, the site's canonical host (its home_url's)
    or a provincial desk's host, and `/fa/news/<id>`, whatever form `url` took (a mirror's host
    and port, http, with or without www, a slug).

    `url` is the article's URL, or a link to it found on `page_url`. A link to the host that
    page was fetched from is the site's even when that host is not (a mirror, the snapshot on
    127.0.0.1). `news_id` is the article's id as its page shows it (default: its URL's). None for
    a link to another site, and for a URL that names no article.
    """
    news_id = news_id or news_id_from_url(url)
    origin = _canonical_origin(url, profile, page_url or url)
    return None if origin is None or news_id is None else f"{origin}/fa/news/{news_id}"


def on_canonical_host(url: str, profile: SiteProfile, *, page_url: str) -> str:
    """`url` (an image's, say) on the site's canonical https host when it is on the mirror
    `page_url` was fetched from; else unchanged: the live site's own hosts and other hosts
    (a CDN) serve it as it is."""
    if not _is_mirror(page_url, profile) or _origin(url) != _origin(page_url):
        return url
    origin = _canonical_origin(page_url, profile, page_url)
    parts = urlsplit(url)
    return f"{origin}{urlunsplit(('', '', parts.path or '/', parts.query, ''))}"


def _canonical_origin(url: str, profile: SiteProfile, page_url: str) -> str | None:
    """`https://<host>` of the site (or desk) `url` belongs to; None for another site."""
    host = url_host(url)
    if is_desk_host(host, profile):
        return f"https://{host}"
    if host in profile.hosts or _origin(url) == _origin(page_url):
        return f"https://{url_host(profile.home_url)}"
    return None


def _is_mirror(url: str, profile: SiteProfile) -> bool:
    """Whether `url` is on a host that is neither the site's nor one of its desks'."""
    host = url_host(url)
    return host not in profile.hosts and not is_desk_host(host, profile)


def _origin(url: str) -> tuple[str, int | None]:
    """Host and port, as a mirror is told apart from another site on the same machine."""
    parts = urlsplit(url)
    return url_host(url), parts.port


def is_desk_host(host: str, profile: SiteProfile) -> bool:
    """Whether a host (as url_host gives it) is one of the site's provincial desks: one label
    under its regional domain, other than www and the other languages' sites."""
    domain = profile.regional_domain
    if not domain or not host.endswith(f".{domain}"):
        return False
    subdomain = host.removesuffix(f".{domain}")
    return "." not in subdomain and subdomain not in profile.non_regional_subdomains


def is_section_url(url: str) -> bool:
    match = _SECTION_PATH.match(urlsplit(url).path)
    return match is not None and (match["slug"] or "").lower() not in _NOT_SECTIONS


def is_issue_url(url: str) -> bool:
    """A page of a newspaper's print issue, `/fa/issue/<issue>/<page>` (Kayhan)."""
    return _ISSUE_PATH.match(urlsplit(url).path) is not None


def article_copy_kind(url: str) -> str | None:
    """`print`, `send`, `save` or `report` for the pages that repeat an article
    (`/fa/print/<id>`, ...): never articles themselves. None for other URLs."""
    match = _ARTICLE_COPY_PATH.match(urlsplit(url).path)
    return match.group(1).lower() if match else None


def validate_base_url(base_url: str) -> str:
    """Check a mirror's base URL (`http://host:port`) and return it without a trailing slash
    (and without the trailing dot of a fully qualified host name).

    It is the only way a user changes the hosts a crawl fetches, so anything unusual is refused
    with a clear message rather than guessed at.
    """
    parts = urlsplit(base_url.strip())
    try:
        port_ok = parts.port != 0 and not parts.netloc.endswith(":")
    except ValueError:  # not a number, or out of range
        port_ok = False
    host = url_host(base_url.strip())
    problem = None
    if parts.scheme not in ("http", "https"):
        problem = "the scheme must be http or https"
    elif not host:
        problem = "a host is missing"
    elif not _HOST.fullmatch(f"[{host}]" if ":" in host else host):
        problem = "the host must be a host name or an IP address"
    elif not port_ok:
        problem = "the port must be a number from 1 to 65535"
    elif parts.username or parts.password:
        problem = "credentials are not accepted in the URL"
    elif parts.path not in ("", "/") or parts.query or parts.fragment:
        problem = "it must be only scheme://host[:port], without a path, query or fragment"
    if problem:
        raise ValueError(f"invalid base_url {base_url!r}: {problem}")
    return urlunsplit((parts.scheme, _netloc(host, parts.port), "", "", ""))


@dataclass(frozen=True)
class CrawlScope:
    """Which URLs one crawl of a site may fetch, and where:

    - live: the site's hosts, and with `regional` (`provinces=true`) its provincial desks;
    - `base_url`: a mirror or local copy of the main site; links to the site's hosts are mapped
      onto it, so a saved copy can be crawled as if it were the live site;
    - `base_url` with `regional`: the desks cannot share one mirror (their paths collide:
      each numbers its own news), so base_url is an HTTP proxy that answers for every host of
      the site (a web archive's proxy mode, a caching proxy, `snapshot/server.py` with
      `hosts`). Pages keep their own URLs, over plain http: a proxy is asked for an https page
      through a TLS tunnel, which a local copy cannot answer.
    """

    profile: SiteProfile
    base_url: str | None = None
    regional: bool = False

    def __post_init__(self) -> None:
        if self.regional and not self.profile.regional_domain:
            raise ValueError(f"provinces=true: {self.profile.name} has no provincial desks")
        if self.proxy and urlsplit(self.proxy).scheme != "http":
            raise ValueError(
                f"provinces=true with base_url={self.base_url!r}: base_url is then an HTTP "
                "proxy answering for every host of the site, and must be http://host:port"
            )

    @property
    def proxy(self) -> str | None:
        """The HTTP proxy every page is fetched through (base_url with provinces), else None."""
        return self.base_url if self.base_url and self.regional else None

    @property
    def home_url(self) -> str:
        if self.proxy:
            return urlunsplit(urlsplit(self.profile.home_url)._replace(scheme="http"))
        return f"{self.base_url}/" if self.base_url else self.profile.home_url

    @property
    def allowed_domains(self) -> list[str]:
        """For Scrapy's offsite filter, a second line of defence behind `to_fetch`."""
        if self.base_url and not self.proxy:
            return [url_host(self.base_url)]
        if self.regional and self.profile.regional_domain:
            return [self.profile.regional_domain]
        return list(self.profile.hosts)

    def to_fetch(self, url: str) -> str | None:
        """The URL to request for a link, or None when the link leaves the crawl's scope.

        Hosts are compared as url_host writes them (`www.iribnews.ir.` is `www.iribnews.ir`),
        and requested so.
        """
        parts = urlsplit(url)
        host = url_host(url)
        on_site = host in self.profile.hosts
        desk = self.regional and is_desk_host(host, self.profile)
        if self.proxy:
            return _rebuilt(parts, host, scheme="http") if on_site or desk else None
        if on_site and self.base_url:
            base = urlsplit(self.base_url)
            return urlunsplit((base.scheme, base.netloc, parts.path or "/", parts.query, ""))
        if on_site or desk:
            return _rebuilt(parts, host)
        if self.base_url:
            base = urlsplit(self.base_url)
            same_origin = (parts.scheme, host, parts.port) == (
                base.scheme,
                url_host(self.base_url),
                base.port,
            )
            return _rebuilt(parts, host) if same_origin and not parts.username else None
        return None


def _rebuilt(parts: SplitResult, host: str, *, scheme: str | None = None) -> str:
    """A URL with its host as compared, without credentials or fragment; `/` for no path."""
    netloc = _netloc(host, parts.port)
    return urlunsplit((scheme or parts.scheme, netloc, parts.path or "/", parts.query, ""))


def _netloc(host: str, port: int | None) -> str:
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}" if port else host


def archive_url(
    site_url: str, profile: SiteProfile, from_date: str, to_date: str, page: int
) -> str:
    """Page `page` (from 1) of the site's archive listing between two days, with the query the
    archive's own form sends (today's theme): its fixed fields, the page size, the two days
    and the page number (`?service_id=-1&...&rpp=100&from_date=..&to_date=..&p=N`)."""
    archive = profile.theme.archive
    query = [
        *archive.query,
        (archive.per_page_param, str(archive.per_page)),
        ("from_date", from_date),
        ("to_date", to_date),
        (archive.page_param, str(page)),
    ]
    return f"{site_url.rstrip('/')}{archive.path}?{urlencode(query)}"
