"""`newsbot extract FILE...`: any saved page gives its records, as a crawl would emit them: an
article page its article, a home or section page its listing snapshots; `--served-on` (a
Gregorian or a Jalali day) picks the site's theme of that day and stamps the records."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsbot.schema import validate_record
from newsbot.sites.profiles import IRIBNEWS, PROFILES, ArticleSelectors, DatedTheme, Theme
from newsbot.tools.cli import main
from newsbot.tools.profile_check import matches

SITES = Path(__file__).parent / "sites"
THEMES = SITES / "themes"


def extract(
    capsys: pytest.CaptureFixture[str], *argv: str | Path
) -> tuple[int, list[dict[str, Any]], str]:
    status = main(["extract", *map(str, argv)])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    for record in records:
        validate_record(record)
    return status, records, err


def test_a_front_page_gives_its_listing_snapshots(capsys: pytest.CaptureFixture[str]) -> None:
    expected = json.loads((SITES / "fardanews" / "home.json").read_text(encoding="utf-8"))
    status, records, err = extract(
        capsys, SITES / "fardanews" / "home.html", "--url", expected["url"]
    )
    assert (status, err) == (0, "")
    assert {record["type"] for record in records} == {"listing"}
    assert [
        (record["block"], record["list"], [entry["news_id"] for entry in record["entries"]])
        for record in records
    ] == [
        (listing["block"], listing["list"], [entry["news_id"] for entry in listing["entries"]])
        for listing in expected["front"]["lists"]
    ]
    assert {record["page_url"] for record in records} == {expected["url"]}


def saved_home_page(tmp_path: Path, folder: str = "kayhan") -> Path:
    """A fixture home page of Kayhan's (2018, or `kayhan-2025`) as a browser saves it, naming
    its URL."""
    home = (SITES / folder / "home.html").read_text(encoding="utf-8")
    saved = tmp_path / f"{folder}.html"
    saved.write_text(
        home.replace("</head>", '<link rel="canonical" href="https://kayhan.ir/"></head>', 1),
        encoding="utf-8",
    )
    return saved


def test_articles_and_front_pages_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Both pages of 17 March 2018 (26 Esfand 1396), read with the theme Kayhan served then.
    status, records, _ = extract(
        capsys,
        saved_home_page(tmp_path),
        SITES / "kayhan" / "news" / "130004.html",
        "--served-on",
        "1396-12-26",
    )
    assert status == 0
    kinds = [record["type"] for record in records]
    assert kinds[-1] == "article" and set(kinds[:-1]) == {"listing"}
    assert records[-1]["news_id"] == 130004


def test_a_page_with_neither_an_article_nor_a_list_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "about.html"
    empty.write_text("<html><body><p>درباره ما</p></body></html>", encoding="utf-8")
    status, records, err = extract(capsys, empty, "--url", "https://www.tabnak.ir/fa/about")
    assert (status, records) == (1, [])
    assert "has neither article markup nor a ranked list" in err
    # At an article's URL, the same page is an article without markup.
    status, _, err = extract(capsys, empty, "--url", "https://www.tabnak.ir/fa/news/5")
    assert status == 1
    assert err.strip().endswith("https://www.tabnak.ir/fa/news/5: not_an_article")


# IRIB News as if it had redesigned its article pages on 1 Farvardin 1400 (2021-03-21): the
# old theme reads tests/sites/themes/old.html, a page of 12 Mehr 1398 (2019-10-04).
REDESIGNED = replace(
    IRIBNEWS,
    earlier_themes=(
        DatedTheme(
            valid_until=date(2021, 3, 21),
            theme=Theme(
                article=ArticleSelectors(
                    news_id=".news_code",
                    published=".news_date",
                    kicker=".news_rutitr",
                    title="h2.news_title",
                    lead=".news_lead",
                    body=".news_text",
                )
            ),
        ),
    ),
)


@pytest.mark.parametrize(
    ("served_on", "calendar"),
    [
        ("1398-07-12", "read as the Jalali day 1398-07-12, Gregorian 2019-10-04"),
        ("۱۳۹۸/۰۷/۱۲", "read as the Jalali day 1398-07-12, Gregorian 2019-10-04"),
        ("2019-10-04", "read as the Gregorian day 2019-10-04"),
    ],
)
def test_served_on_picks_the_theme_and_stamps_the_records(
    served_on: str,
    calendar: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(PROFILES, "iribnews", REDESIGNED)
    status, [record], err = extract(capsys, THEMES / "old.html", "--served-on", served_on)
    assert status == 0
    assert err == f"newsbot extract: --served-on {served_on} {calendar}\n"
    assert (record["news_id"], record["title"]) == (2600001, "بازگشایی مدارس با شیوه‌نامه تازه")
    assert record["crawled_at"] == "2019-10-04T00:00:00+00:00"
    assert record["published_at"] == "2019-10-04T09:30:00+03:30"
    # Read today, the page is in a theme the site no longer serves.
    status, records, err = extract(capsys, THEMES / "old.html")
    assert (status, records) == (1, [])
    assert err.strip().endswith("not_an_article")


def test_served_on_stamps_listing_snapshots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, records, _ = extract(
        capsys, saved_home_page(tmp_path, "kayhan-2025"), "--served-on", "1404-09-02"
    )
    assert status == 0 and records
    assert {record["captured_at"] for record in records} == {"2025-11-23T00:00:00+00:00"}


@pytest.mark.parametrize("served_on", ["1398-13-01", "1403-12-31", "2019-02-30", "yesterday"])
def test_an_impossible_served_on_day_is_a_usage_error(
    served_on: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["extract", str(THEMES / "old.html"), "--served-on", served_on])
    assert caught.value.code == 2
    assert f"{served_on!r} is not a day such as 2017-04-04 or, Jalali, 1396-01-15" in (
        capsys.readouterr().err
    )


def test_pages_of_a_host_without_a_profile_in_a_theme_no_profile_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's bar: family-2025 (www.aftabnews.ir, no profile; fields only under the
    family's alternative classes and in page metadata), read by `newsbot extract`: at least
    99% of the expected fields exact."""
    family = SITES / "family-2025" / "news"
    expected_paths = sorted(family.glob("*.json"))
    status, records, err = extract(capsys, *(p.with_suffix(".html") for p in expected_paths))
    assert (status, err) == (0, "")
    assert [record["site"] for record in records] == ["aftabnews"] * len(expected_paths)
    fields = [
        matches(record[name], value)
        for record, path in zip(records, expected_paths, strict=True)
        for name, value in json.loads(path.read_text(encoding="utf-8"))["article"].items()
    ]
    assert len(fields) > 100
    assert sum(fields) / len(fields) >= 0.99
