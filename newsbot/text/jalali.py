"""Jalali (Solar Hijri) publication timestamps → exact, timezone-aware Gregorian values.

Pages show Tehran wall-clock time in the Jalali calendar, in a handful of layouts
(``۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷``, ``13:35 - 1396/12/27``, ``دیروز ۱۴:۳۰``, ...), sometimes followed by
the Gregorian date (``… - ۲۰:۱۲ 23 September 2020``), and the Arabic and Urdu editions show only a
Gregorian one (``10:52 - 31 March 2008``). General date libraries either find nothing or read
``1402/03/09`` as a Gregorian year, so this module parses the layouts itself and leaves the hard
parts to maintained data: the calendar to jdatetime and the UTC offset (+04:30 in summer until Iran
dropped daylight saving time in 2022, +03:30 otherwise) to zoneinfo with the tzdata package.

The rule throughout is that a date is exact or an error: an impossible day, an unknown month, a
clock time that did not exist in Tehran or happened twice there, an ambiguous two-digit year or a
Gregorian date that is not the Jalali one raises :class:`JalaliDateError`; nothing is shifted,
rounded or guessed.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from importlib.resources import files
from typing import NamedTuple
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

# English month names of the Gregorian dates some pages add, full and abbreviated (written out:
# calendar.month_name follows the process locale).
_GREGORIAN_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_GREGORIAN_MONTHS: dict[str, int] = {
    key: number
    for number, name in enumerate(_GREGORIAN_MONTH_NAMES, start=1)
    for key in (name, name[:3])
} | {"sept": 9}

# Patterns run on normalised text with Latin digits, so [0-9] covers all three digit sets.
_TIME = r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
# A zone written after a time («۲۳:۳۰ +04:30», «19:00 GMT»): what tells the two readings of the
# repeated autumn hour apart. Without GMT/UTC, only a full ±HH:MM or ±HHMM counts as an offset.
_ZONED_TIME = (
    _TIME + r"(?:\s*(?P<zone>(?:GMT|UTC)(?:\s*[+-][0-9]{1,2}(?::?[0-9]{2})?)?"
    r"|[+-][0-9]{2}:?[0-9]{2}))?"
)
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>[0-9]{1,2}):?(?P<minutes>[0-9]{2})?")
_DASH = r"\s*[-–—،,|]\s*"
_PREFIX = re.compile(
    r"(?:[^0-9:]+:\s*)?"  # a label such as «تاریخ انتشار:»
    r"(?:(?P<weekday>(?:(?:یک|دو|سه|چهار|پنج)[ \u200c]?)?شنبه|جمعه)\s*[،,]?\s*)?"
)
# «به روز شده در:» labels the time of the last edit, which some themes (mail.asriran.com) show
# beside the publication time; it is never read as the publication time.
_UPDATE_LABEL = re.compile(r"(?:آخرین[ \u200c]+)?(?:به[ \u200c]?|ب)روز[ \u200c]?(?:شده|رسانی)")
# A run of words, and the colon after it if there is one (then the run is a label). Runs are
# matched whole, never retried from inside, so a long text costs linear time.
_WORD_RUN = re.compile(r"[^\W\d_]+(?:[ \u200c]+[^\W\d_]+)*\s*:?")
_LEADING_TIME = re.compile(rf"(?:ساعت\s*)?{_ZONED_TIME}(?:{_DASH}|\s+)")
_TRAILING_TIME = re.compile(rf"(?:{_DASH}|\s+|T)(?:ساعت\s*)?{_ZONED_TIME}$")
_LONE_TIME = re.compile(rf"(?:ساعت\s*)?{_ZONED_TIME}")
# Numeric dates are read by where the year stands: year first (``1402/03/09``, ``97/08/22``)
# unless the last part has four digits, then day first (``۱۲-۰۴-۱۳۹۳``); the month is always in
# the middle. The two patterns cannot both match one text.
_NUMERIC_DATE = re.compile(
    r"(?P<year>[0-9]{1,4})(?P<sep>[/-])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
)
_DAY_FIRST_DATE = re.compile(
    r"(?P<day>[0-9]{1,2})(?P<sep>[/-])(?P<month>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4})"
)
_NAMED_DATE = re.compile(
    r"(?P<day>[0-9]{1,2})\s*(?P<month>[^\W\d_]+?)(?:[ \u200c]?ماه)?\s*(?P<year>[0-9]{1,4})"
)
# A Gregorian date, recognised by its 19xx/20xx year, at the end of the text: appended to the
# Jalali one («… - ۲۰:۱۲ 23 September 2020», «… (2023-05-30)») or alone («05 November 2018 -
# 20:14»), with an optional time after it. Appended, it must name the Jalali date's day.
_GREGORIAN_TAIL = re.compile(
    rf"(?:^|{_DASH}|\s+|\s*[(\[]\s*)"
    r"(?P<gregorian>(?P<iso_year>(?:19|20)[0-9]{2})[-/.](?P<iso_month>[0-9]{1,2})[-/.]"
    r"(?P<iso_day>[0-9]{1,2})"
    r"|(?P<first>[0-9]{1,2})[-/.](?P<second_part>[0-9]{1,2})[-/.](?P<last_year>(?:19|20)[0-9]{2})"
    r"|(?P<named_day>[0-9]{1,2})\s+(?P<month_name>[A-Za-z]{3,9})\.?,?\s+"
    r"(?P<named_year>(?:19|20)[0-9]{2}))"
    rf"(?:(?:{_DASH}|\s+)(?:ساعت\s*)?{_ZONED_TIME})?"
    r"\s*[)\]]?$"
)
_GREGORIAN_YEAR = re.compile(r"(?:19|20)[0-9]{2}(?![0-9])")
_AGO = re.compile(r"(?P<count>[0-9]+)\s*(?P<unit>دقیقه|ساعت|روز)\s*(?:پیش|قبل)")
_MOMENTS_AGO = re.compile(r"لحظاتی\s*(?:پیش|قبل)")
_DAY_AT = re.compile(rf"(?P<day>امروز|دیروز)(?:{_DASH}|\s*)(?:ساعت\s*)?{_TIME}")


class _Shown(NamedTuple):
    """What one calendar's part of the text shows, as written (``text``, for messages).

    ``days`` has one day, or two for a Gregorian ``05/06/2023`` (day or month first); ``offset`` is
    a UTC offset written after ``clock``, if any.
    """

    text: str
    days: tuple[date, ...]
    clock: time | None
    offset: timedelta | None


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

    A Gregorian date after the Jalali one must be the same day (a Gregorian time with GMT, UTC or
    an offset, the same moment); a line with only a Gregorian date in English («05 November 2018 -
    20:14») is read as Tehran wall-clock time. A wall-clock time skipped when clocks went forward
    raises, and so does one repeated when they went back, unless a UTC offset after the time
    («۲۳:۳۰ +04:30») or a Gregorian time with its zone says which of the two it was.
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
    prefix = _PREFIX.match(_without_update_time(text))
    assert prefix is not None  # every part of the prefix is optional
    rest = prefix.string[prefix.end() :]
    value = _relative(rest, now)
    if value is None:
        value = _absolute(rest)
    if prefix["weekday"]:
        _check_weekday(value, prefix["weekday"])
    return value


def _without_update_time(text: str) -> str:
    """Drop an update time («به روز شده در: …», up to the next label) and keep the rest.

    Raises when the update time is all there is: it is not the publication time.
    """
    if "روز" not in text or not _UPDATE_LABEL.search(text):
        return text
    # (start, update label or None) of every labelled part; an update label starts at its own
    # words, not at the words its run of words has before them.
    parts: list[tuple[int, str | None]] = []
    for run in _WORD_RUN.finditer(text):
        if run[0].endswith(":"):
            update = _UPDATE_LABEL.search(run[0])
            label = run[0][update.start() :].rstrip(": ") if update else None
            parts.append((run.start() + update.start() if update else run.start(), label))
    if not parts:  # the words without a colon are no label
        return text
    kept = [text[: parts[0][0]]]
    ends = [start for start, _ in parts[1:]] + [len(text)]
    for (start, update_label), end in zip(parts, ends, strict=True):
        if update_label is None:
            kept.append(text[start:end])
    rest = " ".join(part.strip() for part in kept if part.strip())
    if not rest:
        dropped = next(label for _, label in parts if label)
        raise _Unreadable(f"{dropped!r} labels the time of an update, not of publication")
    return rest


def _absolute(text: str) -> datetime | date:
    """Parse a Jalali date, a Jalali date with a Gregorian one after it, or a Gregorian one."""
    # The year search is a fast filter: most texts have no Gregorian year, and the tail's own
    # search, tried at every position, would take most of the time spent on them.
    tail = _GREGORIAN_YEAR.search(text) and _GREGORIAN_TAIL.search(text)
    if not tail:
        return _moment(_jalali(text))
    head = text[: tail.start()]
    lone_time = _LONE_TIME.fullmatch(head)
    if head and lone_time is None:
        return _agreed(_jalali(head), _gregorian(tail))
    if tail["month_name"] is None:
        # Numbers alone («2023-05-30») are not read as a Gregorian date: the Jalali reading
        # refuses the year, which tells a user what went wrong.
        return _moment(_jalali(text))
    gregorian = _gregorian(tail)
    if lone_time is not None:
        if gregorian.clock is not None:
            raise _Unreadable("two times, one before and one after the date")
        clock, offset = _clock(lone_time), _offset(lone_time["zone"])
        gregorian = gregorian._replace(clock=clock, offset=offset)
    if gregorian.offset is None:  # Tehran wall-clock time
        return _moment(gregorian)
    assert gregorian.clock is not None  # a zone is only read after a time
    moment = datetime.combine(gregorian.days[0], gregorian.clock, timezone(gregorian.offset))
    return moment.astimezone(TEHRAN)


def _jalali(text: str) -> _Shown:
    """Read a Jalali date with an optional time (and UTC offset) before or after it."""
    clock: time | None = None
    offset: timedelta | None = None
    if leading := _LEADING_TIME.match(text):
        clock, offset, text = _clock(leading), _offset(leading["zone"]), text[leading.end() :]
    elif trailing := _TRAILING_TIME.search(text):
        clock, offset, text = _clock(trailing), _offset(trailing["zone"]), text[: trailing.start()]
    return _Shown(text, (_date(text),), clock, offset)


def _gregorian(tail: re.Match[str]) -> _Shown:
    """Read the Gregorian date (and time) of a match of _GREGORIAN_TAIL."""
    written = tail["gregorian"]
    if tail["iso_year"]:
        candidates = [(tail["iso_year"], tail["iso_month"], tail["iso_day"])]
    elif tail["last_year"]:
        # «05/06/2023» is 5 June or May 6 depending on the writer; either reading may confirm the
        # Jalali day, since the value comes from the Jalali date.
        first, second = tail["first"], tail["second_part"]
        candidates = [(tail["last_year"], second, first), (tail["last_year"], first, second)]
    else:
        month = _GREGORIAN_MONTHS.get(tail["month_name"].lower())
        if month is None:
            raise _Unreadable(f"unknown Gregorian month {tail['month_name']!r}")
        candidates = [(tail["named_year"], str(month), tail["named_day"])]
    days: list[date] = []
    for year, month_digits, day in candidates:
        try:
            days.append(date(int(year), int(month_digits), int(day)))
        except ValueError:
            continue
    if not days:
        raise _Unreadable(f"Gregorian date {written!r} does not exist")
    clock = _clock(tail) if tail["hour"] else None
    return _Shown(written, tuple(dict.fromkeys(days)), clock, _offset(tail["zone"]))


def _agreed(jalali: _Shown, gregorian: _Shown) -> datetime | date:
    """The moment both calendars show; raise when they disagree, naming what each shows."""
    day = jalali.days[0]
    if gregorian.offset is None:  # Tehran wall-clock time, like the Jalali text
        if day not in gregorian.days:
            raise _Unreadable(
                f"Gregorian date {gregorian.text!r} is not {day}, the day of the Jalali date"
            )
        if jalali.clock and gregorian.clock and jalali.clock != gregorian.clock:
            raise _Unreadable(
                f"Gregorian time {gregorian.clock:%H:%M} is not the Jalali time "
                f"{jalali.clock:%H:%M}"
            )
        return _moment(_Shown(jalali.text, (day,), jalali.clock or gregorian.clock, jalali.offset))
    # A time with its zone names one moment, whatever Tehran's offset; the Jalali text must show
    # that moment in Tehran. This is what settles a time in the repeated autumn hour.
    assert gregorian.clock is not None  # a zone is only read after a time
    zone = timezone(gregorian.offset)
    moments = [datetime.combine(d, gregorian.clock, tzinfo=zone) for d in gregorian.days]
    if jalali.clock is None:
        readings = [m.astimezone(TEHRAN) for m in moments]
        readings = [r for r in readings if r.date() == day]
    else:
        readings = _readings(day, jalali.clock, jalali.offset)
        # Compared in UTC: PEP 495 makes a repeated-hour time unequal to any other zone's.
        readings = [r for r in readings if r.astimezone(UTC) in moments]
    if not readings:
        shown = f"{day} {jalali.clock:%H:%M}" if jalali.clock else str(day)
        written = f"{gregorian.text} {gregorian.clock:%H:%M} {_offset_text(gregorian.offset)}"
        raise _Unreadable(
            f"Gregorian time {written!r} is not {shown} Tehran time, as the Jalali date says"
        )
    return readings[0]


def _moment(shown: _Shown) -> datetime | date:
    """The day, or the one Tehran moment its time and offset name."""
    if shown.clock is None:
        return shown.days[0]
    return _localize(shown.days[0], shown.clock, shown.offset)


def _date(text: str) -> date:
    """Return the Gregorian day of ``1402/03/09``, ``09-03-1402``, ``97/08/22``, ``۹ تیر ۱۴۰۲``."""
    match = (
        _NUMERIC_DATE.fullmatch(text)
        or _DAY_FIRST_DATE.fullmatch(text)
        or _NAMED_DATE.fullmatch(text)
    )
    if match is None:
        raise _Unreadable("no date found")
    if match.re is _NUMERIC_DATE and len(match["year"]) <= 2 and int(match["day"]) > 31:
        raise _Unreadable(
            f"{text!r} has no four-digit year, so it is read year first, and {match['day']} "
            "cannot be a day (a two-digit year is never read last)"
        )
    return _gregorian_day(_year(match["year"]), _month(match["month"]), int(match["day"]))


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


def _gregorian_day(year: int, month: int, day: int) -> date:
    """Convert with jdatetime, which knows the leap years (30 Esfand exists in 1403, not 1402)."""
    try:
        # A locale given skips jdatetime's lookup of the process locale, a quarter of its time.
        jalali = jdatetime.date(year, month, day, locale=jdatetime.FA_LOCALE)
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


def _offset(zone: str | None) -> timedelta | None:
    """The UTC offset of a zone written after a time: ``+04:30``, ``GMT+3:30``, ``GMT``."""
    if zone is None:
        return None
    match = _OFFSET.search(zone)
    if match is None:  # GMT or UTC alone
        return timedelta(0)
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if hours > 14 or minutes > 59:
        raise _Unreadable(f"UTC offset {zone!r} out of range")
    offset = timedelta(hours=hours, minutes=minutes)
    return -offset if match["sign"] == "-" else offset


def _offset_text(offset: timedelta) -> str:
    """``+04:30`` for an offset of 4.5 hours (seconds, which no page shows, are left out)."""
    minutes = int(offset.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _localize(day: date, clock: time, offset: timedelta | None = None) -> datetime:
    """Attach the Tehran offset of that day and time, refusing a time that is not one moment.

    A time repeated when clocks went back happened twice; only an ``offset`` shown with it says
    which of the two the page meant.
    """
    readings = _readings(day, clock, offset)
    if len(readings) > 1:
        first, second = (_tehran_offset(r) for r in readings)
        raise _Unreadable(
            f"{clock:%H:%M} on {day} is ambiguous: it happened twice in Tehran, at {first} and "
            f"again at {second} after clocks went back, and no UTC offset or Gregorian time in "
            "the text says which"
        )
    return readings[0]


def _readings(day: date, clock: time, offset: timedelta | None) -> list[datetime]:
    """The Tehran moments a wall-clock time may be: one, or two in the hour clocks went back.

    zoneinfo reads such times by PEP 495's fold: the two folds of a time give one offset except in
    the spring-forward gap, where fold 0 has the earlier, smaller offset (and zoneinfo would
    silently use it), and in the repeated autumn hour, where fold 0 has the larger one. With an
    ``offset``, only the moment at that offset; an offset Tehran did not have then is an error.
    """
    # Positional arguments: the keyword forms (and datetime.replace) take twice as long.
    first = datetime.combine(day, clock, TEHRAN)
    second = datetime(
        day.year, day.month, day.day, clock.hour, clock.minute, clock.second, 0, TEHRAN, fold=1
    )
    earlier, later = first.utcoffset(), second.utcoffset()
    assert earlier is not None and later is not None  # TEHRAN gives every time an offset
    if earlier < later:
        raise _Unreadable(f"{clock:%H:%M} did not exist in Tehran on {day} (clocks went forward)")
    readings = [first] if earlier == later else [first, second]
    if offset is None:
        return readings
    chosen = [r for r in readings if r.utcoffset() == offset]
    if not chosen:
        tehran = " or ".join(_tehran_offset(r) for r in readings)
        raise _Unreadable(
            f"UTC offset {_offset_text(offset)} is not Tehran's at {clock:%H:%M} on {day} "
            f"({tehran})"
        )
    return chosen


def _tehran_offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    assert offset is not None  # TEHRAN gives every time an offset
    return _offset_text(offset)


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
