"""Jalali (Solar Hijri) publication timestamps → exact, timezone-aware Gregorian values.

Pages show Tehran wall-clock time in the Jalali calendar, in a handful of layouts
(``۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷``, ``13:35 - 1396/12/27``, ``دیروز ۱۴:۳۰``, ...). General date libraries
either find nothing or read ``1402/03/09`` as a Gregorian year, so this module parses the layouts
itself and leaves the hard parts to maintained data: the calendar to jdatetime and the UTC offset
(+04:30 in summer until Iran dropped daylight saving time in 2022, +03:30 otherwise) to zoneinfo
with the tzdata package.

The rule throughout is that a date is exact or an error: an impossible day, an unknown month, a
clock time that did not exist in Tehran or an ambiguous two-digit year raises
:class:`JalaliDateError`; nothing is shifted, rounded or guessed.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from importlib.resources import files
from zoneinfo import ZoneInfo

import jdatetime

from newsbot.text.persian import latin_digits, normalize

__all__ = ["TEHRAN", "JalaliDateError", "format_jalali", "parse_jalali", "to_iso"]

# Read from the tzdata package this project pins, never from the OS: ZoneInfo("Asia/Tehran")
# prefers /usr/share/zoneinfo, and a machine whose copy predates tzdata 2022b would still give
# every summer after 2022 the abolished +04:30.
with files("tzdata.zoneinfo").joinpath("Asia", "Tehran").open("rb") as _zone_file:
    TEHRAN = ZoneInfo.from_file(_zone_file, key="Asia/Tehran")

_MONTHS: dict[str, int] = {
    name: number for number, name in enumerate(jdatetime.date.j_months_fa, start=1)
}
_MONTHS["امرداد"] = 5  # the older spelling of مرداد, still used by some papers
_MONTHS_EN: tuple[str, ...] = tuple(jdatetime.date.j_months_en)

# Persian weekday (spaces and ZWNJs removed) → datetime.weekday() (Monday is 0).
_WEEKDAYS = {
    "شنبه": 5,
    "یکشنبه": 6,
    "دوشنبه": 0,
    "سهشنبه": 1,
    "چهارشنبه": 2,
    "پنجشنبه": 3,
    "جمعه": 4,
}
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A four-digit year outside this range is not a plausible Jalali publication year: 1600 and up
# are Gregorian years (2023 read as Jalali would land in 2644), so they are refused, not converted.
_MIN_YEAR, _MAX_YEAR = 1200, 1599
# Two-digit years: 50-99 can only be 1350-1399 (1450 and later lie decades ahead), while 00-49
# could be 13xx or 14xx (۰۲ might be 1302 or 1402), so those are refused rather than guessed.
_FIRST_TWO_DIGIT_YEAR = 50

# Patterns run on normalised text with Latin digits, so [0-9] covers all three digit sets.
_TIME = r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
_DASH = r"\s*[-–—،,]\s*"
_PREFIX = re.compile(
    r"(?:[^0-9:]+:\s*)?"  # a label such as «تاریخ انتشار:»
    r"(?:(?P<weekday>(?:(?:یک|دو|سه|چهار|پنج)[ \u200c]?)?شنبه|جمعه)\s*[،,]?\s*)?"
)
_LEADING_TIME = re.compile(rf"(?:ساعت\s*)?{_TIME}(?:{_DASH}|\s+)")
_TRAILING_TIME = re.compile(rf"(?:{_DASH}|\s+|T)(?:ساعت\s*)?{_TIME}$")
_NUMERIC_DATE = re.compile(
    r"(?P<year>[0-9]{1,4})(?P<sep>[/-])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
)
_NAMED_DATE = re.compile(
    r"(?P<day>[0-9]{1,2})\s*(?P<month>[^\W\d_]+?)(?:[ \u200c]?ماه)?\s*(?P<year>[0-9]{1,4})"
)
# Some builds append the Gregorian date («... (2023-05-30)»). It is recognised by its 19xx/20xx
# year and dropped unread, so it can never shift the Jalali date it accompanies.
_GREGORIAN_TAIL = re.compile(
    r"(?:\s+|\s*[(\[]\s*)"
    r"(?:(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
    r"|[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:19|20)[0-9]{2}"
    r"|[0-9]{1,2}\s+[A-Za-z]{3,9}\.?,?\s+(?:19|20)[0-9]{2})"
    r"\s*[)\]]?$"
)
_AGO = re.compile(r"(?P<count>[0-9]+)\s*(?P<unit>دقیقه|ساعت|روز)\s*(?:پیش|قبل)")
_MOMENTS_AGO = re.compile(r"لحظاتی\s*(?:پیش|قبل)")
_DAY_AT = re.compile(rf"(?P<day>امروز|دیروز)(?:{_DASH}|\s*)(?:ساعت\s*)?{_TIME}")


class JalaliDateError(ValueError):
    """The one error for text that is not an exact Jalali date; names the text and the reason."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(text, reason)
        self.text = text
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot read a Jalali date from {self.text!r}: {self.reason}"


class _Unreadable(Exception):
    """Internal: raised with a reason only; parse_jalali adds the original text."""


def parse_jalali(text: str, *, now: datetime | None = None) -> datetime | date:
    """Read a Jalali date, with or without a Tehran wall-clock time, from ``text``.

    Returns an aware datetime in Asia/Tehran when the text has a time and a Gregorian ``date``
    when it has only a date. Relative texts («۱۰ دقیقه پیش», «دیروز ۱۴:۳۰») are resolved against
    ``now`` (any aware datetime); «N روز پیش» gives a date, since it says nothing about the hour.

    A wall-clock time skipped when clocks went forward raises; a time repeated when they went back
    is read as its first occurrence (fold=0, still daylight saving time).
    """
    try:
        return _parse(latin_digits(normalize(text)).replace("\n", " "), now)
    except _Unreadable as exc:
        raise JalaliDateError(text, str(exc)) from None


def format_jalali(value: datetime | date) -> str:
    """Return ``value`` as Jalali Tehran wall-clock time: ``1402-03-09T12:27`` or ``1402-03-09``.

    Seconds are added (``T12:27:45``) only when they are not zero, as pages rarely show them.
    """
    if isinstance(value, datetime):
        local = _require_aware(value).astimezone(TEHRAN)
        seconds = f":{local.second:02d}" if local.second else ""
        return f"{_jalali_iso(local.date())}T{local:%H:%M}{seconds}"
    return _jalali_iso(value)


def to_iso(value: datetime | date) -> str:
    """Return ISO 8601: ``2023-05-30T12:27:00+03:30`` for a datetime, ``2018-03-18`` for a date."""
    if isinstance(value, datetime):
        return _require_aware(value).isoformat(timespec="seconds")
    return value.isoformat()


def _parse(text: str, now: datetime | None) -> datetime | date:
    """Parse normalised text with Latin digits; raise _Unreadable with the reason."""
    prefix = _PREFIX.match(text)
    assert prefix is not None  # every part of the prefix is optional
    rest = _GREGORIAN_TAIL.sub("", text[prefix.end() :])
    value = _relative(rest, now)
    if value is None:
        value = _absolute(rest)
    if prefix["weekday"]:
        _check_weekday(value, prefix["weekday"])
    return value


def _absolute(text: str) -> datetime | date:
    """Parse a date with an optional time before or after it."""
    clock: time | None = None
    if leading := _LEADING_TIME.match(text):
        clock, text = _clock(leading), text[leading.end() :]
    elif trailing := _TRAILING_TIME.search(text):
        clock, text = _clock(trailing), text[: trailing.start()]
    day = _date(text)
    return day if clock is None else _localize(day, clock)


def _date(text: str) -> date:
    """Return the Gregorian day of ``1402/03/09``, ``1402-03-09``, ``97/08/22``, ``۹ تیر ۱۴۰۲``."""
    match = _NUMERIC_DATE.fullmatch(text) or _NAMED_DATE.fullmatch(text)
    if match is None:
        raise _Unreadable("no date found")
    return _gregorian(_year(match["year"]), _month(match["month"]), int(match["day"]))


def _year(digits: str) -> int:
    """Return the full Jalali year for 4 or 2 digits, refusing implausible or ambiguous years."""
    if len(digits) == 4:
        year = int(digits)
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise _Unreadable(f"year {year} is not a Jalali year in {_MIN_YEAR}-{_MAX_YEAR}")
        return year
    if len(digits) == 2:
        if int(digits) < _FIRST_TWO_DIGIT_YEAR:
            raise _Unreadable(f"two-digit year {digits} is ambiguous (13{digits} or 14{digits})")
        return 1300 + int(digits)
    raise _Unreadable(f"year {digits!r} must have 4 or 2 digits")


def _month(token: str) -> int:
    """Return the month number for digits (``03``) or a name (``خرداد``)."""
    if token.isdigit():
        month = int(token)
        if not 1 <= month <= 12:
            raise _Unreadable(f"month {month} out of range")
        return month
    try:
        return _MONTHS[token]
    except KeyError:
        raise _Unreadable(f"unknown month {token!r}") from None


def _gregorian(year: int, month: int, day: int) -> date:
    """Convert with jdatetime, which knows the leap years (30 Esfand exists in 1403, not 1402)."""
    try:
        jalali = jdatetime.date(year, month, day)
    except ValueError:
        raise _Unreadable(f"day {day} does not exist in {_MONTHS_EN[month - 1]} {year}") from None
    gregorian: date = jalali.togregorian()
    return gregorian


def _jalali_iso(day: date) -> str:
    jalali = jdatetime.date.fromgregorian(date=day)
    return f"{jalali.year:04d}-{jalali.month:02d}-{jalali.day:02d}"


def _clock(match: re.Match[str]) -> time:
    """Return the time of a match of _TIME, checking each field's range."""
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    for value, unit, limit in ((hour, "hour", 23), (minute, "minute", 59), (second, "second", 59)):
        if value > limit:
            raise _Unreadable(f"{unit} {value} out of range")
    return time(hour, minute, second)


def _localize(day: date, clock: time) -> datetime:
    """Attach the Tehran offset of that day, refusing a wall-clock time that did not exist.

    zoneinfo would silently give a time in the spring-forward gap the earlier offset; a round trip
    through UTC shows it, because it comes back an hour later.
    """
    local = datetime.combine(day, clock, tzinfo=TEHRAN)
    if local.astimezone(UTC).astimezone(TEHRAN).time() != clock:
        raise _Unreadable(f"{clock:%H:%M} did not exist in Tehran on {day} (clocks went forward)")
    return local


def _relative(text: str, now: datetime | None) -> datetime | date | None:
    """Resolve a relative time against ``now``; None when ``text`` is not relative."""
    ago, day_at = _AGO.fullmatch(text), _DAY_AT.fullmatch(text)
    if not (ago or day_at or _MOMENTS_AGO.fullmatch(text)):
        return None
    if now is None:
        raise _Unreadable("relative time needs a reference time")
    if now.utcoffset() is None:
        raise _Unreadable(f"reference time {now.isoformat()} is not timezone-aware")
    try:
        local_now = now.astimezone(TEHRAN)
        if day_at:
            days_back = 1 if day_at["day"] == "دیروز" else 0
            return _localize(local_now.date() - timedelta(days=days_back), _clock(day_at))
        if ago:
            return _ago(local_now, int(ago["count"]), ago["unit"])
        return local_now  # «لحظاتی پیش»
    except OverflowError:
        raise _Unreadable("relative time out of range") from None


def _ago(local_now: datetime, count: int, unit: str) -> datetime | date:
    """Go back ``count`` units: days on the calendar, minutes and hours as exact spans.

    Spans are subtracted in UTC, since arithmetic on a zoneinfo datetime is wall-clock arithmetic
    and would be an hour off across a daylight saving change.
    """
    if unit == "روز":
        return local_now.date() - timedelta(days=count)
    span = timedelta(minutes=count) if unit == "دقیقه" else timedelta(hours=count)
    return (local_now.astimezone(UTC) - span).astimezone(TEHRAN)


def _check_weekday(value: datetime | date, weekday: str) -> None:
    """Refuse a date whose stated weekday is wrong: the text was then not read as its site meant."""
    actual = value.weekday()
    if _WEEKDAYS[weekday.replace(" ", "").replace("\u200c", "")] != actual:
        raise _Unreadable(
            f"weekday {weekday!r} does not match {value:%Y-%m-%d}, a {_WEEKDAYS_EN[actual]}"
        )


def _require_aware(value: datetime) -> datetime:
    if value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no timezone")
    return value
