"""Columns of a table, derived from its Pydantic model's JSON Schema.

This is the one place where a model field becomes a column with a logical type. The
Frictionless Table Schema, the Arrow schema, the CSV cell format and the data
dictionary are all made from these ``Column`` objects, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from .models import Record

LogicalType = Literal["string", "integer", "number", "boolean", "date", "list"]

LIST_DELIMITER = ";"
"""How a list column (e.g. financial_targets.sectors) is written in one CSV cell."""

NUMBER_PRECISION = 30
NUMBER_SCALE = 4
"""Money amounts: exact decimals with up to 26 digits before and 4 after the point."""


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType
    description: str
    required: bool
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    item_pattern: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return dict(defs[ref.removeprefix("#/$defs/")])
    return schema


def _column(name: str, prop: dict[str, Any], defs: dict[str, Any], required: bool) -> Column:
    description = str(prop.get("description", ""))
    options = prop.get("anyOf")
    if options is not None:
        non_null = [_resolve(o, defs) for o in options if o.get("type") != "null"]
        nullable = len(non_null) != len(options)
        if nullable and len(non_null) == 1:
            return _column(name, {**non_null[0], "description": description}, defs, False)
        if {o.get("type") for o in non_null} == {"number", "string"}:
            number = next(o for o in non_null if o.get("type") == "number")
            return Column(name, "number", description, required and not nullable, minimum=number.get("minimum"))
        raise TypeError(f"column {name}: unsupported union {options!r}")
    prop = {**_resolve(prop, defs), "description": description}
    kind = prop.get("type")
    if "enum" in prop:
        return Column(name, "string", description, required, enum=tuple(str(v) for v in prop["enum"]))
    if kind == "string" and prop.get("format") == "date":
        return Column(name, "date", description, required)
    if kind == "string":
        return Column(
            name,
            "string",
            description,
            required,
            pattern=prop.get("pattern"),
            min_length=prop.get("minLength"),
            max_length=prop.get("maxLength"),
        )
    if kind == "integer":
        return Column(name, "integer", description, required, minimum=prop.get("minimum"), maximum=prop.get("maximum"))
    if kind == "boolean":
        return Column(name, "boolean", description, required)
    if kind == "array":
        items = _resolve(prop.get("items", {}), defs)
        if items.get("type") != "string":
            raise TypeError(f"column {name}: only lists of strings are supported")
        return Column(name, "list", description, required, item_pattern=items.get("pattern"))
    raise TypeError(f"column {name}: unsupported JSON Schema {prop!r}")


@cache
def columns(model: type[Record]) -> tuple[Column, ...]:
    """The columns of ``model``'s table, in field order."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    return tuple(_column(name, prop, defs, name in required) for name, prop in schema["properties"].items())
