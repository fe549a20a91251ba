"""Spider contracts that address pages by path on the site being crawled.

`@path /fa/political` requests that path on the crawl's site: the live site by default, or
the mirror named by the NEWSBOT_BASE_URL setting. So `scrapy check iribnews` checks the live
site's layout, and `scrapy check iribnews -s NEWSBOT_BASE_URL=http://127.0.0.1:8000` checks a
local snapshot without touching the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.contracts import Contract


class SitePathContract(Contract):
    name = "path"

    def __init__(self, method: Callable[..., Any], *args: Any) -> None:
        super().__init__(method, *args)
        # The contract decorates a bound callback of the spider that scrapy check runs.
        self.spider = method.__self__  # type: ignore[attr-defined]

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        args["url"] = self.spider.scope.home_url.rstrip("/") + self.args[0]
        return args
