"""Comments and body blocks (issue #15): how many pages show comments the parser finds, and
what comments, body blocks and related news add to the cost of an article page, side by side
in one run.

Run ``./scripts/bench.sh comments_and_blocks`` (or ``python -m benchmarks.comments_and_blocks``
in the project's environment: it needs nothing beyond newsbot). Pages: every article page of
the bundled snapshot, of the fixture sites (tests/sites/, read with their site's profile) and of
tests/comments_site/, and for the shares also the real pages of ../shared/real-pages when that
folder is there.

Cost per article page, each step timed on its own over all pages, the best of several passes
that each time every step (so that the steps compared ran under the same load): the article
record as a crawl made it before issue #15 (parse, normalise, date, check; the parse's body
walk without the blocks' observer and without related news), then what each new part adds:
body blocks (the observer on the body walk, normalising the blocks, checking them against the
schema), related news (finding the heading), comments (parse, normalise, date, check every
comment; the pages without comment markup are skipped after a substring test).
"""

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from benchmarks.report import save_run
from newsbot.extract.article import NotAnArticle, parse_article
from newsbot.extract.body import read_body, related_news
from newsbot.extract.comments import parse_comments
from newsbot.extract.htmltext import element_body_text
from newsbot.extract.records import (
    RecordRejected,
    checked_record,
    dated_article,
    dated_comment,
    normalized_article,
    normalized_comment,
)
from newsbot.extract.selectors import IndexedPage
from newsbot.items import Article
from newsbot.sites.profiles import IRIBNEWS, PROFILES, SiteProfile
from newsbot.text.jalali import JalaliDateError
from snapshot.crawl import PROJECT_DIR

PASSES = 30
NOW = "2026-11-26T10:00:00+00:00"
TESTS = PROJECT_DIR / "tests"
REAL_PAGES = PROJECT_DIR.parent / "shared" / "real-pages"


@dataclass(frozen=True)
class Page:
    group: str
    url: str
    html: str
    profile: SiteProfile


def fixture_pages() -> list[Page]:
    pages = [
        Page(
            "snapshot",
            f"https://www.iribnews.ir/fa/news/{path.stem}",
            path.read_text("utf-8"),
            IRIBNEWS,
        )
        for path in sorted((PROJECT_DIR / "snapshot" / "site" / "news").glob("*.html"))
    ]
    for expected in sorted((TESTS / "sites").glob("*/news/*.json")):
        facts = json.loads(expected.read_text("utf-8"))
        profile = PROFILES.get(expected.parts[-3].removesuffix("-2025"))
        if "article" in facts and profile is not None:
            html = expected.with_suffix(".html").read_text("utf-8")
            pages.append(Page("tests/sites", facts["url"], html, profile))
    for expected in sorted((TESTS / "comments_site" / "news").glob("*.json")):
        facts = json.loads(expected.read_text("utf-8"))
        html = expected.with_suffix(".html").read_text("utf-8")
        pages.append(Page("tests/comments_site", facts["url"], html, IRIBNEWS))
    return pages


def real_pages() -> list[Page]:
    facts_file = TESTS / "sites" / "real-pages.json"
    if not REAL_PAGES.is_dir():
        return []
    pages = []
    for name, facts in json.loads(facts_file.read_text("utf-8")).items():
        group = "real article pages" if "article" in facts else "real home pages"
        html = (REAL_PAGES / name).read_text("utf-8")
        pages.append(Page(group, facts["url"], html, PROFILES[facts["site"]]))
    return pages


def shares(pages: list[Page]) -> list[str]:
    lines = [
        f"{'pages':<22} {'pages':>5} {'with comments':>14} {'comments':>9} "
        f"{'counted, none read':>19}"
    ]
    for group in dict.fromkeys(page.group for page in pages):
        # Pages at article URLs that are no article (a missing one, say) are left out.
        mine = [p for p in pages if p.group == group and (is_article(p) or "home" in group)]
        found = [comments_of(page) for page in mine]
        counted = [_count(page) for page in mine]
        unread = sum(1 for n, c in zip(found, counted, strict=True) if not n and c)
        with_comments = sum(1 for n in found if n)
        lines.append(
            f"{group:<22} {len(mine):>5} {with_comments:>6} ({with_comments / len(mine):>4.0%}) "
            f"{sum(found):>9} {unread:>19}"
        )
    return lines


def comments_of(page: Page) -> int:
    return len(parse_comments(page.html, page.url, page.profile, news_id=1, crawled_at=NOW))


def is_article(page: Page) -> bool:
    try:
        parse_article(page.html, page.url, page.profile, crawled_at=NOW)
    except NotAnArticle:
        return False
    return True


def _count(page: Page) -> int:
    with contextlib.suppress(NotAnArticle):
        return parse_article(page.html, page.url, page.profile, crawled_at=NOW).comment_count or 0
    return 0


def interleaved(steps: dict[str, tuple[Callable[[], object], int]]) -> dict[str, float]:
    """Seconds per page of each step (a function over its pages, and how many): the best of
    PASSES passes, each pass running every step once, so that the steps compared are timed
    side by side under the same load."""
    fastest = dict.fromkeys(steps, float("inf"))
    for _ in range(PASSES):
        for name, (step, _pages) in steps.items():
            start = time.perf_counter()
            step()
            fastest[name] = min(fastest[name], time.perf_counter() - start)
    return {name: fastest[name] / pages for name, (_step, pages) in steps.items()}


def record_steps(article: Article) -> None:
    article = normalized_article(article)
    with contextlib.suppress(JalaliDateError):
        article = dated_article(article)
    with contextlib.suppress(RecordRejected):  # a page without a body, say: checked all the same
        checked_record(article)


def comment_steps(page: Page) -> None:
    found = parse_comments(page.html, page.url, page.profile, news_id=1, crawled_at=NOW)
    for comment in map(normalized_comment, found):
        with contextlib.suppress(JalaliDateError):
            comment = dated_comment(comment)
        checked_record(comment)


def costs(pages: list[Page]) -> list[str]:
    pages = [page for page in pages if is_article(page)]
    articles = [parse_article(p.html, p.url, p.profile, crawled_at=NOW) for p in pages]
    day = datetime.fromisoformat(NOW).date()
    indexed = [IndexedPage(p.html, p.profile.theme_on(day).article) for p in pages]
    bodies = [
        root.first(p.profile.theme_on(day).article.body)
        for p, root in zip(pages, indexed, strict=True)
    ]
    without = [replace(a, body_blocks=[], related=[]) for a in articles]
    with_markup = [p for p in pages if comments_of(p)]
    plain = [p for p in pages if not comments_of(p)]
    n = len(pages)
    timed = interleaved(
        {
            "parse (now)": (
                lambda: [parse_article(p.html, p.url, p.profile, crawled_at=NOW) for p in pages],
                n,
            ),
            "body walk": (lambda: [element_body_text(b) for b in bodies], n),
            "body walk + blocks": (
                lambda: [
                    read_body(b, p.url, p.profile) for b, p in zip(bodies, pages, strict=True)
                ],
                n,
            ),
            "related": (
                lambda: [
                    related_news(p.html, r.selector, p.url, p.profile, a.news_id)
                    for p, r, a in zip(pages, indexed, articles, strict=True)
                ],
                n,
            ),
            "records (now)": (lambda: [record_steps(a) for a in articles], n),
            "records (no blocks)": (lambda: [record_steps(a) for a in without], n),
            "comments": (lambda: [comment_steps(p) for p in pages], n),
            "comments, markup": (
                lambda: [comment_steps(p) for p in with_markup],
                len(with_markup),
            ),
            "comments, none": (lambda: [comment_steps(p) for p in plain], len(plain)),
        }
    )
    blocks_parse = timed["body walk + blocks"] - timed["body walk"]
    blocks_records = timed["records (now)"] - timed["records (no blocks)"]
    before = timed["parse (now)"] - blocks_parse - timed["related"] + timed["records (no blocks)"]
    rows = [
        ("article record as before (parse, normalise, date, check)", before),
        ("+ body blocks: observer on the body walk", blocks_parse),
        ("+ body blocks: normalise and check them", blocks_records),
        ("+ related news", timed["related"]),
        (f"+ comments, over all {n} pages", timed["comments"]),
        (f"    on the {len(with_markup)} pages with comment markup", timed["comments, markup"]),
        (f"    on the {len(plain)} pages without", timed["comments, none"]),
    ]
    after = before + blocks_parse + blocks_records + timed["related"] + timed["comments"]
    lines = [f"{'step':<60} {'ms/page':>8} {'of before':>10}"]
    lines += [f"{name:<60} {s * 1000:>8.3f} {s / before:>10.1%}" for name, s in rows]
    lines.append(
        f"{'article page now, all of it':<60} {after * 1000:>8.3f} {after / before:>10.1%}"
    )
    return lines


def main() -> None:
    fixtures = fixture_pages()
    real = real_pages()
    lines = [
        "Share of article pages (and real home pages) whose comments the parser finds (the",
        "profiles' defaults: the family's comment classes), and pages that count comments but",
        "show none:",
        "",
        *shares(fixtures + real),
        "",
        f"Cost per article page over the fixture pages that are articles, best of {PASSES} passes:",
        "",
        *costs(fixtures),
    ]
    if not real:
        lines += ["", f"({REAL_PAGES} is absent: no real pages counted.)"]
    save_run("comments_and_blocks", lines)


if __name__ == "__main__":
    main()
