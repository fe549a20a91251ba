"""Why a page or a record gave nothing: every reason the crawl drops one, in one table.

A reason's value is its key in the stats (`newsbot/dropped/<key>`) and the crawl report
(`dropped`), which users' scripts read: a key never changes. Some reasons are families whose
key names a detail: `http_404`, `splash_timeout`, `missing_body`, `print_page`.

Per reason:
- `retried`: the page is asked for again (up to RETRY_TIMES) before it is dropped as this; for
  `http_<status>` only the statuses of RETRY_HTTP_CODES (5xx, 408, 429), as Scrapy does.
- `counted`: on an article page, the page counts among those whose field coverage the crawl
  report measures (newsbot.crawl.report): the parser or the pipelines read it, so a field it
  lacks says something about the site's layout. A page that never came whole says nothing.
- `no_page`: the request gave no page, or none whole: a crawl whose every request ended so has
  fetched nothing (exit status 6), and says why with these.
"""

from __future__ import annotations

import re
from enum import StrEnum


class DropReason(StrEnum):
    retried: bool
    counted: bool
    no_page: bool

    def __new__(cls, key: str, retried: bool, counted: bool, no_page: bool) -> DropReason:
        member = str.__new__(cls, key)
        member._value_ = key
        member.retried, member.counted, member.no_page = retried, counted, no_page
        return member

    # key, retried, counted, no_page
    # --- no page (newsbot.crawl.downloads.failure_reason) ---
    HTTP = "http_{}", True, False, True  # http_<status>
    TIMEOUT = "timeout", True, False, True
    CONNECTION_LOST = "connection_lost", True, False, True
    CONNECTION_REFUSED = "connection_refused", True, False, True
    DNS_ERROR = "dns_error", True, False, True
    DOWNLOAD_ERROR = "download_error", True, False, True
    DATA_LOSS = "data_loss", True, False, True  # fewer bytes than Content-Length
    TOO_LARGE = "too_large", False, False, True  # DOWNLOAD_MAXSIZE
    ROBOTS_TXT = "robots_txt", False, False, True
    OFFSITE_REDIRECT = "offsite_redirect", False, False, True
    REDIRECT_LOOP = "redirect_loop", False, False, True
    IGNORED = "ignored", False, False, True  # another IgnoreRequest
    # An article's request redirected to the home page, or to a page that is not the article (an
    # id-range walk's missing ids): pages, counted in the coverage as before they had a name here.
    REDIRECT_HOME = "redirect_home", False, True, False
    REDIRECT_OFF_ARTICLE = "redirect_off_article", False, True, False
    SPLASH = "splash_{}", True, False, True  # splash_<network reason>: Splash unreachable
    # --- a page that answered but cannot be read whole (newsbot.crawl.downloads.page_problem) ---
    EMPTY_PAGE = "empty_page", True, False, True
    TRUNCATED = "truncated", True, False, True  # the HTML stops before </body>, </html>
    BAD_ENCODING = "bad_encoding", False, False, True  # bytes its charset cannot decode
    NOT_HTML = "not_html", False, False, False  # an image, a PDF, ...: a page, not HTML
    # --- a page read, but not the page expected (newsbot.crawl.spider, newsbot.extract) ---
    NOT_A_FRONT_PAGE = "not_a_front_page", False, False, False  # no list, menu or article link
    FEED_WITHOUT_ARTICLES = "feed_without_articles", False, False, False
    NOT_AN_ARTICLE = "not_an_article", False, True, False  # no article markup
    # The site's own page for an article it does not have, served with HTTP 200 (Kayhan's): a 404.
    MISSING_ARTICLE = "missing_article", False, False, True
    ARTICLE_COPY = "{}_page", False, True, False  # print_page, send_page, save_page, report_page
    # --- a record the pipelines leave out (newsbot.extract.records, newsbot.crawl.pipelines) ---
    MISSING = "missing_{}", False, True, False  # missing_<required field>
    INVALID_RECORD = "invalid_record", False, True, False  # against the JSON Schema
    DATE_UNKNOWN = "date_unknown", False, True, False  # a backfill cannot place it
    OUT_OF_RANGE = "out_of_range", False, True, False  # published outside a backfill's range
    UNCHANGED = "unchanged", False, True, False  # as emitted before
    DUPLICATE = "duplicate", False, False, False  # the same article twice in a run
    # --- comments (newsbot.extract.comments, newsbot.crawl.pipelines) ---
    NO_COMMENTS = "no_comments", False, False, False  # a comments page without its list
    COMMENT_KNOWN = "comment_known", False, False, False  # emitted before
    COMMENT_WITHOUT_ARTICLE = "comment_without_article", False, False, False

    def key(self, detail: str) -> str:
        """The key of a family's reason: `DropReason.HTTP.key("404")` is `http_404`."""
        if "{}" not in self.value:
            raise ValueError(f"{self.name} is one reason, not a family")
        return self.value.format(detail)

    @classmethod
    def of(cls, key: str) -> DropReason | None:
        """The reason of a key (`http_404` → HTTP), None for a key no part of newsbot gives."""
        families = []
        for member in cls:
            if member.value == key:
                return member
            if "{}" in member.value:
                families.append(member)
        for member in families:
            if re.fullmatch(re.escape(member.value).replace(r"\{\}", "[a-z0-9_]+"), key):
                return member
        return None
