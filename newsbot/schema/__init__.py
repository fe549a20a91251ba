"""The JSON Schema of newsbot's records, and the check every emitted record passes.

The schema file is the published contract. Records are checked against it with code compiled
from it once per process (fastjsonschema), not interpreted per record: a generic validator cost
about ten times the page's parse per record. tests/test_schema.py checks the schema and the
records of a fixture crawl with the reference validator (jsonschema) too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from typing import Any

import fastjsonschema

SCHEMA_FILE = files(__package__).joinpath("records.schema.json")
RECORD_TYPES = ("article", "listing", "comment")


class RecordInvalid(ValueError):
    """A record that does not match the schema; the message says where and why."""


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@cache
def _validator(kind: str) -> Callable[[dict[str, Any]], Any]:
    """The compiled check of one record type. Checking a record against the one definition it
    claims gives a precise message, where the schema's top-level oneOf only says that none
    matched."""
    schema = load_schema()
    return fastjsonschema.compile({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]})


def validate_record(record: dict[str, Any]) -> None:
    """Raise RecordInvalid unless `record` (an article or a listing, as written) is valid."""
    kind = record.get("type")
    if kind not in RECORD_TYPES:
        raise RecordInvalid(f"unknown record type {kind!r}")
    try:
        _validator(kind)(record)
    except fastjsonschema.JsonSchemaValueException as error:
        # error.path is ["data", field, index, ...]; the message names the value as "data...".
        where = "/".join(str(part) for part in (error.path or [])[1:]) or "(record)"
        message = error.message.removeprefix(error.name or "").strip()
        raise RecordInvalid(f"{kind} field {where}: {message}") from error
