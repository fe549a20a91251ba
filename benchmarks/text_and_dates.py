"""Micro-benchmark: throughput of newsbot.text.persian.normalize and
newsbot.text.jalali.parse_jalali.

Run ``./scripts/bench.sh text_and_dates``. It prints a table of strings per second for
a realistic mix of inputs (titles, leads, paragraphs, whole bodies; every date layout the pages
show, relative times and unreadable dates) and writes the table with a description of the machine
to ``benchmarks/runs/text_and_dates.txt``. The texts are invented for this benchmark.
"""

import sys
import timeit
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from benchmarks.report import save_run
from newsbot.text.jalali import JalaliDateError, parse_jalali
from newsbot.text.persian import normalize

REPEATS = 5

ZWNJ = "\u200c"
TITLES = [
    f"افتتاح ۱۲۰ مدرسه{ZWNJ}ی تازه در استان{ZWNJ}های مرزی",
    "رئيس سازمان هواشناسي از كاهش دما در شمال كشور خبر داد",
    "\u200fقیمت  جدید بلیت قطار\u00a0اعلام شد\u200f",
    f"تیم ملی والیبال با پیروزی ۳ بر ۱ به نیمه{ZWNJ}نهایی رسید",
    f"نمایشگاه کتاب از ۱۴۰۲/۰۲/۱۰ در مصلی برپا می{ZWNJ}شود",
    "بارش باران در ۱۲ استان؛ احتمال آبگرفتگی معابر",
]
LEADS = [
    "به گفته\u200c\u200cی مدیر کل راه\u200cآهن، قیمت بلیت قطارهای مسافری از اول تیر ماه ٨ درصد "
    "افزايش مي\u200cيابد و فروش اينترنتي از امروز آغاز شده است.",
    f"معاون وزیر بهداشت گفت: پوشش واکسیناسیون کودکان به ۹۸.۵ درصد رسیده و هدف سال آینده{ZWNJ} "
    "پوشش کامل در روستاهاست.\u00a0",
]
PARAGRAPHS = [
    "به گزارش خبرنگار ما، نشست هم\u200cاندیشی مدیران شهری با حضور نمایندگان ۳۱ استان در تهران "
    "برگزار شد و در آن درباره\u200cی طرح\u200cهای حمل و نقل عمومی، کاهش ترافیک و توسعه\u200cی "
    "ناوگان اتوبوس\u200cرانی گفتگو شد. بر پایه\u200cی این گزارش، ٤٥٠ دستگاه اتوبوس جديد تا پايان "
    "سال به ناوگان افزوده مي\u200cشود.",
    "وی افزود: «هزینه\u200cی این طرح ۱۲.۵ هزار میلیارد ریال برآورد شده و بخشی از آن از محل "
    "اوراق مشارکت تأمین می\u200cشود.» او همچنین گفت که    مطالعات مرحله\u200cی دوم از ۱۴۰۲/۰۳/۰۹ "
    "آغاز شده است.\u200f",
    "کارشناسان هواشناسی هشدار داده\u200cاند که با ورود سامانه\u200cی بارشی از غرب کشور، در روزهای "
    "پنجشنبه و جمعه بارش باران و وزش باد شدید در استان\u200cهای غربی پیش\u200cبینی می\u200cشود.",
]
BODIES = ["\r\n\r\n".join(PARAGRAPHS * 3), "\n\n\n".join(reversed(PARAGRAPHS * 2))]

DATES = {
    "article page": ["۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷", "۲۲ آبان ۱۳۹۷ - ۰۸:۳۰", "27 اسفند 1396"],
    "label + weekday": [
        "تاریخ انتشار: سه\u200cشنبه ۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷",
        "شنبه ۲۶ اسفند ۱۳۹۶ - ۱۵:۵۶",
        "سه شنبه، ٠٩ خرداد ١٤٠٢ ساعت ١٢:٢٧",
    ],
    "numeric": ["13:35 - 1396/12/27", "1396/12/27", "1402/03/09 12:27:45", "۹۷/۰۸/۲۲"],
    "relative": ["۱۰ دقیقه پیش", "۲ ساعت پیش", "دیروز ۱۴:۳۰", "لحظاتی پیش"],
    "unreadable": ["۳۰ اسفند ۱۴۰۲", "۰۹ خردادد ۱۴۰۲", "۰۹ خرداد ۱۴۰۲ - ۲۵:۰۰", "خبر فوری"],
}
NOW = datetime(2023, 5, 30, 9, 0, tzinfo=UTC)


def parse_or_none(text: str) -> object:
    """Parse as the crawler does: an unreadable date is a logged null, not a crash."""
    try:
        return parse_jalali(text, now=NOW)
    except JalaliDateError:
        return None


def throughput(function: Callable[[str], object], inputs: Sequence[str]) -> float:
    """Return strings per second: the best of REPEATS timed runs, each lasting at least 0.2 s."""
    timer = timeit.Timer(lambda: [function(text) for text in inputs])
    loops, _ = timer.autorange()
    best = min(timer.repeat(repeat=REPEATS, number=loops))
    return len(inputs) * loops / best


def cases() -> list[tuple[str, str, Callable[[str], object], list[str]]]:
    """(function, input kind, callable, inputs) for every row of the table."""
    fields = TITLES + LEADS + PARAGRAPHS + BODIES
    all_dates = [text for texts in DATES.values() for text in texts]
    rows: list[tuple[str, str, Callable[[str], object], list[str]]] = [
        ("normalize", "title", normalize, TITLES),
        ("normalize", "lead", normalize, LEADS),
        ("normalize", "paragraph", normalize, PARAGRAPHS),
        ("normalize", "body (6-9 paragraphs)", normalize, BODIES),
        ("normalize", "mix of all fields", normalize, fields),
    ]
    rows += [("parse_jalali", kind, parse_or_none, texts) for kind, texts in DATES.items()]
    rows.append(("parse_jalali", "mix of all dates", parse_or_none, all_dates))
    return rows


def table() -> list[str]:
    lines = [f"{'function':<13} {'input':<22} {'avg chars':>9} {'strings/s':>11}"]
    for name, kind, function, inputs in cases():
        rate = throughput(function, inputs)
        chars = sum(map(len, inputs)) // len(inputs)
        lines.append(f"{name:<13} {kind:<22} {chars:>9} {rate:>11,.0f}")
        print(lines[-1], file=sys.stderr)
    return lines


def main() -> None:
    save_run("text_and_dates", table())


if __name__ == "__main__":
    main()
