"""newsbot: Persian news sites on the IranSamaneh CMS → clean, exactly dated JSON Lines.

For notebooks, two functions (README "Python API"); both import what they need when called, so
that `import newsbot` loads neither Scrapy, DuckDB nor pandas.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

__version__ = "0.1.0"


def extract_page(html: str, url: str, served_on: date | None = None) -> list[dict[str, Any]]:
    """The records a crawl would emit for one page, as dictionaries: an article page's article
    (a URL with `/fa/news/<id>`) followed by its readers' comments, or a home or section page's
    listing snapshots.

    The page is read with the profile of the URL's site (its own, a catalog site's, else the
    CMS defaults, as `newsbot extract` does); `served_on`, the day the page was fetched, picks
    the site's theme of that day (default: today). Raises ValueError
    (newsbot.extract.article.NotAnArticle, newsbot.extract.records.RecordRejected) for a page
    the crawl would drop, with the reason, and for a URL without a host.
    """
    from newsbot.items import utc_now
    from newsbot.sites.catalog import family_profile_for_url
    from newsbot.tools.pages import kind_of_url, page_records

    profile = family_profile_for_url(url)
    return page_records(
        kind_of_url(url), html, url, profile, fetched_at=utc_now(), served_on=served_on
    )


def read_corpus(data_dir: str | Path, site: str, what: str = "articles") -> pandas.DataFrame:
    """A site's corpus under `data_dir` as a pandas DataFrame: `what` is one of the tables of
    `newsbot export` (`articles`, `revisions`, `listings`, `rankings`), with the same columns;
    timestamps are UTC. Needs pandas: `pip install 'newsbot[pandas]'`."""
    from newsbot.tools.export import WHATS, read_table

    if what not in WHATS:
        raise ValueError(f"what={what!r}: expected one of {', '.join(WHATS)}")
    return read_table(Path(data_dir), site, what)
