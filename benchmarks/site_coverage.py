"""Field coverage and accuracy per site and theme: every fixture folder of a site
(tests/sites/<site>/ in the theme its profile described before the evidence of today's sites,
tests/sites/<site>-<year>/ in today's) and, when ../shared/real-pages is present, the real
pages, read with each site's profile and the theme of the day each page says it was served,
exactly as a crawl reads them, and scored against their hand-written expected facts.

Run ``.venv/bin/python benchmarks/site_coverage.py`` (or ``python -m benchmarks.site_coverage``).
It prints two tables and writes them, with a description of the machine, to
``benchmarks/runs/site_coverage.txt``.

Coverage: of the fields a page is expected to have (a non-empty expected value), the share the
parser found. Accuracy: of every expected fact, the share that came out exactly as expected,
expected absences (no kicker, no views) included. A front page's facts are its lists (each
list whole: ids, titles and comment counts in order), its menu and section links and the ids of
the articles it links. Scores on fixture pages measure the parser on each site's markup as the
fixtures show it; tests/sites/README.md says which fixtures follow the CMS's default markup
because the site's own has not been checked.
"""

import json
import sys
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from newsbot.items import PAGE_FIELDS
from newsbot.sites.profiles import PROFILES, SiteProfile
from newsbot.tools.profile_check import FieldScore, read_page, score

PROJECT_DIR = Path(__file__).resolve().parents[1]
# Runnable as a file as well as a module: the benchmarks package is not installed.
sys.path.insert(0, str(PROJECT_DIR))

from benchmarks.report import save_run  # noqa: E402

SITES = PROJECT_DIR / "tests" / "sites"
REAL_PAGES = PROJECT_DIR.parent / "shared" / "real-pages"
NOW = "2026-11-26T10:00:00+00:00"


def fixture_pages() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(row, page HTML, expected facts) for every page of every fixture folder of a site with
    a profile (not the family's pages, which no profile describes), then every real page."""
    for folder in sorted(path for path in SITES.iterdir() if path.is_dir()):
        site = folder.name.split("-")[0]
        if site not in PROFILES:
            continue
        for expected_path in sorted(folder.rglob("*.json")):
            page = expected_path.with_suffix(".html").read_text(encoding="utf-8")
            expected = json.loads(expected_path.read_text("utf-8"))
            row = folder.name if folder.name != site else f"{site} ({expected['served_on']})"
            yield row, page, {"site": site, **expected}
    if REAL_PAGES.is_dir():
        real = json.loads((SITES / "real-pages.json").read_text(encoding="utf-8"))
        for name, expected in real.items():
            page = (REAL_PAGES / name).read_text(encoding="utf-8")
            yield f"{expected['site']} (real)", page, expected


PageScores = list[tuple[str, list[FieldScore]]]


def scores(*, defaults_only: bool = False) -> dict[str, PageScores]:
    """Per row (site), per page: the page kind and its field scores. With defaults_only, each
    site is read with a profile holding only its name and hosts: the CMS's defaults."""
    found: dict[str, PageScores] = defaultdict(list)
    for row, page, expected in fixture_pages():
        profile = PROFILES[expected["site"]]
        if defaults_only:
            profile = SiteProfile(name=profile.name, home_url=profile.home_url, hosts=profile.hosts)
        served_on = date.fromisoformat(expected["served_on"]) if "served_on" in expected else None
        reading = read_page(page, expected["url"], profile, now=NOW, served_on=served_on)
        found[row].append((reading.kind, score(reading.facts, expected)))
    return found


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def summary(pages: PageScores) -> tuple[int, int, str, str, str]:
    """Articles, front pages, article-field coverage and accuracy, front-page accuracy. A site's
    page for a missing article counts as neither: it is scored as a page that is no article."""
    fields = [s for kind, page in pages if kind == "article" for s in page]
    expected = [s for s in fields if s.expected]
    fronts = [s for kind, page in pages if kind == "front" for s in page]
    return (
        sum(kind == "article" for kind, _ in pages),
        sum(kind == "front" for kind, _ in pages),
        percent(sum(s.found for s in expected), len(expected)),
        percent(sum(s.correct for s in fields), len(fields)),
        percent(sum(s.correct for s in fronts), len(fronts)),
    )


def site_table(profiled: dict[str, PageScores], defaults: dict[str, PageScores]) -> list[str]:
    lines = [
        f"{'':<24} {'pages':^15}  {'with its own profile':^35}  {'CMS defaults only':^23}".rstrip(),
        f"{'folder (served on)':<24} {'articles':>8} {'fronts':>6}  {'coverage':>11} "
        f"{'accuracy':>11} {'fronts ok':>11}  {'accuracy':>11} {'fronts ok':>11}",
    ]
    rows = [*profiled, "all"]
    for row in rows:
        own = profiled[row] if row != "all" else [p for pages in profiled.values() for p in pages]
        base = defaults[row] if row != "all" else [p for pages in defaults.values() for p in pages]
        articles, fronts, coverage, accuracy, fronts_ok = summary(own)
        _, _, _, base_accuracy, base_fronts_ok = summary(base)
        lines.append(
            f"{row:<24} {articles:>8} {fronts:>6}  {coverage:>11} {accuracy:>11} {fronts_ok:>11}"
            f"  {base_accuracy:>11} {base_fronts_ok:>11}"
        )
    return lines


def field_table(profiled: dict[str, PageScores]) -> list[str]:
    lines = [f"{'article field':<20} {'pages':>5} {'coverage':>9} {'accuracy':>9}"]
    for name in PAGE_FIELDS:
        fields = [
            s
            for pages in profiled.values()
            for kind, page in pages
            if kind == "article"
            for s in page
            if s.name == name
        ]
        expected = [s for s in fields if s.expected]
        coverage = percent(sum(s.found for s in expected), len(expected))
        accuracy = percent(sum(s.correct for s in fields), len(fields))
        lines.append(f"{name:<20} {len(fields):>5} {coverage:>9} {accuracy:>9}")
    return lines


def main() -> None:
    profiled = scores()
    tables = [
        *site_table(profiled, scores(defaults_only=True)),
        "",
        "coverage: expected article fields found; accuracy: article facts exactly as expected",
        "(expected absences included); fronts ok: front-page facts (each list whole, menu and",
        "section links, linked article ids) exactly as expected. (real): ../shared/real-pages.",
        "",
        *field_table(profiled),
    ]
    save_run("site_coverage", tables)


if __name__ == "__main__":
    main()
