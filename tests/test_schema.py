"""The compiled record check (newsbot.schema, fastjsonschema) against the reference JSON Schema
validator (jsonschema): the schema is a valid 2020-12 schema, and both accept and refuse the
same records. test_crawl checks every record of the snapshot crawl with both."""

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from newsbot.schema import RecordInvalid, load_schema, validate_record

VALID_ARTICLE: dict[str, Any] = {
    "type": "article",
    "site": "iribnews",
    "desk": "www",
    "url": "http://www.iribnews.ir/fa/news/3900001",
    "canonical_url": "https://www.iribnews.ir/fa/news/3900001",
    "news_id": 3900001,
    "revision": 1,
    "title": "عنوان",
    "kicker": None,
    "lead": "لید",
    "body": "متن",
    "body_blocks": [],
    "section": ["اجتماعی"],
    "tags": [],
    "related": [],
    "published_at": "2023-05-30T12:27:00+03:30",
    "published_at_jalali": "1402-03-09T12:27",
    "published_at_utc": "2023-05-30T08:57:00Z",
    "published_precision": "minute",
    "published_at_raw": "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷",
    "views": 3,
    "comment_count": None,
    "images": [{"url": "http://www.iribnews.ir/a.jpg", "alt": None}],
    "crawled_at": "2026-11-26T10:00:00+00:00",
}
VALID_LISTING: dict[str, Any] = {
    "type": "listing",
    "site": "iribnews",
    "desk": "yazd",
    "list": "latest",
    "block": "tabs",
    "page_url": "http://yazd.iribnews.ir/",
    "captured_at": "2026-11-26T10:00:00Z",
    "entries": [
        {
            "rank": 1,
            "desk": "yazd",
            "news_id": 60536,
            "url": "http://yazd.iribnews.ir/fa/news/60536",
            "canonical_url": "https://yazd.iribnews.ir/fa/news/60536",
            "title": "عنوان",
            "comment_count": None,
        }
    ],
}


def reference_accepts(record: dict[str, Any]) -> bool:
    return Draft202012Validator(load_schema()).is_valid(record)


def compiled_accepts(record: dict[str, Any]) -> bool:
    try:
        validate_record(record)
    except RecordInvalid:
        return False
    return True


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    Draft202012Validator.check_schema(load_schema())


@pytest.mark.parametrize("record", [VALID_ARTICLE, VALID_LISTING], ids=["article", "listing"])
def test_valid_records_pass_both(record: dict[str, Any]) -> None:
    assert reference_accepts(record)
    assert compiled_accepts(record)


# Each change makes the record invalid, each for a different keyword of the schema.
ARTICLE_FAULTS: list[tuple[str, Any]] = [
    ("news_id", 0),  # minimum
    ("news_id", True),  # a boolean is not an integer
    ("news_id", 1.5),
    ("news_id", "3900001"),
    ("revision", 0),
    ("title", ""),  # minLength
    ("kicker", ""),  # optional text is null or not empty
    ("body", None),
    ("site", "IRIB News"),  # pattern
    ("desk", "-yazd"),
    ("url", "ftp://x"),
    ("url", "http://a b"),
    ("section", [""]),  # items
    ("tags", "تگ"),
    ("published_at", "30 May 2023"),
    ("published_at_jalali", "1402/03/09"),
    ("views", -1),
    ("comment_count", "3"),
    ("images", [{"url": "http://x/a.jpg"}]),  # required in items
    ("images", [{"url": "http://x/a.jpg", "alt": None, "title": "x"}]),  # additionalProperties
    ("crawled_at", "2026-11-26T10:00:00+03:30"),  # UTC only
    ("published_precision", "hour"),  # enum
    ("canonical_url", None),
    ("type", "listing"),  # const (and a listing's fields missing)
    ("extra", 1),  # additionalProperties
]


@pytest.mark.parametrize(("field", "value"), ARTICLE_FAULTS)
def test_both_refuse_the_same_invalid_articles(field: str, value: Any) -> None:
    record = {**VALID_ARTICLE, field: value}
    assert not reference_accepts(record)
    assert not compiled_accepts(record)


@pytest.mark.parametrize("field", sorted(VALID_ARTICLE))
def test_both_refuse_an_article_without_a_field(field: str) -> None:
    record = {name: value for name, value in VALID_ARTICLE.items() if name != field}
    assert not reference_accepts(record)
    assert not compiled_accepts(record)


@pytest.mark.parametrize(
    ("field", "value"),
    [("list", "popular"), ("entries", [{"rank": 0}]), ("captured_at", "yesterday")],
)
def test_both_refuse_the_same_invalid_listings(field: str, value: Any) -> None:
    record = {**VALID_LISTING, field: value}
    assert not reference_accepts(record)
    assert not compiled_accepts(record)


def test_a_refusal_names_the_field_and_the_rule() -> None:
    with pytest.raises(RecordInvalid, match=r"^article field views: must be bigger than or equal"):
        validate_record({**VALID_ARTICLE, "views": -1})
    with pytest.raises(RecordInvalid, match=r"^article field images/0: must contain \['alt'\]"):
        validate_record({**VALID_ARTICLE, "images": [{"url": "http://x/a.jpg"}]})
    with pytest.raises(RecordInvalid, match="unknown record type 'page'"):
        validate_record({"type": "page"})
