"""Our own tables as the validator sees them: the Table Schemas of our published package.

The build generates every Table Schema from the Pydantic models, including the rules
the models add to Table Schema's (ISO codes that must be assigned, plain NFC text,
money's digit limits, the items of list columns; see ``export.datapackage``). So the
validator reads all of it from ``datapackage.json`` as installed with the package
(``read.dataset_path``), never from the models: checking tables then needs no Pydantic
at all, which keeps the command's start-up short. ``build --check`` fails when the
committed descriptor drifts from the models, so the two cannot disagree.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

from .spec import FieldSpec, TableSpec, from_table_schema

_EXTRAS = ("code_list", "plain_text", "item_pattern", "decimal")


@cache
def _our_schemas() -> dict[str, Any]:
    """Table name -> its Table Schema, in the order of our package's resources."""
    from ..read import dataset_path

    descriptor = json.loads((dataset_path() / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: r["schema"] for r in descriptor["resources"] if r.get("format") == "csv" and "schema" in r}


def our_tables() -> tuple[str, ...]:
    """Names of the published tables, in dependency order."""
    return tuple(_our_schemas())


@cache
def table_spec(table: str) -> TableSpec:
    """The full spec of one of our tables, model rules included."""
    return replace(from_table_schema(_our_schemas()[table], table), model_table=table)


def with_model_extras(spec: TableSpec, table: str) -> TableSpec:
    """``spec`` with our model's extra rules added to each column that has the same name and type as ours."""
    if table not in our_tables():
        return spec
    ours = {f.name: f for f in table_spec(table).fields}
    fields: list[FieldSpec] = []
    for field in spec.fields:
        mine = ours.get(field.name)
        if mine is not None and mine.type == field.type:
            field = replace(field, **{k: getattr(mine, k) for k in _EXTRAS if getattr(mine, k) not in (None, False)})
        fields.append(field)
    return replace(spec, fields=tuple(fields), model_table=table)


def formula_prefixes() -> frozenset[str]:
    """Characters a text value may not start with (spreadsheets would run it as a formula)."""
    from ..text_rules import FORMULA_PREFIXES

    return FORMULA_PREFIXES
