"""Log lines a reader can read: URLs with their Persian decoded, records named by what they are
(a news id, a list) rather than dumped whole, dropped records by reason and URL."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from scrapy.logformatter import LogFormatter, LogFormatterResult

from newsbot.items import Article, Listing

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.http import Response
    from twisted.python.failure import Failure

# A run of percent-escapes: decoded only when it is UTF-8 for letters, not ASCII.
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_URL = re.compile(r"https?://[^\s<>\"']+")
# Joiners Persian words need; every other format character (bidi overrides, ...) stays escaped.
_JOINERS = frozenset("\u200c\u200d")


def readable_url(url: str) -> str:
    """`url` with the percent-escapes of its non-ASCII text decoded (a Persian slug reads as
    Persian). Escapes of ASCII characters (%20, %2F, %25), of spaces, controls and bidi marks,
    and of bytes that are not UTF-8 stay as they are, so the URL still says what was fetched."""
    return _ESCAPES.sub(_decoded_escapes, url)


def readable(text: str) -> str:
    """`text` with every http(s) URL in it made readable (readable_url)."""
    return _URL.sub(lambda match: readable_url(match[0]), text)


def _decoded_escapes(match: re.Match[str]) -> str:
    escapes = match[0]
    try:
        text = bytes.fromhex(escapes.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return escapes
    return "".join(char if _shown(char) else quote(char, safe="") for char in text)


def _shown(char: str) -> bool:
    if char.isascii():
        return False
    category = unicodedata.category(char)
    return char in _JOINERS or not (category.startswith(("C", "Z")))


class NewsbotLogFormatter(LogFormatter):
    def crawled(self, request: Request, response: Response, spider: Spider) -> LogFormatterResult:
        result = super().crawled(request, response, spider)
        args: dict[str, Any] = dict(result["args"])
        args["request"] = readable(repr(request))
        args["referer"] = readable(str(args["referer"]))
        return {**result, "args": args}

    def scraped(
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        # The record itself goes to the feed; the log names it.
        if isinstance(item, Article):
            what = f"article {item.news_id}"
        elif isinstance(item, Listing):
            what = f"listing {item.list} ({item.block}, {len(item.entries)} entries)"
        else:
            what = type(item).__name__
        source = getattr(response, "url", None)
        return {
            "level": logging.DEBUG,
            "msg": "Scraped %(what)s from %(source)s",
            "args": {"what": what, "source": readable_url(source) if source else "the spider"},
        }

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        # A DropItem may name its level ("DEBUG" for an article unchanged since emitted).
        level = getattr(exception, "log_level", None) or logging.WARNING
        return {
            "level": getattr(logging, level) if isinstance(level, str) else level,
            "msg": "Dropped %(kind)s record: %(exception)s",
            "args": {
                "kind": getattr(item, "type", type(item).__name__),
                "exception": readable(str(exception)),
            },
        }
