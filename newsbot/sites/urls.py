"""Site URLs: what kind of page a URL points to, its news id, and what a crawl may fetch."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

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
        return url if _HOST.fullmatch(urlsplit(url).hostname or "") else None
    except ValueError:  # an unparsable host or port ("http://[", "http://x:<")
        return None


def news_id_from_url(url: str) -> int | None:
    """The news id (کد خبر) of an article URL `/fa/news/<id>[/<slug>]`; None for other URLs."""
    match = _ARTICLE_PATH.match(urlsplit(url).path)
    return int(match.group(1)) if match else None


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
    """Check a mirror's base URL (`http://host:port`) and return it without a trailing slash.

    It is the only way a user changes the hosts a crawl fetches, so anything unusual is refused
    with a clear message rather than guessed at.
    """
    parts = urlsplit(base_url.strip())
    try:
        port_ok = parts.port != 0 and not parts.netloc.endswith(":")
    except ValueError:  # not a number, or out of range
        port_ok = False
    problem = None
    if parts.scheme not in ("http", "https"):
        problem = "the scheme must be http or https"
    elif not parts.hostname:
        problem = "a host is missing"
    elif not _HOST.fullmatch(f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname):
        problem = "the host must be a host name or an IP address"
    elif not port_ok:
        problem = "the port must be a number from 1 to 65535"
    elif parts.username or parts.password:
        problem = "credentials are not accepted in the URL"
    elif parts.path not in ("", "/") or parts.query or parts.fragment:
        problem = "it must be only scheme://host[:port], without a path, query or fragment"
    if problem:
        raise ValueError(f"invalid base_url {base_url!r}: {problem}")
    return urlunsplit((parts.scheme, parts.netloc.lower(), "", "", ""))


@dataclass(frozen=True)
class CrawlScope:
    """Which URLs one crawl of a site may fetch, and where: the live hosts or a mirror."""

    profile: SiteProfile
    base_url: str | None = None
    regional: bool = False

    @property
    def home_url(self) -> str:
        return f"{self.base_url}/" if self.base_url else self.profile.home_url

    @property
    def allowed_domains(self) -> list[str]:
        """For Scrapy's offsite filter, a second line of defence behind `to_fetch`."""
        if self.base_url:
            return [urlsplit(self.base_url).hostname or ""]
        if self.regional and self.profile.regional_domain:
            return [self.profile.regional_domain]
        return list(self.profile.hosts)

    def to_fetch(self, url: str) -> str | None:
        """The URL to request for a link, or None when the link leaves the crawl's scope.

        Links to the site's canonical hosts are mapped onto the mirror's base URL when there
        is one, so a saved copy of the site can be crawled as if it were the live one.
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host in self.profile.hosts:
            return self._on_site(parts)
        if self.base_url:
            base = urlsplit(self.base_url)
            return (
                url if (parts.scheme, parts.netloc.lower()) == (base.scheme, base.netloc) else None
            )
        if self.regional and self._is_regional_host(host):
            return url
        return None

    def _on_site(self, parts: SplitResult) -> str:
        if not self.base_url:
            return urlunsplit(parts)
        base = urlsplit(self.base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path or "/", parts.query, ""))

    def _is_regional_host(self, host: str) -> bool:
        domain = self.profile.regional_domain
        if not domain or not host.endswith(f".{domain}"):
            return False
        subdomain = host.removesuffix(f".{domain}")
        return "." not in subdomain and subdomain not in self.profile.non_regional_subdomains


def archive_url(
    site_url: str, profile: SiteProfile, from_date: str, to_date: str, page: int
) -> str:
    """Page `page` (from 1) of the site's archive listing between two days, as the profile
    writes the query: `<path>?from_date=..&to_date=..&<page_param>=N` (today's theme)."""
    archive = profile.theme.archive
    query = urlencode({"from_date": from_date, "to_date": to_date, archive.page_param: str(page)})
    return f"{site_url.rstrip('/')}{archive.path}?{query}"
