"""Backfills by Jalali date: the range a user asks for, checked before anything is fetched,
and the decisions of the walk through a site's paged archive (newest first).

A range is two Jalali days, `since` and `until` (`1402-03-01`), both included, in Tehran
wall-clock time. An article is in it when its own publication day is; the day an archive page
shows for it only decides whether it is worth fetching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from newsbot.extract.listed import ListedArticle
from newsbot.text.jalali import TEHRAN, JalaliDateError, format_jalali, parse_jalali
from newsbot.text.persian import latin_digits

_JALALI_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class DateRange:
    since: str  # Jalali day, YYYY-MM-DD
    until: str

    @classmethod
    def parse(
        cls, since: str | None, until: str | None, *, now: datetime | None = None
    ) -> DateRange | None:
        """The range of the spider arguments `since` and `until`; None when neither is given.

        `until` defaults to today in Tehran. Raises ValueError, saying what is wrong, for a
        malformed or impossible day and for a range that ends before it starts.
        """
        if since is None and until is None:
            return None
        if since is None:
            raise ValueError(f"until={until}: a backfill needs since as well (since=1402-03-01)")
        start = jalali_day("since", since)
        end = jalali_day("until", until) if until is not None else today(now)
        if end < start:
            raise ValueError(f"since={start} is after until={end}: the range is reversed")
        return cls(start, end)

    def __contains__(self, day: str) -> bool:
        return self.since <= day[:10] <= self.until

    def query(self, date_format: str) -> tuple[str, str]:
        """`since` and `until` as the archive's query parameters write them."""
        return _formatted(self.since, date_format), _formatted(self.until, date_format)


def jalali_day(name: str, text: str) -> str:
    """A Jalali day given as `YYYY-MM-DD` (any digits), checked to exist; ValueError if not."""
    value = latin_digits(text.strip())
    match = _JALALI_DAY.fullmatch(value)
    if match is None:
        raise ValueError(f"{name}={text!r}: expected a Jalali day as YYYY-MM-DD, e.g. 1402-03-01")
    try:
        parse_jalali(value)
    except JalaliDateError as error:
        raise ValueError(f"{name}={text!r}: {error.reason}") from None
    return value


def today(now: datetime | None = None) -> str:
    return format_jalali((now or datetime.now(UTC)).astimezone(TEHRAN).date())


def listed_day(shown: str | None, *, now: datetime) -> str | None:
    """The Jalali day (YYYY-MM-DD, Tehran) of a date as a list or feed shows it: Jalali text
    (`۱۸ خرداد ۱۴۰۲ - ۱۱:۲۰`) or an RSS pubDate (RFC 822). None when it cannot be read."""
    if not shown:
        return None
    try:
        return format_jalali(parse_jalali(shown, now=now))[:10]
    except JalaliDateError:
        pass
    try:
        moment = parsedate_to_datetime(shown)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return format_jalali(moment.astimezone(TEHRAN))[:10]


@dataclass(frozen=True)
class ArchiveStep:
    """What one archive page means for the walk."""

    # Entries in the range, or whose day the page does not show readably.
    wanted: list[ListedArticle]
    # An entry older than the range: the pages after this one hold only older articles.
    past_the_range: bool
    # The page lists entries, none with a day it shows readably (real archive pages show no
    # dates): only the articles' own dates can tell where the range ends.
    undated: bool


def archive_step(entries: list[ListedArticle], dates: DateRange, *, now: datetime) -> ArchiveStep:
    wanted: list[ListedArticle] = []
    past = False
    dated = False
    for entry in entries:
        day = listed_day(entry.published, now=now)
        dated = dated or day is not None
        if day is None or day in dates:
            wanted.append(entry)
        elif day < dates.since:
            past = True
    return ArchiveStep(wanted, past, undated=bool(entries) and not dated)


def _formatted(day: str, date_format: str) -> str:
    year, month, number = day.split("-")
    return date_format.format(year=year, month=month, day=number)
