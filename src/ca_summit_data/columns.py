"""Columns of a table, derived from its Pydantic model's JSON Schema.

This is the one place where a model field becomes a column with a logical type. The
Frictionless Table Schema, the Arrow schema, the CSV cell format and the data
dictionary are all made from these ``Column`` objects, so they cannot disagree.

A few rules live in the models' validators rather than in their JSON Schema: ISO codes
that must really be assigned, plain one-line NFC text, money's digit limits. They are
read here from the field annotations (which validator, which limits), never restated,
and travel in the Table Schema as the custom field properties ``codeList``,
``plainText``, ``maxDigits``, ``decimalPlaces`` and ``itemPattern``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from . import models
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
    code_list: str | None = None
    """The ISO list a code must be assigned in: a key of ``codes.CODE_LISTS``."""
    plain_text: bool = False
    """One line of NFC text: no control or bidi characters, no outer white space, no formula prefix."""
    max_digits: int | None = None
    decimal_places: int | None = None


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


def _metadata(annotation: Any) -> Iterator[Any]:
    """Every metadata object of an annotation, through Optional and Annotated (not into list items)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        for extra in extras:
            yield extra
            yield from getattr(extra, "metadata", [])
        yield from _metadata(base)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _metadata(arg)


_CODE_VALIDATORS = {
    models._check_country: "country",
    models._check_currency: "currency",
    models._check_language: "language",
}


def _with_validator_rules(column: Column, info: Any) -> Column:
    """``column`` with the rules its model field's validators and decimal limits add."""
    found: dict[str, Any] = {}
    for meta in [*info.metadata, *_metadata(info.annotation)]:
        func = getattr(meta, "func", None)
        if func in _CODE_VALIDATORS:
            found["code_list"] = _CODE_VALIDATORS[func]
        elif func is models._check_text:
            found["plain_text"] = True
        places, digits = getattr(meta, "decimal_places", None), getattr(meta, "max_digits", None)
        if isinstance(places, int) and isinstance(digits, int):
            found.update(max_digits=digits, decimal_places=places)
    return replace(column, **found) if found else column


@cache
def columns(model: type[Record]) -> tuple[Column, ...]:
    """The columns of ``model``'s table, in field order."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    return tuple(
        _with_validator_rules(_column(name, prop, defs, name in required), model.model_fields[name])
        for name, prop in schema["properties"].items()
    )
