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
    gives a precise message, where the schema's top-level oneOf only says that none matched.

    Each definition has its references to the others written out in place: looking a reference
    up costs jsonschema more than checking what it points to, and a record's body blocks hold
    several each (half the time of checking an article record went to look-ups)."""
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    definitions = schema["$defs"]
    return {
        kind: Draft202012Validator(_inlined(definitions[kind], definitions))
        for kind in ("article", "listing", "comment")
    }


def _inlined(node: Any, definitions: dict[str, Any]) -> Any:
    """A schema with every reference `"$ref": "#/$defs/<name>"` replaced by that definition
    (ours refer to each other without cycles); beside other keywords, as one more of them."""
    if isinstance(node, dict):
        inlined = {
            key: _inlined(value, definitions) for key, value in node.items() if key != "$ref"
        }
        if "$ref" not in node:
            return inlined
        target = _inlined(definitions[node["$ref"].removeprefix("#/$defs/")], definitions)
        return {**inlined, "allOf": [target, *inlined.get("allOf", [])]} if inlined else target
    if isinstance(node, list):
        return [_inlined(value, definitions) for value in node]
    return node


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
