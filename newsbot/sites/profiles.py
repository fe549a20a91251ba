"""Site profiles: everything that differs between sites on the IranSamaneh CMS, as data.

The page parsers (newsbot.extract) and the spiders read a profile; adding a site means adding a
profile here, not copying code. Selectors match class *tokens* (`.news_pdate_c`), never whole
`class` strings, because theme builds add bootstrap classes around the same tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import get_args

from newsbot.items import ListKind
from newsbot.sites.urls import url_host
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
    f"{_one_of('جدیدترین', 'تازه‌ترین')}{_maybe(_one_of('ها'))}{_maybe(_NEWS)}"
    # «آخرین» alone is a pager's link to the last page.
    f"|{_one_of('آخرین')}(?:{_one_of('ها')}|{_maybe(_one_of('ها'))}{_NEWS})"
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


@dataclass(frozen=True)
class CommentSelectors:
    """Readers' published comments under an article. The defaults are the family's, as a 2025
    multi-site scraper of about 100 family sites selects them (../shared/evidence/live-themes.md,
    "The CMS family as a whole"): comment items, replies, author, time and text. How the replies
    nest is not in the evidence: a reply is read wherever it sits, and answers the comment it
    sits in (else the item before it); an element of these classes without text of its own is a
    wrapper around a reply, not a comment (newsbot.extract.comments)."""

    items: str = ".comments_item"
    replies: str = ".comm_answer, .comm_answer_line"
    author: str = ".comm_info_name"
    time: str = ".comm_info_date"
    # The comment's text; a comment without one is its own text less author, time, replies and
    # lines without words (separators).
    text: str = ".comments"
    # Not in the evidence: which elements show likes and dislikes, which attribute of a comment
    # holds its id (its digits are the id; without one, comments get a fingerprint), and the URL
    # (a site path with {news_id}) of a comment list served apart from the article. None is
    # known for any family site; a profile names them once a page of its site shows them.
    likes: str | None = None
    dislikes: str | None = None
    id_attribute: str | None = None
    list_path: str | None = None


# Headings of the block of related articles on an article page, compared as list headings are
# (on their letters). Its markup is not in the evidence, so it is found by its heading.
RELATED_HEADINGS = ("اخبار مرتبط",)
_RELATED_KEYS = frozenset(map(_heading_key, RELATED_HEADINGS))


def is_related_heading(text: str) -> bool:
    """Whether a heading names the block of related articles («اخبار مرتبط»)."""
    return _heading_key(text) in _RELATED_KEYS


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
    """The paged archive listing, newest first, that backfills by date walk:
    `<path>?<query>&<per_page_param>=<per_page>&from_date=..&to_date=..&<page_param>=N`.

    The defaults are the CMS's as real archive pages show it (live-themes.md, "Archive pages":
    Tabnak and Asr Iran 2014, Tabnak 2025, Entekhab): the server keeps to the query's Jalali
    from_date/to_date and lists 100 entries a page with no date per entry, under a pager.
    """

    path: str = "/fa/archive"
    # The archive form's other fields, as it sends them: every service, section and category.
    query: tuple[tuple[str, str], ...] = (("service_id", "-1"), ("sec_id", "-1"), ("cat_id", "-1"))
    # Entries a page: 100, as the real pages were asked for (fewer pages to fetch).
    per_page_param: str = "rpp"
    per_page: int = 100
    # Some sites name the page parameter `pi`.
    page_param: str = "p"
    # How from_date/to_date write a Jalali day ({year}, {month}, {day} zero-padded): 1384/01/01.
    date_format: str = "{year}/{month}/{day}"
    # The blocks holding the entries, of which only the innermost count: one entry each, or a
    # run of entry links (Tabnak: div.archive_content > div.linear_news > a.title5; Entekhab:
    # div.archive_content a.title5; never a div.linear_news outside the archive's block, as
    # sidebars and tabs have them). `link`: the entry links in a block (a.title5; h3 a in the
    # bundled snapshot, ours). `date`: the date an entry shows, read only in a block holding
    # one entry; real archive pages show none (.archive_date is the snapshot's).
    items: str = "div.archive_content, div.archive_content div.linear_news"
    link: str = "h3 a, a.title5"
    date: str = ".archive_date, .news_pdate_c"
    # The pager (2014: div#pager «صفحه ۱ از ۳۹۳۲»; Tabnak 2025: .pagination) and its link to
    # the next page (a.next «►»): a page showing the pager without that link is the last.
    pager: str = "div#pager, .pagination"
    next_page: str = "a.next, a:contains('►')"


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
    # An element only the site's "no such article" page has, for sites that answer a deleted
    # or unknown article with an ordinary page and HTTP 200 (Kayhan): such a page is dropped
    # as `missing_article`, not read as an article without a body.
    missing_page: str | None = None
    comments: CommentSelectors = field(default_factory=CommentSelectors)


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


def inside(wrapper: str, fields: ArticleSelectors) -> ArticleSelectors:
    """Article selectors that look for the article's own text (kicker, title, lead, body,
    images) only inside its wrapper, as the evidence gives it for a theme: a bare `h1` or a
    `.subtitle` elsewhere on the page (site name, sidebar teasers) is not the article's. The
    toolbar fields (news id, date, views, section, tags) keep their page-wide classes."""

    def within(selector: str) -> str:
        return ", ".join(
            f"{outer.strip()} {inner.strip()}"
            for outer in wrapper.split(",")
            for inner in selector.split(",")
        )

    return replace(
        fields,
        kicker=within(fields.kicker),
        title=within(fields.title),
        lead=within(fields.lead),
        body=within(fields.body),
        images=within(fields.images),
    )


# Where a site's redesign date is unknown, its current theme starts on 1 January of the first
# year the evidence (../shared/evidence/live-themes.md: public scrapers and stored pages) shows
# it; a page saved before then is read with the theme the profile described before.

# IRIB News 2024–25 (scrapers of those years): photo pages (`.photo_body`, `.photo_subtitle`,
# `.photo_pub_date`, album in `.news_album_main_part`), video pages (`.video_title`,
# `.video_content`), breadcrumb `.news_path2 a`, articles in `.news_general_dl` with
# `h1.title.title_news > span`, `p.subtitle`, `div.body.body_media_content_show`, and the
# toolbar's `.news_id_c` and `.news_pdate_c`. The same scrapers still read `.news_path a` on
# older pages, so the 2018 classes are kept beside the new ones; and the wrapper is not used
# to scope the fields, since photo and video pages are not inside it. Menus, lists and
# archive: no evidence of a change, the CMS's (2018 home page).
IRIBNEWS = SiteProfile(
    name="iribnews",
    home_url="https://www.iribnews.ir/",
    hosts=("www.iribnews.ir", "iribnews.ir"),
    regional_domain="iribnews.ir",
    non_regional_subdomains=("www", "en", "ar"),
    theme=Theme(
        article=ArticleSelectors(
            section=".news_path2 a, .news_path a",
            title="h1.title, .video_title",
            lead=".subtitle, .photo_subtitle",
            body=".body, .photo_body, .video_content",
            images=".body img, .album_content img, .photo_body img, .news_album_main_part img",
        ),
    ),
    # The CMS's own markup: the real home page of 27 Esfand 1396 (2018) and the article
    # markup of those years. Switch date unknown: 2024, the evidence's first year.
    earlier_themes=(DatedTheme(valid_until=date(2024, 1, 1), theme=Theme()),),
)

# A daily newspaper: the home page of 2018 (real-pages/) is page 1 of the current print issue,
# and the index of the issue's pages (/fa/issue/<n>/<page>) is its only section menu.
_KAYHAN_2018_ISSUE_INDEX = "span.zir_mozo_black a, div.main_pager a"
_KAYHAN_2018_TABS = TabBlock(
    name="tabs",
    container="div.box_tab",
    tab_links="a.tab_name",
    panes="div.l_column_content_h",
    items="div.linear_news a",
)
# Kayhan 2025 (a scraper of that year): the article inside
# `.margin_bt_fari div[style='direction: rtl;']`, its date in `div.news_pdate_c` and its
# section in `div.news_cat_c` (both after label spans); an unknown or deleted article is an
# ordinary page (HTTP 200) whose `div.error_container` says «صفحه درخواستی شما موجود نمی باشد».
# Its home page of 2025 is not in the evidence: after a redesign of its articles it may still
# be the print issue of 2018 or have the CMS's menus and lists, so both are read.
KAYHAN = SiteProfile(
    name="kayhan",
    home_url="https://kayhan.ir/",
    hosts=("kayhan.ir", "www.kayhan.ir"),
    theme=Theme(
        section_links=f"{_KAYHAN_2018_ISSUE_INDEX}, {CMS_SECTION_LINKS}",
        tab_blocks=(_KAYHAN_2018_TABS, CMS_TABS),
        article=inside(
            ".margin_bt_fari div[style='direction: rtl;']",
            ArticleSelectors(
                section="div.news_cat_c", label=".news_nav_title, div.news_cat_c > span"
            ),
        ),
        missing_page="div.error_container",
    ),
    # The 2018 home page; articles in the CMS's default markup (no saved Kayhan article
    # page of those years checked). Switch date unknown: 2025, the evidence's first year.
    earlier_themes=(
        DatedTheme(
            valid_until=date(2025, 1, 1),
            theme=Theme(
                section_links=_KAYHAN_2018_ISSUE_INDEX,
                list_blocks=(CMS_TICKER,),
                tab_blocks=(_KAYHAN_2018_TABS,),
            ),
        ),
    ),
    issue_pages=True,
)

# Farda News left the CMS by 2024/25 (a scraper of 2025 files it under another CMS,
# "Aasaam", body `#echo_detail`): no theme of today's site is described here, and its theme is
# the one it served on the CMS, so that saved pages of those years still parse. Home page of
# 2018 (real-pages/): a bootstrap navbar and boxes titled by div.column-title. Articles: the
# CMS defaults, not checked against a saved Farda article page.
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

# Bartarinha left the CMS by 2024/25 too (filed under "Aasaam" in 2025, tags
# `.article_tags a`): its theme is the one it served on the CMS. Article pages: the CMS
# defaults, checked on a 2018 article panel (real-pages/). Home page: the CMS defaults, not
# checked against a saved Bartarinha home page.
BARTARINHA = SiteProfile(
    name="bartarinha",
    home_url="https://www.bartarinha.ir/",
    hosts=("www.bartarinha.ir", "bartarinha.ir"),
)

# The earlier themes of the sites below are the CMS defaults, which their profiles assumed
# before the evidence (no saved page of theirs of those years was checked), except for the
# archive markup that real archive pages of 2014 show.

# Asr Iran: articles in `.col1-news` with a bare `h1` title; `.news_pdate_c` holds the Jalali
# date and, in a second span, the Gregorian one. No year is given: 2019, the first year of the
# evidence. Menus, lists and today's archive are not in the evidence: the CMS's.
ASRIRAN = SiteProfile(
    name="asriran",
    home_url="https://www.asriran.com/",
    hosts=("www.asriran.com", "asriran.com"),
    theme=Theme(article=inside(".col1-news", ArticleSelectors(title="h1"))),
    # Its older theme's archive (real pages of 2014): bare a.title4 links, each after a dot.gif,
    # in no archive_content block, under a ul#js-news ticker that is not archive entries.
    # Today's archive is not known; when its markup finds nothing, backfills read an archive
    # page with the earlier themes' too. When the theme changed is not known either: 2019
    # (the first year of the public scrapers, which do not show this archive) is a guess.
    earlier_themes=(
        DatedTheme(
            date(2019, 1, 1), Theme(archive=ArchiveMarkup(items="a.title4", link="a.title4"))
        ),
    ),
)
# Basij News: articles in `.page`; nothing else is in the evidence, not even a year (2019,
# the first year of the evidence), so the fields are the CMS's inside that wrapper.
BASIJNEWS = SiteProfile(
    name="basijnews",
    home_url="https://basijnews.ir/",
    hosts=("basijnews.ir", "www.basijnews.ir"),
    theme=Theme(article=inside(".page", ArticleSelectors())),
    earlier_themes=(DatedTheme(valid_until=date(2019, 1, 1), theme=Theme()),),
)
# YJC 2023–25, a theme of its own: articles in `.news-box`/`.news_body_serv2`, title
# `.title-news` (republished items `.baznashr-title`), lead `.news_strong`
# (`.baznashr-subtitle`), body `.baznashr-body`, the date inside
# `.details-box-news .photo-newspage-date .date-color-news`, breadcrumb `.path_bottom_body a`.
# Its news id, views and tags are not in the evidence: the CMS's. Menus and lists: the CMS's.
# YJC also serves from yjc.news; accepting both keeps a redirect between them in the crawl.
YJC = SiteProfile(
    name="yjc",
    home_url="https://www.yjc.ir/",
    hosts=("www.yjc.ir", "yjc.ir", "www.yjc.news", "yjc.news"),
    theme=Theme(
        article=ArticleSelectors(
            published=".details-box-news .photo-newspage-date .date-color-news",
            section=".path_bottom_body a",
            title=".title-news, .baznashr-title",
            lead=".news_strong, .baznashr-subtitle",
            body=".baznashr-body",
            images=".baznashr-body img",
        ),
    ),
    # YJC of 2018 kept its lead in `div.news_body_con > div.subtitle > h2.Htags_news_subtitle
    # > strong.news_strong`, which the CMS's `.subtitle` reads. Switch date unknown: 2023.
    earlier_themes=(DatedTheme(valid_until=date(2023, 1, 1), theme=Theme()),),
)
# Tabnak 2019–2025: articles in `.gutter_news`, title `h1.Htag`, news id `span.news_id`, date
# `span.fa_date` («۰۹ تير ۱۴۰۱ - ۰۹:۱۹»; the `span.en_date` beside it is its Gregorian
# day), body `div#newsMainBody`, views in `div.news_nav.news_hits.visible-xs`, the section
# from the breadcrumb's second link. Home page lists are bootstrap tabs whose panes are copied
# for mobile (`#tab1_aa`, `#tab_aa`); their box's classes are not in the evidence, so the box
# is found by bootstrap's own tab markup, as the CMS's 2018 tabs use it. Kicker, lead, tags
# and menus: the CMS's.
TABNAK = SiteProfile(
    name="tabnak",
    home_url="https://www.tabnak.ir/",
    hosts=("www.tabnak.ir", "tabnak.ir"),
    theme=Theme(
        tab_blocks=(
            TabBlock(
                name="tabs",
                container="div:has(> ul.nav > li > a[data-toggle='tab'])",
                tab_links="a[data-toggle='tab']",
                items="a",
            ),
        ),
        article=inside(
            ".gutter_news",
            ArticleSelectors(
                news_id="span.news_id",
                published="span.fa_date",
                views="div.news_hits.visible-xs",
                # The breadcrumb from its second link (the first is the home page), in the
                # CMS's `.news_path`: the evidence does not name the breadcrumb's class. Its
                # second link is the service name `a.newsbody_servicename` also shows.
                section=".news_path a:nth-of-type(n+2)",
                title="h1.Htag",
                body="div#newsMainBody",
                images="div#newsMainBody img",
            ),
        ),
        # Archive: the CMS's as ArchiveMarkup's defaults read it, which are Tabnak's own
        # (2014: `div.archive_content > div.linear_news > a.title5`, `div#pager` with `a.next`;
        # 2025: the same entries with `rpp=100`, a `.pagination` link «►»).
    ),
    # Before 2019 (when the evidence's scrapers first show this theme): the CMS's defaults.
    earlier_themes=(DatedTheme(valid_until=date(2019, 1, 1), theme=Theme()),),
)
# Entekhab 2018–2025: title `h1`, lead `div.subtitle`, body `div.khabar-matn` (an ad script
# inside it, which the body text leaves out), date `div.news_pdate_c` written time first
# («تاریخ انتشار: ۰۹:۰۰ - ۱۸ مهر ۱۳۹۷»), archive entries `div.archive_content a.title5`.
# Menus and lists are not in the evidence: the CMS's. Switch date unknown: 2018.
ENTEKHAB = SiteProfile(
    name="entekhab",
    home_url="https://www.entekhab.ir/",
    hosts=("www.entekhab.ir", "entekhab.ir"),
    theme=Theme(
        article=ArticleSelectors(
            title="h1",
            lead="div.subtitle",
            body="div.khabar-matn",
            images="div.khabar-matn img",
        ),
        # Archive entries `div.archive_content a.title5`: ArchiveMarkup's defaults.
    ),
    earlier_themes=(DatedTheme(valid_until=date(2018, 1, 1), theme=Theme()),),
)

PROFILES: dict[str, SiteProfile] = {
    profile.name: profile
    for profile in (
        IRIBNEWS, KAYHAN, FARDANEWS, BARTARINHA, ASRIRAN, BASIJNEWS, YJC, TABNAK, ENTEKHAB,
    )
}  # fmt: skip


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile of the site a URL belongs to (by host, regional desks included)."""
    host = url_host(url)
    for profile in PROFILES.values():
        domain = profile.regional_domain
        if host in profile.hosts or (domain and host.endswith(f".{domain}")):
            return profile
    return None
