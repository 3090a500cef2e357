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

from ..codes import CODE_LISTS
from .spec import FieldSpec, TableSpec, UnsupportedSchema, from_table_schema


@cache
def _our_schemas() -> dict[str, Any]:
    """Table name -> its Table Schema, in the order of our package's resources.

    Empty when the installed descriptor is missing or unreadable (a broken install):
    a user's own tables are still checked against their own schemas (see ``missing_note``).
    """
    from ..read import dataset_path

    try:
        descriptor = json.loads((dataset_path() / "datapackage.json").read_text(encoding="utf-8"))
        return {r["name"]: r["schema"] for r in descriptor["resources"] if r.get("format") == "csv" and "schema" in r}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def missing_note() -> str | None:
    """What to tell the user when our own tables could not be read from the installed package."""
    if _our_schemas():
        return None
    return ("the dataset installed with ca-summit-data (its datapackage.json) is missing or unreadable, so files "
            "cannot be checked as our tables; reinstall the package")


def our_tables() -> tuple[str, ...]:
    """Names of the published tables, in dependency order."""
    return tuple(_our_schemas())


@cache
def table_spec(table: str) -> TableSpec:
    """The full spec of one of our tables, model rules included."""
    return replace(from_table_schema(_our_schemas()[table], table), model_table=table)


def with_model_extras(spec: TableSpec, table: str) -> TableSpec:
    """``spec`` with our model's extra rules added to each column that has the same name and type as ours.

    The user's own rules on such a column hold as well: digit limits combine to the
    tighter of each; a different ``codeList`` or ``itemPattern`` cannot both hold in one
    field, so it is refused (``UnsupportedSchema``) rather than silently replaced.
    """
    if table not in our_tables():
        return spec
    ours = {f.name: f for f in table_spec(table).fields}
    fields: list[FieldSpec] = []
    for field in spec.fields:
        mine = ours.get(field.name)
        fields.append(_both(field, mine, table) if mine is not None and mine.type == field.type else field)
    return replace(spec, fields=tuple(fields), model_table=table)


_PROPERTY = {"code_list": "codeList", "item_pattern": "itemPattern"}


def _both(theirs: FieldSpec, mine: FieldSpec, table: str) -> FieldSpec:
    """A user's field of one of our columns, holding our rules and theirs."""
    changes: dict[str, Any] = {"plain_text": theirs.plain_text or mine.plain_text}
    for key, name in _PROPERTY.items():
        our_rule, their_rule = getattr(mine, key), getattr(theirs, key)
        if our_rule is None:
            continue
        if their_rule is not None and their_rule != our_rule:
            shown = (CODE_LISTS[their_rule], CODE_LISTS[our_rule]) if key == "code_list" else (their_rule, our_rule)
            raise UnsupportedSchema(f"field {theirs.name!r}: {name} {shown[0]!r} differs from ours ({shown[1]!r}) "
                                    f"for the column of our table {table!r}; drop it or use ours")
        changes[key] = our_rule
    if mine.decimal is not None:
        other = theirs.decimal or mine.decimal
        changes["decimal"] = (min(other[0], mine.decimal[0]), min(other[1], mine.decimal[1]))
    return replace(theirs, **changes)


def formula_prefixes() -> frozenset[str]:
    """Characters a text value may not start with (spreadsheets would run it as a formula)."""
    from ..text_rules import FORMULA_PREFIXES

    return FORMULA_PREFIXES
