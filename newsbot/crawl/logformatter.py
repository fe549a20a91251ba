"""Log lines for dropped records: the reason and the URL, not a dump of the whole article."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from twisted.python.failure import Failure


class NewsbotLogFormatter(LogFormatter):
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
            "args": {"kind": getattr(item, "type", type(item).__name__), "exception": exception},
        }
