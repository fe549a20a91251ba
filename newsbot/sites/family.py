"""The CMS family's alternatives: where sites on IranSamaneh put an article's fields when a
profile's selector finds nothing, and which page metadata says the same. Data only; the
article parser (newsbot.extract.article) tries them in order, after the profile and never
instead of it, and reports which level read each field.

Facts from ../shared/evidence/live-themes.md ("The CMS family as a whole": the base selectors
a 2025 scraper reads about 100 family sites with; "Per site": the article wrappers and IRIB's
`.news_path2`). Classes as generic as `.title` or `.body` also name page chrome (box titles,
panel bodies), so they are read only inside an article wrapper, and never decide on their own
that a page is an article (newsbot.extract.article).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Where a field's value came from: the profile's selector, a family alternative, the page's
# own metadata, or (news ids only) the article's URL.
Level = Literal["profile", "family", "metadata", "url"]
LEVELS: tuple[Level, ...] = ("profile", "family", "metadata", "url")


@dataclass(frozen=True)
class Alternative:
    """A selector the family's themes put a field under. `in_wrapper`: a generic class, read
    only inside the article's wrapper (FAMILY_WRAPPERS)."""

    selector: str
    in_wrapper: bool = False


def _anywhere(*selectors: str) -> tuple[Alternative, ...]:
    return tuple(Alternative(selector) for selector in selectors)


def _in_wrapper(*selectors: str) -> tuple[Alternative, ...]:
    return tuple(Alternative(selector, in_wrapper=True) for selector in selectors)


# The elements family sites wrap an article in (evidence, "Per site"), most specific first;
# `article` is the 2025 scraper's default. The first of them a page has is its article. Left
# out: Basij News's `.page` and Bultan's `.main_body .col-md-27`, which name layout boxes on
# other sites (our own fixtures use `.main_body` for the whole page's column).
FAMILY_WRAPPERS: tuple[str, ...] = (
    ".news_general_dl",  # iribnews 2024-25
    ".gutter_news",  # tabnak 2019-25
    ".news_body_serv2",  # yjc 2023-25
    ".news-box",  # yjc 2023-25
    ".col1-news",  # asriran
    ".col_r_inner_news",  # aftabnews
    ".main_news_body",  # mizanonline
    ".bg-shadow-news",  # jamejamonline
    ".photo_news_content",  # snn photo pages
    ".margin_bt_fari",  # kayhan 2025
    "article",
)

# Per Article field (newsbot.items), the family's alternatives in the order they are tried.
# Fields without an entry (news_id, views, comment_count) have no family alternative in the
# evidence: a news id still comes from the URL, a comment count may come from metadata.
FAMILY_ALTERNATIVES: dict[str, tuple[Alternative, ...]] = {
    "kicker": _anywhere(".news-rutitr") + _in_wrapper(".rutitr"),
    # Last, the wrapper's first bare `h1`: the title on Asr Iran, Entekhab, Jame Jam (evidence).
    "title": _anywhere(".news-title", ".title-news") + _in_wrapper(".title", "h1"),
    # The photo pages' summary (`.sub_ax`, `.subtitle_photo`) stands in for a lead last.
    "lead": (
        _anywhere(".news-subtitle", ".subtitle-news")
        + _in_wrapper(".subtitle")
        + _anywhere(".sub_ax", ".subtitle_photo")
    ),
    "body": _in_wrapper(".body") + _anywhere(".album_content"),
    # «۰۹ تير ۱۴۰۱ - ۰۹:۱۹»: each holds the date and time as one line. Not used: `.autor_ax`,
    # which the evidence lists among date containers without saying what else it holds.
    "published_at_raw": _anywhere(".item-date span", ".news_pdate_c", ".news-date", ".fa_date"),
    "section": _anywhere(".news_path2 a", ".news_path a"),
    "tags": _anywhere(".tags_title a") + _in_wrapper(".tags li"),
    # `.lead_image` is the picture or holds it (the evidence does not say which).
    "images": (
        _anywhere("img.lead_image, .lead_image img", ".album_listi img", ".album_content img")
        + _in_wrapper(".body img")
    ),
}

# Per field, the page metadata tried last, in order: `og:<name>` and `<meta name>` values
# (`meta:<property or name>`), microdata (`itemprop:<name>`, its content or datetime attribute,
# else its text) and the page's JSON-LD article object (`ld:<key>`, the first object whose
# @type is an Article kind). Not used: `meta:keywords`, which family sites fill with the same
# site-wide word list on every page (the 2018 IRIB home page, ../shared/real-pages/), and
# `og:image`, a site logo on pages without a picture of their own.
METADATA_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("meta:og:title", "itemprop:headline", "ld:headline"),
    "lead": (
        "meta:description",
        "meta:og:description",
        "itemprop:description",
        "ld:description",
    ),
    "body": ("itemprop:articleBody", "ld:articleBody"),
    # ISO 8601 with an offset, read as such by newsbot.extract.records.
    "published_at_raw": (
        "meta:article:published_time",
        "itemprop:datePublished",
        "ld:datePublished",
    ),
    "section": ("meta:article:section", "itemprop:articleSection", "ld:articleSection"),
    "tags": ("meta:article:tag", "itemprop:keywords", "ld:keywords"),
    "comment_count": ("itemprop:commentCount", "ld:commentCount"),
}


def family_selectors() -> tuple[str, ...]:
    """Every selector above, for the class index the article parser builds of a page."""
    return FAMILY_WRAPPERS + tuple(
        alternative.selector
        for alternatives in FAMILY_ALTERNATIVES.values()
        for alternative in alternatives
    )
