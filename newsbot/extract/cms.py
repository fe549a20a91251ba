"""Is a site on the IranSamaneh CMS? What its home page shows of the CMS, and of anything else.

The CMS marks its pages three ways (`../shared/site-notes.md`, `../shared/evidence/live-themes.md`,
and the real 2018 home pages of IRIB, Farda and Kayhan): the theme's script
`lib.iransamaneh_<build>.js`, the footer credit «طراحی و تولید: ایران سامانه» linking to
iransamaneh.com, and article URLs `/fa/news/<id>`. A page showing none of them is not on the CMS
(Farda and Bartarinha moved to another CMS by 2024/25); what it shows instead (a generator
`<meta>`, its title, the shape of its numbered links) is reported so that a person can tell a
site that moved from, say, a block page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsbot.extract.htmltext import collapse
from newsbot.extract.selectors import html_selector
from newsbot.sites.urls import absolute_url, news_id_from_url

_THEME_SCRIPT = re.compile(r"lib\.iransamaneh_[^/]*\.js", re.IGNORECASE)
CREDIT_HOST = "iransamaneh.com"
# A path segment that is a number (an id) in a link, for the shape of a site's article links.
_NUMBER_SEGMENT = re.compile(r"\d+")
_SHORT = 60


@dataclass(frozen=True)
class CmsEvidence:
    """What a page shows of the CMS, and what else identifies it."""

    # File names of the theme scripts (lib.iransamaneh_<build>.js).
    theme_scripts: tuple[str, ...]
    # Whether the page links to iransamaneh.com (the footer credit).
    credit: bool
    # How many different /fa/news/<id> articles the page links to.
    article_links: int
    # What else the page says about itself: its generator <meta>, its title.
    generator: str | None
    title: str | None
    # The commonest shape of the page's links with a numeric path segment and how many links
    # have it ("/news/<id>", 12): where a site that left the CMS keeps its articles.
    numbered_links: tuple[str, int] | None

    @property
    def on_cms(self) -> bool:
        return bool(self.theme_scripts or self.credit or self.article_links)

    @property
    def by_links_alone(self) -> bool:
        """On the CMS by its article URLs only: no theme script, no credit. A site that left
        the CMS but kept its URLs would look the same, so this is worth a warning."""
        return self.on_cms and not (self.theme_scripts or self.credit)

    def marks(self) -> str:
        """The three marks of the CMS, found or not, in one phrase."""
        return ", ".join(
            (
                ", ".join(self.theme_scripts) or "no lib.iransamaneh script",
                "the iransamaneh.com credit" if self.credit else "no credit",
                f"{self.article_links} /fa/news/<id> links",
            )
        )

    def other(self) -> str:
        """What else the page shows, in one phrase; "" when it shows nothing more."""
        found = []
        if self.generator:
            found.append(f"generator «{self.generator}»")
        if self.title:
            found.append(f"title «{self.title}»")
        if self.numbered_links:
            shape, count = self.numbered_links
            found.append(f"{count} links like {shape}")
        return ", ".join(found)

    def verdict(self, site: str) -> str:
        """One line for the log: whether `site` is on the CMS, and on what evidence."""
        if not self.on_cms:
            return (
                f"{site} is not on the IranSamaneh CMS: {self.marks()}; "
                f"found {self.other() or 'nothing else that identifies it'}"
            )
        line = f"{site} is on the IranSamaneh CMS: {self.marks()}"
        if self.by_links_alone:
            line += " (by its article URLs alone: a site that left the CMS may keep them)"
        return line

    def as_record(self) -> dict[str, object]:
        """The evidence as JSON values, for the crawl report."""
        return {
            "on_cms": self.on_cms,
            "theme_scripts": list(self.theme_scripts),
            "credit": self.credit,
            "article_links": self.article_links,
            "generator": self.generator,
            "title": self.title,
            "numbered_links": list(self.numbered_links) if self.numbered_links else None,
        }


def detect_cms(page: str, url: str) -> CmsEvidence:
    """What the page at `url` (a site's home page) shows of the IranSamaneh CMS."""
    root = html_selector(page)
    scripts = [
        urlsplit(src.strip()).path.rsplit("/", 1)[-1]
        for src in root.css("script::attr(src)").getall()
    ]
    links = [absolute_url(url, href) for href in root.css("a::attr(href)").getall()]
    hosts = {(urlsplit(link).hostname or "").removeprefix("www.") for link in links if link}
    article_ids = {news_id_from_url(link) for link in links if link} - {None}
    generator = collapse(root.css("meta[name='generator' i]::attr(content)").get("")) or None
    title = collapse(root.css("title::text").get(""))
    return CmsEvidence(
        theme_scripts=tuple(dict.fromkeys(s for s in scripts if _THEME_SCRIPT.fullmatch(s))),
        credit=CREDIT_HOST in hosts,
        article_links=len(article_ids),
        generator=generator,
        title=(title if len(title) <= _SHORT else title[: _SHORT - 1] + "…") or None,
        numbered_links=_commonest_numbered_link(links),
    )


def _commonest_numbered_link(links: list[str | None]) -> tuple[str, int] | None:
    """The commonest path shape, up to its first numeric segment, of the links that have one
    (`/news/800201/slug` → `/news/<id>`), and how many different links have it."""
    shapes: Counter[str] = Counter()
    for link in dict.fromkeys(links):
        if not link:
            continue
        segments = urlsplit(link).path.split("/")
        for index, segment in enumerate(segments):
            if _NUMBER_SEGMENT.fullmatch(segment):
                shapes["/".join([*segments[:index], "<id>"])] += 1
                break
    if not shapes:
        return None
    return shapes.most_common(1)[0]
