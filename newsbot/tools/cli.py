"""The ``newsbot`` command line: one subcommand per tool.

A command is a ``_cmd_<name>(args) -> int`` function plus one ``add_parser`` block in
:func:`build_parser` that sets it as ``handler``; :func:`main` runs the chosen handler and returns
its exit status. Text goes in and out as UTF-8 whatever the locale, since it is Persian.
"""

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from newsbot import __version__
from newsbot.items import utc_now
from newsbot.sites.catalog import SITES, family_profile, family_profile_for_url
from newsbot.sites.profiles import SiteProfile
from newsbot.text.jalali import JalaliDateError, format_jalali, parse_jalali, to_iso
from newsbot.text.persian import latin_digits, normalize

# The page parsers (lxml, parsel, the JSON Schema) are imported by the subcommands that read
# pages, so that `newsbot date` and `newsbot normalize` start in a fraction of the time.
# tests/test_layers.py checks that they import no Scrapy either.

Handler = Callable[[argparse.Namespace], int]
# `--served-on` years below this are Jalali (1396-01-15); Jalali years are ~1300-1500.
_FIRST_GREGORIAN_YEAR = 1700


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newsbot", description="Tools of the newsbot Persian news crawler."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    normalize_parser = commands.add_parser(
        "normalize",
        help="normalise Persian text from stdin to stdout",
        description=(
            "Read UTF-8 text from stdin, write it normalised (newsbot.text.persian) to stdout."
        ),
    )
    normalize_parser.add_argument(
        "--strip-diacritics", action="store_true", help="also remove vowel marks (harakat)"
    )
    normalize_parser.set_defaults(handler=_cmd_normalize)

    date_parser = commands.add_parser(
        "date",
        help="print a Jalali date as ISO 8601",
        description="Print TEXT, a Jalali date as pages show it, as an ISO 8601 Gregorian date "
        "(with the Tehran offset when it has a time). Exits 1 when TEXT is not an exact date.",
    )
    date_parser.add_argument("text", nargs="+", metavar="TEXT", help="the date (words are joined)")
    date_parser.add_argument(
        "--now",
        type=_aware_datetime,
        help="reference time for relative dates, ISO 8601 with offset (default: the current time)",
    )
    date_parser.set_defaults(handler=_cmd_date)

    extract_parser = commands.add_parser(
        "extract",
        help="print the records of saved pages (or WARC files) as JSON Lines",
        description="Parse saved pages exactly as a crawl would (parser, normalisation, dates, "
        "validation) and print their records, one JSON object a line: an article page's "
        "article record followed by its readers' comments, a home or section page's listing "
        "snapshots. A page is an article when "
        "it has article markup; one without it is a front page unless its URL is an "
        "article's. The site is inferred from the page's URL: a host without a profile is read "
        "with the CMS defaults. A WARC file (NEWSBOT_WARC_ENABLED) gives the records of every "
        "page archived in it. Pages that give no record are reported on stderr; exit status "
        "1 then.",
    )
    extract_parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    extract_parser.add_argument(
        "--url", help="the URL the pages were fetched from (default: each page's canonical URL)"
    )
    extract_parser.add_argument(
        "--served-on",
        type=served_on_day,
        metavar="DAY",
        help="the day the pages were fetched, Gregorian (2017-04-04) or Jalali (1396-01-15: "
        "a year below 1700 is Jalali): the site's theme of that day reads them, and records "
        "are stamped 00:00 UTC of that day (relative times such as «۲ ساعت پیش» count from "
        "it). Default: today, and the current time.",
    )
    extract_parser.set_defaults(handler=_cmd_extract)

    profile_parser = commands.add_parser(
        "profile", help="check a site profile against pages", description="Site profile tools."
    )
    profile_commands = profile_parser.add_subparsers(dest="profile_command", required=True)
    check_parser = profile_commands.add_parser(
        "check",
        help="show which fields and lists a site's profile finds on pages",
        description="Read pages with SITE's profile, exactly as a crawl would, and show per "
        "article field, and per list on a home or section page, what the profile finds. A file "
        "is read at --url, else at its canonical URL, else at the site's home page; an http(s) "
        "URL is fetched. Print, send, save and report pages are recognised by URL and skipped. "
        "Exits 1 when an article lacks news_id, title or body, when a front page lacks a list "
        "or a section menu, or when a page cannot be read.",
    )
    check_parser.add_argument(
        "site",
        type=_family_profile,
        metavar="SITE",
        help=f"a known site ({', '.join(sorted(SITES))}) or the host of any site on the CMS",
    )
    check_parser.add_argument("sources", nargs="+", metavar="URL_OR_FILE")
    check_parser.add_argument("--url", help="the URL saved pages were fetched from")
    check_parser.add_argument(
        "--served-on",
        type=served_on_day,
        metavar="DAY",
        help="the day saved pages were fetched, Gregorian (2017-04-04) or Jalali (1396-01-15), "
        "to read them with the site's theme of that day (default: today)",
    )
    check_parser.set_defaults(handler=_cmd_profile_check)

    smoke_parser = commands.add_parser(
        "smoke",
        help="check that newsbot reads live sites today",
        description="Per SITE (a known site's name or a host), fetch politely (robots.txt, the "
        "download delay) the home page, one section page and the five newest articles through "
        "the crawler, then print one table: CMS detected, theme, lists and their sizes, field "
        "coverage. Exits 1 when a site fails, 2 on a usage error. Nothing is kept.",
    )
    smoke_parser.add_argument("sites", nargs="+", metavar="SITE")
    smoke_parser.add_argument(
        "--base-url",
        action="append",
        default=[],
        metavar="URL",
        help="fetch the site from a mirror or local copy (http://host:port) instead; once per "
        "SITE, in the same order",
    )
    smoke_parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting, as for scrapy crawl (-s DOWNLOAD_DELAY=2)",
    )
    smoke_parser.set_defaults(handler=_cmd_smoke)
    _add_corpus_commands(commands)
    return parser


def _add_corpus_commands(commands: Any) -> None:
    """export, report, reparse: the corpus tools (newsbot.tools.export, .html_report, .reparse),
    imported only when run, since they load DuckDB and warcio."""
    export_parser = commands.add_parser(
        "export",
        help="a site's feeds as one table: articles, revisions, listings or rankings",
        description="Read every finished and recovered feed of SITE under DATA_DIR (never .part "
        "files) and write one table: articles (one row per article, its latest revision), "
        "revisions (every revision), listings (one row per list entry) or rankings (one row "
        "per story and list: first and last seen, snapshots, best and worst rank, time at "
        "rank 1). Parquet keeps timestamps as UTC timestamps and lists as lists; CSV is flat "
        "(lists as JSON text). README 'Exporting a corpus' gives each table's columns.",
    )
    export_parser.add_argument("data_dir", type=Path, metavar="DATA_DIR")
    export_parser.add_argument("--site", required=True, metavar="SITE")
    export_parser.add_argument(
        "--what", required=True, choices=("articles", "revisions", "listings", "rankings")
    )
    export_parser.add_argument("--format", required=True, choices=("parquet", "csv", "jsonl"))
    export_parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    export_parser.set_defaults(handler=_cmd_export)

    report_parser = commands.add_parser(
        "report",
        help="one self-contained HTML report of a site's corpus and crawls",
        description="Write one HTML file, readable offline, with articles per day and section "
        "and per hour (Tehran time), the ranking timelines and longest-running stories of the "
        "most viewed and most discussed lists, and the crawls' health over runs.",
    )
    report_parser.add_argument("data_dir", type=Path, metavar="DATA_DIR")
    report_parser.add_argument("--site", required=True, metavar="SITE")
    report_parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    report_parser.set_defaults(handler=_cmd_report)

    reparse_parser = commands.add_parser(
        "reparse",
        help="rebuild feeds from archived pages (WARC) with today's parser",
        description="Read the pages archived in WARC files (NEWSBOT_WARC_ENABLED) and write the "
        "feeds a crawl would have written, with today's parser, each page dated by its capture "
        "time: DIR/<site>/articles-<time>.jsonl and listings-<time>.jsonl per WARC file. "
        "Revisions are numbered over the WARC files given, oldest first.",
    )
    reparse_parser.add_argument("warcs", nargs="+", type=Path, metavar="WARC")
    reparse_parser.add_argument("-o", "--output", required=True, type=Path, metavar="DIR")
    reparse_parser.set_defaults(handler=_cmd_reparse)


def _cmd_export(args: argparse.Namespace) -> int:
    from newsbot.tools.export import ExportError, export

    try:
        rows = export(args.data_dir, args.site, args.what, args.format, args.output)
    except ExportError as error:
        print(f"newsbot export: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {rows} rows of {args.what} to {args.output}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from newsbot.tools.export import ExportError
    from newsbot.tools.html_report import write_report

    try:
        write_report(args.data_dir, args.site, args.output)
    except ExportError as error:
        print(f"newsbot report: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}")
    return 0


def _cmd_reparse(args: argparse.Namespace) -> int:
    from newsbot.tools.reparse import ReparseError, reparse

    try:
        summary = reparse(args.warcs, args.output)
    except (OSError, ReparseError) as error:
        print(f"newsbot reparse: error: {error}", file=sys.stderr)
        return 1
    print(summary.text())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand named in ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


def _cmd_normalize(args: argparse.Namespace) -> int:
    try:
        text = sys.stdin.buffer.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"newsbot normalize: error: stdin is not UTF-8 ({exc})", file=sys.stderr)
        return 1
    result = normalize(text, strip_diacritics=args.strip_diacritics)
    # Like other text filters, end non-empty output with a newline.
    sys.stdout.buffer.write((result + "\n" if result else "").encode("utf-8"))
    sys.stdout.flush()
    return 0


def _cmd_date(args: argparse.Namespace) -> int:
    now: datetime = args.now or datetime.now(UTC)
    try:
        value = parse_jalali(" ".join(args.text), now=now)
    except JalaliDateError as exc:
        print(f"newsbot date: error: {exc}", file=sys.stderr)
        return 1
    print(to_iso(value))
    return 0


@dataclass(frozen=True)
class ServedOn:
    """A `--served-on` day and the calendar it was written in."""

    day: date
    calendar: Literal["Gregorian", "Jalali"]
    text: str

    def note(self) -> str:
        if self.calendar == "Jalali":
            return (
                f"--served-on {self.text} read as the Jalali day {format_jalali(self.day)}, "
                f"Gregorian {self.day:%Y-%m-%d}"
            )
        return f"--served-on {self.text} read as the Gregorian day {self.day:%Y-%m-%d}"


def served_on_day(text: str) -> ServedOn:
    """argparse type for ``--served-on``: a Gregorian day (2017-04-04) or, when its year is
    below 1700, a Jalali one (1396-01-15, 1396/01/15, Persian digits too)."""
    digits = latin_digits(text.strip())
    year = re.match(r"[0-9]+", digits)
    try:
        if year and int(year.group()) < _FIRST_GREGORIAN_YEAR:
            value = parse_jalali(digits)
            if isinstance(value, datetime):
                raise ValueError("a day, without a time, is expected")
            return ServedOn(value, "Jalali", text)
        return ServedOn(date.fromisoformat(digits), "Gregorian", text)
    except (JalaliDateError, ValueError) as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day such as 2017-04-04 or, Jalali, 1396-01-15 ({exc})"
        ) from None


def _cmd_extract(args: argparse.Namespace) -> int:
    from newsbot.extract.article import NotAnArticle
    from newsbot.extract.records import RecordRejected

    served_on: ServedOn | None = args.served_on
    if served_on is not None:
        print(f"newsbot extract: {served_on.note()}", file=sys.stderr)
    now = f"{served_on.day.isoformat()}T00:00:00+00:00" if served_on else utc_now()
    status = 0
    for path in args.files:
        if path.name.endswith((".warc", ".warc.gz")):
            status = max(status, _extract_warc(path))
            continue
        try:
            records = _extract(path, args.url, now, served_on.day if served_on else None)
        except (OSError, UnicodeDecodeError, ExtractError, NotAnArticle, RecordRejected) as exc:
            print(f"newsbot extract: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        for record in records:
            line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
            sys.stdout.buffer.write(line)
    sys.stdout.flush()
    return status


def _extract_warc(path: Path) -> int:
    """The records of every page archived in a WARC file; 1 when a page gave none."""
    from newsbot.tools.reparse import ReparseError, Summary, archived_pages

    summary = Summary()
    try:
        for page in archived_pages(path, summary):
            for record in page.records:
                line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
                sys.stdout.buffer.write(line)
    except (OSError, ReparseError) as exc:
        print(f"newsbot extract: {path}: {exc}", file=sys.stderr)
        return 1
    for reason, count in sorted(summary.dropped.items()):
        print(
            f"newsbot extract: {path}: {count} archived page(s) gave no record: {reason}",
            file=sys.stderr,
        )
    return 1 if summary.dropped else 0


class ExtractError(Exception):
    """A saved page that cannot be extracted for a reason of its own (no URL, unknown site)."""


def _extract(path: Path, url: str | None, now: str, served_on: date | None) -> list[dict[str, Any]]:
    """A saved page's records: an article page's article and its comments, a front page's
    listings."""
    from newsbot.extract.article import canonical_url
    from newsbot.tools.pages import page_records

    page = path.read_text(encoding="utf-8")
    url = url or canonical_url(page)
    if not url:
        raise ExtractError("the page names no canonical URL; pass --url")
    try:
        profile = family_profile_for_url(url)
    except ValueError as exc:
        raise ExtractError(str(exc)) from None
    records = page_records(None, page, url, profile, fetched_at=now, served_on=served_on)
    if not records:
        raise ExtractError(f"{url} has neither article markup nor a ranked list")
    return records


def _cmd_profile_check(args: argparse.Namespace) -> int:
    from newsbot.tools.profile_check import load_page, read_page

    profile: SiteProfile = args.site
    now = utc_now()
    served_on: ServedOn | None = args.served_on
    day = served_on.day if served_on else None
    if served_on is not None and served_on.calendar == "Jalali":
        # Days were Gregorian only before: a Jalali one says how it was read.
        print(f"newsbot profile check: {served_on.note()}", file=sys.stderr)
    status = 0
    for source in args.sources:
        print(f"{profile.name} {source}")
        try:
            page, url = load_page(source, profile, url=args.url)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"newsbot profile check: {source}: {exc}", file=sys.stderr)
            status = 1
            continue
        reading = read_page(page, url, profile, now=now, served_on=day)
        print("\n".join(reading.report()))
        if reading.problems:
            print(f"  missing: {', '.join(reading.problems)}")
            status = 1
    return status


def _cmd_smoke(args: argparse.Namespace) -> int:
    # Scrapy is imported for this command only: the other tools start without it.
    from newsbot.tools.smoke import smoke

    return smoke(args.sites, base_urls=args.base_url, settings=args.settings)


def _family_profile(text: str) -> SiteProfile:
    """argparse type for SITE: a known site's name, or a host (the CMS defaults there)."""
    try:
        return family_profile(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _aware_datetime(text: str) -> datetime:
    """argparse type for ``--now``: an ISO 8601 datetime that has an offset."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 datetime") from None
    if value.utcoffset() is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no UTC offset")
    return value


if __name__ == "__main__":
    sys.exit(main())
