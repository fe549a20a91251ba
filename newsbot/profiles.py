"""Site profiles: everything that differs between sites on the IranSamaneh CMS, as data.

The page parser (newsbot.parser) and the spiders read a profile; adding a site means adding a
profile here, not copying code. Selectors match class *tokens* (`.news_pdate_c`), never whole
`class` strings, because theme builds add bootstrap classes around the same tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsbot.items import ListKind
from newsbot.persian import compact_key

# Headings the CMS themes give the three ranked lists. A block is recognised by its heading
# (compared with spaces and ZWNJ ignored) before its class, so a new theme build that renames
# a class does not silently lose a list.
LIST_HEADINGS: dict[ListKind, tuple[str, ...]] = {
    "latest": ("آخرین اخبار", "آخرین خبرها", "تازه های خبر", "اخبار لحظه به لحظه"),
    "most_viewed": ("پربازدیدها", "پربازدید ترین", "پربازدیدترین ها", "پربیننده ترین"),
    "most_discussed": ("پر بحث ترین ها", "پربحث ترین", "پربحث ترین ها", "پر نظرترین"),
}
_KIND_BY_HEADING_KEY: dict[str, ListKind] = {
    compact_key(heading): kind for kind, headings in LIST_HEADINGS.items() for heading in headings
}


def list_kind_from_heading(heading: str) -> ListKind | None:
    """The list a block holds, judged by its heading text; None for any other heading."""
    return _KIND_BY_HEADING_KEY.get(compact_key(heading))


@dataclass(frozen=True)
class ListBlock:
    """A block of ranked links. `kind` is used when the block has no recognisable heading."""

    name: str
    container: str
    items: str
    heading: str | None = None
    kind: ListKind | None = None


@dataclass(frozen=True)
class TabBlock:
    """Bootstrap tabs: each tab link (`href="#pane-id"`) labels the pane holding its list."""

    name: str
    container: str
    tab_links: str
    items: str


@dataclass(frozen=True)
class ArticleSelectors:
    """Where each article field sits. The defaults are the CMS's; a profile overrides a few."""

    news_id: str = ".news_id_c"
    published: str = ".news_pdate_c, .photo_pub_date, .photo_pdate"
    views: str = ".news_hits"
    comments: str = ".news_comments"
    section: str = ".news_path a"
    kicker: str = ".rutitr"
    title: str = "h1.title"
    lead: str = ".subtitle"
    body: str = ".body"
    tags: str = ".tags_container a, a.tags_item, a.tags_item_photo"
    images: str = ".body img, .album_content img"
    # Label spans such as «کد خبر:» and «تاریخ انتشار:» inside the toolbar fields.
    label: str = ".news_nav_title"


@dataclass(frozen=True)
class SiteProfile:
    name: str
    home_url: str
    # Hosts that serve the site itself; links to them are followed (and mapped onto a
    # mirror's base URL when one is given).
    hosts: tuple[str, ...]
    # Subdomains of this domain are regional desks, followed only when the spider is asked to.
    regional_domain: str | None
    # Subdomains of regional_domain that are not regional desks (other languages).
    non_regional_subdomains: tuple[str, ...]
    # Menu links to section pages (all menus: desktop, mobile, categories, section boxes).
    section_links: str
    list_blocks: tuple[ListBlock, ...]
    tab_blocks: tuple[TabBlock, ...]
    article: ArticleSelectors = field(default_factory=ArticleSelectors)
    # The paged archive listing, newest first (`?from_date=&to_date=&<page_param>=N`), for
    # backfills by date; some sites name the page parameter `pi`.
    archive_path: str = "/fa/archive"
    archive_page_param: str = "p"
    # RSS feeds listing new articles: the cheap source for frequent scheduled runs.
    feed_paths: tuple[str, ...] = ("/fa/rss/allnews",)


IRIBNEWS = SiteProfile(
    name="iribnews",
    home_url="https://www.iribnews.ir/",
    hosts=("www.iribnews.ir", "iribnews.ir"),
    regional_domain="iribnews.ir",
    non_regional_subdomains=("www", "en", "ar"),
    # The main menu holds provinces and international in li.service_ostan, not li.nav_link.
    section_links=(
        "#nav3 a, li.nav_link > a, li.navigation_header a, ul.ul_cat_nav a, a.titleSarser"
    ),
    list_blocks=(
        ListBlock(name="ticker", container="ul#js-news", items="li.news-item a", kind="latest"),
        ListBlock(
            name="sidebar",
            container="div.sp_ln_news",
            heading=".sp_ln_box_title",
            items="a.sp_title1",
            kind="latest",
        ),
    ),
    tab_blocks=(
        TabBlock(
            name="tabs",
            container="div.tab_most",
            tab_links="a[data-toggle='tab']",
            items="a.sp_title1",
        ),
    ),
)

PROFILES: dict[str, SiteProfile] = {profile.name: profile for profile in (IRIBNEWS,)}


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile of the site a URL belongs to (by host, regional desks included)."""
    host = (urlsplit(url).hostname or "").lower()
    for profile in PROFILES.values():
        domain = profile.regional_domain
        if host in profile.hosts or (domain and host.endswith(f".{domain}")):
            return profile
    return None
