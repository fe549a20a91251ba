from typing import Any

import pytest

from newsbot.sites.profiles import IRIBNEWS, KAYHAN, TABNAK, profile_for_url
from newsbot.sites.urls import (
    CrawlScope,
    absolute_url,
    article_key,
    canonical_url,
    desk_of,
    is_section_url,
    news_id_from_url,
    on_canonical_host,
    url_host,
    validate_base_url,
)

PAGE = "http://www.iribnews.ir/fa/news/1/x"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/fa/political", "http://www.iribnews.ir/fa/political"),
        ("  /fa/news/5/slug ", "http://www.iribnews.ir/fa/news/5/slug"),
        ("https://iribnews.ir/fa/sport#top", "https://iribnews.ir/fa/sport"),
        ("#comments", None),
        ("", None),
        ("javascript:void(0)", None),
        ("mailto:news@example.org", None),
        ("http:// iribnews.ir/fa/news/1", None),
        ("http://[::1/fa/news/1", None),
        ("http://iribnews.ir:<8/fa/news/1", None),
        ("//tabriz.iribnews.ir/", "http://tabriz.iribnews.ir/"),
        # Encoded as it would be requested: Persian slugs, spaces, NBSP, ZWNJ.
        (
            "/fa/news/5/آب و\u00a0هوا\u200cها",
            "http://www.iribnews.ir/fa/news/5/%D8%A2%D8%A8%20%D9%88%C2%A0%D9%87%D9%88%D8%A7%E2%80%8C%D9%87%D8%A7",
        ),
        ("/fa/news/5/%D8%A2%D8%A8", "http://www.iribnews.ir/fa/news/5/%D8%A2%D8%A8"),
        # An attribute broken by a stray quote (seen on a real IRIB home page) still gives a URL.
        (
            "/fa/news/7/>خبر</a></div> <div class=",
            "http://www.iribnews.ir/fa/news/7/%3E%D8%AE%D8%A8%D8%B1%3C/a%3E%3C/div%3E%20%3Cdiv%20class=",
        ),
    ],
)
def test_absolute_url(href: str, expected: str | None) -> None:
    assert absolute_url(PAGE, href) == expected


@pytest.mark.parametrize(
    ("url", "news_id"),
    [
        ("https://www.iribnews.ir/fa/news/3866813/slug", 3866813),
        ("https://www.iribnews.ir/fa/news/3866813", 3866813),
        ("https://www.iribnews.ir/fa/news/3866813/", 3866813),
        ("http://x/fa/news/12/%D8%A8%20%C2%A0-", 12),
        ("https://www.iribnews.ir/fa/news/abc", None),
        ("https://www.iribnews.ir/fa/print/3866813", None),
        ("https://www.iribnews.ir/fa/news/3866813x", None),
        ("https://www.iribnews.ir/fa/political", None),
    ],
)
def test_news_id_from_url(url: str, news_id: int | None) -> None:
    assert news_id_from_url(url) == news_id


@pytest.mark.parametrize(
    "path",
    [
        "/fa/political",
        "/fa/science-culture",
        "/fa/services/7",
        "/fa/services/7/316",
        "/fa/sport/120",
    ],
)
def test_the_four_section_url_forms(path: str) -> None:
    assert is_section_url("http://www.iribnews.ir" + path)


@pytest.mark.parametrize(
    "path",
    [
        "/fa/news/5",
        "/fa/print/5",
        "/fa/send/5",
        "/fa/report/5",
        "/fa/archive",
        "/fa/rss/allnews",
        "/fa/tag/1/x",
        "/",
        "/en/political",
        "/fa/services",
        "/fa/contacts",
        "/fa/links",
    ],
)
def test_not_section_urls(path: str) -> None:
    assert not is_section_url("http://www.iribnews.ir" + path)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("https://Mirror.example/", "https://mirror.example"),
    ],
)
def test_valid_base_urls(given: str, expected: str) -> None:
    assert validate_base_url(given) == expected


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("ftp://127.0.0.1", "scheme"),
        ("127.0.0.1:8000", "scheme"),
        ("http://", "host"),
        ("http://user:pw@127.0.0.1", "credentials"),
        ("http://127.0.0.1/fa/news", "path"),
        ("http://127.0.0.1?x=1", "path"),
        ("file:///etc/passwd", "scheme"),
    ],
)
def test_invalid_base_urls_are_refused_by_name(given: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as error:
        validate_base_url(given)
    assert repr(given) in str(error.value)


def test_live_scope_keeps_site_hosts_and_leaves_the_rest() -> None:
    scope = CrawlScope(IRIBNEWS)
    assert scope.home_url == "https://www.iribnews.ir/"
    assert scope.to_fetch("http://iribnews.ir/fa/sport") == "http://iribnews.ir/fa/sport"
    assert scope.to_fetch("http://tabriz.iribnews.ir/fa/news/1") is None
    assert scope.to_fetch("https://www.example.org/fa/news/1") is None
    assert scope.allowed_domains == ["www.iribnews.ir", "iribnews.ir"]


def test_regional_scope_adds_provincial_desks_but_not_other_languages() -> None:
    scope = CrawlScope(IRIBNEWS, regional=True)
    assert (
        scope.to_fetch("http://tabriz.iribnews.ir/fa/news/1")
        == "http://tabriz.iribnews.ir/fa/news/1"
    )
    assert scope.to_fetch("http://en.iribnews.ir/news/1") is None
    assert scope.to_fetch("http://a.b.iribnews.ir/") is None
    assert scope.to_fetch("http://eviliribnews.ir/") is None


def test_mirror_scope_maps_canonical_hosts_onto_the_base_url() -> None:
    scope = CrawlScope(IRIBNEWS, base_url="http://127.0.0.1:8000")
    assert scope.home_url == "http://127.0.0.1:8000/"
    assert scope.allowed_domains == ["127.0.0.1"]
    assert scope.proxy is None
    for host in ("http://www.iribnews.ir", "https://www.iribnews.ir", "http://iribnews.ir"):
        assert scope.to_fetch(f"{host}/fa/news/5/s?p=2") == "http://127.0.0.1:8000/fa/news/5/s?p=2"
    assert scope.to_fetch("http://iribnews.ir") == "http://127.0.0.1:8000/"
    assert scope.to_fetch("http://www.iribnews.ir./fa/sport") == "http://127.0.0.1:8000/fa/sport"
    assert scope.to_fetch("http://127.0.0.1:8000/fa/sport") == "http://127.0.0.1:8000/fa/sport"
    # Another port on the same machine is another site; provincial desks have no mirror.
    assert scope.to_fetch("http://127.0.0.1:9000/fa/sport") is None
    assert scope.to_fetch("http://user@127.0.0.1:8000/fa/sport") is None
    assert scope.to_fetch("http://tabriz.iribnews.ir/") is None


def test_provinces_with_a_base_url_fetch_every_host_through_it_as_a_proxy() -> None:
    scope = CrawlScope(IRIBNEWS, base_url="http://127.0.0.1:8000", regional=True)
    assert scope.proxy == "http://127.0.0.1:8000"
    # Pages keep their own URLs, over plain http: a local copy cannot answer a TLS tunnel.
    assert scope.home_url == "http://www.iribnews.ir/"
    assert scope.allowed_domains == ["iribnews.ir"]
    assert scope.to_fetch("https://www.iribnews.ir/fa/news/5/s?p=2") == (
        "http://www.iribnews.ir/fa/news/5/s?p=2"
    )
    assert scope.to_fetch("https://yazd.iribnews.ir./fa/news/60536") == (
        "http://yazd.iribnews.ir/fa/news/60536"
    )
    assert scope.to_fetch("http://iribnews.ir/") == "http://iribnews.ir/"
    assert scope.to_fetch("http://en.iribnews.ir/") is None
    assert scope.to_fetch("http://127.0.0.1:8000/fa/sport") is None  # the proxy is no site


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"profile": TABNAK, "regional": True}, "provinces=true: tabnak has no provincial desks"),
        (
            {"profile": IRIBNEWS, "regional": True, "base_url": "https://127.0.0.1:8000"},
            "base_url is then an HTTP proxy .* must be http://host:port",
        ),
    ],
)
def test_provinces_are_refused_where_they_cannot_work(
    arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CrawlScope(**arguments)


@pytest.mark.parametrize(
    ("url", "desk", "key"),
    [
        ("https://www.iribnews.ir/fa/news/60536", "www", ("www", 60536)),
        ("https://iribnews.ir/fa/news/60536/x", "www", ("www", 60536)),
        ("http://www.iribnews.ir./fa/news/60536", "www", ("www", 60536)),
        ("http://yazd.iribnews.ir/fa/news/60536", "yazd", ("yazd", 60536)),
        ("http://Kurdistan.IRIBNEWS.ir./fa/news/1922321", "kurdistan", ("kurdistan", 1922321)),
        ("http://yazd.iribnews.ir/", "yazd", None),
        # Other languages and deeper names are no desks; nor is a mirror.
        ("http://en.iribnews.ir/fa/news/1", "www", ("www", 1)),
        ("http://a.b.iribnews.ir/fa/news/1", "www", ("www", 1)),
        ("http://127.0.0.1:8000/fa/news/1", "www", ("www", 1)),
    ],
)
def test_the_desk_of_a_url(url: str, desk: str, key: tuple[str, int] | None) -> None:
    assert desk_of(url, IRIBNEWS) == desk
    assert article_key(url, IRIBNEWS) == key


def test_a_site_without_desks_has_only_the_main_one() -> None:
    assert desk_of("http://yazd.tabnak.ir/fa/news/1", TABNAK) == "www"


def test_hosts_compare_without_case_or_trailing_dot() -> None:
    assert url_host("http://WWW.IribNews.ir./fa") == "www.iribnews.ir"
    assert url_host("/fa/news/1") == ""
    live = CrawlScope(IRIBNEWS)
    assert live.to_fetch("http://www.iribnews.ir./fa/news/1") == "http://www.iribnews.ir/fa/news/1"
    assert live.to_fetch("https://IRIBNEWS.IR/fa/sport") == "https://iribnews.ir/fa/sport"
    assert absolute_url(PAGE, "http://www.iribnews.ir./fa/news/2") == (
        "http://www.iribnews.ir./fa/news/2"
    )
    assert validate_base_url("http://Mirror.Example.:8000/") == "http://mirror.example:8000"
    assert profile_for_url("http://www.iribnews.ir./fa/news/1") is IRIBNEWS


MIRROR_PAGE = "http://127.0.0.1:8000/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # Every form one article's links take: mirror host and port, http, https, www or not,
        # a trailing dot, a slug.
        ("http://127.0.0.1:8000/fa/news/5/slug", "https://www.iribnews.ir/fa/news/5"),
        ("http://iribnews.ir/fa/news/5", "https://www.iribnews.ir/fa/news/5"),
        ("https://www.iribnews.ir./fa/news/5/", "https://www.iribnews.ir/fa/news/5"),
        ("https://www.iribnews.ir:443/fa/news/5", "https://www.iribnews.ir/fa/news/5"),
        # A provincial desk keeps its host.
        ("http://yazd.iribnews.ir/fa/news/60536/x", "https://yazd.iribnews.ir/fa/news/60536"),
        # Another site, or another port on the mirror's machine, is not the site.
        ("https://www.tabnak.ir/fa/news/5", None),
        ("http://127.0.0.1:9000/fa/news/5", None),
        # No article.
        ("http://127.0.0.1:8000/fa/political", None),
    ],
)
def test_canonical_url_of_a_link_on_a_mirror_page(url: str, expected: str | None) -> None:
    assert canonical_url(url, IRIBNEWS, page_url=MIRROR_PAGE) == expected


def test_canonical_url_of_an_article_is_the_sites_whatever_host_it_was_fetched_from() -> None:
    assert canonical_url("http://127.0.0.1:8000/fa/news/7", IRIBNEWS) == (
        "https://www.iribnews.ir/fa/news/7"
    )
    # The id the page shows wins; it stands in when the URL shows none.
    assert canonical_url("http://127.0.0.1:8000/x", IRIBNEWS, news_id=7) == (
        "https://www.iribnews.ir/fa/news/7"
    )
    # The site's canonical host is its home page's: kayhan.ir, without www.
    assert canonical_url("http://www.kayhan.ir/fa/news/9", KAYHAN) == "https://kayhan.ir/fa/news/9"


@pytest.mark.parametrize(
    ("url", "page_url", "expected"),
    [
        (
            "http://127.0.0.1:8000/files/a.jpg?w=1",
            MIRROR_PAGE,
            "https://www.iribnews.ir/files/a.jpg?w=1",
        ),
        # The live site's own hosts and other hosts serve their images as they are.
        ("http://iribnews.ir/files/a.jpg", MIRROR_PAGE, "http://iribnews.ir/files/a.jpg"),
        ("https://cdn.example.org/a.jpg", MIRROR_PAGE, "https://cdn.example.org/a.jpg"),
        ("http://127.0.0.1:8000/a.jpg", PAGE, "http://127.0.0.1:8000/a.jpg"),
        ("http://www.iribnews.ir/a.jpg", PAGE, "http://www.iribnews.ir/a.jpg"),
    ],
)
def test_images_fetched_from_a_mirror_go_on_the_canonical_host(
    url: str, page_url: str, expected: str
) -> None:
    assert on_canonical_host(url, IRIBNEWS, page_url=page_url) == expected
