"""Fuzzing: 10,000 random and mutated inputs each (the `ci` Hypothesis profile; `dev` runs a
few hundred, tests/conftest.py) to the date parser, the normaliser and the page parser (with
the pipeline steps after it). The only exceptions allowed are our own
clear error types; anything else is a crash a bad page could cause in a months-long crawl.

Mutations start from real-looking inputs (the snapshot's pages and dates as the CMS prints
them) so the fuzzer spends its time near the formats, not only on noise.
"""

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbot.extract.article import NotAnArticle, parse_article
from newsbot.extract.frontpage import parse_front_page
from newsbot.extract.records import (
    RecordRejected,
    checked_record,
    dated_article,
    normalized_article,
)
from newsbot.sites.profiles import IRIBNEWS
from newsbot.text.jalali import JalaliDateError, parse_jalali, to_iso
from newsbot.text.persian import normalize
from snapshot.crawl import PROJECT_DIR

# As many examples as the Hypothesis profile gives (tests/conftest.py).
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NOW = "2026-11-26T10:00:00+00:00"

SEED_DATES = [
    "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷",
    "تاریخ انتشار: سه‌شنبه، ۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷",
    "13:35 - 1396/12/27",
    "1402/03/09 12:27:45",
    "٠٤ آبان ١٣٩٩ - ١١:٤٠",
    "۰۹ خرداد ۱۴۰۲ ساعت ۱۲:۲۷",
    "۹۷/۰۸/۲۲",
    "۱۰ دقیقه پیش",
    "دیروز ۱۴:۳۰",
]
# Characters the date formats are made of, so mutations produce near-misses.
DATE_ALPHABET = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩:/-–، ,()" + "".join(
    sorted({c for seed in SEED_DATES for c in seed})
)
SITE = PROJECT_DIR / "snapshot" / "site"
SEED_PAGES = [
    path.read_text(encoding="utf-8")
    for path in [SITE / "home.html", *sorted((SITE / "news").glob("*.html"))[:12]]
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str], alphabet: st.SearchStrategy[str]) -> str:
    """A seed with a few random cuts, insertions, duplications and truncations."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 200)))
        operation = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "replace"]))
        if operation == "delete":
            text = text[:start] + text[end:]
        elif operation == "insert":
            text = text[:start] + draw(alphabet) + text[start:]
        elif operation == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        elif operation == "truncate":
            text = text[:start]
        else:
            text = text[:start] + draw(alphabet) + text[end:]
    return text


DATES = st.one_of(
    st.text(),
    st.text(alphabet=DATE_ALPHABET, max_size=40),
    mutated(SEED_DATES, st.text(alphabet=DATE_ALPHABET, max_size=6)),
)
TEXTS = st.one_of(
    st.text(), mutated(SEED_DATES + [p[:3000] for p in SEED_PAGES[:3]], st.text(max_size=20))
)
PAGE_INSERTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["<p>", "</div>", "<h1 class='title'>", "<!--", "<script>", "&#0;", "\x00", "<br>", "]]>"]
    ),
)
PAGES = st.one_of(st.text(max_size=500), mutated(SEED_PAGES, PAGE_INSERTS))


@FUZZ
@given(DATES)
def test_the_date_parser_raises_only_its_own_error(text: str) -> None:
    try:
        value = parse_jalali(text, now=None)
    except JalaliDateError:
        return
    assert to_iso(value)


@FUZZ
@given(TEXTS)
def test_the_normaliser_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@FUZZ
@given(PAGES)
def test_the_page_parser_and_pipeline_steps_raise_only_their_own_errors(page: str) -> None:
    url = "http://www.iribnews.ir/fa/news/3900001/x"
    front = parse_front_page(page, "http://www.iribnews.ir/", IRIBNEWS, captured_at=NOW)
    for listing in front.listings:
        checked_record(listing)
    try:
        article = normalized_article(parse_article(page, url, IRIBNEWS, crawled_at=NOW))
        with contextlib.suppress(JalaliDateError):
            article = dated_article(article)
        checked_record(article)
    except (NotAnArticle, RecordRejected):
        return


def test_seed_pages_are_there() -> None:
    # The mutations are only as good as their seeds: a home page and article pages.
    assert len(SEED_PAGES) == 13
    assert all("<html" in page for page in SEED_PAGES)
    assert Path(SITE / "home.html").exists()
