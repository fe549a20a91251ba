"""The JSON Schema of newsbot's records, and the check every emitted record passes."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

SCHEMA_FILE = files(__package__).joinpath("records.schema.json")


class RecordInvalid(ValueError):
    """A record that does not match the schema; the message says where and why."""


def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


@cache
def _validators() -> dict[str, Draft202012Validator]:
    """One validator per record type. Checking a record against the one definition it claims
    gives a precise message, where the schema's top-level oneOf only says that none matched."""
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return {
        kind: Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]})
        for kind in ("article", "listing", "comment")
    }


def validate_record(record: dict[str, Any]) -> None:
    """Raise RecordInvalid unless `record` (an article, a listing or a comment, as written) is
    valid."""
    validator = _validators().get(record.get("type"))  # type: ignore[arg-type]
    if validator is None:
        raise RecordInvalid(f"unknown record type {record.get('type')!r}")
    error = best_match(validator.iter_errors(record))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(record)"
        raise RecordInvalid(f"{record['type']} field {where}: {error.message}")
