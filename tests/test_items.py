"""One field registry: the record classes (newsbot.items) are the list of fields that the JSON
Schema, the README's tables, the required fields, the profile check and the report follow."""

import re
import typing
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from newsbot.items import (
    ARTICLE_FIELDS,
    COVERAGE_FIELDS,
    PAGE_FIELDS,
    READ_AS,
    READ_FIELDS,
    REQUIRED_FIELDS,
    Article,
    Listing,
)
from newsbot.schema import load_schema

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCHEMA = load_schema()


def definition(kind: str, name: str) -> dict[str, Any]:
    """A field's schema, its $ref resolved."""
    found: dict[str, Any] = SCHEMA["$defs"][kind]["properties"][name]
    while "$ref" in found:
        found = SCHEMA["$defs"][found["$ref"].rsplit("/", 1)[1]]
    return found


def readme_table_fields(heading: str) -> list[str]:
    """The field names in the first column of the README table that follows `heading`."""
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split(heading, 1)[1].strip().split("\n\n", 1)[0]
    names: list[str] = []
    for row in table.splitlines()[2:]:
        names += re.findall(r"`([a-z_]+)`", row.split("|")[1])
    return names


@pytest.mark.parametrize(("kind", "record"), [("article", Article), ("listing", Listing)])
def test_the_schema_has_exactly_the_record_classes_fields(kind: str, record: type) -> None:
    names = [f.name for f in fields(record)]
    assert set(SCHEMA["$defs"][kind]["properties"]) == set(names)
    assert set(SCHEMA["$defs"][kind]["required"]) == set(names)  # null, never left out


def test_the_schema_refuses_null_where_the_class_does_and_for_required_fields() -> None:
    hints = typing.get_type_hints(Article)
    # None in the class only until validation refuses it: a required field, and the canonical
    # URL of an article without a news id.
    refused_when_none = {*REQUIRED_FIELDS, "canonical_url"}
    for name in ARTICLE_FIELDS:
        found = definition("article", name)
        types = found.get("type", [])
        schema_nullable = "null" in (types if isinstance(types, list) else [types]) or (
            None in found.get("enum", [])
        )
        class_nullable = type(None) in typing.get_args(hints[name])
        assert schema_nullable == (class_nullable and name not in refused_when_none), name
    for name in REQUIRED_FIELDS:
        found = definition("article", name)
        assert found.get("minLength") == 1 or found.get("minimum") == 1, name


def test_the_readme_tables_list_every_field_once() -> None:
    article = readme_table_fields("Article (`data/<site>/articles-<time>.jsonl`):")
    assert sorted(article) == sorted(ARTICLE_FIELDS)
    listing = readme_table_fields(
        "a block that is present but empty gives a snapshot with no entries:"
    )
    assert sorted(listing) == sorted(f.name for f in fields(Listing))


def test_the_lists_derived_from_the_field_metadata() -> None:
    # Checked by hand against the lists each part kept before the registry.
    assert REQUIRED_FIELDS == ("news_id", "title", "body")
    assert READ_FIELDS == (
        "news_id", "title", "kicker", "lead", "body", "section", "tags", "published_at_raw",
        "views", "comment_count", "images",
    )  # fmt: skip
    assert (
        dict.fromkeys(
            ("published_at", "published_at_jalali", "published_at_utc", "published_precision"),
            "published_at_raw",
        )
        == READ_AS
    )
    assert COVERAGE_FIELDS == (
        "news_id", "title", "body", "published_at", "kicker", "lead", "section", "tags",
        "views", "comment_count", "images",
    )  # fmt: skip
    assert set(PAGE_FIELDS) == set(ARTICLE_FIELDS) - {
        "type", "site", "desk", "url", "canonical_url", "revision", "crawled_at",
        "body_blocks", "related",  # read with the body, not field by field
    }  # fmt: skip
