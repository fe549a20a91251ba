"""A generated IranSamaneh-style site of any size, served on 127.0.0.1 for the crawl benchmarks.

`python -m benchmarks.sitegen --articles N --port P` serves: a home page whose menu links every
section (`/fa/services/<n>`), section pages linking 50 articles each plus the usual list blocks,
and article pages made from one snapshot article with its id and title changed. It runs on
Twisted (which Scrapy already brings) in its own process, so the crawler under test has the
other core to itself.

With `--gaps`, for an id-range backfill (`-a ids=...`), ids of the range answer as a real site
does for ids it has not got: of every ten ids, eight are articles, one (ending in 3) a 404,
and one (ending in 7) in turn the site's page for a missing article (HTTP 200, no article, as
Kayhan's) or a redirect to the home page. `--delay` answers every page that many seconds late.
"""

import argparse
import re
import sys
from typing import TextIO

from twisted.internet import reactor
from twisted.web import resource, server

from snapshot.crawl import PROJECT_DIR

ARTICLES_PER_SECTION = 50
TEMPLATE = (PROJECT_DIR / "snapshot" / "site" / "news" / "3900001.html").read_text(encoding="utf-8")
FIRST_ID = 5_000_001
MISSING_PAGE = (
    '<!DOCTYPE html><html lang="fa-IR" dir="rtl"><head><meta charset="utf-8"><title>خطا</title>'
    '</head><body><div class="error_container">خبر مورد نظر یافت نشد</div></body></html>'
).encode()


def gap(news_id: int) -> str | None:
    """What an id of a `--gaps` site is, when it is not an article: `404`, `missing` (a page
    for a missing article) or `home` (a redirect to the home page)."""
    if news_id % 10 == 3:
        return "404"
    if news_id % 10 == 7:
        return "missing" if news_id // 10 % 2 == 0 else "home"
    return None


def article_page(news_id: int) -> bytes:
    page = TEMPLATE.replace("3900001", str(news_id)).replace("۳۹۰۰۰۰۱", str(news_id))
    page = re.sub(r"(<h1[^>]*><span>)", rf"\g<1>خبر شماره {news_id} - ", page, count=1)
    return page.encode("utf-8")


def front_page(title: str, menu: str, links: str) -> bytes:
    return (
        '<!DOCTYPE html><html lang="fa-IR" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>"
        f'<div id="nav3" class="nav_service"><ul>{menu}</ul></div>'
        f'<div class="sp_ln_news"><div class="sp_ln_box_title">آخرین اخبار</div>{links}</div>'
        '<div class="tab_most"><a href="#tab_a1" data-toggle="tab">پربازدیدها</a>'
        f'<div id="tab_a1">{links}</div></div></body></html>'
    ).encode()


class GeneratedSite(resource.Resource):
    isLeaf = True

    def __init__(
        self, articles: int, *, gaps: bool = False, delay: float = 0.0, log: TextIO | None = None
    ) -> None:
        super().__init__()
        self.log = log
        self.articles = articles
        self.gaps = gaps
        self.delay = delay
        self.sections = -(-articles // ARTICLES_PER_SECTION)

    def render_GET(self, request: server.Request) -> bytes | int:
        if self.log is not None:
            self.log.write(request.path.decode() + "\n")
            self.log.flush()
        if not self.delay:
            return self.page(request)

        def answer() -> None:
            request.write(self.page(request))
            request.finish()

        late = reactor.callLater(self.delay, answer)  # type: ignore[attr-defined]
        # A client that hangs up (a crawl killed) is not answered.
        request.notifyFinish().addErrback(lambda _: late.cancel() if late.active() else None)
        return server.NOT_DONE_YET

    def page(self, request: server.Request) -> bytes:
        path = request.path.decode()
        request.setHeader(b"content-type", b"text/html; charset=utf-8")
        if path == "/robots.txt":
            request.setHeader(b"content-type", b"text/plain")
            return b"User-agent: *\nAllow: /\n"
        if path == "/" and self.gaps:
            return front_page("خانه", "", "")
        if path == "/":
            menu = "".join(
                f'<li class="nav_link"><a href="/fa/services/{n}">بخش {n}</a></li>'
                for n in range(self.sections)
            )
            return front_page("خانه", menu, "")
        if match := re.fullmatch(r"/fa/services/(\d+)", path):
            section = int(match.group(1))
            first = FIRST_ID + section * ARTICLES_PER_SECTION
            last = min(first + ARTICLES_PER_SECTION, FIRST_ID + self.articles)
            links = "".join(
                f'<a class="sp_title1" href="/fa/news/{i}/خبر-{i}">خبر {i}</a>'
                for i in range(first, last)
            )
            return front_page(f"بخش {section}", "", links)
        if (match := re.fullmatch(r"/fa/news/(\d+)(?:/.*)?", path)) and (
            FIRST_ID <= int(match.group(1)) < FIRST_ID + self.articles
        ):
            news_id = int(match.group(1))
            kind = gap(news_id) if self.gaps else None
            if kind == "missing":
                return MISSING_PAGE
            if kind == "home":
                request.redirect(b"/")
                return b""
            if kind is None:
                return article_page(news_id)
        request.setResponseCode(404)
        return b"<html><body>not found</body></html>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--gaps", action="store_true", help="ids missing as real sites answer")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--log", type=argparse.FileType("a"), help="a line per path requested")
    args = parser.parse_args(argv)
    site = server.Site(GeneratedSite(args.articles, gaps=args.gaps, delay=args.delay, log=args.log))
    site.noisy = False
    port = reactor.listenTCP(args.port, site, interface="127.0.0.1")  # type: ignore[attr-defined]
    print(f"http://127.0.0.1:{port.getHost().port}", flush=True)
    reactor.run()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
