"""Our own tables as the validator sees them: their Table Schema plus what the models add.

The Table Schema (``export.datapackage.table_schema``) already carries types, required,
enums, patterns, lengths, bounds and keys. Our Pydantic models know a little more, and
the validator checks that too for any table named like ours: ISO codes that really
exist (``codes``), text without outer white space, formula prefixes or non-NFC forms
(``models._check_text``), money that fits ``decimal128(30, 4)``, and the items of list
columns. All of it is read from the models' field annotations here, never restated.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from typing import Any

from .spec import CodeList, FieldSpec, TableSpec, from_table_schema


def our_tables() -> tuple[str, ...]:
    """Names of the published tables, in dependency order."""
    from ..models import TABLE_MODELS

    return tuple(m.table for m in TABLE_MODELS)


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


@cache
def _validators() -> dict[Any, tuple[str, CodeList | None]]:
    from .. import models

    return {
        models._check_country: ("code", "country"),
        models._check_currency: ("code", "currency"),
        models._check_language: ("code", "language"),
        models._check_text: ("text", None),
    }


def model_extras(table: str) -> dict[str, dict[str, Any]]:
    """For each column of our table ``table``: the FieldSpec settings its model adds to the Table Schema."""
    from ..columns import columns
    from ..models import MODEL_BY_TABLE

    model = MODEL_BY_TABLE[table]
    validators = _validators()
    extras: dict[str, dict[str, Any]] = {}
    for column in columns(model):
        info = model.model_fields[column.name]
        found: dict[str, Any] = {"type": column.type}
        for meta in [*info.metadata, *_metadata(info.annotation)]:
            func = getattr(meta, "func", None)
            kind = validators.get(func) if func is not None else None
            if kind is not None and kind[0] == "code":
                found["code_list"] = kind[1]
            elif kind is not None:
                found["plain_text"] = True
            places = getattr(meta, "decimal_places", None)
            digits = getattr(meta, "max_digits", None)
            if isinstance(places, int) and isinstance(digits, int):
                found["decimal"] = (digits - places, places)
        if column.item_pattern is not None:
            found["item_pattern"] = column.item_pattern
        extras[column.name] = found
    return extras


def with_model_extras(spec: TableSpec, table: str) -> TableSpec:
    """``spec`` with our model's extra rules added to each column that has the same name and type as ours."""
    if table not in our_tables():
        return spec
    extras = model_extras(table)
    fields: list[FieldSpec] = []
    for field in spec.fields:
        found = dict(extras.get(field.name, {}))
        if found.pop("type", None) == field.type:
            field = replace(field, **found)
        fields.append(field)
    return replace(spec, fields=tuple(fields), model_table=table)


@cache
def table_spec(table: str) -> TableSpec:
    """The full spec of one of our tables: its generated Table Schema plus the model's extras."""
    from ..export.datapackage import table_schema
    from ..models import MODEL_BY_TABLE

    return with_model_extras(from_table_schema(table_schema(MODEL_BY_TABLE[table]), table), table)


def formula_prefixes() -> frozenset[str]:
    """Characters a text value may not start with (spreadsheets would run it as a formula)."""
    from ..models import FORMULA_PREFIXES

    return FORMULA_PREFIXES
