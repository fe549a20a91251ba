"""newsbot.text.jalali: every accepted layout, the Tehran offsets, the errors, and properties.

Expected Gregorian dates are worked out independently of the code under test: from known Nowruz
dates (1 Farvardin 1402 = 2023-03-21, 1 Farvardin 1397 = 2018-03-21, 1 Farvardin 1401 =
2022-03-21) plus month lengths (six of 31 days, five of 30, Esfand 29 or 30), and for the whole
1370-1420 range from a day-by-day walk that uses a written-out list of leap years.
"""

import pickle
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.text.jalali import TEHRAN, JalaliDateError, format_jalali, parse_jalali, to_iso

IRST = timezone(timedelta(hours=3, minutes=30))  # Iran standard time
IRDT = timezone(timedelta(hours=4, minutes=30))  # Iran daylight time, summers until 2022

MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]

# Leap years of the Jalali calendar in 1370-1420 (the 33-year cycle: 4-year steps, a 5-year step
# after 1403). Written out, not computed, so the walk below does not share code with jdatetime.
LEAP_YEARS = {1370, 1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412, 1416, 1420}


def _walk_calendar() -> dict[tuple[int, int, int], date]:
    """Map each Jalali day of 1370-1420 to its Gregorian day, from 1370-01-01 = 1991-03-21 on."""
    days: dict[tuple[int, int, int], date] = {}
    gregorian = date(1991, 3, 21)
    for year in range(1370, 1421):
        lengths = [31] * 6 + [30] * 5 + [30 if year in LEAP_YEARS else 29]
        for month, length in enumerate(lengths, start=1):
            for day in range(1, length + 1):
                days[year, month, day] = gregorian
                gregorian += timedelta(days=1)
    return days


CALENDAR = _walk_calendar()
NOW = datetime(2023, 5, 30, 12, 27, tzinfo=TEHRAN)  # Tuesday 9 Khordad 1402


def _at(year: int, month: int, day: int, hour: int, minute: int, tz: timezone) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def test_tehran_zone_data_knows_2022_abolition() -> None:
    assert datetime(2018, 7, 1, 12, tzinfo=TEHRAN).utcoffset() == timedelta(hours=4, minutes=30)
    assert datetime(2023, 7, 1, 12, tzinfo=TEHRAN).utcoffset() == timedelta(hours=3, minutes=30)


def test_walk_anchors() -> None:
    """The walk itself agrees with Nowruz dates known from elsewhere."""
    assert CALENDAR[1397, 1, 1] == date(2018, 3, 21)
    assert CALENDAR[1401, 1, 1] == date(2022, 3, 21)
    assert CALENDAR[1402, 1, 1] == date(2023, 3, 21)
    assert CALENDAR[1403, 12, 30] == date(2025, 3, 20)
    assert len(CALENDAR) == 365 * 51 + len(LEAP_YEARS)


class TestLayouts:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # D MonthName YYYY - HH:MM, as on article pages
            ("۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("۲۲ آبان ۱۳۹۷ - ۰۸:۳۰", _at(2018, 11, 13, 8, 30, IRST)),
            ("۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),  # one-digit day
            ("۰۹ خرداد ۱۴۰۲-۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),  # no spaces round the dash
            ("۰۹ خرداد ۱۴۰۲ – ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),  # en dash
            ("۰۹ خرداد ۱۴۰۲ ساعت ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("۰۹ خرداد ۱۴۰۲ - ساعت ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("۰۹ خرداد ۱۴۰۲ ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("۰۹ خرداد ۱۴۰۲، ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("۰۹ خرداد ۱۴۰۲ ـ ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),  # tatweel as a dash
            ("۱۲:۲۷ - ۰۹ خرداد ۱۴۰۲", _at(2023, 5, 30, 12, 27, IRST)),  # time first
            ("۰۹ خردادماه ۱۴۰۲", date(2023, 5, 30)),
            ("۰۹ خرداد ماه ۱۴۰۲", date(2023, 5, 30)),
            ("۹ امرداد ۱۴۰۲", date(2023, 7, 31)),  # older spelling of مرداد
            # with a label and a weekday
            ("تاریخ انتشار: ۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("تاریخ انتشار:۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("زمان انتشار : ۰۹ خرداد ۱۴۰۲", date(2023, 5, 30)),
            ("سه\u200cشنبه ۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("سه شنبه ۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("سهشنبه ۰۹ خرداد ۱۴۰۲", date(2023, 5, 30)),
            ("سه\u200cشنبه، ۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("سه شنبه , ۰۹ خرداد ۱۴۰۲", date(2023, 5, 30)),
            ("تاریخ انتشار: سه‌شنبه ۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", _at(2023, 5, 30, 12, 27, IRST)),
            ("شنبه ۲۶ اسفند ۱۳۹۶ - ۱۵:۵۶", _at(2018, 3, 17, 15, 56, IRST)),
            # numeric dates
            ("13:35 - 1396/12/27", _at(2018, 3, 18, 13, 35, IRST)),
            ("۱۳:۳۵ - ۱۳۹۶/۱۲/۲۷", _at(2018, 3, 18, 13, 35, IRST)),
            ("1396/12/27", date(2018, 3, 18)),
            ("1396/2/7", date(2017, 4, 27)),  # no leading zeros
            ("1402/03/09 12:27", _at(2023, 5, 30, 12, 27, IRST)),
            ("1402/03/09 - 12:27", _at(2023, 5, 30, 12, 27, IRST)),
            ("1402-03-09", date(2023, 5, 30)),
            ("1402-03-09T12:27", _at(2023, 5, 30, 12, 27, IRST)),
            ("27 اسفند 1396", date(2018, 3, 18)),  # Latin digits
            # two-digit years from 50 up are 13xx
            ("۹۷/۰۸/۲۲", date(2018, 11, 13)),
            ("22 آبان 97", date(2018, 11, 13)),
            # Arabic-Indic digits, Arabic letters, stray bidi marks and spaces
            ("٠٩ خرداد ١٤٠٢ - ١٢:٢٧", _at(2023, 5, 30, 12, 27, IRST)),
            ("۰۹ ارديبهشت ۱۴۰۲", date(2023, 4, 29)),
            ("۳۰ دي ۱۴۰۲", date(2024, 1, 20)),
            ("يكشنبه ۰۷ خرداد ۱۴۰۲", date(2023, 5, 28)),
            ("\u200f۰۹\u00a0خرداد  ۱۴۰۲\u200e - ۱۲:۲۷\n", _at(2023, 5, 30, 12, 27, IRST)),
            ("  1396/12/27  ", date(2018, 3, 18)),
            # a Gregorian date that some builds append is ignored
            ("۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷ (2023-05-30)", _at(2023, 5, 30, 12, 27, IRST)),
            ("۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷ 2023/05/30", _at(2023, 5, 30, 12, 27, IRST)),
            ("۰۹ خرداد ۱۴۰۲ 30/05/2023", date(2023, 5, 30)),
            ("۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷ [30 May 2023]", _at(2023, 5, 30, 12, 27, IRST)),
            ("1396/12/27 (۲۰۱۸/۰۳/۱۸)", date(2018, 3, 18)),
            # a wrong Gregorian date cannot move the Jalali one
            ("۰۹ خرداد ۱۴۰۲ (2020-01-01)", date(2023, 5, 30)),
        ],
    )
    def test_parses(self, text: str, expected: datetime | date) -> None:
        result = parse_jalali(text)
        assert type(result) is type(expected)
        if isinstance(result, datetime):
            assert result.tzinfo is TEHRAN
            assert to_iso(result) == expected.isoformat()
        else:
            assert result == expected

    @pytest.mark.parametrize("month", range(1, 13))
    def test_every_month_name(self, month: int) -> None:
        days_before = sum(31 if m <= 6 else 30 for m in range(1, month))
        expected = date(2023, 3, 21) + timedelta(days=days_before)
        assert parse_jalali(f"۱ {MONTHS[month - 1]} ۱۴۰۲") == expected

    @pytest.mark.parametrize(
        ("weekday", "day"),
        [
            ("شنبه", 6),
            ("یکشنبه", 7),
            ("یک\u200cشنبه", 7),
            ("یک شنبه", 7),
            ("دوشنبه", 8),
            ("دو شنبه", 8),
            ("سه\u200cشنبه", 9),
            ("چهارشنبه", 10),
            ("چهار شنبه", 10),
            ("پنجشنبه", 11),
            ("پنج\u200cشنبه", 11),
            ("جمعه", 12),
        ],
    )
    def test_every_weekday(self, weekday: str, day: int) -> None:
        # 9 Khordad 1402 is Tuesday 2023-05-30, so Saturday is the 6th (2023-05-27).
        expected = date(2023, 5, 27) + timedelta(days=day - 6)
        assert parse_jalali(f"{weekday} {day} خرداد ۱۴۰۲") == expected

    def test_seconds(self) -> None:
        result = parse_jalali("1402/03/09 12:27:45")
        assert result == datetime(2023, 5, 30, 12, 27, 45, tzinfo=IRST)

    @pytest.mark.parametrize("text", ["00:00 - 1402/03/09", "1402/03/09 23:59:59"])
    def test_clock_limits(self, text: str) -> None:
        assert isinstance(parse_jalali(text), datetime)


class TestOffsets:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            # summers: daylight time until 1401, standard time since
            ("۰۱ مرداد ۱۳۹۷ - ۱۰:۰۰", _at(2018, 7, 23, 10, 0, IRDT)),
            ("۰۱ مرداد ۱۴۰۲ - ۱۰:۰۰", _at(2023, 7, 23, 10, 0, IRST)),
            ("۰۱ مرداد ۱۴۰۰ - ۱۰:۰۰", _at(2021, 7, 23, 10, 0, IRDT)),
            ("۰۱ مرداد ۱۴۰۱ - ۱۰:۰۰", _at(2022, 7, 23, 10, 0, IRDT)),
            ("۰۱ دی ۱۳۹۷ - ۱۰:۰۰", _at(2018, 12, 22, 10, 0, IRST)),  # winter
            # the last switch back, 2022-09-21 24:00 +04:30 → 23:00 +03:30
            ("۳۰ شهریور ۱۴۰۱ - ۲۲:۰۰", _at(2022, 9, 21, 22, 0, IRDT)),
            ("۳۱ شهریور ۱۴۰۱ - ۱۰:۰۰", _at(2022, 9, 22, 10, 0, IRST)),
            ("۳۱ شهریور ۱۴۰۱ - ۰۰:۰۰", _at(2022, 9, 22, 0, 0, IRST)),
            # the repeated hour reads as its first occurrence (fold=0), still daylight time
            ("۳۰ شهریور ۱۴۰۱ - ۲۳:۳۰", _at(2022, 9, 21, 23, 30, IRDT)),
            # the last switch forward, 2022-03-22 00:00 +03:30 → 01:00 +04:30
            ("۰۱ فروردین ۱۴۰۱ - ۲۳:۵۹", _at(2022, 3, 21, 23, 59, IRST)),
            ("۰۲ فروردین ۱۴۰۱ - ۰۱:۰۰", _at(2022, 3, 22, 1, 0, IRDT)),
            ("۲۹ اسفند ۱۳۹۶ - ۱۲:۰۰", _at(2018, 3, 20, 12, 0, IRST)),
            ("۰۲ فروردین ۱۳۹۷ - ۱۲:۰۰", _at(2018, 3, 22, 12, 0, IRDT)),
        ],
    )
    def test_offset(self, text: str, expected: datetime) -> None:
        result = parse_jalali(text)
        assert isinstance(result, datetime)
        # Compared as text: Python never finds a time in a repeated hour equal to one in another
        # zone (PEP 495), and the offset is what this test is about.
        assert to_iso(result) == expected.isoformat()

    @pytest.mark.parametrize(
        "text", ["۰۲ فروردین ۱۴۰۱ - ۰۰:۰۰", "۰۲ فروردین ۱۴۰۱ - ۰۰:۳۰", "۰۲ فروردین ۱۳۹۷ - ۰۰:۵۹"]
    )
    def test_skipped_hour_is_an_error(self, text: str) -> None:
        with pytest.raises(JalaliDateError, match="did not exist in Tehran"):
            parse_jalali(text)


class TestLeapEsfand:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("۳۰ اسفند ۱۴۰۳", date(2025, 3, 20)),
            ("۳۰ اسفند ۱۳۹۹", date(2021, 3, 20)),
            ("۲۹ اسفند ۱۴۰۲", date(2024, 3, 19)),
            ("1403/12/30 23:59", _at(2025, 3, 20, 23, 59, IRST)),
        ],
    )
    def test_valid(self, text: str, expected: date) -> None:
        assert parse_jalali(text) == expected

    @pytest.mark.parametrize(
        ("text", "year"), [("۳۰ اسفند ۱۴۰۲", 1402), ("۳۰ اسفند ۱۴۰۴", 1404), ("1400/12/30", 1400)]
    )
    def test_invalid(self, text: str, year: int) -> None:
        with pytest.raises(JalaliDateError, match=f"day 30 does not exist in Esfand {year}"):
            parse_jalali(text)


class TestErrors:
    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("۳۰ اسفند ۱۴۰۲", "day 30 does not exist in Esfand 1402"),
            ("۳۱ مهر ۱۴۰۲ - ۱۰:۰۰", "day 31 does not exist in Mehr 1402"),
            ("۳۱ اسفند ۱۴۰۳", "day 31 does not exist in Esfand 1403"),
            ("۰ خرداد ۱۴۰۲", "day 0 does not exist in Khordad 1402"),
            ("1402/07/31", "day 31 does not exist in Mehr 1402"),
            ("1402/13/01", "month 13 out of range"),
            ("1402/00/01", "month 0 out of range"),
            ("۰۹ خرداد ۱۴۰۲ - ۲۵:۰۰", "hour 25 out of range"),
            ("۰۹ خرداد ۱۴۰۲ - ۲۴:۰۰", "hour 24 out of range"),
            ("۰۹ خرداد ۱۴۰۲ - ۱۲:۶۱", "minute 61 out of range"),
            ("۰۹ خرداد ۱۴۰۲ - ۱۲:۶۰", "minute 60 out of range"),
            ("1402/03/09 12:27:60", "second 60 out of range"),
            ("۰۹ خردادد ۱۴۰۲", "unknown month 'خردادد'"),
            ("۰۹ May ۱۴۰۲", "unknown month 'May'"),
            ("", "no date found"),
            ("   \n", "no date found"),
            ("تاریخ انتشار:", "no date found"),
            ("سه‌شنبه", "no date found"),
            ("خبر فوری", "no date found"),
            ("۱۲:۲۷", "no date found"),
            ("۰۹ خرداد", "no date found"),
            ("1402/03-09", "no date found"),  # mixed separators
            ("1402/03/09 12:27 13:00", "no date found"),  # two times
            ("12:00 - 1402/03/09 13:00", "no date found"),
            ("۰۹ خرداد ۱۴۰۲ خبر", "no date found"),  # trailing words
            ("1402/03/0912:27", "no date found"),  # time glued to the date
            ("۰۲/۰۳/۰۹", "two-digit year 02 is ambiguous (1302 or 1402)"),
            ("۹ خرداد ۴۹", "two-digit year 49 is ambiguous"),
            ("140/03/09", "year '140' must have 4 or 2 digits"),
            ("2023-05-30", "year 2023 is not a Jalali year"),  # Gregorian, not misread
            ("30 خرداد 2023", "year 2023 is not a Jalali year"),
            ("چهارشنبه ۰۹ خرداد ۱۴۰۲", "weekday 'چهارشنبه' does not match 2023-05-30, a Tuesday"),
            ("۱۰ دقیقه پیش", "relative time needs a reference time"),
            ("دیروز ۱۴:۳۰", "relative time needs a reference time"),
        ],
    )
    def test_error(self, text: str, reason: str) -> None:
        with pytest.raises(JalaliDateError) as caught:
            parse_jalali(text)
        assert caught.value.text == text
        assert reason in caught.value.reason
        assert repr(text) in str(caught.value)
        assert reason in str(caught.value)

    def test_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="no date found"):
            parse_jalali("x")

    def test_survives_pickling(self) -> None:
        """Errors cross process boundaries pickled (multiprocessing); both fields must survive."""
        error = pickle.loads(pickle.dumps(JalaliDateError("۳۱ مهر", "no date found")))
        assert (error.text, error.reason) == ("۳۱ مهر", "no date found")


class TestRelative:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("۱۰ دقیقه پیش", _at(2023, 5, 30, 12, 17, IRST)),
            ("10 دقیقه پیش", _at(2023, 5, 30, 12, 17, IRST)),
            ("١٠ دقيقه پيش", _at(2023, 5, 30, 12, 17, IRST)),  # Arabic digits and yeh
            ("۵ دقیقه قبل", _at(2023, 5, 30, 12, 22, IRST)),
            ("۲ ساعت پیش", _at(2023, 5, 30, 10, 27, IRST)),
            ("۱۳ ساعت پیش", _at(2023, 5, 29, 23, 27, IRST)),
            ("لحظاتی پیش", _at(2023, 5, 30, 12, 27, IRST)),
            ("دیروز ۱۴:۳۰", _at(2023, 5, 29, 14, 30, IRST)),
            ("دیروز ساعت ۱۴:۳۰", _at(2023, 5, 29, 14, 30, IRST)),
            ("دیروز - ۱۴:۳۰", _at(2023, 5, 29, 14, 30, IRST)),
            ("امروز ۰۸:۱۵", _at(2023, 5, 30, 8, 15, IRST)),
            ("۳ روز پیش", date(2023, 5, 27)),  # a day count says nothing about the hour
            ("تاریخ انتشار: ۱۰ دقیقه پیش", _at(2023, 5, 30, 12, 17, IRST)),
        ],
    )
    def test_resolved_against_now(self, text: str, expected: datetime | date) -> None:
        result = parse_jalali(text, now=NOW)
        assert result == expected
        assert type(result) is type(expected)

    def test_now_in_another_zone_is_read_in_tehran(self) -> None:
        now = datetime(2023, 5, 30, 20, 45, tzinfo=UTC)  # 00:15 on 31 May in Tehran
        assert parse_jalali("دیروز ۱۴:۳۰", now=now) == _at(2023, 5, 30, 14, 30, IRST)
        assert parse_jalali("امروز ۰۰:۰۵", now=now) == _at(2023, 5, 31, 0, 5, IRST)
        assert parse_jalali("۱ روز پیش", now=now) == date(2023, 5, 30)
        result = parse_jalali("لحظاتی پیش", now=now)
        assert isinstance(result, datetime)
        assert result.tzinfo is TEHRAN

    def test_span_across_the_switch_is_exact(self) -> None:
        now = datetime(2022, 3, 22, 2, 0, tzinfo=TEHRAN)  # 21:30 UTC on the 21st, +04:30
        assert parse_jalali("۲ ساعت پیش", now=now) == _at(2022, 3, 21, 23, 0, IRST)

    def test_yesterday_at_a_skipped_time_is_an_error(self) -> None:
        now = datetime(2022, 3, 23, 12, 0, tzinfo=TEHRAN)
        with pytest.raises(JalaliDateError, match="did not exist"):
            parse_jalali("دیروز ۰۰:۳۰", now=now)

    def test_naive_now_is_an_error(self) -> None:
        with pytest.raises(JalaliDateError, match="not timezone-aware"):
            parse_jalali("۱۰ دقیقه پیش", now=datetime(2023, 5, 30, 12, 27))

    def test_absolute_text_ignores_now(self) -> None:
        assert parse_jalali("1396/12/27", now=NOW) == date(2018, 3, 18)

    @pytest.mark.parametrize("text", ["99999999999 روز پیش", "9" * 40 + " دقیقه پیش"])
    def test_out_of_range(self, text: str) -> None:
        with pytest.raises(JalaliDateError, match="out of range"):
            parse_jalali(text, now=NOW)


class TestFormatting:
    @pytest.mark.parametrize(
        ("value", "jalali", "iso"),
        [
            (_at(2023, 5, 30, 12, 27, IRST), "1402-03-09T12:27", "2023-05-30T12:27:00+03:30"),
            (
                datetime(2023, 5, 30, 12, 27, 45, 123456, tzinfo=TEHRAN),
                "1402-03-09T12:27:45",
                "2023-05-30T12:27:45+03:30",
            ),
            (
                datetime(2018, 7, 23, 10, 0, tzinfo=TEHRAN),
                "1397-05-01T10:00",
                "2018-07-23T10:00:00+04:30",
            ),
            (date(2018, 3, 18), "1396-12-27", "2018-03-18"),
            (date(2025, 3, 20), "1403-12-30", "2025-03-20"),
        ],
    )
    def test_format(self, value: datetime | date, jalali: str, iso: str) -> None:
        assert format_jalali(value) == jalali
        assert to_iso(value) == iso

    def test_format_jalali_uses_tehran_wall_clock(self) -> None:
        assert format_jalali(datetime(2023, 5, 30, 20, 45, tzinfo=UTC)) == "1402-03-10T00:15"

    def test_naive_datetime_is_refused(self) -> None:
        naive = datetime(2023, 5, 30, 12, 27)
        with pytest.raises(ValueError, match="no timezone"):
            format_jalali(naive)
        with pytest.raises(ValueError, match="no timezone"):
            to_iso(naive)

    def test_round_trip_every_day_1370_to_1420(self) -> None:
        for (year, month, day), gregorian in CALENDAR.items():
            jalali = f"{year:04d}-{month:02d}-{day:02d}"
            assert format_jalali(gregorian) == jalali
            assert parse_jalali(jalali) == gregorian
            assert parse_jalali(f"{year}/{month}/{day}") == gregorian


_JALALI_DAYS = st.sampled_from(sorted(CALENDAR))
_DIGITS = {
    "latin": "0123456789",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "arabic": "٠١٢٣٤٥٦٧٨٩",
}


class TestProperties:
    @settings(max_examples=300)
    @given(
        _JALALI_DAYS,
        st.times(),
        st.sampled_from(sorted(_DIGITS)),
        st.sampled_from(
            ["{d} {M} {y} - {t}", "{t} - {y}/{m}/{d}", "{y}/{m}/{d} {t}", "{d} {M} {y}"]
        ),
    )
    def test_generated_layouts(
        self, day: tuple[int, int, int], clock: time, digits: str, layout: str
    ) -> None:
        year, month, dom = day
        hhmm = clock.replace(second=0, microsecond=0)
        text = layout.format(
            d=f"{dom:02d}", M=MONTHS[month - 1], y=year, m=f"{month:02d}", t=f"{hhmm:%H:%M}"
        ).translate(str.maketrans("0123456789", _DIGITS[digits]))
        gregorian = CALENDAR[day]
        if "{t}" not in layout:
            assert parse_jalali(text) == gregorian
            return
        local = datetime.combine(gregorian, hhmm, tzinfo=TEHRAN)
        if local.astimezone(UTC).astimezone(TEHRAN).time() != hhmm:
            with pytest.raises(JalaliDateError, match="did not exist"):
                parse_jalali(text)
            return
        assert parse_jalali(text) == local

    @settings(max_examples=300)
    @given(
        st.datetimes(
            min_value=datetime(1991, 3, 21), max_value=datetime(2042, 3, 20), timezones=st.just(UTC)
        )
    )
    def test_format_then_parse(self, moment: datetime) -> None:
        local = moment.astimezone(TEHRAN).replace(microsecond=0)
        parsed = parse_jalali(format_jalali(local))
        assert parsed == local.replace(fold=0)  # the repeated autumn hour reads as fold=0
        assert to_iso(parsed) == to_iso(local.replace(fold=0))

    @settings(max_examples=2000)
    @given(
        st.one_of(
            st.text(max_size=40),
            st.lists(
                st.sampled_from(
                    [
                        *"۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789",
                        *" :/-–،,()T\n\u200c\u200f",
                        *MONTHS,
                        "شنبه",
                        "سه\u200cشنبه",
                        "جمعه",
                        "ساعت",
                        "دقیقه",
                        "روز",
                        "پیش",
                        "لحظاتی",
                        "دیروز",
                        "امروز",
                        "تاریخ انتشار:",
                        "ماه",
                        "2023",
                        "May",
                    ]
                ),
                max_size=12,
            ).map("".join),
        ),
        st.one_of(st.none(), st.just(NOW), st.datetimes(timezones=st.just(UTC))),
    )
    def test_only_its_own_error(self, text: str, now: datetime | None) -> None:
        try:
            result = parse_jalali(text, now=now)
        except JalaliDateError as error:
            assert error.text == text
            return
        if isinstance(result, datetime):
            assert result.tzinfo is TEHRAN
        else:
            assert isinstance(result, date)
