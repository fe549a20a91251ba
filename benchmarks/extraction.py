"""Extraction benchmark: newsbot's parse + normalise + date per article page against
trafilatura, news-please and a bare lxml parse, on the same pages, in one run.

Run ``./scripts/bench.sh extraction``. Pages: the snapshot's article pages (whose true fields
are hand-written in snapshot/truth.json) plus generated variants of each: the same article with
three times the page chrome (sidebars, lists, comments) around it, and the same article with
its Persian letters written the Arabic way (ي ك), as older CMS builds and copy-paste produce.
The truth is the same for every variant of a page.

Accuracy per field: title and date are right when they equal the truth (a tool's text is first
passed through newsbot.text.persian.normalize, so letter forms alone never count against it); body
is the token F1 against the true body. Timing: the best of several passes over all pages.
"""

import contextlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import lxml.html
import trafilatura
from newsplease import NewsPlease

from benchmarks.report import save_run
from newsbot.extract.article import parse_article
from newsbot.extract.records import dated_article, normalized_article
from newsbot.sites.profiles import IRIBNEWS
from newsbot.text.jalali import JalaliDateError
from newsbot.text.persian import normalize
from snapshot.crawl import PROJECT_DIR

PASSES = 5
NOW = "2026-11-26T10:00:00+00:00"
SITE = PROJECT_DIR / "snapshot" / "site"
TRUTH = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Page:
    url: str
    html: str
    truth: dict[str, Any]


@dataclass(frozen=True)
class Extracted:
    title: str | None
    published: str | None  # ISO 8601: a datetime with offset, or a date
    body: str | None


def pages() -> list[Page]:
    found = []
    for news_id, truth in sorted(TRUTH["articles"].items()):
        html = (SITE / "news" / f"{news_id}.html").read_text(encoding="utf-8")
        url = f"https://www.iribnews.ir{truth['linked_as']}"
        chrome = re.search(
            r'<div class="col-md-11 sidebar">.*?</div>\s*</div>\s*</div>', html, re.S
        )
        more_chrome = html.replace("</body>", (chrome.group() if chrome else "") * 2 + "</body>")
        arabic_letters = html.translate(str.maketrans({"ی": "ي", "ک": "ك"}))
        found += [Page(url, variant, truth) for variant in (html, more_chrome, arabic_letters)]
    return found


def newsbot_extract(page: Page) -> Extracted:
    article = normalized_article(parse_article(page.html, page.url, IRIBNEWS, crawled_at=NOW))
    with contextlib.suppress(JalaliDateError):
        article = dated_article(article)
    return Extracted(article.title, article.published_at, article.body)


def trafilatura_extract(page: Page) -> Extracted:
    found = trafilatura.extract(page.html, url=page.url, with_metadata=True, output_format="json")
    record = json.loads(found) if found else {}
    return Extracted(record.get("title"), record.get("date"), record.get("text"))


def news_please_extract(page: Page) -> Extracted:
    article = NewsPlease.from_html(page.html, url=page.url, fetch_images=False)
    published = article.date_publish
    return Extracted(article.title, published.isoformat() if published else None, article.maintext)


def lxml_parse(page: Page) -> Extracted:
    lxml.html.fromstring(page.html)
    return Extracted(None, None, None)


EXTRACTORS: dict[str, Callable[[Page], Extracted]] = {
    "newsbot": newsbot_extract,
    "trafilatura": trafilatura_extract,
    "news-please": news_please_extract,
    "lxml parse only": lxml_parse,
}


def seconds_per_page(extract: Callable[[Page], Extracted], corpus: list[Page]) -> float:
    best = float("inf")
    for _ in range(PASSES):
        start = time.perf_counter()
        for page in corpus:
            extract(page)
        best = min(best, time.perf_counter() - start)
    return best / len(corpus)


def same_moment(found: str | None, truth: str | None) -> bool:
    """A date is right when it names the true moment (or the true day, for a date alone)."""
    if not found or not truth:
        return found == truth
    try:
        parsed = datetime.fromisoformat(found)
    except ValueError:
        return False
    expected = datetime.fromisoformat(truth) if "T" in truth else date.fromisoformat(truth)
    if isinstance(expected, datetime):
        return parsed.tzinfo is not None and parsed == expected
    return parsed.date() == expected and "T" not in found


def token_f1(found: str | None, truth: str) -> float:
    found_tokens, true_tokens = Counter(normalize(found or "").split()), Counter(truth.split())
    overlap = sum((found_tokens & true_tokens).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(found_tokens.values()), overlap / sum(true_tokens.values())
    return 2 * precision * recall / (precision + recall)


def accuracy(
    extract: Callable[[Page], Extracted], corpus: list[Page]
) -> tuple[float, float, float]:
    titles = dates = f1 = 0.0
    for page in corpus:
        found = extract(page)
        titles += normalize(found.title or "") == page.truth["title"]
        dates += same_moment(found.published, page.truth["published_at"])
        f1 += token_f1(found.body, page.truth["body"])
    return titles / len(corpus), dates / len(corpus), f1 / len(corpus)


def main() -> None:
    corpus = pages()
    timings = {name: seconds_per_page(extract, corpus) for name, extract in EXTRACTORS.items()}
    ours = timings["newsbot"]
    lines = [
        f"{len(corpus)} pages ({len(corpus) // 3} snapshot articles x 3 variants), "
        f"best of {PASSES} passes",
        "",
        f"{'extractor':<16} {'ms/page':>8} {'vs newsbot':>11} "
        f"{'title':>6} {'date':>6} {'body F1':>8}",
    ]
    for name, extract in EXTRACTORS.items():
        ratio = f"{timings[name] / ours:.2f}x"
        if name == "lxml parse only":
            scores = "     -      -        -"
        else:
            title, when, body = accuracy(extract, corpus)
            scores = f"{title:>6.0%} {when:>6.0%} {body:>8.3f}"
        lines.append(f"{name:<16} {timings[name] * 1000:>8.2f} {ratio:>11} {scores}")
    lines += [
        "",
        f"newsbot is {timings['trafilatura'] / ours:.1f}x faster than trafilatura, "
        f"{timings['news-please'] / ours:.1f}x faster than news-please, and takes "
        f"{ours / timings['lxml parse only']:.2f}x the time of a bare lxml parse.",
    ]
    save_run("extraction", lines)


if __name__ == "__main__":
    main()
