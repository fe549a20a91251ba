"""`newsbot report`: one self-contained HTML file on a site's corpus and crawls.

The charts are SVG drawn here, in Python, and written into the page: the file needs no
network, no charting library and no script to show them (a charting library would have to be
vendored into the package, with its license and updates, for charts this simple). One small
inline script highlights a story's line on hover, measures what the browser drew (each chart's
`data-drawn`, for tests/test_html_report.py) and records script errors (`data-errors`).
Persian text is laid out by the browser, right to left (`dir="rtl"`) and shaped by its text
engine, with the system's Persian-capable font. Times are Tehran wall-clock time (Asia/Tehran,
with its DST until 2022).

The data come from the same tables as `newsbot export` (newsbot.tools.export) and from the
crawl reports (`<data>/<site>/reports/*.json`).
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from newsbot.items import COVERAGE_FIELDS
from newsbot.tools.export import connection, table_query

TEHRAN = ZoneInfo("Asia/Tehran")
# The ranking timelines: stories that reached this rank, over the last days of snapshots.
TOP = 5
TIMELINE_DAYS = 7
TIMELINE_STORIES = 20
LONGEST_STORIES = 10
SECTIONS_SHOWN = 8  # the others are summed as «سایر»
DAYS_SHOWN = 92  # articles per day over at most this many days, else per month
RUNS_SHOWN = 500  # crawl health: the last runs
# Colours that stay apart for the usual kinds of colour blindness (Okabe-Ito), then more.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
    "#7f7f7f", "#8c564b", "#17becf", "#bcbd22", "#9467bd", "#2ca02c", "#d62728", "#1f77b4",
    "#ff7f0e", "#aec7e8", "#98df8a", "#c5b0d5",
)  # fmt: skip
LISTS = {"most_viewed": "پربازدیدترین‌ها", "most_discussed": "پربحث‌ترین‌ها"}
OTHERS = "سایر"
NO_SECTION = "بی‌بخش"


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[float, float]]  # x (a Unix time or a number), y
    hover: str = ""  # the text shown on hover; default: name


def write_report(data_dir: Path, site: str, output: Path) -> None:
    """Write the report of `site`'s corpus under `data_dir` to `output` (whole or not at all)."""
    page = build_report(data_dir, site)
    output.parent.mkdir(parents=True, exist_ok=True)
    part = output.with_name(output.name + ".part")
    part.write_text(page, encoding="utf-8")
    part.replace(output)


def build_report(data_dir: Path, site: str) -> str:
    with connection() as con:
        articles = table_query(data_dir, site, "articles")
        listings = table_query(data_dir, site, "listings")
        rankings = table_query(data_dir, site, "rankings")
        # Tehran wall-clock time of publication; a date alone is already Tehran's day.
        by_day = con.execute(
            f"""
            SELECT CASE WHEN length(published_at) = 10 THEN CAST(published_at AS DATE)
                        ELSE CAST(timezone('{TEHRAN.key}', CAST(published_at AS TIMESTAMPTZ))
                                  AS DATE) END AS day,
                   coalesce(section[1], '{NO_SECTION}') AS section, count(*)
            FROM ({articles}) WHERE published_at IS NOT NULL GROUP BY ALL ORDER BY day
            """
        ).fetchall()
        by_hour = con.execute(
            f"""
            SELECT hour(timezone('{TEHRAN.key}', CAST(published_at AS TIMESTAMPTZ))), count(*)
            FROM ({articles}) WHERE length(published_at) > 10 GROUP BY ALL
            """
        ).fetchall()
        [(total, undated)] = con.execute(
            f"SELECT count(*), count(*) FILTER (published_at IS NULL) FROM ({articles})"
        ).fetchall()
        timelines = {kind: _timeline(con, listings, kind) for kind in LISTS}
        longest = {
            kind: con.execute(
                f"""
                SELECT title, best_rank, first_seen, last_seen, snapshots, seconds_at_rank_1
                FROM ({rankings}) WHERE list = '{kind}'
                ORDER BY last_seen - first_seen DESC, snapshots DESC, news_id
                LIMIT {LONGEST_STORIES}
                """
            ).fetchall()
            for kind in LISTS
        }
    runs = _reports(data_dir / site / "reports")
    sections = [
        _section(
            "خبرها در هر روز، به تفکیک بخش",
            "Articles per day and section (day of publication, Tehran time; latest revisions)",
            _per_day_chart(by_day)
            + _note(f"{total} خبر؛ {undated} خبر بی‌تاریخ در این نمودار نیست."),
        ),
        _section(
            "خبرها در هر ساعت روز",
            "Articles per hour of the day (Tehran time; those with a time of publication)",
            _per_hour_chart(by_hour),
        ),
    ]
    for kind, label in LISTS.items():
        sections.append(
            _section(
                f"{label}: رتبه در طول زمان",
                f"{kind}: rank over time of the stories that reached the top {TOP} (the page and "
                f"block where the list was read most often; last {TIMELINE_DAYS} days; Tehran "
                "time); hover a line for its title",
                _timeline_chart(kind, timelines[kind]),
            )
        )
        sections.append(
            _section(
                f"{label}: ماندگارترین خبرها",
                f"{kind}: the longest-running stories (first to last snapshot that had them)",
                _longest_table(longest[kind]),
            )
        )
    sections.append(
        _section(
            "سلامت خزش در هر اجرا",
            "Crawl health over runs (crawl reports; run start, Tehran time)",
            _health(runs),
        )
    )
    return _page(site, "\n".join(sections))


# --- data -----------------------------------------------------------------------------------


def _timeline(con: Any, listings: str, kind: str) -> list[Series]:
    """Rank over time of the stories that reached the top, in the list's main series."""
    main = con.execute(
        f"""
        SELECT page_url, block FROM ({listings}) WHERE list = '{kind}'
        GROUP BY ALL ORDER BY count(DISTINCT captured_at) DESC, page_url, block LIMIT 1
        """
    ).fetchall()
    if not main:
        return []
    [(page_url, block)] = main
    rows = con.execute(
        f"""
        WITH series AS (
            SELECT * FROM ({listings}) WHERE list = '{kind}' AND page_url = ? AND block = ?
              AND captured_at >= (SELECT max(captured_at) FROM ({listings})
                                  WHERE list = '{kind}') - INTERVAL {TIMELINE_DAYS} DAY
        ),
        stories AS (
            SELECT desk, news_id FROM series WHERE rank <= {TOP} GROUP BY ALL
            ORDER BY min(rank), count(*) FILTER (rank <= {TOP}) DESC, news_id
            LIMIT {TIMELINE_STORIES}
        )
        SELECT news_id, arg_max(title, captured_at) OVER (PARTITION BY desk, news_id),
               epoch(captured_at), rank
        FROM series JOIN stories USING (desk, news_id) ORDER BY captured_at
        """,
        [page_url, block],
    ).fetchall()
    lines: dict[int, Series] = {}
    for news_id, title, at, rank in rows:
        line = lines.setdefault(news_id, Series(str(news_id), [], f"{title} ({news_id})"))
        line.points.append((float(at), float(rank)))
    return list(lines.values())


def _reports(folder: Path) -> list[dict[str, Any]]:
    """The crawl reports, oldest first (the last RUNS_SHOWN)."""
    reports = []
    for path in sorted(folder.glob("*.json"))[-RUNS_SHOWN:]:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a report being written; there is no half-written one under .json
        if report.get("started_at"):
            reports.append(report)
    return reports


# --- sections -------------------------------------------------------------------------------


def _per_day_chart(rows: list[tuple[date, str, int]]) -> str:
    """Stacked bars per day, every day from the first to the last; per month when that span
    is longer than DAYS_SHOWN days (a backfill, or a site's oldest articles)."""
    if not rows:
        return _note("خبری با تاریخ نیست.")
    totals: dict[str, int] = defaultdict(int)
    for _, section, count in rows:
        totals[section] += count
    shown = sorted(totals, key=lambda s: (-totals[s], s))[:SECTIONS_SHOWN]
    first, last = min(day for day, _, _ in rows), max(day for day, _, _ in rows)
    by_month = (last - first).days > DAYS_SHOWN
    if by_month:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        labels = [
            f"{first.year + (first.month - 1 + n) // 12}-{(first.month - 1 + n) % 12 + 1:02d}"
            for n in range(months)
        ]
    else:
        labels = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    index = {label: n for n, label in enumerate(labels)}
    stacks: dict[str, list[float]] = {s: [0.0] * len(labels) for s in [*shown, OTHERS]}
    for day, section, count in rows:
        bucket = index[day.isoformat()[:7] if by_month else day.isoformat()]
        stacks[section if section in shown else OTHERS][bucket] += count
    if not any(stacks[OTHERS]):
        del stacks[OTHERS]
    span = f"از {_ltr(first.isoformat())} تا {_ltr(last.isoformat())}"
    note = _note(
        f"{span}: در هر ماه، چون این بازه بیش از {DAYS_SHOWN} روز است."
        if by_month
        else f"{span}، در هر روز."
    )
    return _bar_chart("per-day", labels, stacks, y_label="خبر") + note


def _per_hour_chart(rows: list[tuple[int, int]]) -> str:
    counts = dict(rows)
    if not counts:
        return _note("خبری با ساعت انتشار نیست.")
    labels = [f"{hour:02d}" for hour in range(24)]
    values = [float(counts.get(hour, 0)) for hour in range(24)]
    return _bar_chart("per-hour", labels, {"خبرها": values}, y_label="خبر", legend=False)


def _timeline_chart(kind: str, lines: list[Series]) -> str:
    if not lines:
        return _note("این فهرست در برگه‌ها دیده نشد.")
    return _line_chart(f"timeline-{kind}", lines, y_label="رتبه", ranks=True, legend=False)


def _longest_table(rows: list[tuple[Any, ...]]) -> str:
    if not rows:
        return _note("این فهرست در برگه‌ها دیده نشد.")
    head = ("عنوان", "بهترین رتبه", "نخستین بار", "آخرین بار", "دفعه‌ها", "زمان در رتبه ۱")
    body = [
        (
            title or "",
            str(best),
            _tehran(first).strftime("%Y-%m-%d %H:%M"),
            _tehran(last).strftime("%Y-%m-%d %H:%M"),
            str(snapshots),
            _duration(seconds),
        )
        for title, best, first, last, snapshots, seconds in rows
    ]
    return _table(head, body)


def _health(runs: list[dict[str, Any]]) -> str:
    if not runs:
        return _note("گزارش خزشی نیست.")
    times = [_unix(report["started_at"]) for report in runs]

    def series(values: Iterable[tuple[str, list[float]]]) -> list[Series]:
        return [Series(name, list(zip(times, ys, strict=True))) for name, ys in values]

    kinds = sorted({kind for report in runs for kind in report.get("pages", {})})
    pages = series((kind, [float(r.get("pages", {}).get(kind, 0)) for r in runs]) for kind in kinds)
    articles = series(
        (label, [float(r.get("articles", {}).get(key, 0)) for r in runs])
        for key, label in (("new", "تازه"), ("revised", "ویرایش‌شده"))
    )
    reasons = sorted({reason for report in runs for reason in report.get("dropped", {})})
    drops = series(
        (reason, [float(r.get("dropped", {}).get(reason, {}).get("count", 0)) for r in runs])
        for reason in reasons
    )
    # Coverage is a share of the article pages a run read: runs that read none have none.
    read = [
        (t, r["coverage"]["fields"])
        for t, r in zip(times, runs, strict=True)
        if r.get("coverage", {}).get("article_pages")
    ]
    coverage = [
        Series(name, [(t, 100 * float(fields.get(name, 0))) for t, fields in read])
        for name in COVERAGE_FIELDS
        if read
    ]
    parts = [
        '<h3>برگه‌های خوانده‌شده، به تفکیک نوع <small dir="ltr">pages fetched by kind</small></h3>',
        _line_chart("health-pages", pages, y_label="برگه"),
        '<h3>خبرهای تازه و ویرایش‌شده <small dir="ltr">articles new and revised</small></h3>',
        _line_chart("health-articles", articles, y_label="خبر"),
        '<h3>برگه‌های کنارگذاشته، به تفکیک دلیل <small dir="ltr">drops by reason</small></h3>',
        _line_chart("health-drops", drops, y_label="برگه") if drops else _note("هیچ."),
        '<h3>پوشش فیلدها (درصد) <small dir="ltr">field coverage, %</small></h3>',
        _line_chart("health-coverage", coverage, y_label="٪", y_max=100)
        if coverage
        else _note("برگه خبری خوانده نشد."),
    ]
    return "\n".join(parts)


# --- SVG ------------------------------------------------------------------------------------

WIDTH, HEIGHT = 900, 300
LEFT, RIGHT, TOP_MARGIN, BOTTOM = 56, 16, 12, 56


def _bar_chart(
    chart: str,
    labels: Sequence[str],
    stacks: dict[str, list[float]],
    *,
    y_label: str,
    legend: bool = True,
) -> str:
    """Stacked bars, one per label, left to right."""
    totals = [sum(values[i] for values in stacks.values()) for i in range(len(labels))]
    top, step_y = _axis(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP_MARGIN - BOTTOM
    step = plot_w / max(1, len(labels))
    bar = max(1.0, step * 0.8)
    marks = []
    for i, label in enumerate(labels):
        base = 0.0
        for n, (name, values) in enumerate(stacks.items()):
            value = values[i]
            if not value:
                continue
            y0 = TOP_MARGIN + plot_h * (1 - (base + value) / top)
            h = plot_h * value / top
            x = LEFT + i * step + (step - bar) / 2
            marks.append(
                f'<rect class="mark" x="{x:.1f}" y="{y0:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[n % len(PALETTE)]}"><title>{_e(name)} · {_e(label)}: '
                f"{value:g}</title></rect>"
            )
            base += value
    every = max(1, math.ceil(len(labels) / (8 if len(labels[0]) > 4 else 24)))
    ticks = [
        f'<text x="{LEFT + i * step + step / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
        f'text-anchor="middle">{_e(label)}</text>'
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    svg = _svg(chart, _y_axis(top, step_y, y_label) + ticks + marks)
    return svg + (_legend(list(stacks)) if legend else "")


def _line_chart(
    chart: str,
    lines: list[Series],
    *,
    y_label: str,
    ranks: bool = False,
    legend: bool = True,
    y_max: float | None = None,
) -> str:
    """One line per series over time (x: Unix times), Tehran time on the axis. With `ranks`,
    rank 1 is at the top."""
    xs = [x for line in lines for x, _ in line.points]
    ys = [y for line in lines for _, y in line.points]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x0, x1 = x0 - 60, x1 + 60
    if ranks:
        low, high = 1.0, max(max(ys), 2.0)
    else:
        low, (high, step_y) = 0.0, (y_max, y_max / 4) if y_max else _axis(max(ys))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP_MARGIN - BOTTOM

    def px(x: float) -> float:
        return LEFT + plot_w * (x - x0) / (x1 - x0)

    def py(y: float) -> float:
        share = (y - low) / (high - low)
        return TOP_MARGIN + plot_h * (share if ranks else 1 - share)

    marks = []
    for n, line in enumerate(lines):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in line.points)
        dots = "".join(
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>'
            for x, y in line.points
        )
        marks.append(
            f'<g class="series mark"><title>{_e(line.hover or line.name)}</title>'
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
            f"{dots}</g>"
        )
    axis = _rank_axis(int(high), py) if ranks else _y_axis(high, step_y, y_label)
    svg = _svg(chart, axis + _time_axis(x0, x1, px) + marks)
    return svg + (_legend([line.name for line in lines]) if legend else "")


def _svg(chart: str, parts: list[str]) -> str:
    frame = (
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        'class="axis"/>'
    )
    return (
        f'<svg data-chart="{chart}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">{frame}{"".join(parts)}</svg>'
    )


def _y_axis(high: float, step: float, label: str) -> list[str]:
    plot_h = HEIGHT - TOP_MARGIN - BOTTOM
    parts = [
        f'<text x="{LEFT - 40}" y="{TOP_MARGIN + plot_h / 2}" class="label" '
        f'transform="rotate(-90 {LEFT - 40} {TOP_MARGIN + plot_h / 2})">{_e(label)}</text>'
    ]
    for i in range(round(high / step) + 1):
        value = i * step
        y = TOP_MARGIN + plot_h * (1 - value / high)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    return parts


def _rank_axis(worst: int, py: Any) -> list[str]:
    step = max(1, worst // 10)
    return [
        f'<line x1="{LEFT}" y1="{py(rank):.1f}" x2="{WIDTH - RIGHT}" y2="{py(rank):.1f}" '
        f'class="grid"/><text x="{LEFT - 6}" y="{py(rank) + 4:.1f}" text-anchor="end">{rank}</text>'
        for rank in range(1, worst + 1, step)
    ]


def _time_axis(x0: float, x1: float, px: Any) -> list[str]:
    """Ticks at Tehran wall-clock times: a date, and the time of day when the span is short."""
    span = x1 - x0
    parts = [
        # Right to left, a text's start is its right end.
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" text-anchor="start" class="label" '
        'direction="rtl">به وقت تهران</text>',
        f'<text x="{LEFT}" y="{HEIGHT - 6}" class="label">Tehran time</text>',
    ]
    for i in range(6):
        x = x0 + span * i / 5
        moment = _tehran(datetime.fromtimestamp(x, UTC))
        day = moment.strftime("%Y-%m-%d")
        clock = moment.strftime("%H:%M:%S" if span < 600 else "%H:%M")
        lines = [clock, day] if span < 3 * 86400 else [day]
        text = "".join(
            f'<tspan x="{px(x):.1f}" dy="{0 if n == 0 else 13}">{t}</tspan>'
            for n, t in enumerate(lines)
        )
        anchor = "start" if i == 0 else "end" if i == 5 else "middle"
        parts.append(f'<text y="{HEIGHT - BOTTOM + 16}" text-anchor="{anchor}">{text}</text>')
    return parts


def _axis(high: float) -> tuple[float, float]:
    """An axis from 0 to above `high`: its top and its step, a round number (1, 2, 2.5, 5 ×
    10^n, at least 1: counts are whole) giving at most five ticks."""
    step = 1.0
    while high / step > 4:
        for factor in (2, 1.25, 2):  # 1 → 2 → 2.5 → 5 → 10
            step *= factor
            if high / step <= 4:
                break
    return step * max(1, math.ceil(high / step)), step


# --- HTML -----------------------------------------------------------------------------------


def _legend(names: list[str]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{PALETTE[n % len(PALETTE)]}"></span>'
        f"{_e(name)}</li>"
        for n, name in enumerate(names)
    )
    return f'<ul class="legend">{items}</ul>'


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    header = "".join(f"<th>{_e(cell)}</th>" for cell in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _section(title: str, subtitle: str, content: str) -> str:
    return (
        f'<section><h2>{_e(title)}</h2><p class="en" dir="ltr">{_e(subtitle)}</p>'
        f"{content}</section>"
    )


def _note(text: str) -> str:
    return f'<p class="note">{_e(text)}</p>'


def _page(site: str, body: str) -> str:
    made = _tehran(datetime.now(UTC)).strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<title>گزارش newsbot: {_e(site)}</title>
<script>
window.newsbotErrors = [];
window.addEventListener("error", function (event) {{
  window.newsbotErrors.push(String(event.message));
  document.documentElement.setAttribute("data-errors", window.newsbotErrors.join(" | "));
}});
</script>
<style>{_STYLE}</style>
</head>
<body>
<h1>گزارش پیکره <span dir="ltr">{_e(site)}</span></h1>
<p class="en" dir="ltr">newsbot report of {_e(site)}, made {made} Tehran time</p>
{body}
<script>{_SCRIPT}</script>
</body>
</html>
"""


_STYLE = """
body { font-family: Vazirmatn, "Noto Sans Arabic", "Noto Naskh Arabic", Tahoma,
       "DejaVu Sans", sans-serif; margin: 1.5em auto; max-width: 960px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin: 1.6em 0 0.1em; }
h3 { font-size: 1em; margin: 1em 0 0.2em; } h3 small { color: #777; font-weight: normal; }
p.en { color: #666; font-size: 0.85em; margin: 0 0 0.5em; text-align: left; }
p.note { color: #555; font-size: 0.9em; }
svg { width: 100%; height: auto; direction: ltr; font-size: 11px; fill: #333; }
svg .axis { stroke: #333; } svg .grid { stroke: #e4e4e4; }
svg .label { fill: #666; }
svg g.series { cursor: pointer; } svg g.series.faded { opacity: 0.15; }
svg g.series.picked polyline { stroke-width: 4; }
ul.legend { list-style: none; padding: 0; margin: 0.3em 0; font-size: 0.9em; }
ul.legend li { display: inline-block; margin-left: 1.2em; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-left: 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: right; }
th { background: #f4f4f4; }
td:nth-child(n+2) { white-space: nowrap; }
"""

# Highlight a story on hover; then count what was drawn, chart by chart, for the tests.
_SCRIPT = """
document.querySelectorAll("svg[data-chart]").forEach(function (svg) {
  var series = svg.querySelectorAll("g.series");
  series.forEach(function (line) {
    line.addEventListener("mouseenter", function () {
      series.forEach(function (other) { other.classList.toggle("faded", other !== line); });
      line.classList.add("picked");
    });
    line.addEventListener("mouseleave", function () {
      series.forEach(function (other) { other.classList.remove("faded", "picked"); });
    });
  });
  var drawn = 0;
  svg.querySelectorAll(".mark").forEach(function (mark) {
    var box = mark.getBBox();
    if (box.width > 0 || box.height > 0) { drawn += 1; }
  });
  svg.setAttribute("data-drawn", String(drawn));
});
document.documentElement.setAttribute("data-ready", "1");
"""


def _ltr(text: str) -> str:
    """Text set left to right inside Persian (a date), with Unicode's isolate marks."""
    return f"\u2066{text}\u2069"


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _tehran(moment: datetime) -> datetime:
    return moment.astimezone(TEHRAN)


def _unix(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def _duration(seconds: float) -> str:
    if not seconds:
        return "—"
    return str(timedelta(seconds=int(seconds)))
