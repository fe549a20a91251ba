"""Site profiles: everything that differs between sites on the IranSamaneh CMS, as data.

The page parsers (newsbot.extract) and the spiders read a profile; adding a site means adding a
profile here, not copying code. Selectors match class *tokens* (`.news_pdate_c`), never whole
`class` strings, because theme builds add bootstrap classes around the same tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import get_args
from urllib.parse import urlsplit

from newsbot.items import ListKind
from newsbot.text.persian import normalize

# What a heading's words are compared on: letters only (no spaces, ZWNJ, punctuation, digits
# or vowel marks), Arabic yeh and kaf as Persian ones, alef with madda or hamza as alef.
_NOT_A_LETTER = re.compile(r"[\W\d_]+")
_LETTER_VARIANTS = str.maketrans("آأإۀة", "اااهه")


def _heading_key(text: str) -> str:
    return _NOT_A_LETTER.sub("", normalize(text)).translate(_LETTER_VARIANTS)


def _one_of(*words: str) -> str:
    return "(?:" + "|".join(sorted(re.escape(_heading_key(word)) for word in words)) + ")"


def _maybe(pattern: str) -> str:
    return f"(?:{pattern})?"


# The three ranked lists, recognised by the words of their heading rather than by a list of
# exact strings: sites and theme builds word them differently («آخرین اخبار», «جدیدترین اخبار»,
# «تازه‌های خبر»; «پربازدیدها», «پربیننده ترین»; «پر بحث ترین ها», «پربحث ترین عناوین»). A
# heading names a list when it is nothing but such words: a newness word with a news noun, or
# «پر» + viewed / discussed, with «ترین», «ها» and a news noun as it likes. One word more
# («آخرین اخبار ورزشی», «پربازدیدترین‌های هفته») makes another box, as are «تیتر امروز»,
# «اخبار ویژه» and comment forms («نظر شما», «نظرات بینندگان»).
_NEWS = _one_of("اخبار", "خبرها", "خبر", "عناوین", "مطالب")
# Nouns written before their adjective: «اخبار پربازدید», «خبرهای تازه».
_NEWS_FIRST = _one_of("اخبار", "خبرهای", "عناوین", "مطالب")
_PLURAL = _one_of("ها", "های")
_LATEST = (
    f"{_one_of('آخرین', 'جدیدترین', 'تازه‌ترین')}{_maybe(_one_of('ها'))}{_maybe(_NEWS)}"
    f"|{_one_of('تازه', 'جدید')}{_PLURAL}{_maybe(_NEWS)}"
    f"|{_NEWS_FIRST}{_one_of('تازه', 'جدید', 'لحظه به لحظه')}"
)


def _most(*nouns: str) -> str:
    """«پربازدید», «پربازدیدترین‌ها», «پربازدیدترین اخبار», «اخبار پربازدید»."""
    most = f"{_one_of('پر')}{_one_of(*nouns)}{_maybe(_one_of('ترین'))}"
    return f"{most}{_maybe(_PLURAL)}{_maybe(_NEWS)}|{_NEWS_FIRST}{most}"


_LIST_HEADING = re.compile(
    f"(?P<latest>{_LATEST})"
    f"|(?P<most_viewed>{_most('بازدید', 'بیننده', 'خواننده', 'مخاطب')})"
    f"|(?P<most_discussed>{_most('بحث', 'نظر')})"
)
_LIST_KINDS: dict[str, ListKind] = {kind: kind for kind in get_args(ListKind)}


def list_kind_from_heading(heading: str) -> ListKind | None:
    """The ranked list a block holds, judged by the words of its heading; None for any other
    heading."""
    match = _LIST_HEADING.fullmatch(_heading_key(heading))
    return _LIST_KINDS[match.lastgroup] if match and match.lastgroup else None


@dataclass(frozen=True)
class ListBlock:
    """A block of ranked links. `kind` is used when the block has no heading; a block whose
    heading names no list (Farda's «پیشخوان» box) is not a ranked list."""

    name: str
    container: str
    # One element per entry: the entry's link, or, with `link`, the element holding it.
    items: str
    heading: str | None = None
    kind: ListKind | None = None
    # The entry's link inside an item, for items that hold more than the link.
    link: str | None = None
    # The element of an item showing its comment count (Farda puts it beside the link);
    # without it the count is read from a trailing «(۱۴ نظر)» in the link text.
    comment_count: str | None = None


@dataclass(frozen=True)
class TabBlock:
    """Tabs whose labels name the lists in their panes. A label links to its pane
    (`href="#pane-id"`), or, with `panes`, the nth label goes with the nth pane (Kayhan)."""

    name: str
    container: str
    tab_links: str
    items: str
    panes: str | None = None


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


# The CMS's own menus and list blocks, as IRIB News shows them; a profile starts from these.
# The main menu holds provinces and international in li.service_ostan, not li.nav_link.
CMS_SECTION_LINKS = (
    "#nav3 a, li.nav_link > a, li.navigation_header a, ul.ul_cat_nav a, a.titleSarser"
)
CMS_TICKER = ListBlock(name="ticker", container="ul#js-news", items="li.news-item a", kind="latest")
CMS_SIDEBAR = ListBlock(
    name="sidebar",
    container="div.sp_ln_news",
    heading=".sp_ln_box_title",
    items="a.sp_title1",
    kind="latest",
)
CMS_TABS = TabBlock(
    name="tabs", container="div.tab_most", tab_links="a[data-toggle='tab']", items="a.sp_title1"
)


@dataclass(frozen=True)
class ArchiveMarkup:
    """The paged archive listing, newest first (`?from_date=&to_date=&<page_param>=N`), used
    for backfills by date."""

    path: str = "/fa/archive"
    # Some sites name the page parameter `pi`.
    page_param: str = "p"
    # How from_date/to_date write a Jalali day ({year}, {month}, {day} zero-padded). Not
    # verified on a live site: 1402/03/01 is the form the archive's date pickers show.
    date_format: str = "{year}/{month}/{day}"
    # An archive page's entries, each entry's link to its article (else its first article
    # link) and the date it shows. The CMS's archive markup as we wrote it in the snapshot;
    # not yet checked against a saved live archive page.
    items: str = ".archive_content .news"
    link: str = "h3 a, a.title5"
    date: str = ".archive_date, .news_pdate_c"


@dataclass(frozen=True)
class Theme:
    """Everything a site's redesign changes: menus, list blocks, article and archive markup.
    The defaults are the CMS's own (2018); a profile overrides what its site does otherwise."""

    # Menu links to section pages (all menus: desktop, mobile, categories, section boxes).
    section_links: str = CMS_SECTION_LINKS
    list_blocks: tuple[ListBlock, ...] = (CMS_TICKER, CMS_SIDEBAR)
    tab_blocks: tuple[TabBlock, ...] = (CMS_TABS,)
    article: ArticleSelectors = field(default_factory=ArticleSelectors)
    archive: ArchiveMarkup = field(default_factory=ArchiveMarkup)


@dataclass(frozen=True)
class DatedTheme:
    """A theme a site served until `valid_until` (exclusive).

    A redesign moves the old theme here rather than editing it away, so pages saved before
    it still parse (Fundus's dated parser versions).
    """

    valid_until: date
    theme: Theme


@dataclass(frozen=True)
class SiteProfile:
    name: str
    home_url: str
    # Hosts that serve the site itself; links to them are followed (and mapped onto a
    # mirror's base URL when one is given).
    hosts: tuple[str, ...]
    # Subdomains of this domain are regional desks, followed only when the spider is asked to.
    regional_domain: str | None = None
    # Subdomains of regional_domain that are not regional desks (other languages).
    non_regional_subdomains: tuple[str, ...] = ()
    # The theme the site serves now.
    theme: Theme = field(default_factory=Theme)
    # Themes the site served before, oldest first.
    earlier_themes: tuple[DatedTheme, ...] = ()
    # RSS feeds listing new articles: the cheap source for frequent scheduled runs.
    feed_paths: tuple[str, ...] = ("/fa/rss/allnews",)
    # Newspaper sites (Kayhan) show each print issue page by page at /fa/issue/<n>/<page>:
    # front pages whose links reach the whole issue.
    issue_pages: bool = False
    # Page kinds ("front", "archive", "article") whose blocks the site fills by JavaScript:
    # rendered through Splash when SPLASH_URL is set (newsbot.scale.splash_rendering).
    # None checked yet.
    render_js: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        ends = [dated.valid_until for dated in self.earlier_themes]
        if ends != sorted(set(ends)):
            raise ValueError(f"{self.name}: earlier_themes must be oldest first, one per date")

    def theme_on(self, served_on: date) -> Theme:
        """The theme the site served on a given day."""
        for dated in self.earlier_themes:
            if served_on < dated.valid_until:
                return dated.theme
        return self.theme


IRIBNEWS = SiteProfile(
    name="iribnews",
    home_url="https://www.iribnews.ir/",
    hosts=("www.iribnews.ir", "iribnews.ir"),
    regional_domain="iribnews.ir",
    non_regional_subdomains=("www", "en", "ar"),
)

# A daily newspaper: the home page is page 1 of the current print issue, and the index of the
# issue's pages (/fa/issue/<n>/<page>) is its only section menu (2018 home page, real-pages/).
# Articles: the CMS defaults, not yet checked against a saved Kayhan article page.
KAYHAN = SiteProfile(
    name="kayhan",
    home_url="https://kayhan.ir/",
    hosts=("kayhan.ir", "www.kayhan.ir"),
    theme=Theme(
        section_links="span.zir_mozo_black a, div.main_pager a",
        list_blocks=(CMS_TICKER,),
        tab_blocks=(
            TabBlock(
                name="tabs",
                container="div.box_tab",
                tab_links="a.tab_name",
                panes="div.l_column_content_h",
                items="div.linear_news a",
            ),
        ),
    ),
    issue_pages=True,
)

# Home page of 2018 (real-pages/): a bootstrap navbar and boxes titled by div.column-title.
# Articles: the CMS defaults, not yet checked against a saved Farda article page.
FARDANEWS = SiteProfile(
    name="fardanews",
    home_url="https://www.fardanews.com/",
    hosts=("www.fardanews.com", "fardanews.com"),
    theme=Theme(
        # The mobile-only items (li.visible-xs) are links, archive, contacts and RSS.
        section_links="nav.navbar ul.nav.navbar-nav > li:not(.visible-xs) > a",
        list_blocks=(
            # Two div.hot-news boxes, «پیشخوان» (editors' picks) and «تازه های خبر»: only the
            # heading tells the latest news apart, so this block has no kind of its own.
            ListBlock(
                name="sidebar",
                container="div.hot-news",
                heading=".column-title",
                items="ul.list_1 > li.new_linear > a",
            ),
            ListBlock(
                name="boxes",
                container="div.most-view",
                heading=".column-title",
                items="ul > li",
                link="h5 > a",
                kind="most_viewed",
            ),
            ListBlock(
                name="boxes",
                container="div.most-comment",
                heading=".column-title",
                items="ul > li",
                link="h5 > a",
                comment_count=".farda-stack-2x",
                kind="most_discussed",
            ),
        ),
        tab_blocks=(),
    ),
)

# Article pages: the CMS defaults, checked on a 2018 article panel (real-pages/).
# Home page: the CMS defaults, not yet checked against a saved Bartarinha home page.
BARTARINHA = SiteProfile(
    name="bartarinha",
    home_url="https://www.bartarinha.ir/",
    hosts=("www.bartarinha.ir", "bartarinha.ir"),
)

# The sites below are on the CMS (site-notes.md), but no saved page of theirs has been checked
# here: they start from the CMS defaults, and `newsbot profile check` shows what those miss.
ASRIRAN = SiteProfile(
    name="asriran",
    home_url="https://www.asriran.com/",
    hosts=("www.asriran.com", "asriran.com"),
)
BASIJNEWS = SiteProfile(
    name="basijnews",
    home_url="https://basijnews.ir/",
    hosts=("basijnews.ir", "www.basijnews.ir"),
)
# YJC also serves from yjc.news; accepting both keeps a redirect between them in the crawl.
YJC = SiteProfile(
    name="yjc",
    home_url="https://www.yjc.ir/",
    hosts=("www.yjc.ir", "yjc.ir", "www.yjc.news", "yjc.news"),
)
TABNAK = SiteProfile(
    name="tabnak",
    home_url="https://www.tabnak.ir/",
    hosts=("www.tabnak.ir", "tabnak.ir"),
)
ENTEKHAB = SiteProfile(
    name="entekhab",
    home_url="https://www.entekhab.ir/",
    hosts=("www.entekhab.ir", "entekhab.ir"),
)

PROFILES: dict[str, SiteProfile] = {
    profile.name: profile
    for profile in (
        IRIBNEWS, KAYHAN, FARDANEWS, BARTARINHA, ASRIRAN, BASIJNEWS, YJC, TABNAK, ENTEKHAB,
    )
}  # fmt: skip


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile of the site a URL belongs to (by host, regional desks included)."""
    host = (urlsplit(url).hostname or "").lower()
    for profile in PROFILES.values():
        domain = profile.regional_domain
        if host in profile.hosts or (domain and host.endswith(f".{domain}")):
            return profile
    return None
