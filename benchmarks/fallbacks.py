"""What the family-wide fallback (newsbot.sites.family) costs per article page, and how many
fields each fallback level reads.

Run ``.venv/bin/python -m benchmarks.fallbacks`` (or ``./scripts/bench.sh fallbacks``); it
prints the tables and saves them, with a description of the machine, to
``benchmarks/runs/fallbacks.txt`` (``./scripts/bench.sh publish fallbacks`` publishes them).

Cost: the article parser (newsbot.extract.article.read_article) with its fallback levels and
without them (the profile alone, as before the fallback existed), side by side in one run on
the same pages, the two timed in turn in every pass, best of PASSES passes. Pages: the
snapshot's article pages, which the IRIB profile reads whole (the cost on pages whose theme the
profile knows), and every fixture article page under tests/sites/ (2018 and today's themes,
family-2025), each read with its site's profile, or with the CMS defaults for a host no
profile names, and with the theme of the day it was served, where the fallbacks do read fields.

Use: the fields each level read on those pages, and in a crawl of the bundled snapshot exactly
as `python -m snapshot.crawl` runs it (`scrapy crawl iribnews` over loopback), from the
`coverage.read_by` of the crawl report it writes.
"""

import contextlib
import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.report import save_run
from newsbot.extract.article import NotAnArticle, read_article
from newsbot.items import READ_FIELDS
from newsbot.sites.family import LEVELS
from newsbot.sites.profiles import IRIBNEWS, PROFILES, SiteProfile
from snapshot.crawl import PROJECT_DIR, crawl_snapshot

PASSES = 30
NOW = "2026-11-26T10:00:00+00:00"
SNAPSHOT = PROJECT_DIR / "snapshot"
SITES = PROJECT_DIR / "tests" / "sites"


@dataclass(frozen=True)
class Page:
    html: str
    url: str
    profile: SiteProfile
    # The day the page was served, which picks its theme (None: today).
    served_on: date | None = None


def snapshot_pages() -> list[Page]:
    truth = json.loads((SNAPSHOT / "truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            (SNAPSHOT / "site" / "news" / f"{news_id}.html").read_text(encoding="utf-8"),
            f"https://www.iribnews.ir{article['linked_as']}",
            IRIBNEWS,
        )
        for news_id, article in sorted(truth["articles"].items())
    ]


def fixture_pages() -> list[Page]:
    pages = []
    for expected_path in sorted(SITES.glob("*/news/*.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        if "article" not in expected:
            continue  # a missing-article page
        folder = expected_path.parent.parent.name
        pages.append(
            Page(
                expected_path.with_suffix(".html").read_text(encoding="utf-8"),
                expected["url"],
                profile_of(folder.removesuffix("-2025"), expected["url"]),
                date.fromisoformat(expected["served_on"]) if "served_on" in expected else None,
            )
        )
    return pages


def profile_of(site: str, url: str) -> SiteProfile:
    """The site's profile, or the CMS defaults for a host no profile names (family-2025)."""
    if site in PROFILES:
        return PROFILES[site]
    host = urlsplit(url).hostname or ""
    name = host.removeprefix("www.").split(".")[0]
    return SiteProfile(name=name, home_url=f"https://{host}/", hosts=(host,))


def parse_all(pages: list[Page], *, fallbacks: bool) -> None:
    for page in pages:
        with contextlib.suppress(NotAnArticle):  # a refused page costs its parse too
            read_article(
                page.html,
                page.url,
                page.profile,
                crawled_at=NOW,
                served_on=page.served_on,
                fallbacks=fallbacks,
            )


def seconds_per_page(pages: list[Page]) -> tuple[float, float]:
    """Best of PASSES, (without fallbacks, with them), timed in turn in each pass. CPU time
    of this process: on a shared machine, time spent descheduled is not the parser's."""
    best = {False: float("inf"), True: float("inf")}
    for _ in range(PASSES):
        for fallbacks in (False, True):
            start = time.process_time()
            parse_all(pages, fallbacks=fallbacks)
            best[fallbacks] = min(best[fallbacks], time.process_time() - start)
    return best[False] / len(pages), best[True] / len(pages)


def fields_by_level(pages: list[Page]) -> tuple[dict[str, Counter[str]], int]:
    """Per field, the pages each level read it on; and the pages refused as no article."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in READ_FIELDS}
    refused = 0
    for page in pages:
        try:
            reading = read_article(
                page.html, page.url, page.profile, crawled_at=NOW, served_on=page.served_on
            )
        except NotAnArticle:
            refused += 1
            continue
        for name, source in reading.sources.items():
            counts[name][source.level] += 1
    return counts, refused


def level_lines(counts: dict[str, dict[str, int]] | dict[str, Counter[str]]) -> list[str]:
    """The fields each level read, in all and for every field a fallback read."""
    total: Counter[str] = Counter()
    for by_level in counts.values():
        total.update(by_level)
    lines = ["  fields read: " + ", ".join(f"{level} {total[level]}" for level in LEVELS)]
    for name, by_level in counts.items():
        if any(by_level.get(level) for level in LEVELS if level != "profile"):
            read = ", ".join(f"{level} {by_level.get(level, 0)}" for level in LEVELS)
            lines.append(f"    {name:<17} {read}")
    return lines


def snapshot_crawl_read_by() -> tuple[dict[str, dict[str, int]], int]:
    with tempfile.TemporaryDirectory() as data_dir:
        crawl = crawl_snapshot(Path(data_dir))
        if crawl.returncode != 0:
            raise SystemExit(f"the snapshot crawl failed ({crawl.returncode}):\n{crawl.log}")
        coverage = crawl.report()["coverage"]
    read_by: dict[str, dict[str, int]] = coverage["read_by"]
    return read_by, coverage["article_pages"]


def main() -> None:
    groups = {"snapshot articles": snapshot_pages(), "fixture articles": fixture_pages()}
    groups["all"] = [page for pages in groups.values() for page in pages]
    lines = [
        f"read_article per page (CPU time), profile only vs with the fallback levels, best of "
        f"{PASSES} passes (the two timed in turn in each pass)",
        "",
        f"{'pages':<18} {'count':>5} {'profile only':>13} {'with fallbacks':>15} {'cost':>16}",
    ]
    for group, pages in groups.items():
        without, with_fallbacks = seconds_per_page(pages)
        cost = with_fallbacks - without
        lines.append(
            f"{group:<18} {len(pages):>5} {without * 1000:>10.3f} ms "
            f"{with_fallbacks * 1000:>12.3f} ms {cost * 1e6:>+7.1f} µs {cost / without:>+6.1%}"
        )
    for group in ("snapshot articles", "fixture articles"):
        counts, refused = fields_by_level(groups[group])
        lines += ["", f"{group} ({len(groups[group])} pages, {refused} refused as no article):"]
        lines += level_lines(counts)
    read_by, article_pages = snapshot_crawl_read_by()
    lines += [
        "",
        f"crawl of the bundled snapshot (scrapy crawl iribnews, {article_pages} article pages, "
        "crawl report coverage.read_by):",
        *level_lines(read_by),
    ]
    save_run("fallbacks", lines)


if __name__ == "__main__":
    main()
